"""What a reader is: the shape of each recognised format and what one row of it yields."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from seen.domain.agencies import AgencyKind
from seen.domain.events import Event
from seen.domain.records import Identity
from seen.formats.dates import DateFormat
from seen.formats.validate import RowCheck

# A field's raw text by column (CSV) or element (XML) name; None when absent.
Getter = Callable[[str], str | None]


@dataclass(slots=True)
class RowOutput:
    """What one valid row (CSV) or child (XML) contributes to its record."""

    record_id: str
    identity: Identity | None = None
    ethnicity: str | None = None  # a DfE code
    events: list[Event] = field(default_factory=list)
    # False for tables that are only validated: their rows must not create records.
    creates_record: bool = True


RowReader = Callable[[Getter, RowCheck], RowOutput | None]


@dataclass(frozen=True, slots=True)
class Format:
    name: str  # as in FileReport.format, e.g. "ssda903-header"
    label: str  # for people, e.g. "SSDA903 header table"
    agency_kind: AgencyKind
    id_field: str  # the column or element holding the agency's reference for the person
    dates: DateFormat = DateFormat.ISO
    # An identity index is where an agency says who a person is; when one of its rows is
    # rejected, that person's rows in every other file are rejected too.
    identity_index: bool = False


@dataclass(frozen=True, slots=True)
class CsvFormat(Format):
    columns: tuple[str, ...] = ()
    read_row: RowReader | None = None
    # The identity index whose ids this table's rows must appear in, when it was read too.
    index_format: str | None = None


@dataclass(frozen=True, slots=True)
class XmlFormat(Format):
    root: str = ""
    container: tuple[str, ...] = ()  # element names from the root down to the units' parent
    unit: str = ""  # the element that is one person: a row for reporting purposes
    repeatable: frozenset[str] = frozenset()  # element names indexed in paths, e.g. Child[2]
    read_unit: Callable[[Element, str, RowCheck], RowOutput | None] | None = None
