"""Nicknames and short forms mapped to one canonical given name (`data/nicknames.csv`).

Some short forms belong to more than one name (Alex: Alexander or Alexandra; Sam: Samuel or
Samantha), so a row may name a sex: a row for the person's own sex wins over the row with a
blank sex, which every nickname has. Canonical names are never nicknames themselves, so the
mapping is applied once and is idempotent.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType

NICKNAMES_FILE = "nicknames.csv"
_NORMALISED = re.compile(r"[a-z][a-z0-9]*(?: [a-z0-9]+)*")
_SEXES = ("", "M", "F")


@cache
def nickname_table() -> Mapping[tuple[str, str], str]:
    """(nickname, sex or "") -> canonical name, checked as it is loaded."""
    text = resources.files("seen.encode").joinpath("data", NICKNAMES_FILE).read_text("utf-8")
    rows = list(csv.reader(text.splitlines()))
    if not rows or rows[0] != ["nickname", "sex", "canonical"]:
        raise RuntimeError(f"{NICKNAMES_FILE} must start with the header nickname,sex,canonical")
    table: dict[tuple[str, str], str] = {}
    for number, row in enumerate(rows[1:], start=2):
        problem = _row_problem(row, table)
        if problem:
            raise RuntimeError(f"{NICKNAMES_FILE} row {number}: {problem}")
        nickname, sex, canonical = row
        table[nickname, sex] = canonical
    nicknames = {nickname for nickname, _ in table}
    chained = sorted(set(table.values()) & nicknames)
    if chained:
        raise RuntimeError(f"{NICKNAMES_FILE}: canonical names used as nicknames: {chained}")
    no_default = sorted(nickname for nickname in nicknames if (nickname, "") not in table)
    if no_default:
        raise RuntimeError(f"{NICKNAMES_FILE}: nicknames without a blank-sex row: {no_default}")
    return MappingProxyType(table)


def _row_problem(row: list[str], table: Mapping[tuple[str, str], str]) -> str | None:
    if len(row) != 3:
        return "expected three values"
    nickname, sex, canonical = row
    if sex not in _SEXES:
        return f"sex {sex!r} is not blank, M or F"
    for name in (nickname, canonical):
        if not _NORMALISED.fullmatch(name):
            return f"{name!r} is not a normalised name (lower-case ASCII letters)"
    if nickname == canonical:
        return "a name cannot be its own nickname"
    if (nickname, sex) in table:
        return f"{nickname!r} with sex {sex or 'blank'} is listed twice"
    return None


def canonical_given_name(first_given: str, sex: str | None) -> str:
    """The canonical form of a normalised first given name (itself when not a nickname)."""
    table = nickname_table()
    if sex:
        found = table.get((first_given, sex))
        if found is not None:
            return found
    return table.get((first_given, ""), first_given)
