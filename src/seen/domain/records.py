"""Canonical agency records: what every extract reader produces.

A record has an identity part (names, date of birth, identifier numbers) that stays on the
agency side, degraded demographics the hub may keep, and events.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from seen.domain.demographics import Demographics, Sex
from seen.domain.events import Event


@dataclass(frozen=True, slots=True)
class Identity:
    """Identifiers for linkage. Agency side only: the hub never stores any of this."""

    given_name: str | None = None
    middle_names: str | None = None
    family_name: str | None = None
    date_of_birth: dt.date | None = None
    sex: Sex = Sex.UNKNOWN
    postcode: str | None = None
    nhs_number: str | None = None
    upn: str | None = None


@dataclass(slots=True)
class AgencyRecord:
    """Everything one agency holds about one person, under the agency's own reference."""

    record_id: str
    identity: Identity = field(default_factory=Identity)
    demographics: Demographics = field(default_factory=Demographics)
    events: list[Event] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input, located precisely enough to fix it."""

    file: str
    location: str  # "row 12" (1-based, the header is row 1) or an XML path
    field: str
    message: str

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.file, self.location, self.field) if part)
        return f"{where}: {self.message}"
