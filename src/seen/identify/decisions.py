"""What a reviewer can decide on a prompt, and what can come of it: codes (the audit log and
the API use them) with plain labels (the pages show them).

A prompt suggests an action (`Need.spec.action`); a reviewer who offers support or refers
the child on *agrees* with the prompt, one who takes no action or finds it not relevant
*overrides* it. Monitoring counts both (`seen.identify.monitoring`), because a queue where
reviewers agree with nearly everything may be one where nobody is weighing the evidence.

Outcomes are per need: a young carer is offered support or assessed; a child at risk of
exploitation is discussed at the panel. Either may decline, and a need may come to light
later another way after a reviewer overrode the prompt, which is the outcome that most
needs counting.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from seen.domain.decisions import MAX_REASON_LENGTH as CASE_REASON_LENGTH
from seen.identify.labels import Need

# The reviewer's own words: kept in the hub with the decision, never in the audit log (the
# same limit as a practitioner's case decision).
MAX_REASON_LENGTH: Final = CASE_REASON_LENGTH
# How long after a decision its outcome may be recorded (and it waits in the queue for one):
# the time a prompt stays open. After that it leaves every list, counted by monitoring as
# "no outcome recorded"; nothing waits for ever.
OUTCOME_DAYS: Final = 182


class PromptDecision(StrEnum):
    OFFER_SUPPORT = "offer_support"
    REFER = "refer"
    NO_ACTION = "no_action"
    NOT_RELEVANT = "not_relevant"

    @property
    def label(self) -> str:
        return _DECISIONS[self][0]

    @property
    def hint(self) -> str:
        return _DECISIONS[self][1]

    @property
    def agrees(self) -> bool:
        """Whether the reviewer went along with the prompt's suggestion to act."""
        return self in AGREEING


AGREEING: Final = frozenset({PromptDecision.OFFER_SUPPORT, PromptDecision.REFER})

_DECISIONS: Final = {
    PromptDecision.OFFER_SUPPORT: (
        "Offer support",
        "Your agency will offer the child or their family support, as the prompt suggests "
        "or in another way.",
    ),
    PromptDecision.REFER: (
        "Refer",
        "Refer the child on: to a panel, for an assessment, or to another service.",
    ),
    PromptDecision.NO_ACTION: (
        "No action",
        "The prompt may be right, but nothing needs doing now (for example, support is "
        "already in place).",
    ),
    PromptDecision.NOT_RELEVANT: (
        "Not relevant",
        "The prompt is wrong for this child: what you know does not point to this need.",
    ),
}


class PromptOutcome(StrEnum):
    SUPPORT_ACCEPTED = "support_accepted"
    SUPPORT_DECLINED = "support_declined"
    ASSESSED_NEED_FOUND = "assessed_need_found"
    ASSESSED_NO_NEED = "assessed_no_need"
    PANEL_PLAN = "panel_plan"
    PANEL_NO_FURTHER_ACTION = "panel_no_further_action"
    NO_CONTACT = "no_contact"
    CAME_TO_LIGHT_LATER = "came_to_light_later"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _OUTCOMES[self]


_OUTCOMES: Final = {
    PromptOutcome.SUPPORT_ACCEPTED: "Support was offered and accepted",
    PromptOutcome.SUPPORT_DECLINED: "Support was offered and declined",
    PromptOutcome.ASSESSED_NEED_FOUND: "An assessment found a need",
    PromptOutcome.ASSESSED_NO_NEED: "An assessment found no need",
    PromptOutcome.PANEL_PLAN: "Discussed at the exploitation panel: a plan was made",
    PromptOutcome.PANEL_NO_FURTHER_ACTION: "Discussed at the exploitation panel: no further action",
    PromptOutcome.NO_CONTACT: "Could not make contact with the child or family",
    PromptOutcome.CAME_TO_LIGHT_LATER: "The need came to light later, another way",
    PromptOutcome.OTHER: "Something else (say what in the note)",
}

# The outcomes a reviewer can record, per need, in the order the form lists them.
OUTCOMES: Final[dict[Need, tuple[PromptOutcome, ...]]] = {
    Need.YOUNG_CARER: (
        PromptOutcome.SUPPORT_ACCEPTED,
        PromptOutcome.SUPPORT_DECLINED,
        PromptOutcome.ASSESSED_NEED_FOUND,
        PromptOutcome.ASSESSED_NO_NEED,
        PromptOutcome.NO_CONTACT,
        PromptOutcome.CAME_TO_LIGHT_LATER,
        PromptOutcome.OTHER,
    ),
    Need.EXPLOITATION: (
        PromptOutcome.PANEL_PLAN,
        PromptOutcome.PANEL_NO_FURTHER_ACTION,
        PromptOutcome.ASSESSED_NEED_FOUND,
        PromptOutcome.ASSESSED_NO_NEED,
        PromptOutcome.SUPPORT_ACCEPTED,
        PromptOutcome.SUPPORT_DECLINED,
        PromptOutcome.CAME_TO_LIGHT_LATER,
        PromptOutcome.OTHER,
    ),
}
