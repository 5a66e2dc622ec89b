"""What reading an agency's extract produces: canonical records, and every problem found."""

from __future__ import annotations

from dataclasses import dataclass, field

from seen.domain.agencies import AgencyKind
from seen.domain.records import AgencyRecord, Problem


@dataclass(frozen=True, slots=True)
class FileReport:
    """One file read: what it was recognised as and how many of its rows were usable."""

    path: str  # as given by the user
    format: str  # e.g. "ssda903-header", "cin-census-xml", "school-census"
    sha256: str  # of the file's bytes, so that a re-ingest of the same file is recognised
    rows: int  # data rows (CSV) or children (XML) read
    rejected_rows: int


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """A row left out because of the problems named, for the rejects report."""

    file: str
    location: str
    record_id: str | None
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class KeptRow(RejectedRow):
    """A row kept although an NHS number or UPN in it fails its check (`keep_mistyped`):
    the reasons name the numbers, for the report of rows kept."""


@dataclass(slots=True)
class Extract:
    """An agency's extract after reading: records built only from valid rows."""

    agency_kind: AgencyKind | None = None  # inferred from the formats recognised
    records: dict[str, AgencyRecord] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: list[FileReport] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    problems_not_listed: int = 0  # problems beyond the per-file cap, counted but not kept
    kept: list[KeptRow] = field(default_factory=list)  # rows kept with a mistyped number
    # Rows rejected for nothing but numbers failing their check: what keep_mistyped keeps.
    rejected_mistyped: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and not self.problems_not_listed

    @property
    def event_count(self) -> int:
        return sum(len(r.events) for r in self.records.values())
