"""The column mapping of `--map`: which column of an agency's file holds which field."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Final

from seen.domain.records import Problem
from seen.errors import InvalidInput

FIELDS: Final = (
    "record_id",
    "given_name",
    "middle_names",
    "family_name",
    "date_of_birth",
    "sex",
    "postcode",
    "nhs_number",
    "upn",
    "ethnicity",
)


def parse_mapping(text: str) -> dict[str, str]:
    """`"GivenName=given_name,DOB=date_of_birth"` as {source column: field}."""
    pairs: list[tuple[str, str] | str] = []
    for item in text.split(","):
        source, equals, target = (part.strip() for part in item.partition("="))
        if source or equals or target:
            pairs.append((source, target) if equals and source and target else item.strip())
    return check_mapping(pairs)


def check_mapping(pairs: Iterable[tuple[str, str] | str]) -> dict[str, str]:
    """The mapping as {source column: field}; InvalidInput lists every problem in it.

    A pair that could not be read is given as its text.
    """
    mapping: dict[str, str] = {}
    problems: list[Problem] = []
    for number, pair in enumerate(pairs, start=1):
        where = f"item {number}"
        if isinstance(pair, str):
            problems.append(Problem("--map", where, "", f"{pair!r} is not written column=field"))
            continue
        source, target = pair
        if target not in FIELDS:
            close = difflib.get_close_matches(target, FIELDS, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            message = f"{target!r} is not a field{hint}; the fields are {', '.join(FIELDS)}"
        elif target in mapping.values():
            message = f"{target} is mapped from more than one column"
        elif source in mapping:
            message = f"the column {source} is mapped twice"
        else:
            mapping[source] = target
            continue
        problems.append(Problem("--map", where, source, message))
    if not problems and "record_id" not in mapping.values():
        message = "map one column to record_id: every record needs the agency's own reference"
        problems.append(Problem("--map", "", "record_id", message))
    if problems:
        count = len(problems)
        raise InvalidInput(
            f"the column mapping has {count} problem{'s' if count > 1 else ''}: "
            f"{problems[0].message}",
            problems,
        )
    return mapping
