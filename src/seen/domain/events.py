"""The event taxonomy: what an agency's record says happened, on the real code lists.

An event holds codes, dates and at most a number, never free text, so that nothing written
about a child by hand reaches the hub.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from seen.domain import codes
from seen.domain.agencies import AgencyKind


class EventKind(StrEnum):
    CIN_REFERRAL = "cin_referral"
    CIN_PRIMARY_NEED = "cin_primary_need"
    CIN_ASSESSMENT_FACTOR = "cin_assessment_factor"
    SECTION_47_ENQUIRY = "section_47_enquiry"
    CHILD_PROTECTION_PLAN = "child_protection_plan"
    LOOKED_AFTER_EPISODE = "looked_after_episode"
    MISSING_EPISODE = "missing_episode"
    SCHOOL_YOUNG_CARER = "school_young_carer"
    SCHOOL_ATTENDANCE = "school_attendance"
    SUSPENSION = "suspension"
    PERMANENT_EXCLUSION = "permanent_exclusion"
    POLICE_INCIDENT = "police_incident"
    POLICE_MISSING_REPORT = "police_missing_report"
    EMERGENCY_ATTENDANCE = "emergency_attendance"

    @property
    def spec(self) -> EventSpec:
        return EVENT_SPECS[self]


@dataclass(frozen=True, slots=True)
class EventSpec:
    """What an event of one kind means and which code lists its fields are drawn from."""

    label: str
    agency_kind: AgencyKind
    codes: Mapping[str, str] | None = None  # None: the event carries no code
    code_required: bool = False
    qualifiers: Mapping[str, str] | None = None
    value_meaning: str | None = None


_CS = AgencyKind.CHILDRENS_SERVICES
EVENT_SPECS: Mapping[EventKind, EventSpec] = {
    EventKind.CIN_REFERRAL: EventSpec(
        "Referral to children's social care", _CS, codes.CIN_REFERRAL_SOURCES, True
    ),
    EventKind.CIN_PRIMARY_NEED: EventSpec(
        "Primary need recorded", _CS, codes.CIN_PRIMARY_NEED, True
    ),
    EventKind.CIN_ASSESSMENT_FACTOR: EventSpec(
        "Factor identified at assessment", _CS, codes.CIN_ASSESSMENT_FACTORS, True
    ),
    EventKind.SECTION_47_ENQUIRY: EventSpec("Section 47 enquiry", _CS),
    EventKind.CHILD_PROTECTION_PLAN: EventSpec("Child protection plan", _CS),
    EventKind.LOOKED_AFTER_EPISODE: EventSpec("Looked after", _CS),
    EventKind.MISSING_EPISODE: EventSpec(
        "Missing or away from placement", _CS, codes.SSDA903_MISSING, True
    ),
    EventKind.SCHOOL_YOUNG_CARER: EventSpec(
        "Young carer recorded in the school census",
        AgencyKind.SCHOOL,
        codes.CS118_YOUNG_CARER,
        True,
    ),
    EventKind.SCHOOL_ATTENDANCE: EventSpec(
        "School attendance for a term",
        AgencyKind.SCHOOL,
        value_meaning="percentage of possible sessions missed",
    ),
    EventKind.SUSPENSION: EventSpec(
        "Suspension from school", AgencyKind.SCHOOL, value_meaning="number of suspensions"
    ),
    EventKind.PERMANENT_EXCLUSION: EventSpec("Permanent exclusion", AgencyKind.SCHOOL),
    EventKind.POLICE_INCIDENT: EventSpec(
        "Police incident",
        AgencyKind.POLICE,
        codes.POLICE_INCIDENT_TYPES,
        True,
        qualifiers=codes.POLICE_ROLES,
    ),
    EventKind.POLICE_MISSING_REPORT: EventSpec(
        "Reported missing to the police", AgencyKind.POLICE, codes.MISSING_RISK_LEVELS
    ),
    EventKind.EMERGENCY_ATTENDANCE: EventSpec(
        "Emergency department attendance",
        AgencyKind.HEALTH,
        codes.HEALTH_ATTENDANCE_REASONS,
        True,
    ),
}


def event_problems(
    kind: EventKind,
    start: dt.date,
    end: dt.date | None = None,
    code: str | None = None,
    qualifier: str | None = None,
) -> list[tuple[str, str]]:
    """Every reason these fields cannot make an event, as (field, plain message) pairs."""
    spec = kind.spec
    found: list[tuple[str, str]] = []
    if spec.codes is None:
        if code is not None:
            found.append(("code", f"{spec.label} carries no code, but {code!r} was given"))
    elif code is None:
        if spec.code_required:
            found.append(("code", f"{spec.label} needs a code"))
    elif code not in spec.codes:
        known = ", ".join(spec.codes)
        found.append(("code", f"{code!r} is not a known code for {spec.label}; expected {known}"))
    if qualifier is not None and (spec.qualifiers is None or qualifier not in spec.qualifiers):
        known = ", ".join(spec.qualifiers or ())
        found.append(("qualifier", f"{qualifier!r} is not allowed here; expected {known}"))
    if end is not None and end < start:
        found.append(("end", f"ends ({end.isoformat()}) before it starts ({start.isoformat()})"))
    return found


@dataclass(frozen=True, slots=True)
class Event:
    """One thing an agency recorded, on a date, in codes from a published list."""

    kind: EventKind
    start: dt.date
    end: dt.date | None = None
    code: str | None = None
    qualifier: str | None = None
    value: float | None = None
    source_ref: str | None = None  # the agency's own reference for the event, if any

    def __post_init__(self) -> None:
        problems = event_problems(self.kind, self.start, self.end, self.code, self.qualifier)
        if problems:
            raise ValueError("; ".join(message for _, message in problems))

    @property
    def description(self) -> str:
        spec = self.kind.spec
        if self.code is not None and spec.codes is not None:
            return f"{spec.label}: {spec.codes[self.code]}"
        return spec.label

    def identity_key(self, agency: str, record_id: str) -> str:
        """A stable digest naming this event, so that loading it twice stores it once."""
        parts = [
            agency,
            record_id,
            self.kind.value,
            self.start.isoformat(),
            self.end.isoformat() if self.end else "",
            self.code or "",
            self.qualifier or "",
            "" if self.value is None else repr(float(self.value)),
            self.source_ref or "",
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
