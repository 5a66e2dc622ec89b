"""An agency's inbox: other agencies' requests to see its records, which it approves or
declines with a reason (docs/web.md, "A practitioner's journeys"). For the agency's
practitioners and its DPO; the JSON API calls the same functions (seen.web.api.inbox).

A release in another agency's inbox is "Page not found", exactly as one that does not exist.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from seen.errors import InvalidInput
from seen.sharing import inbox as agency_inbox
from seen.sharing.inbox import MAX_ANSWER_REASON, InboxItem
from seen.sharing.world_slice import Reader
from seen.web.access import AGENCY_PAGE, Viewer
from seen.web.context import WebContext
from seen.web.pages.practice import BASES, PURPOSES, not_found
from seen.web.params import RowId
from seen.web.templating import Pages
from seen.web.words import error_list, field_errors

router = APIRouter(include_in_schema=False)


def agency_reader(viewer: Viewer) -> Reader:
    """The viewer as a reader of their agency's own records: a practitioner by their ref, a
    DPO by user name (the id their reads and answers are recorded under)."""
    account = viewer.signed_in
    if account.agency is None:
        raise HTTPException(404)  # practitioners and DPOs always have one
    if account.practitioner is not None:
        return Reader(account.practitioner, account.agency)
    return Reader(account.username, account.agency, practitioner=False)


@router.get("/inbox")
def inbox_page(request: Request, viewer: Viewer = AGENCY_PAGE) -> HTMLResponse:
    context: WebContext = request.app.state.seen
    pages: Pages = request.app.state.pages
    box = agency_inbox.inbox(context.store, agency_reader(viewer), context.now())
    return pages.render(
        request,
        viewer,
        "practice/inbox.html",
        "Inbox",
        column="full",
        box=box,
        now=context.now(),
        purposes=PURPOSES,
    )


@router.get("/inbox/{release_id:int}")
def release_page(request: Request, release_id: RowId, viewer: Viewer = AGENCY_PAGE) -> Response:
    context: WebContext = request.app.state.seen
    with not_found():
        item = agency_inbox.inbox_item(
            context.store, agency_reader(viewer), release_id, context.now()
        )
    return _release(request, viewer, item)


@router.post("/inbox/{release_id:int}")
def answer_release(
    request: Request,
    release_id: RowId,
    answer: Annotated[str, Form(max_length=16)] = "",
    reason: Annotated[str, Form(max_length=MAX_ANSWER_REASON + 100)] = "",
    viewer: Viewer = AGENCY_PAGE,
) -> Response:
    context: WebContext = request.app.state.seen
    reader = agency_reader(viewer)
    approve = {"approve": True, "decline": False}.get(answer)
    try:
        with not_found():
            agency_inbox.respond(
                context.store,
                reader,
                release_id,
                approve=approve,
                reason=reason,
                now=context.now(),
            )
    except InvalidInput as problems:
        with not_found():
            item = agency_inbox.inbox_item(context.store, reader, release_id, context.now())
        errors = error_list(problems.problems, {})
        return _release(request, viewer, item, {"answer": answer, "reason": reason}, errors)
    return RedirectResponse("/inbox", status_code=303)


def _release(
    request: Request,
    viewer: Viewer,
    item: InboxItem,
    form: dict[str, str] | None = None,
    errors: list[dict[str, str]] | None = None,
) -> HTMLResponse:
    context: WebContext = request.app.state.seen
    pages: Pages = request.app.state.pages
    return pages.render(
        request,
        viewer,
        "practice/release.html",
        "Answer a request to share" if item.release.status == "pending" else "Answered request",
        status=400 if errors else 200,
        errors=errors or [],
        field_errors=field_errors(errors or []),
        item=item,
        now=context.now(),
        form=form or {"answer": "", "reason": ""},
        purposes=PURPOSES,
        bases=BASES,
        max_reason=MAX_ANSWER_REASON,
    )
