"""Automation-bias monitoring for governance (docs/identify.md, "Monitoring automation
bias"): how reviewers' decisions relate to the prompts, per need and reviewing agency, with a
plain warning where the numbers call for a look. A data protection officer sees their own
agency's reviewers; the administrator sees every agency's.

The page holds counts and codes only, no child and no reviewer's words, so reading it is not
recorded in the audit log (like the agreements register).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from seen.identify.decisions import PromptDecision, PromptOutcome
from seen.identify.monitoring import (
    HIGH_AGREEMENT,
    LOW_AGREEMENT,
    MIN_DECISIONS,
    NO_OUTCOME,
    QUICK_SECONDS,
    QUICK_SHARE,
    monitor,
)
from seen.web.access import GOVERNANCE_PAGE, Viewer
from seen.web.context import WebContext
from seen.web.pages.break_glass import reviewing_agency
from seen.web.templating import Pages

router = APIRouter(include_in_schema=False)


@router.get("/governance/prompts")
def monitoring_page(request: Request, viewer: Viewer = GOVERNANCE_PAGE) -> HTMLResponse:
    context: WebContext = request.app.state.seen
    pages: Pages = request.app.state.pages
    agency = reviewing_agency(viewer)
    return pages.render(
        request,
        viewer,
        "governance/prompt_monitoring.html",
        "Prompt review monitoring",
        column="full",
        agency=agency,
        found=monitor(context.store, agency),
        decision_labels={d.value: d.label for d in PromptDecision},
        outcome_labels={o.value: o.label for o in PromptOutcome} | {NO_OUTCOME: "Not recorded"},
        thresholds={
            "min": MIN_DECISIONS,
            "high": HIGH_AGREEMENT,
            "low": LOW_AGREEMENT,
            "seconds": QUICK_SECONDS,
            "quick": QUICK_SHARE,
        },
    )
