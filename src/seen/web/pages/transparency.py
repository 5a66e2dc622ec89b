"""The public transparency page (no sign-in): the agreements in force, how Seen identifies
hidden needs (its model card and algorithmic transparency record), the latest signed audit
checkpoint with how to check it independently, and the headline figures after disclosure
control (seen.transparency). Nothing on it is about a child, so reading it is not recorded."""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from seen.transparency import transparency
from seen.web.access import PUBLIC_PAGE, Viewer
from seen.web.context import WebContext
from seen.web.templating import Pages

router = APIRouter(include_in_schema=False)

TRANSPARENCY: Final = "/transparency"


@router.get(TRANSPARENCY)
def transparency_page(request: Request, viewer: Viewer = PUBLIC_PAGE) -> HTMLResponse:
    context: WebContext = request.app.state.seen
    pages: Pages = request.app.state.pages
    return pages.render(
        request,
        viewer,
        "transparency.html",
        "How Northshire shares information about children",
        column="full",
        shown=transparency(context.store, context.settings, context.now()),
    )
