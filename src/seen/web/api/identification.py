"""The identification oversight API: the latest stored evaluation report (the fairness
report, calibration, targets and model weights) for the partnership's governance and
analyst, and the model card and transparency record made from it for anyone signed in. The
pages (seen.web.pages.identification) show the same objects under the same rules."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel

from seen.identify.transparency import Document, atrs_record, model_card, to_json
from seen.store.evaluations import StoredEvaluation, latest_evaluation
from seen.web.access import OVERSIGHT_API, PUBLIC_API, Viewer
from seen.web.api.problems import DENIED, NOT_FOUND
from seen.web.context import WebContext
from seen.web.pages.identification import NOTHING_STORED

router = APIRouter(prefix="/api/v1/identification", tags=["identification"])


class EvaluationOut(BaseModel):
    id: int
    created_at: dt.datetime
    reference_date: dt.date
    alerts: int
    report: dict[str, Any]


class TableOut(BaseModel):
    caption: str
    head: list[str]
    rows: list[list[str]]


class BlockOut(BaseModel):
    text: str | None = None
    items: list[str] | None = None
    table: TableOut | None = None


class FieldOut(BaseModel):
    ref: str
    attribute: str
    name: str
    blocks: list[BlockOut]


class SectionOut(BaseModel):
    id: str
    heading: str
    blocks: list[BlockOut]
    fields: list[FieldOut]


class DocumentOut(BaseModel):
    standard: str | None = None  # the transparency record's standard and its version
    standard_version: str | None = None
    kind: str
    title: str
    summary: str
    source: dict[str, Any]
    provenance: str
    sections: list[SectionOut]


def _latest(request: Request) -> StoredEvaluation:
    context: WebContext = request.app.state.seen
    stored = latest_evaluation(context.store)
    if stored is None:
        raise HTTPException(status_code=404, detail=NOTHING_STORED)
    return stored


def _document(document: Document) -> DocumentOut:
    return DocumentOut.model_validate(json.loads(to_json(document)))


@router.get("/evaluation", responses={**DENIED, **NOT_FOUND})
def evaluation(request: Request, viewer: Viewer = OVERSIGHT_API) -> EvaluationOut:
    """The latest stored evaluation report: aggregates only (docs/identify.md, "Stored
    reports" has its schema)."""
    stored = _latest(request)
    return EvaluationOut(
        id=stored.id,
        created_at=stored.created_at,
        reference_date=stored.reference_date,
        alerts=stored.alerts,
        report=stored.report,
    )


# Blocks and documents leave out what they do not have (a paragraph has no table), as the
# JSON of `seen identify transparency` does.
@router.get("/model-card", responses={**DENIED, **NOT_FOUND}, response_model_exclude_none=True)
def card(request: Request, viewer: Viewer = PUBLIC_API) -> DocumentOut:
    """The model card made from the latest stored evaluation."""
    stored = _latest(request)
    return _document(model_card(stored.report, stored.id))


@router.get(
    "/transparency-record", responses={**DENIED, **NOT_FOUND}, response_model_exclude_none=True
)
def record(request: Request, viewer: Viewer = PUBLIC_API) -> DocumentOut:
    """The Algorithmic Transparency Recording Standard (v3.0) record made from the latest
    stored evaluation."""
    stored = _latest(request)
    return _document(atrs_record(stored.report, stored.id))
