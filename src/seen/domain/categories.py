"""Which category of record each kind of event is, and which are restricted (docs/policy.md).

Agreements, the young person's wishes and the policy speak of categories, not event kinds, so
every event the hub holds is decided as a record of one category. Restricted records (mental
health crises, self-harm, overdoses) flow only under an agreement that names their category,
and break-glass never opens them.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from seen.domain.events import EventKind
from seen.domain.sharing import Sensitivity

CATEGORY_OF: Final[Mapping[EventKind, str]] = MappingProxyType(
    {
        EventKind.CIN_REFERRAL: "social_care",
        EventKind.CIN_PRIMARY_NEED: "social_care",
        EventKind.CIN_ASSESSMENT_FACTOR: "social_care",
        EventKind.SECTION_47_ENQUIRY: "child_protection",
        EventKind.CHILD_PROTECTION_PLAN: "child_protection",
        EventKind.LOOKED_AFTER_EPISODE: "looked_after",
        EventKind.MISSING_EPISODE: "missing",
        EventKind.POLICE_MISSING_REPORT: "missing",
        EventKind.SCHOOL_YOUNG_CARER: "young_carer",
        EventKind.SCHOOL_ATTENDANCE: "attendance",
        EventKind.SUSPENSION: "exclusion",
        EventKind.PERMANENT_EXCLUSION: "exclusion",
        EventKind.POLICE_INCIDENT: "police_contact",
        EventKind.EMERGENCY_ATTENDANCE: "health",
    }
)

# Emergency attendances for these reasons are mental health records: restricted.
RESTRICTED_HEALTH_CODES: Final = frozenset({"SELF_HARM", "OVERDOSE", "MENTAL_HEALTH"})
MENTAL_HEALTH: Final = "mental_health"

# What each category is called on the pages, in words a twelve-year-old can follow.
CATEGORY_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "social_care": "Children's social care",
        "child_protection": "Child protection",
        "looked_after": "Being in care",
        "missing": "Being missing from home or care",
        "young_carer": "Looking after someone at home",
        "attendance": "School attendance",
        "exclusion": "Suspensions and exclusions",
        "police_contact": "Contact with the police",
        "health": "Hospital visits",
        MENTAL_HEALTH: "Mental health",
    }
)


def classify(kind: EventKind, code: str | None) -> tuple[str, Sensitivity]:
    """The category and sensitivity of an event of this kind and code."""
    if kind is EventKind.EMERGENCY_ATTENDANCE and code in RESTRICTED_HEALTH_CODES:
        return MENTAL_HEALTH, Sensitivity.RESTRICTED
    return CATEGORY_OF[kind], Sensitivity.NORMAL
