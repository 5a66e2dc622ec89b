"""Prompt review as JSON (docs/identify.md, "Review and tracking"): the queue, a prompt with
its evidence, a decision with its reason, an outcome; and, for governance, automation-bias
monitoring. The same seen.identify functions as the pages, so the same rules: a practitioner
whose agency reviews no prompts is refused (403); another agency's prompt or decision is 404,
exactly as one that does not exist; a second decision or outcome is 409.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from seen.errors import NotFound
from seen.identify import review
from seen.identify.decisions import MAX_REASON_LENGTH
from seen.identify.monitoring import ReviewStats, monitor
from seen.identify.review import EvidenceItem, QueuedPrompt
from seen.identify.words import likelihood
from seen.store.prompt_reviews import StoredDecision
from seen.web.access import GOVERNANCE_API, PRACTITIONER_API, Viewer
from seen.web.api.problems import DENIED, INVALID, NOT_FOUND, Problem, Responses
from seen.web.context import WebContext
from seen.web.pages.break_glass import reviewing_agency
from seen.web.pages.prompts import reviewer_of
from seen.web.params import RowId

router = APIRouter(prefix="/api/v1", tags=["prompts"])

ALREADY: Responses = {
    409: {"model": Problem, "description": "Already recorded: decisions and outcomes are final"}
}


def responses(*codes: int) -> Responses:
    described = {**DENIED, **NOT_FOUND, **INVALID, **ALREADY}
    return {code: described[code] for code in (401, 403, *codes)}


@contextmanager
def not_found() -> Iterator[None]:
    try:
        yield
    except NotFound:
        raise HTTPException(404, detail="Not found.") from None


# Models -------------------------------------------------------------------------------------


class Evidence(BaseModel):
    indicator: str
    label: str = Field(description="The indicator in plain words")
    source: str = Field(description="Whose records it reads, as a kind of agency")
    value: float
    value_words: str
    points: float = Field(description="Log-odds it added to the prompt (negative: took away)")


class Decision(BaseModel):
    id: int
    prompt_id: int
    evidence_on: dt.date = Field(description="The prompt's evidence it answered")
    decision: str
    reason: str
    practitioner: str
    agency: str
    decided_at: dt.datetime
    outcome: str | None
    outcome_note: str | None
    outcome_on: dt.date | None
    outcome_by: str | None
    outcome_recorded_at: dt.datetime | None


class PromptSummary(BaseModel):
    id: int
    person_id: str
    need: str
    title: str
    suggested_action: str
    probability: float
    likelihood: str = Field(description="The probability in words, as a natural frequency")
    raised_on: dt.date
    renewed_on: dt.date | None
    expires_on: dt.date
    new_evidence: bool = Field(description="Decided before; renewed by new evidence since")
    evidence: list[Evidence]


class AwaitingOutcome(BaseModel):
    person_id: str
    need: str
    decision: Decision


class Queue(BaseModel):
    agency: str
    kind: str
    on: dt.date
    waiting: list[PromptSummary] = Field(description="Waiting for a decision, oldest first")
    awaiting_outcome: list[AwaitingOutcome]


class InvolvedAgency(BaseModel):
    agency: str
    kind: str


class Prompt(PromptSummary):
    decided: bool = Field(description="Decided for its current evidence")
    own_references: list[str] = Field(
        description="Your agency's references for the child; empty when it holds no record"
    )
    involved: list[InvolvedAgency]
    decisions: list[Decision] = Field(description="Every decision on it, oldest first")


class DecisionIn(BaseModel):
    decision: str = Field(max_length=64)
    reason: str = Field(max_length=MAX_REASON_LENGTH + 100)


class OutcomeIn(BaseModel):
    outcome: str = Field(max_length=64)
    on: dt.date
    note: str = Field(default="", max_length=MAX_REASON_LENGTH + 100)


class Monitoring(BaseModel):
    need: str
    agency: str
    decisions: int
    agreed: int
    overridden: int
    agreement: float
    agreement_interval: tuple[float, float] = Field(description="Wilson 95% interval")
    median_days_to_decision: float
    quick: int = Field(description="Decided within 60 seconds of first opening, or unopened")
    by_decision: dict[str, int]
    outcomes: dict[str, dict[str, int]] = Field(description='decision -> outcome ("none") -> n')
    warnings: list[str]


def _evidence(item: EvidenceItem) -> Evidence:
    return Evidence(
        indicator=item.indicator,
        label=item.label,
        source=item.source,
        value=item.value,
        value_words=item.value_words,
        points=item.points,
    )


def decision_out(d: StoredDecision) -> Decision:
    return Decision(
        id=d.id,
        prompt_id=d.prompt_id,
        evidence_on=d.evidence_on,
        decision=d.decision,
        reason=d.reason,
        practitioner=d.practitioner,
        agency=d.agency,
        decided_at=d.decided_at,
        outcome=d.outcome,
        outcome_note=d.outcome_note,
        outcome_on=d.outcome_on,
        outcome_by=d.outcome_by,
        outcome_recorded_at=d.outcome_recorded_at,
    )


def _summary(queued: QueuedPrompt) -> dict[str, object]:
    p, need = queued.prompt, queued.need
    return {
        "id": p.id,
        "person_id": p.person_id,
        "need": need.value,
        "title": need.spec.title,
        "suggested_action": need.spec.action,
        "probability": p.probability,
        "likelihood": likelihood(p.probability),
        "raised_on": p.raised_on,
        "renewed_on": p.renewed_on,
        "expires_on": p.expires_on,
        "new_evidence": queued.new_evidence,
        "evidence": [_evidence(item) for item in queued.evidence],
    }


def _monitoring(stats: ReviewStats) -> Monitoring:
    assert stats.agreement is not None and stats.median_days_to_decision is not None
    interval = stats.agreement_interval
    assert interval is not None
    return Monitoring(
        need=stats.need.value,
        agency=stats.agency,
        decisions=stats.decisions,
        agreed=stats.agreed,
        overridden=stats.overridden,
        agreement=stats.agreement,
        agreement_interval=interval,
        median_days_to_decision=stats.median_days_to_decision,
        quick=stats.quick,
        by_decision={d.value: n for d, n in stats.by_decision.items()},
        outcomes={d.value: counts for d, counts in stats.outcomes.items()},
        warnings=list(stats.warnings),
    )


# Routes -------------------------------------------------------------------------------------


@router.get("/prompts", responses=responses())
def queue(request: Request, viewer: Viewer = PRACTITIONER_API) -> Queue:
    """Your agency's prompts waiting for a decision, and decisions waiting for an outcome.
    Every prompt listed is recorded in the audit log first."""
    context: WebContext = request.app.state.seen
    reviewer = reviewer_of(context, viewer)
    found = review.review_queue(context.store, reviewer, context.now())
    return Queue(
        agency=reviewer.agency,
        kind=reviewer.kind.value,
        on=found.on,
        waiting=[PromptSummary.model_validate(_summary(q)) for q in found.waiting],
        awaiting_outcome=[
            AwaitingOutcome(
                person_id=a.prompt.person_id, need=a.need.value, decision=decision_out(a.decision)
            )
            for a in found.awaiting_outcome
        ],
    )


@router.get("/prompts/{prompt_id}", responses=responses(404))
def prompt(request: Request, prompt_id: RowId, viewer: Viewer = PRACTITIONER_API) -> Prompt:
    """One open prompt with its evidence (indicators only, never the records), the agencies
    involved, your agency's references and the decisions on it. Recorded first."""
    context: WebContext = request.app.state.seen
    reviewer = reviewer_of(context, viewer)
    with not_found():
        view = review.open_prompt(context.store, reviewer, prompt_id, context.now())
    return Prompt.model_validate(
        _summary(view.queued)
        | {
            "decided": view.queued.current is not None,
            "own_references": list(view.own_references),
            "involved": [InvolvedAgency(agency=a.name, kind=a.kind.value) for a in view.involved],
            "decisions": [decision_out(d) for d in view.queued.decisions],
        }
    )


