"""Decision tracking: what a practitioner decided to do after reading a chronology, and what
came of it. Each has a code (the audit log records it) and a plain label (the pages show it)."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from seen.domain.records import Problem


class CaseDecision(StrEnum):
    NO_FURTHER_ACTION = "no_further_action"
    EARLY_HELP = "early_help"
    REFERRAL_TO_SOCIAL_CARE = "referral_to_social_care"
    STRATEGY_DISCUSSION = "strategy_discussion"
    SECTION_47_ENQUIRY = "section_47_enquiry"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _DECISION_LABELS[self]


_DECISION_LABELS: Final = {
    CaseDecision.NO_FURTHER_ACTION: "No further action",
    CaseDecision.EARLY_HELP: "Offer early help",
    CaseDecision.REFERRAL_TO_SOCIAL_CARE: "Referral to children's social care",
    CaseDecision.STRATEGY_DISCUSSION: "Strategy discussion",
    CaseDecision.SECTION_47_ENQUIRY: "Section 47 enquiry",
    CaseDecision.OTHER: "Something else (say what in the reason)",
}


class CaseOutcome(StrEnum):
    CLOSED = "closed"
    EARLY_HELP_PLAN = "early_help_plan"
    CHILD_IN_NEED_PLAN = "child_in_need_plan"
    CHILD_PROTECTION_PLAN = "child_protection_plan"
    LOOKED_AFTER = "looked_after"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _OUTCOME_LABELS[self]


_OUTCOME_LABELS: Final = {
    CaseOutcome.CLOSED: "Closed with no further action",
    CaseOutcome.EARLY_HELP_PLAN: "Early help plan",
    CaseOutcome.CHILD_IN_NEED_PLAN: "Child in need plan",
    CaseOutcome.CHILD_PROTECTION_PLAN: "Child protection plan",
    CaseOutcome.LOOKED_AFTER: "The child became looked after",
    CaseOutcome.OTHER: "Something else (say what in the note)",
}

# The practitioner's own words: kept in the hub with the decision, never in the audit log.
MAX_REASON_LENGTH: Final = 2000


def written_problems(form: str, field: str, text: str, missing: str | None) -> list[Problem]:
    """What is wrong with a reason or note someone wrote on a form: `missing` if it is needed
    and blank, or too long; nothing otherwise."""
    if missing is not None and not text.strip():
        return [Problem(form, "form", field, missing)]
    if len(text.strip()) > MAX_REASON_LENGTH:
        return [Problem(form, "form", field, f"Write {MAX_REASON_LENGTH} characters or fewer")]
    return []
