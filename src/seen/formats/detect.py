"""Which format a file is, from its content: the CSV header row or the XML root element.

A CSV is matched to the format whose columns overlap its header most (Jaccard similarity, at
least half), so a file with a column missing or misspelt is still recognised and the missing
column reported, rather than the whole file being "unrecognised". Column names match without
regard to case or surrounding spaces.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from seen.formats.cin import CIN_CENSUS
from seen.formats.csvfile import first_look
from seen.formats.health import ED_ATTENDANCES
from seen.formats.persons import PERSONS
from seen.formats.police import POLICE_INCIDENTS, POLICE_MISSING
from seen.formats.school import SCHOOL_CENSUS
from seen.formats.spec import CsvFormat, Format, XmlFormat
from seen.formats.ssda903 import TABLES
from seen.formats.ssda903_xml import SSDA903_XML
from seen.formats.xmlfile import root_tag

CSV_FORMATS: tuple[CsvFormat, ...] = (
    PERSONS,
    *TABLES,
    SCHOOL_CENSUS,
    POLICE_INCIDENTS,
    POLICE_MISSING,
    ED_ATTENDANCES,
)
XML_FORMATS: tuple[XmlFormat, ...] = (CIN_CENSUS, SSDA903_XML)
MIN_OVERLAP = 0.5
MAX_LISTED = 20


@dataclass(frozen=True, slots=True)
class Detected:
    format: Format | None
    problem: str | None = None  # why the file was not recognised
    header: tuple[str, ...] = ()  # CSV: the header row as found
    location: str = "file"  # where the problem is


def detect(path: Path) -> Detected:
    look = first_look(path)
    if look.kind == "xml":
        return _detect_xml(path)
    if look.kind == "csv":
        return _detect_csv(look.header)
    return Detected(None, look.problem, location=look.location)


def _detect_xml(path: Path) -> Detected:
    root, problem = root_tag(path)
    if root is None:
        return Detected(None, problem)
    for fmt in XML_FORMATS:
        if fmt.root == root:
            return Detected(fmt)
    expected = "; ".join(f"<{fmt.root}> ({fmt.label})" for fmt in XML_FORMATS)
    return Detected(
        None,
        f"not a recognised extract: the root element is <{_cut(root)}>, expected one of: "
        f"{expected}",
    )


def _detect_csv(header: tuple[str, ...]) -> Detected:
    found = {name.casefold() for name in header if name}
    best: CsvFormat | None = None
    best_score = 0.0
    for fmt in CSV_FORMATS:
        wanted = {name.casefold() for name in fmt.columns}
        score = len(found & wanted) / len(found | wanted)
        if score > best_score:
            best, best_score = fmt, score
    if best is not None and best_score >= MIN_OVERLAP:
        return Detected(best, header=header)
    # The nearest format's columns, if any column matched; the others by name only: every
    # format's columns would make a message of 1,500 characters (docs/formats.md has them).
    if best is not None:
        nearest = f"the nearest is {best.label}, with the columns {', '.join(best.columns)}"
    else:
        nearest = "it shares no column with any of them"
    formats = ", ".join(fmt.label for fmt in CSV_FORMATS)
    return Detected(
        None,
        f"not a recognised extract: the header row has {describe_header(header)}. Known "
        f"formats: {formats}; {nearest} (docs/formats.md). For any other CSV, name the "
        "identity fields' columns with --map source_column=field,... or name the columns "
        "record_id, given_name, family_name, date_of_birth, ...",
        header=header,
        location="row 1",
    )


def describe_header(header: tuple[str, ...]) -> str:
    """The header's column names for a message, cut short when there are many or long ones."""
    names = [_cut(name) for name in header[:MAX_LISTED]]
    more = f" and {len(header) - MAX_LISTED} more" if len(header) > MAX_LISTED else ""
    return (", ".join(names) + more) if names else "no column names"


def _cut(name: str) -> str:
    return name if len(name) <= 40 else name[:40] + "…"
