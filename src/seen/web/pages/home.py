"""The start page and the accessibility statement."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from seen.web.access import PUBLIC_PAGE, Viewer
from seen.web.templating import Pages, navigation_links

router = APIRouter(include_in_schema=False)


@router.get("/")
def start(request: Request, viewer: Viewer = PUBLIC_PAGE) -> HTMLResponse:
    pages: Pages = request.app.state.pages
    role = viewer.account.role if viewer.account else None
    return pages.render(
        request,
        viewer,
        "start.html",
        "Seen" if role is None else f"Signed in as {viewer.signed_in.username}",
        links=[] if role is None else navigation_links(request, viewer),
    )


@router.get("/accessibility")
def accessibility(request: Request, viewer: Viewer = PUBLIC_PAGE) -> HTMLResponse:
    pages: Pages = request.app.state.pages
    return pages.render(request, viewer, "accessibility.html", "Accessibility statement")
