"""The practitioner's journeys as JSON (docs/web.md, "A practitioner's journeys"): find a
child by your agency's reference, who else is involved, ask for a chronology, read it, and
record decisions and outcomes. The same seen.sharing functions as the pages, so the same
rules: another's child, request or decision is 404, exactly as one that does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, Field

from seen.domain.decisions import MAX_REASON_LENGTH
from seen.errors import NotFound
from seen.sharing import chronology, decisions, involvement
from seen.sharing.chronology import ChronologyEntry, SharingRequest
from seen.sharing.decisions import TrackedDecision
from seen.web.access import PRACTITIONER_API, Viewer
from seen.web.api.problems import DENIED, INVALID, NOT_FOUND, Responses
from seen.web.context import WebContext
from seen.web.params import RowId

router = APIRouter(prefix="/api/v1", tags=["practitioners"])

MAX_JUSTIFICATION = 4000


def responses(*codes: int) -> Responses:
    described = {**DENIED, **NOT_FOUND, **INVALID}
    return {code: described[code] for code in (401, 403, *codes)}


@contextmanager
def not_found() -> Iterator[None]:
    """Whatever is not the caller's is 404, the same as what does not exist."""
    try:
        yield
    except NotFound:
        raise HTTPException(404, detail="Not found.") from None


def practitioner_of(viewer: Viewer) -> tuple[str, str]:
    account = viewer.signed_in
    if account.practitioner is None or account.agency is None:
        raise HTTPException(404, detail="Not found.")
    return account.practitioner, account.agency


# Models -------------------------------------------------------------------------------------


class ChildFound(BaseModel):
    person_id: str


class Contact(BaseModel):
    ref: str = Field(description="The practitioner's pseudonymous reference")
    roles: list[str]


class InvolvedAgency(BaseModel):
    agency: str
    kind: str
    contacts: list[Contact] = Field(
        description="Practitioners there who work with the child now; none: ask for the "
        "agency's safeguarding lead"
    )


class RequestSummary(BaseModel):
    id: str
    person_id: str
    purpose: str
    lawful_basis: str
    asked_at: dt.datetime
    break_glass: bool


class Decision(BaseModel):
    id: int
    request_id: str
    person_id: str
    decision: str
    reason: str
    decided_at: dt.datetime
    outcome: str | None
    outcome_note: str | None
    outcome_on: dt.date | None
    outcome_recorded_at: dt.datetime | None


class Child(BaseModel):
    person_id: str
    agency: str
    references: list[str] = Field(description="Your agency's own references for the child")
    involved: list[InvolvedAgency] = Field(description="The other agencies holding records")
    requests: list[RequestSummary]
    decisions: list[Decision]


class Ask(BaseModel):
    purpose: str = Field(max_length=64)
    lawful_basis: str = Field(max_length=64)
    justification: str | None = Field(
        default=None,
        max_length=MAX_JUSTIFICATION,
        description="Break-glass: why this is a safeguarding emergency. Omit otherwise.",
    )


class SharedEvent(BaseModel):
    agency: str
    description: str
    start: dt.date
    end: dt.date | None
    category: str
    young_person_says: list[str]  # their own words about this record, if any


class WithheldEvent(BaseModel):
    """A record not shown: who holds it, its status and why; never what it is or when."""

    agency: str
    status: str
    reasons: list[str]


class ChronologyView(BaseModel):
    request: RequestSummary
    checked_at: dt.datetime
    shown: list[SharedEvent] = Field(description="In date order")
    withheld: list[WithheldEvent]


class DecisionIn(BaseModel):
    decision: str = Field(max_length=64)
    reason: str = Field(max_length=MAX_REASON_LENGTH + 100)


class OutcomeIn(BaseModel):
    outcome: str = Field(max_length=64)
    on: dt.date
    note: str = Field(default="", max_length=MAX_REASON_LENGTH + 100)


def request_summary(asked: SharingRequest) -> RequestSummary:
    return RequestSummary(
        id=asked.id,
        person_id=asked.person_id,
        purpose=asked.purpose,
        lawful_basis=asked.lawful_basis,
        asked_at=asked.asked_at,
        break_glass=asked.break_glass,
    )


def decision_out(decided: TrackedDecision) -> Decision:
    return Decision(
        id=decided.id,
        request_id=decided.request_id,
        person_id=decided.person_id,
        decision=decided.decision.value,
        reason=decided.reason,
        decided_at=decided.decided_at,
        outcome=None if decided.outcome is None else decided.outcome.value,
        outcome_note=decided.outcome_note,
        outcome_on=decided.outcome_on,
        outcome_recorded_at=decided.outcome_recorded_at,
    )


# Routes -------------------------------------------------------------------------------------


