"""The governance JSON API: the agreements register, the break-glass review queue and the audit
log, calling the same functions as the pages (docs/web.md, "Governance")."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from seen.audit.log import latest_checkpoint, tree_size
from seen.audit.prove import b64, hub_verifiers, show_entry_proof, verify_hub_log
from seen.errors import ConfigurationError
from seen.sharing.break_glass import (
    NOTES_LENGTH,
    BreakGlassRequest,
    break_glass_request,
    break_glass_requests,
    review_break_glass,
)
from seen.sharing.register import create_agreement, move_agreement, record_review
from seen.store.governance import (
    REVIEW_NOTES_LENGTH,
    STATUS_REASON_LENGTH,
    RegisteredAgreement,
    get_agreement,
    list_agreements,
)
from seen.web.access import ADMINISTRATOR_API, GOVERNANCE_API, Viewer
from seen.web.api.problems import DENIED, INVALID, NOT_FOUND, Problem
from seen.web.context import WebContext
from seen.web.pages.audit_log import audit_viewer_agency
from seen.web.pages.break_glass import reviewing_agency

router = APIRouter(prefix="/api/v1", tags=["governance"])


def _context(request: Request) -> WebContext:
    context: WebContext = request.app.state.seen
    return context


# Agreements ---------------------------------------------------------------------------------


class PartyOut(BaseModel):
    agency: str
    role: str


class FlowOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    source: str = Field(alias="from")
    to: str
    categories: list[str]


class StatusChangeOut(BaseModel):
    status: str
    reason: str
    by: str
    at: dt.datetime


class ReviewOut(BaseModel):
    by: str
    at: dt.datetime
    next_review: dt.date
    notes: str


class AgreementSummary(BaseModel):
    ref: str
    title: str
    status: str
    in_force: bool
    next_review: dt.date
    review_due: bool


class AgreementOut(AgreementSummary):
    purpose_description: str
    parties: list[PartyOut]
    flows: list[FlowOut]
    purposes: list[str]
    lawful_bases: list[str]
    special_category: bool
    criminal_offence_data: bool
    release: str
    retention: str
    starts: dt.date
    review: dt.date
    ends: dt.date | None
    signed_off_by: str
    signed_off_on: dt.date
    history: list[StatusChangeOut]
    reviews: list[ReviewOut]


def _summary(entry: RegisteredAgreement, now: dt.datetime) -> dict[str, Any]:
    terms = entry.agreement
    return {
        "ref": terms.ref,
        "title": terms.title,
        "status": str(terms.status),
        "in_force": entry.in_force(now),
        "next_review": entry.next_review,
        "review_due": entry.review_due(now),
    }


def _agreement_out(entry: RegisteredAgreement, now: dt.datetime) -> AgreementOut:
    terms = entry.agreement
    return AgreementOut(
        **_summary(entry, now),
        purpose_description=terms.purpose_description,
        parties=[PartyOut(agency=p.agency, role=str(p.role)) for p in terms.parties],
        flows=[
            FlowOut.model_validate(
                {"from": f.source, "to": f.recipient, "categories": sorted(f.categories)}
            )
            for f in terms.flows
        ],
        purposes=sorted(map(str, terms.purposes)),
        lawful_bases=sorted(map(str, terms.lawful_bases)),
        special_category=terms.special_category,
        criminal_offence_data=terms.criminal_offence_data,
        release=str(terms.release),
        retention=terms.retention,
        starts=terms.starts,
        review=terms.review,
        ends=terms.ends,
        signed_off_by=terms.signed_off_by,
        signed_off_on=terms.signed_off_on,
        history=[
            StatusChangeOut(status=str(c.status), reason=c.reason, by=c.changed_by, at=c.changed_at)
            for c in entry.history
        ],
        reviews=[
            ReviewOut(by=r.reviewed_by, at=r.reviewed_at, next_review=r.next_review, notes=r.notes)
            for r in entry.reviews
        ],
    )


@router.get("/agreements", responses={**DENIED})
def agreements(request: Request, viewer: Viewer = GOVERNANCE_API) -> list[AgreementSummary]:
    """The agreements register, by reference."""
    context = _context(request)
    now = context.now()
    return [AgreementSummary(**_summary(e, now)) for e in list_agreements(context.store)]


@router.get("/agreements/{ref}", responses={**DENIED, **NOT_FOUND})
def agreement(ref: str, request: Request, viewer: Viewer = GOVERNANCE_API) -> AgreementOut:
    """Every term of one agreement, its status history and its reviews."""
    context = _context(request)
    return _agreement_out(get_agreement(context.store, ref), context.now())


class PartyIn(BaseModel):
    agency: str
    role: str


class FlowIn(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    source: str = Field(alias="from")
    to: str
    categories: list[str]


class AgreementIn(BaseModel):
    """One agreement, in the fields `seen agreements import` reads (docs/policy.md); the
    same checks apply, and every problem is reported at once."""

    model_config = ConfigDict(extra="forbid")

    ref: str
    title: str
    purpose_description: str
    parties: list[PartyIn]
    flows: list[FlowIn]
    purposes: list[str]
    lawful_bases: list[str]
    special_category: bool
    criminal_offence_data: bool
    release: str
    retention: str
    starts: str = Field(description="YYYY-MM-DD")
    review: str = Field(description="YYYY-MM-DD")
    ends: str | None = Field(default=None, description="YYYY-MM-DD, or none")
    signed_off_by: str
    signed_off_on: str = Field(description="YYYY-MM-DD")
    status: Literal["draft", "active"] = "draft"


@router.post("/agreements", status_code=201, responses={**DENIED, **INVALID})
def add_agreement(
    body: AgreementIn, request: Request, viewer: Viewer = ADMINISTRATOR_API
) -> AgreementOut:
    """Add an agreement to the register (the administrator only)."""
    context = _context(request)
    document = body.model_dump(by_alias=True, exclude_none=True)
    created = create_agreement(
        context.store,
        document,
        by=viewer.signed_in.username,
        now=context.now(),
        source="the API",
    )
    return _agreement_out(created, context.now())


class StatusIn(BaseModel):
    action: Literal["suspend", "reinstate", "expire"]
    reason: str = Field(min_length=1, max_length=STATUS_REASON_LENGTH)


@router.post("/agreements/{ref}/status", responses={**DENIED, **NOT_FOUND, **INVALID})
def change_agreement_status(
    ref: str, body: StatusIn, request: Request, viewer: Viewer = ADMINISTRATOR_API
) -> AgreementOut:
    """Suspend, reinstate or expire an agreement, with the reason kept in its history. The
    policy reads the register at every decision, so this takes effect at once."""
    context = _context(request)
    changed = move_agreement(
        context.store,
        ref,
        body.action,
        body.reason,
        by=viewer.signed_in.username,
        now=context.now(),
    )
    return _agreement_out(changed, context.now())


class ReviewIn(BaseModel):
    next_review: dt.date
    notes: str = Field(default="", max_length=REVIEW_NOTES_LENGTH)


@router.post(
    "/agreements/{ref}/reviews", status_code=201, responses={**DENIED, **NOT_FOUND, **INVALID}
)
def review_agreement(
    ref: str, body: ReviewIn, request: Request, viewer: Viewer = ADMINISTRATOR_API
) -> AgreementOut:
    """Record that an agreement was reviewed, and its next review date."""
    context = _context(request)
    reviewed = record_review(
        context.store,
        ref,
        body.next_review.isoformat(),
        body.notes,
        by=viewer.signed_in.username,
        now=context.now(),
    )
    return _agreement_out(reviewed, context.now())


# Break-glass ----------------------------------------------------------------------------------


class BreakGlassReviewOut(BaseModel):
    reviewer: str
    outcome: Literal["appropriate", "not_appropriate"]
    notes: str
    reviewed_at: dt.datetime


class BreakGlassOut(BaseModel):
    id: str
    practitioner: str
    agency: str
    person_id: str
    purpose: str
    lawful_basis: str
    justification: str
    asked_at: dt.datetime
    records_shown: int
    review: BreakGlassReviewOut | None


def _break_glass_out(found: BreakGlassRequest) -> BreakGlassOut:
    review = found.review
    return BreakGlassOut(
        id=found.id,
        practitioner=found.practitioner,
        agency=found.agency,
        person_id=found.person_id,
        purpose=found.purpose,
        lawful_basis=found.lawful_basis,
        justification=found.justification,
        asked_at=found.asked_at,
        records_shown=found.records_shown,
        review=None
        if review is None
        else BreakGlassReviewOut(
            reviewer=review.reviewer,
            outcome=review.outcome.value,
            notes=review.notes,
            reviewed_at=review.reviewed_at,
        ),
    )


@router.get("/break-glass", responses={**DENIED})
def break_glass(request: Request, viewer: Viewer = GOVERNANCE_API) -> list[BreakGlassOut]:
    """Break-glass requests, newest first: a DPO's agency's, or all for the administrator."""
    context = _context(request)
    found = break_glass_requests(
        context.store,
        agency=reviewing_agency(viewer),
        viewer=viewer.signed_in.username,
        now=context.now(),
    )
    return [_break_glass_out(item) for item in found]


@router.get("/break-glass/{request_id}", responses={**DENIED, **NOT_FOUND})
def break_glass_one(
    request_id: str, request: Request, viewer: Viewer = GOVERNANCE_API
) -> BreakGlassOut:
    """One break-glass request you may review; any other is not found, like none at all."""
    context = _context(request)
    found = break_glass_request(
        context.store,
        request_id,
        agency=reviewing_agency(viewer),
        viewer=viewer.signed_in.username,
        now=context.now(),
    )
    return _break_glass_out(found)


class BreakGlassReviewIn(BaseModel):
    outcome: Literal["appropriate", "not_appropriate"]
    notes: str = Field(min_length=1, max_length=NOTES_LENGTH)


@router.post(
    "/break-glass/{request_id}/review",
    status_code=201,
    responses={**DENIED, **NOT_FOUND, **INVALID},
)
def review_break_glass_request(
    request_id: str, body: BreakGlassReviewIn, request: Request, viewer: Viewer = GOVERNANCE_API
) -> BreakGlassOut:
    """Review a break-glass request: appropriate or not, with notes. One review a request;
    the audit log records it (ids and the outcome only)."""
    context = _context(request)
    reviewed = review_break_glass(
        context.store,
        request_id,
        agency=reviewing_agency(viewer),
        reviewer=viewer.signed_in.username,
        outcome=body.outcome,
        notes=body.notes,
        now=context.now(),
    )
    return _break_glass_out(reviewed)


# Audit log ------------------------------------------------------------------------------------


class CheckpointOut(BaseModel):
    number: int
    tree_size: int
    root_hash: str = Field(description="base64")
    note: str
    created_at: dt.datetime


class AuditStatus(BaseModel):
    tree_size: int
    checkpoint: CheckpointOut | None


@router.get("/audit/checkpoint", responses={**DENIED})
def audit_checkpoint(request: Request, viewer: Viewer = GOVERNANCE_API) -> AuditStatus:
    """The log's size now and its latest signed checkpoint (a C2SP signed note)."""
    context = _context(request)
    latest = latest_checkpoint(context.store)
    return AuditStatus(
        tree_size=tree_size(context.store),
        checkpoint=None
        if latest is None
        else CheckpointOut(
            number=latest.number,
            tree_size=latest.tree_size,
            root_hash=b64(latest.root_hash),
            note=latest.note,
            created_at=latest.created_at,
        ),
    )


