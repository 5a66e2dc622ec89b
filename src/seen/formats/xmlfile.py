"""Streaming XML returns one person (a "unit", e.g. a CIN `Child`) at a time, safely.

defusedxml refuses entity declarations and external references (billion laughs, XXE). Each
unit is handed over with its path, such as `Message/Children/Child[2]`, then cleared, so
memory stays flat however many children a return holds. Paths index the elements a schema
lets repeat (`CINdetails[1]`) and leave single ones bare (`ChildIdentifiers`).

Text between elements is never meaningful in these schemas, so any is reported where it
stands (it is how a value typed outside its element, as in `</UPNunknown>PersonBirthDate`,
shows up).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden

from seen.formats.problems import quote

# (location, field, message), reported against the file rather than against a unit.
FileProblem = Callable[[str, str, str], None]


def local_name(tag: str) -> str:
    return tag.rpartition("}")[2]


def segment(tag: str, index: int, repeatable: frozenset[str]) -> str:
    return f"{tag}[{index}]" if tag in repeatable else tag


def blocks(
    parent: Element, tag: str, path: str, repeatable: frozenset[str]
) -> list[tuple[Element, str]]:
    """The children of `parent` named `tag`, each with its path (indexed as in `segment`)."""
    return [
        (child, f"{path}/{segment(tag, index, repeatable)}")
        for index, child in enumerate(parent.findall(tag), start=1)
    ]


def text(parent: Element, tag: str) -> str | None:
    return parent.findtext(tag)


@dataclass(slots=True)
class Unit:
    element: Element
    path: str
    # Stray text found inside this unit, as (location, field, message).
    problems: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass(slots=True)
class _Open:
    element: Element
    path: str
    counts: dict[str, int] = field(default_factory=dict)


def root_tag(path: Path) -> tuple[str | None, str | None]:
    """(the root element's name, None), or (None, why the file cannot be parsed)."""
    try:
        with path.open("rb") as handle:
            for _event, element in SafeET.iterparse(handle, events=("start",)):
                return local_name(element.tag), None
    except (ParseError, DefusedXmlException) as error:
        return None, parse_problem(error)
    return None, "the XML has no root element"


def parse_problem(error: Exception) -> str:
    if isinstance(error, EntitiesForbidden):
        return (
            "the file declares XML entities (<!ENTITY ...>), which are refused because they "
            "can be used to attack the reader; export the file again without a DTD"
        )
    if isinstance(error, DTDForbidden):
        return "the file has a DTD (<!DOCTYPE ...>), which is not allowed; export it without one"
    if isinstance(error, DefusedXmlException):
        return (
            "the file refers to external files or entities, which are refused for safety; "
            "export it again without them"
        )
    if isinstance(error, ParseError):
        line, column = error.position
        reason = str(error).split(":")[0]
        return f"the XML is not well-formed at line {line}, column {column + 1}: {reason}"
    return f"the XML could not be read: {error}"


def iter_units(
    path: Path,
    container: tuple[str, ...],
    unit: str,
    repeatable: frozenset[str],
    file_problem: FileProblem,
) -> Iterator[Unit]:
    """Every `unit` element directly under the `container` path, as it is completed.

    A parse error is reported through `file_problem` and ends the iteration: units already
    handed over stay valid.
    """
    stack: list[_Open] = []
    tags: list[str] = []
    current: Unit | None = None
    try:
        with path.open("rb") as handle:
            for event, element in SafeET.iterparse(handle, events=("start", "end")):
                if event == "start":
                    tag = element.tag = local_name(element.tag)
                    if stack:
                        counts = stack[-1].counts
                        counts[tag] = counts.get(tag, 0) + 1
                        where = f"{stack[-1].path}/{segment(tag, counts[tag], repeatable)}"
                    else:
                        where = tag
                    stack.append(_Open(element, where))
                    tags.append(tag)
                    if current is None and tag == unit and tuple(tags[:-1]) == container:
                        current = Unit(element, where)
                    continue
                opened = stack.pop()
                tags.pop()
                for location, name, message in _stray_text(opened):
                    if current is not None:
                        current.problems.append((location, name, message))
                    else:
                        file_problem(location, name, message)
                if current is not None and element is current.element:
                    yield current
                    current = None
                    element.clear()
    except (ParseError, DefusedXmlException) as error:
        file_problem("file", "", parse_problem(error))


def _stray_text(opened: _Open) -> Iterator[tuple[str, str, str]]:
    element = opened.element
    if len(element) == 0:
        return
    if element.text and element.text.strip():
        yield (
            opened.path,
            element[0].tag,
            (
                f"stray text {quote(element.text.strip())} before <{element[0].tag}>: text must "
                "be inside an element"
            ),
        )
    for child in element:
        if child.tail and child.tail.strip():
            yield (
                opened.path,
                child.tag,
                (
                    f"stray text {quote(child.tail.strip())} after <{child.tag}>: text must be "
                    "inside an element"
                ),
            )