@router.get("/children", responses=responses(404, 422))
def find_child(
    request: Request,
    reference: str = Query(min_length=1, max_length=200),
    viewer: Viewer = PRACTITIONER_API,
) -> ChildFound:
    """The child your agency knows by `reference` (your agency's own reference)."""
    context: WebContext = request.app.state.seen
    _, agency = practitioner_of(viewer)
    person = involvement.find_child(context.store, agency, reference)
    if person is None:
        raise HTTPException(404, detail=f"No child with that reference at {agency}.")
    return ChildFound(person_id=person)


@router.get("/children/{person_id}", responses=responses(404))
def child(request: Request, person_id: str, viewer: Viewer = PRACTITIONER_API) -> Child:
    """Your references for the child, who else is involved (no content), your requests and
    decisions. Recorded in the audit log."""
    context: WebContext = request.app.state.seen
    practitioner, agency = practitioner_of(viewer)
    with not_found():
        page = involvement.open_child(
            context.store,
            practitioner=practitioner,
            agency=agency,
            person_id=person_id,
            now=context.now(),
        )
    return Child(
        person_id=page.person_id,
        agency=page.agency,
        references=list(page.references),
        involved=[
            InvolvedAgency(
                agency=other.name,
                kind=other.kind.value,
                contacts=[
                    Contact(ref=c.ref, roles=[r.value for r in c.roles]) for c in other.contacts
                ],
            )
            for other in page.others
        ],
        requests=[request_summary(asked) for asked in page.requests],
        decisions=[decision_out(decided) for decided in page.decisions],
    )


@router.post("/children/{person_id}/requests", status_code=201, responses=responses(404, 422))
def ask(
    request: Request, person_id: str, body: Ask, viewer: Viewer = PRACTITIONER_API
) -> RequestSummary:
    """Ask for the child's joined-up chronology; with a justification, break-glass."""
    context: WebContext = request.app.state.seen
    practitioner, agency = practitioner_of(viewer)
    with not_found():
        asked = chronology.ask(
            context.store,
            practitioner=practitioner,
            agency=agency,
            person_id=person_id,
            purpose=body.purpose,
            lawful_basis=body.lawful_basis,
            justification=body.justification,
            now=context.now(),
        )
    return request_summary(asked)


@router.get("/requests/{request_id}", responses=responses(404))
def chronology_view(
    request: Request, request_id: str, viewer: Viewer = PRACTITIONER_API
) -> ChronologyView:
    """The chronology, decided now and recorded before it is returned: shown records with
    their content, withheld ones with their status and reasons only."""
    context: WebContext = request.app.state.seen
    practitioner, _ = practitioner_of(viewer)
    now = context.now()
    with not_found():
        asked = chronology.load_request(context.store, request_id, practitioner)
    seen = chronology.view(context.store, asked, now)
    return ChronologyView(
        request=request_summary(asked),
        checked_at=now,
        shown=[_shared(entry) for entry in seen.entries if entry.shown],
        withheld=[
            WithheldEvent(
                agency=entry.event.agency, status=entry.status.value, reasons=list(entry.reasons)
            )
            for entry in seen.entries
            if not entry.shown
        ],
    )


def _shared(entry: ChronologyEntry) -> SharedEvent:
    event = entry.event
    return SharedEvent(
        agency=event.agency,
        description=event.description,
        start=event.start,
        end=event.end,
        category=event.category,
        young_person_says=list(entry.young_person_says),
    )


@router.post("/requests/{request_id}/decisions", status_code=201, responses=responses(404, 422))
def record_decision(
    request: Request, request_id: str, body: DecisionIn, viewer: Viewer = PRACTITIONER_API
) -> Decision:
    """Record the decision you took after reading the chronology, and why."""
    context: WebContext = request.app.state.seen
    practitioner, agency = practitioner_of(viewer)
    with not_found():
        asked = chronology.load_request(context.store, request_id, practitioner)
    decided = decisions.record_decision(
        context.store,
        asked,
        agency=agency,
        decision=body.decision,
        reason=body.reason,
        now=context.now(),
    )
    return decision_out(decided)


@router.post("/decisions/{decision_id}/outcome", responses=responses(404, 422))
def record_outcome(
    request: Request, decision_id: RowId, body: OutcomeIn, viewer: Viewer = PRACTITIONER_API
) -> Decision:
    """Record what came of your decision, once."""
    context: WebContext = request.app.state.seen
    practitioner, agency = practitioner_of(viewer)
    with not_found():
        decided = decisions.record_outcome(
            context.store,
            decision_id,
            practitioner=practitioner,
            agency=agency,
            outcome=body.outcome,
            note=body.note,
            on=body.on,
            now=context.now(),
        )
    return decision_out(decided)
