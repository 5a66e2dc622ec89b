"""Identification's oversight pages: the fairness report of the latest stored evaluation
(`seen identify evaluate --save`), with its alert, for the partnership's governance and
analyst; and the model card and the Algorithmic Transparency Recording Standard record made
from the same stored report, for anyone signed in (docs/web.md, "Identification").

Everything shown is aggregates (counts and rates by group, model weights): no child's data,
so these reads are not audit entries, like the agreements register's.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from seen.identify.transparency import (
    Document,
    alerts_block,
    atrs_record,
    calibration_blocks,
    fairness_tables,
    model_card,
    provenance,
    results_table,
    targets_block,
)
from seen.store.evaluations import StoredEvaluation, latest_evaluation
from seen.web.access import OVERSIGHT_PAGE, PUBLIC_PAGE, Viewer
from seen.web.context import WebContext
from seen.web.templating import Pages

router = APIRouter(include_in_schema=False)

FAIRNESS = "/identification/fairness"
MODEL_CARD = "/identification/model-card"
RECORD = "/identification/transparency-record"
NOTHING_STORED = (
    "No evaluation has been stored yet. The analyst stores one with "
    "`seen identify evaluate PARTNERSHIP --save`."
)


def _latest(request: Request) -> StoredEvaluation | None:
    context: WebContext = request.app.state.seen
    return latest_evaluation(context.store)


@router.get(FAIRNESS)
def fairness_page(request: Request, viewer: Viewer = OVERSIGHT_PAGE) -> HTMLResponse:
    pages: Pages = request.app.state.pages
    stored = _latest(request)
    needs = []
    if stored is not None:
        for need in stored.report["needs"]:
            needs.append(
                {
                    "id": need["need"].replace("_", "-"),
                    "title": need["title"],
                    "results": [results_table(need)],
                    "targets": [targets_block(need)],
                    "calibration": calibration_blocks(need),
                    "fairness": fairness_tables(need),
                }
            )
    return pages.render(
        request,
        viewer,
        "identification/fairness.html",
        "Fairness of identification",
        column="full",
        stored=stored,
        report=stored.report if stored else None,
        rule=alerts_block(stored.report)[0] if stored else None,
        provenance=provenance(stored.report, stored.id) if stored else None,
        needs=needs,
        nothing=NOTHING_STORED,
    )


@router.get(MODEL_CARD)
def model_card_page(request: Request, viewer: Viewer = PUBLIC_PAGE) -> HTMLResponse:
    stored = _latest(request)
    document = model_card(stored.report, stored.id) if stored else None
    return _document(request, viewer, document, "Model card")


@router.get(RECORD)
def record_page(request: Request, viewer: Viewer = PUBLIC_PAGE) -> HTMLResponse:
    stored = _latest(request)
    document = atrs_record(stored.report, stored.id) if stored else None
    return _document(request, viewer, document, "Algorithmic transparency record")


def _document(
    request: Request, viewer: Viewer, document: Document | None, fallback: str
) -> HTMLResponse:
    """The document's page; before any evaluation is stored, a page that says so."""
    pages: Pages = request.app.state.pages
    return pages.render(
        request,
        viewer,
        "identification/document.html",
        document.title if document else fallback,
        column="full",
        document=document,
        nothing=NOTHING_STORED,
    )
