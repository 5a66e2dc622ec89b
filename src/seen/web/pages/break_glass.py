"""The break-glass review queue: a data protection officer reviews the break-glass requests of
their agency's practitioners and those about children their agency holds records of; the
administrator reviews all (seen.sharing.break_glass, which the API calls too)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from seen.domain.accounts import AccountRole
from seen.errors import InvalidInput, NotFound
from seen.sharing.break_glass import (
    NOTES_LENGTH,
    BreakGlassRequest,
    Outcome,
    break_glass_request,
    break_glass_requests,
    review_break_glass,
)
from seen.web.access import GOVERNANCE_PAGE, Viewer
from seen.web.context import WebContext
from seen.web.forms import PostedForm, errors_for, field_errors
from seen.web.templating import Pages

router = APIRouter(include_in_schema=False)

OUTCOME_HINTS = {
    Outcome.APPROPRIATE: "It was a safeguarding emergency and break-glass was the right call.",
    Outcome.NOT_APPROPRIATE: "It should have gone through the usual sharing, or not at all.",
}


def reviewing_agency(viewer: Viewer) -> str | None:
    """The agency whose break-glass requests the viewer reviews: a DPO's own; None (all) for
    the administrator."""
    account = viewer.signed_in
    if account.role is AccountRole.ADMINISTRATOR:
        return None
    if account.agency is None:  # a DPO always has an agency; fail closed if one has not
        raise HTTPException(403)
    return account.agency


@router.get("/governance/break-glass")
def queue_page(request: Request, viewer: Viewer = GOVERNANCE_PAGE) -> HTMLResponse:
    context: WebContext = request.app.state.seen
    pages: Pages = request.app.state.pages
    found = break_glass_requests(
        context.store,
        agency=reviewing_agency(viewer),
        viewer=viewer.signed_in.username,
        now=context.now(),
    )
    return pages.render(
        request,
        viewer,
        "governance/break_glass.html",
        "Break-glass reviews",
        column="full",
        waiting=[r for r in found if r.review is None],
        reviewed=[r for r in found if r.review is not None],
    )


@router.get("/governance/break-glass/{request_id}")
def request_page(
    request: Request, request_id: str, reviewed: int = 0, viewer: Viewer = GOVERNANCE_PAGE
) -> HTMLResponse:
    found = _request(request, viewer, request_id)
    notice = "Your review has been recorded." if reviewed else None
    return _render(request, viewer, found, notice=notice)


@router.post("/governance/break-glass/{request_id}")
def review(
    request: Request, request_id: str, *, viewer: Viewer = GOVERNANCE_PAGE, form: PostedForm
) -> Response:
    context: WebContext = request.app.state.seen
    found = _request(request, viewer, request_id)
    outcome, notes = str(form.get("outcome", "")), str(form.get("notes", ""))
    try:
        review_break_glass(
            context.store,
            found.id,
            agency=reviewing_agency(viewer),
            reviewer=viewer.signed_in.username,
            outcome=outcome,
            notes=notes,
            now=context.now(),
        )
    except InvalidInput as error:
        errors = errors_for(error.problems, lambda field: field)
        return _render(request, viewer, found, errors=errors, outcome=outcome, notes=notes)
    return RedirectResponse(f"/governance/break-glass/{found.id}?reviewed=1", status_code=303)


def _request(request: Request, viewer: Viewer, request_id: str) -> BreakGlassRequest:
    context: WebContext = request.app.state.seen
    try:
        return break_glass_request(
            context.store,
            request_id,
            agency=reviewing_agency(viewer),
            viewer=viewer.signed_in.username,
            now=context.now(),
        )
    except NotFound:
        raise HTTPException(404) from None


def _render(
    request: Request,
    viewer: Viewer,
    found: BreakGlassRequest,
    *,
    notice: str | None = None,
    errors: list[dict[str, str]] | None = None,
    outcome: str = "",
    notes: str = "",
) -> HTMLResponse:
    pages: Pages = request.app.state.pages
    return pages.render(
        request,
        viewer,
        "governance/break_glass_request.html",
        "Break-glass request",
        status=400 if errors else 200,
        errors=errors or [],
        field_errors=field_errors(errors or []),
        notice=notice,
        found=found,
        outcomes=[
            {
                "value": o.value,
                "text": o.label,
                "hint": {"text": OUTCOME_HINTS[o]},
                "checked": outcome == o.value,
            }
            for o in Outcome
        ],
        notes=notes,
        notes_length=NOTES_LENGTH,
    )
