"""The needs Seen looks for, and the agency-proxy labels its models learn from.

A model cannot learn from the truth about a child, because no one holds it. It learns from
what agencies *recorded later*: a young carer recorded in the school census (CS118 P or S) or
at a children-in-need assessment (factor 7A); an exploitation factor at assessment (10A
missing, 11A child sexual exploitation, 12A trafficking, 13A gangs, 24A child criminal
exploitation). These proxies are biased in the ways agencies are biased (a quarter of schools
ever record CS118; deprived families are assessed more often), which is why the models are
evaluated against the synthetic partnership's hidden truth, and why the label codes are never
indicators (`seen.identify.indicators` asserts it).

A label as of day `d` with horizon `h`: among children not yet recorded with the need before
`d`, those whose first such record falls in `[d, d + h)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from seen.domain.agencies import AgencyKind
from seen.domain.codes import EXPLOITATION_FACTORS, YOUNG_CARER_FACTOR
from seen.domain.events import EventKind
from seen.identify.history import NO_END, History

HORIZON = 365


class Need(StrEnum):
    YOUNG_CARER = "young_carer"
    EXPLOITATION = "exploitation"

    @property
    def spec(self) -> NeedSpec:
        return NEEDS[self]


@dataclass(frozen=True)
class NeedSpec:
    title: str  # what a prompt says it is about
    action: str  # what a prompt suggests
    acting_agency: AgencyKind  # whose review queue a prompt goes to
    label_events: tuple[tuple[str, frozenset[str]], ...]  # (event kind, codes)
    label_reads: str
    min_age: int
    max_age: int
    indicators: tuple[str, ...]


_FACTOR = EventKind.CIN_ASSESSMENT_FACTOR.value
# Being open to children's social care or looked after is left out on purpose: it measures
# exposure to the channel that records the label (an assessment), not the need, and a model
# given it learns to prompt for children already known to social care.
_SHARED = (
    "absence_12m",
    "persistent_absence_terms_12m",
    "absence_rise",
    "suspensions_12m",
    "police_welfare_12m",
    "ed_attendances_12m",
    "age_years",
)

NEEDS: dict[Need, NeedSpec] = {
    Need.YOUNG_CARER: NeedSpec(
        "Possible hidden young carer",
        "Offer a young carers' conversation or assessment",
        AgencyKind.YOUNG_CARERS_SERVICE,
        (
            (EventKind.SCHOOL_YOUNG_CARER.value, frozenset({"P", "S"})),
            (_FACTOR, frozenset({YOUNG_CARER_FACTOR})),
        ),
        "school census CS118 P or S; CIN assessment factor 7A",
        5,
        17,
        (
            *_SHARED,
            "parental_need_factor",
            "parental_illness_need",
            "domestic_incidents_24m",
        ),
    ),
    Need.EXPLOITATION: NeedSpec(
        "Possible exploitation risk",
        "Discuss at the multi-agency exploitation panel",
        AgencyKind.CHILDRENS_SERVICES,
        ((_FACTOR, EXPLOITATION_FACTORS),),
        "CIN assessment factors 10A, 11A, 12A, 13A, 24A",
        10,
        17,
        (
            *_SHARED,
            "section_47_12m",
            "child_self_harm_or_substance_factor",
            "missing_from_care_12m",
            "permanent_exclusion",
            "police_suspect_drugs_weapons_12m",
            "police_sexual_offence_victim_12m",
            "police_violence_12m",
            "police_other_incidents_12m",
            "missing_reports_12m",
            "missing_high_risk_12m",
            "ed_assault_12m",
            "ed_intoxication_overdose_12m",
            "ed_self_harm_12m",
        ),
    ),
}


def label_event_mask(history: History, need: Need) -> NDArray[np.bool_]:
    """The events that record the need through the established channels."""
    mask = np.zeros(history.events, dtype=bool)
    for kind, codes in need.spec.label_events:
        mask |= (history.kind == kind) & np.isin(history.code, list(codes))
    return mask


def first_recorded(history: History, need: Need) -> NDArray[np.int64]:
    """Each person's first day an agency recorded the need (NO_END: never)."""
    mask = label_event_mask(history, need)
    first = np.full(history.people, NO_END, dtype=np.int64)
    np.minimum.at(first, history.person[mask], history.start[mask])
    return first


def eligible(
    history: History, need: Need, as_of: int, first: NDArray[np.int64]
) -> NDArray[np.bool_]:
    """Children a prompt could be about on `as_of`: in the need's age range and not yet
    recorded with it (a need already known is not hidden)."""
    age = history.age_months(as_of)
    spec = need.spec
    in_range = (age >= spec.min_age * 12) & (age < (spec.max_age + 1) * 12)
    return in_range & (first >= as_of)


def proxy_labels(first: NDArray[np.int64], as_of: int, horizon: int = HORIZON) -> NDArray[np.bool_]:
    """1 where the need was first recorded by an agency in `[as_of, as_of + horizon)`."""
    return (first >= as_of) & (first < as_of + horizon)
