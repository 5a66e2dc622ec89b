"""The indicator library: what a person's linked, multi-agency events say as of a date.

Each indicator is declared, not coded: the event kinds, codes and roles it reads (cited in
its `reads`, on the published code lists of `seen.domain.codes`), the window before the
as-of date it looks over, and how it aggregates. Being declared, every indicator can also
say which events raised it (`Indicators.evidence`), which is what a prompt's explanation
lists.

**Only the past.** An indicator as of day `d` reads events that *started* before `d` and
nothing else: an event starting on or after `d` is invisible, and an event's end date is
read only as "still open on `d`" (start before `d`, end on or after `d` or none), which is
what the agency's record said on `d` whatever it says later. A property test moves the
as-of date and adds future events to prove it.

Windows are in days before the as-of date: 12 months is 365 days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from seen.domain.agencies import AgencyKind
from seen.domain.codes import EXPLOITATION_FACTORS, PARENTAL_NEED_FACTORS
from seen.domain.events import EventKind
from seen.identify.history import History

YEAR = 365


class Aggregate(StrEnum):
    COUNT = "count"  # events in the window (with value at least min_value, if set)
    SUM = "sum"  # their values added up (e.g. suspensions in each census)
    MEAN = "mean"  # the mean of their values; 0 when there is none
    CHANGE = "change"  # mean in the window minus mean in the window before it; 0 without both
    OPEN = "open"  # 1 when an event started before the as-of date and had not ended by it
    AGE = "age"  # the person's age in years (from month and year of birth); no events


class Scale(StrEnum):
    LOG = "log1p"  # counts: the model reads log(1 + x), so the tenth event adds less
    LINEAR = "linear"


@dataclass(frozen=True)
class Indicator:
    """One documented indicator. `kinds`, `codes` and `qualifiers` pick events (None: any
    code or qualifier); `window` is in days before the as-of date (None: ever)."""

    name: str
    description: str
    reads: str  # the codes it reads, as the issue and the code lists name them
    agency: AgencyKind | None  # whose records it reads (None: demographics only)
    kinds: frozenset[str]
    aggregate: Aggregate
    window: int | None = YEAR
    codes: frozenset[str] | None = None
    qualifiers: frozenset[str] | None = None
    min_value: float | None = None
    scale: Scale = Scale.LOG
    # +1: more of it may only raise concern (the model is constrained to that sign);
    # 0: either way (age, being looked after).
    direction: int = 1
    unit: str = "events"


def _kinds(*kinds: EventKind) -> frozenset[str]:
    return frozenset(k.value for k in kinds)


_CS = AgencyKind.CHILDRENS_SERVICES
_SCHOOL = AgencyKind.SCHOOL
_POLICE = AgencyKind.POLICE
_HEALTH = AgencyKind.HEALTH
_MISSING = _kinds(EventKind.MISSING_EPISODE, EventKind.POLICE_MISSING_REPORT)

LIBRARY: tuple[Indicator, ...] = (
    # --- children's social care (CIN census, SSDA903)
    Indicator(
        "parental_need_factor",
        "A parent's or carer's circumstance recorded at a children-in-need assessment "
        "(alcohol or drug misuse, mental health, learning disability, physical illness); "
        "the child's own young carer factor 7A is a label, never an indicator",
        "CIN assessment factors 1B, 2B, 4B, 5B, 6B (without 7A)",
        _CS,
        _kinds(EventKind.CIN_ASSESSMENT_FACTOR),
        Aggregate.COUNT,
        window=None,
        codes=PARENTAL_NEED_FACTORS,
    ),
    Indicator(
        "parental_illness_need",
        "Parental disability or illness recorded as the primary need at referral",
        "CIN primary need N3",
        _CS,
        _kinds(EventKind.CIN_PRIMARY_NEED),
        Aggregate.COUNT,
        window=None,
        codes=frozenset({"N3"}),
    ),
    Indicator(
        "child_in_need_now",
        "An open children-in-need episode on the as-of date",
        "CIN referral (any source) not closed",
        _CS,
        _kinds(EventKind.CIN_REFERRAL),
        Aggregate.OPEN,
        window=None,
        direction=0,
        unit="open",
    ),
    Indicator(
        "looked_after_now",
        "Looked after on the as-of date",
        "SSDA903 episode not ended",
        _CS,
        _kinds(EventKind.LOOKED_AFTER_EPISODE),
        Aggregate.OPEN,
        window=None,
        direction=0,
        unit="open",
    ),
    Indicator(
        "section_47_12m",
        "Section 47 enquiries in the last 12 months",
        "CIN Section47 S47ActualStartDate",
        _CS,
        _kinds(EventKind.SECTION_47_ENQUIRY),
        Aggregate.COUNT,
    ),
    Indicator(
        "child_self_harm_or_substance_factor",
        "The child's own self-harm, mental health or alcohol or drug misuse recorded at a "
        "children-in-need assessment",
        "CIN assessment factors 15A, 4A, 1A, 2A",
        _CS,
        _kinds(EventKind.CIN_ASSESSMENT_FACTOR),
        Aggregate.COUNT,
        window=None,
        codes=frozenset({"15A", "4A", "1A", "2A"}),
    ),
    Indicator(
        "missing_from_care_12m",
        "Missing (M) or away without authorisation (A) from a placement, last 12 months",
        "SSDA903 Missing M/A",
        _CS,
        _kinds(EventKind.MISSING_EPISODE),
        Aggregate.COUNT,
        codes=frozenset({"M", "A"}),
    ),
    # --- schools (school census)
    Indicator(
        "absence_12m",
        "Mean share of possible sessions missed over the termly censuses of the last 12 "
        "months (percentage points)",
        "school census SessionsMissed / SessionsPossible",
        _SCHOOL,
        _kinds(EventKind.SCHOOL_ATTENDANCE),
        Aggregate.MEAN,
        scale=Scale.LINEAR,
        unit="% missed",
    ),
    Indicator(
        "persistent_absence_terms_12m",
        "Terms in the last 12 months with 10% or more of sessions missed (persistent absence)",
        "school census SessionsMissed / SessionsPossible >= 10%",
        _SCHOOL,
        _kinds(EventKind.SCHOOL_ATTENDANCE),
        Aggregate.COUNT,
        min_value=10.0,
        unit="terms",
    ),
    Indicator(
        "absence_rise",
        "Rise in the mean share of sessions missed: the last 12 months against the 12 "
        "months before (percentage points; the attendance trend)",
        "school census SessionsMissed / SessionsPossible",
        _SCHOOL,
        _kinds(EventKind.SCHOOL_ATTENDANCE),
        Aggregate.CHANGE,
        scale=Scale.LINEAR,
        unit="points",
    ),
    Indicator(
        "suspensions_12m",
        "Suspensions in the last 12 months",
        "school census Suspensions",
        _SCHOOL,
        _kinds(EventKind.SUSPENSION),
        Aggregate.SUM,
        unit="suspensions",
    ),
    Indicator(
        "permanent_exclusion",
        "Ever permanently excluded",
        "school census PermanentExclusionDate",
        _SCHOOL,
        _kinds(EventKind.PERMANENT_EXCLUSION),
        Aggregate.COUNT,
        window=None,
    ),
    # --- police
    Indicator(
        "domestic_incidents_24m",
        "Domestic incidents the child was recorded at, last 24 months",
        "police IncidentType DOMESTIC (any role)",
        _POLICE,
        _kinds(EventKind.POLICE_INCIDENT),
        Aggregate.COUNT,
        window=2 * YEAR,
        codes=frozenset({"DOMESTIC"}),
    ),
    Indicator(
        "police_welfare_12m",
        "Concerns for the child's welfare, last 12 months",
        "police IncidentType WELFARE (any role)",
        _POLICE,
        _kinds(EventKind.POLICE_INCIDENT),
        Aggregate.COUNT,
        codes=frozenset({"WELFARE"}),
    ),
    Indicator(
        "police_suspect_drugs_weapons_12m",
        "Suspect in a drugs or weapons offence, last 12 months",
        "police IncidentType DRUGS, WEAPONS with Role SUSPECT",
        _POLICE,
        _kinds(EventKind.POLICE_INCIDENT),
        Aggregate.COUNT,
        codes=frozenset({"DRUGS", "WEAPONS"}),
        qualifiers=frozenset({"SUSPECT"}),
    ),
    Indicator(
        "police_sexual_offence_victim_12m",
        "Victim of a sexual offence, last 12 months",
        "police IncidentType SEXUAL with Role VICTIM",
        _POLICE,
        _kinds(EventKind.POLICE_INCIDENT),
        Aggregate.COUNT,
        codes=frozenset({"SEXUAL"}),
        qualifiers=frozenset({"VICTIM"}),
    ),
    Indicator(
        "police_violence_12m",
        "Violence against the person (victim or suspect), last 12 months",
        "police IncidentType VIOLENCE",
        _POLICE,
        _kinds(EventKind.POLICE_INCIDENT),
        Aggregate.COUNT,
        codes=frozenset({"VIOLENCE"}),
    ),
    Indicator(
        "police_other_incidents_12m",
        "Other police incidents (anti-social behaviour, theft), last 12 months",
        "police IncidentType ASB, THEFT",
        _POLICE,
        _kinds(EventKind.POLICE_INCIDENT),
        Aggregate.COUNT,
        codes=frozenset({"ASB", "THEFT"}),
    ),
    Indicator(
        "missing_reports_12m",
        "Reported missing to the police, last 12 months",
        "police missing report (any RiskLevel)",
        _POLICE,
        _kinds(EventKind.POLICE_MISSING_REPORT),
        Aggregate.COUNT,
    ),
    Indicator(
        "missing_high_risk_12m",
        "Missing reports assessed as medium or high risk, last 12 months",
        "police missing report RiskLevel MEDIUM, HIGH",
        _POLICE,
        _kinds(EventKind.POLICE_MISSING_REPORT),
        Aggregate.COUNT,
        codes=frozenset({"MEDIUM", "HIGH"}),
    ),
    # --- health
    Indicator(
        "ed_attendances_12m",
        "Emergency department attendances for any reason, last 12 months",
        "ED attendance (any Reason)",
        _HEALTH,
        _kinds(EventKind.EMERGENCY_ATTENDANCE),
        Aggregate.COUNT,
    ),
    Indicator(
        "ed_assault_12m",
        "Emergency department attendances after an assault, last 12 months",
        "ED attendance Reason ASSAULT",
        _HEALTH,
        _kinds(EventKind.EMERGENCY_ATTENDANCE),
        Aggregate.COUNT,
        codes=frozenset({"ASSAULT"}),
    ),
    Indicator(
        "ed_intoxication_overdose_12m",
        "Emergency department attendances for intoxication or overdose, last 12 months",
        "ED attendance Reason ALCOHOL, OVERDOSE",
        _HEALTH,
        _kinds(EventKind.EMERGENCY_ATTENDANCE),
        Aggregate.COUNT,
        codes=frozenset({"ALCOHOL", "OVERDOSE"}),
    ),
    Indicator(
        "ed_self_harm_12m",
        "Emergency department attendances for self-harm or mental health, last 12 months",
        "ED attendance Reason SELF_HARM, MENTAL_HEALTH",
        _HEALTH,
        _kinds(EventKind.EMERGENCY_ATTENDANCE),
        Aggregate.COUNT,
        codes=frozenset({"SELF_HARM", "MENTAL_HEALTH"}),
    ),
    # --- demographics every agency holds
    Indicator(
        "age_years",
        "Age in years on the as-of date, from month and year of birth",
        "month and year of birth (degraded, as the hub holds it)",
        None,
        frozenset(),
        Aggregate.AGE,
        window=None,
        scale=Scale.LINEAR,
        direction=0,
        unit="years",
    ),
)

BY_NAME = {indicator.name: indicator for indicator in LIBRARY}
# Exploitation factors are labels of exploitation, so no indicator may read them.
assert not any(
    EventKind.CIN_ASSESSMENT_FACTOR.value in i.kinds and i.codes and i.codes & EXPLOITATION_FACTORS
    for i in LIBRARY
)


def indicators_named(names: Sequence[str]) -> tuple[Indicator, ...]:
    return tuple(BY_NAME[name] for name in names)


@dataclass
class Indicators:
    """A set of indicators over one History, ready to compute at any as-of date.

    Each indicator's matching events are found once (by kind, code, qualifier and value);
    each as-of date then only filters those by date.
    """

    history: History
    chosen: tuple[Indicator, ...]
    _events: list[NDArray[np.int64]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        h = self.history
        self._events = []
        for indicator in self.chosen:
            keep = np.isin(h.kind, list(indicator.kinds))
            if indicator.codes is not None:
                keep &= np.isin(h.code, list(indicator.codes))
            if indicator.qualifiers is not None:
                keep &= np.isin(h.qualifier, list(indicator.qualifiers))
            if indicator.min_value is not None:
                keep &= h.value >= indicator.min_value
            self._events.append(np.flatnonzero(keep))

    @property
    def names(self) -> list[str]:
        return [i.name for i in self.chosen]

    def at(self, as_of: int) -> NDArray[np.float64]:
        """The raw values, people x indicators, as of day `as_of` (events before it only)."""
        out = np.zeros((self.history.people, len(self.chosen)), dtype=np.float64)
        for j, indicator in enumerate(self.chosen):
            out[:, j] = self._column(j, indicator, as_of)
        return out

    def evidence(self, person: int, as_of: int, name: str) -> NDArray[np.int64]:
        """Indexes of the events (into the History) that this indicator read for `person`
        as of `as_of`: the events behind its value, for explanations."""
        j = self.names.index(name)
        indicator = self.chosen[j]
        idx = self._events[j]
        idx = idx[self.history.person[idx] == person]
        window = indicator.window
        if indicator.aggregate is Aggregate.CHANGE and window is not None:
            window = 2 * window
        return np.asarray(idx[self._in_window(idx, indicator, as_of, window)], dtype=np.int64)

    def _in_window(
        self, idx: NDArray[np.int64], indicator: Indicator, as_of: int, window: int | None
    ) -> NDArray[np.bool_]:
        start = self.history.start[idx]
        keep = start < as_of
        if indicator.aggregate is Aggregate.OPEN:
            return keep & (self.history.end[idx] >= as_of)
        if window is not None:
            keep &= start >= as_of - window
        return keep

    def _column(self, j: int, indicator: Indicator, as_of: int) -> NDArray[np.float64]:
        h = self.history
        n = h.people
        if indicator.aggregate is Aggregate.AGE:
            months = h.age_months(as_of)
            return np.where(months < 0, np.nan, months / 12.0)
        idx = self._events[j]
        if indicator.aggregate is Aggregate.CHANGE:
            assert indicator.window is not None
            recent = self._mean(idx, as_of, indicator.window)
            before = self._mean(idx, as_of - indicator.window, indicator.window)
            both = ~np.isnan(recent) & ~np.isnan(before)
            return np.where(both, np.nan_to_num(recent) - np.nan_to_num(before), 0.0)
        if indicator.aggregate is Aggregate.MEAN:
            assert indicator.window is not None
            return np.nan_to_num(self._mean(idx, as_of, indicator.window))
        sel = idx[self._in_window(idx, indicator, as_of, indicator.window)]
        who = h.person[sel]
        if indicator.aggregate is Aggregate.OPEN:
            return (np.bincount(who, minlength=n) > 0).astype(np.float64)
        if indicator.aggregate is Aggregate.SUM:
            values = np.nan_to_num(h.value[sel], nan=1.0)
            return np.bincount(who, weights=values, minlength=n).astype(np.float64)
        return np.bincount(who, minlength=n).astype(np.float64)

    def _mean(self, idx: NDArray[np.int64], as_of: int, window: int) -> NDArray[np.float64]:
        h = self.history
        start = h.start[idx]
        sel = idx[(start < as_of) & (start >= as_of - window) & ~np.isnan(h.value[idx])]
        counts = np.bincount(h.person[sel], minlength=h.people)
        sums = np.bincount(h.person[sel], weights=h.value[sel], minlength=h.people)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
