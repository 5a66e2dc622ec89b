"""The analyst's clerical review over the JSON API: the same queue, explanations and decisions
as the pages and `seen review` (seen.clerical_review)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from seen.clerical_review import REASON_LENGTH, decide, pair_json, queue_json
from seen.store.linkage import open_review_pairs
from seen.web.access import ANALYST_API, Viewer
from seen.web.api.problems import DENIED, INVALID, NOT_FOUND
from seen.web.context import WebContext

router = APIRouter(prefix="/api/v1", tags=["linkage"])


class Comparison(BaseModel):
    comparison: str
    level: str | None
    label: str
    weight: float


class RecordOut(BaseModel):
    agency: str
    record_id: str = Field(description="The agency's own reference for the record")


class PairOut(BaseModel):
    pair_id: str
    left: RecordOut
    right: RecordOut
    match_probability: float
    match_weight: float
    prior_weight: float
    comparisons: list[Comparison]


class LinkRunOut(BaseModel):
    id: int
    finished_at: str
    threshold: float
    review_band: list[float]


class QueueOut(BaseModel):
    link_run: LinkRunOut | None
    queued: int
    open: int
    shown: int
    pairs: list[PairOut]


@router.get("/linkage/review", responses={**DENIED})
def review_queue(
    request: Request,
    limit: int = Query(default=20, ge=1, le=1000),
    viewer: Viewer = ANALYST_API,
) -> QueueOut:
    """The latest link run's undecided pairs, most probable first, each explained comparison
    by comparison (no plaintext, tokens or filters: the hub has none)."""
    context: WebContext = request.app.state.seen
    found: dict[str, Any] = queue_json(open_review_pairs(context.store, limit=limit))
    return QueueOut(**found)


class DecisionIn(BaseModel):
    decision: Literal["match", "non_match"]
    reason: str = Field(min_length=1, max_length=REASON_LENGTH)


class DecisionOut(BaseModel):
    pair: PairOut
    decision: Literal["match", "non_match"]
    reviewer: str


@router.post(
    "/linkage/review/{pair_id}", status_code=201, responses={**DENIED, **NOT_FOUND, **INVALID}
)
def decide_pair(
    pair_id: str, body: DecisionIn, request: Request, viewer: Viewer = ANALYST_API
) -> DecisionOut:
    """Decide a pair: the same person (match) or different people (non_match), with a reason.
    Every later link run honours it."""
    context: WebContext = request.app.state.seen
    pair = decide(
        context.store,
        pair_id,
        body.decision,
        reviewer=viewer.signed_in.username,
        reason=body.reason,
        now=context.now(),
        reason_required=True,
    )
    queue = open_review_pairs(context.store, limit=1)
    model = queue.model if queue is not None else {}
    return DecisionOut(
        pair=PairOut(**pair_json(pair, model)),
        decision=body.decision,
        reviewer=viewer.signed_in.username,
    )