class VerifyOut(BaseModel):
    ok: bool
    entries: int
    checkpoints: int
    latest_size: int | None
    unsigned: int
    first_bad_entry: int | None
    problems: list[str]


@router.post(
    "/audit/verify",
    responses={**DENIED, 503: {"model": Problem, "description": "The hub's log key is missing"}},
)
def audit_verify(request: Request, viewer: Viewer = GOVERNANCE_API) -> VerifyOut:
    """Verify the whole log now, as `seen audit verify` does: `ok` false names the first
    entry or checkpoint that does not match."""
    context = _context(request)
    try:
        report = verify_hub_log(context.store, context.settings)
    except ConfigurationError as error:
        raise HTTPException(503, detail=error.message) from None
    return VerifyOut(
        ok=report.ok,
        entries=report.entries,
        checkpoints=report.checkpoints,
        latest_size=report.latest_size,
        unsigned=report.unsigned,
        first_bad_entry=report.first_bad_entry,
        problems=report.problems,
    )


class ProofOut(BaseModel):
    index: int
    tree_size: int
    entry: dict[str, Any]
    leaf_hash: str = Field(description="base64")
    inclusion_proof: list[str] = Field(description="base64 hashes, leaf to root")
    root_hash: str = Field(description="base64")
    checkpoint: int
    checkpoint_note: str
    signed_by: list[str]
    verified: bool


@router.get(
    "/audit/entries/{index}/proof",
    responses={
        **DENIED,
        404: {"model": Problem, "description": "No checkpoint covers the entry yet"},
        409: {"model": Problem, "description": "The log or its checkpoint does not verify"},
    },
)
def audit_proof(
    request: Request,
    index: int = Path(ge=0),
    viewer: Viewer = GOVERNANCE_API,
) -> ProofOut:
    """An entry's RFC 9162 inclusion proof against the latest checkpoint, checked here
    before it is given (what `seen audit prove` prints)."""
    context = _context(request)
    proof = show_entry_proof(
        context.store,
        index,
        hub_verifiers(context.settings, required=False),
        viewer=viewer.signed_in.username,
        agency=audit_viewer_agency(viewer),
        now=context.now(),
    )
    document = proof.document()
    document["entry"] = json.loads(proof.entry)
    return ProofOut(**document)