@router.post("/prompts/{prompt_id}/decisions", status_code=201, responses=responses(404, 409, 422))
def decide(
    request: Request, prompt_id: RowId, body: DecisionIn, viewer: Viewer = PRACTITIONER_API
) -> Decision:
    """Record your decision on the prompt (offer_support, refer, no_action, not_relevant)
    and why. Final for the prompt's evidence."""
    context: WebContext = request.app.state.seen
    reviewer = reviewer_of(context, viewer)
    with not_found():
        decided = review.decide(
            context.store,
            reviewer,
            prompt_id,
            decision=body.decision,
            reason=body.reason,
            now=context.now(),
        )
    return decision_out(decided)


@router.post("/prompts/decisions/{decision_id}/outcome", responses=responses(404, 409, 422))
def record_outcome(
    request: Request, decision_id: RowId, body: OutcomeIn, viewer: Viewer = PRACTITIONER_API
) -> Decision:
    """Record, once, what came of a decision."""
    context: WebContext = request.app.state.seen
    reviewer = reviewer_of(context, viewer)
    with not_found():
        decided = review.record_outcome(
            context.store,
            reviewer,
            decision_id,
            outcome=body.outcome,
            note=body.note,
            on=body.on,
            now=context.now(),
        )
    return decision_out(decided)


@router.get("/prompt-monitoring", responses=responses())
def monitoring(request: Request, viewer: Viewer = GOVERNANCE_API) -> list[Monitoring]:
    """Automation-bias monitoring per need and reviewing agency: a DPO's own agency, or
    every agency for the administrator. Counts and codes only."""
    context: WebContext = request.app.state.seen
    return [_monitoring(s) for s in monitor(context.store, reviewing_agency(viewer))]
