"""Signing in and out of the pages.

One message for every failed sign-in (wrong name, wrong password, closed or throttled
account), so the page tells an attacker nothing about which accounts exist.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from seen.store.accounts import close_session, open_session, sign_in
from seen.web.access import (
    ANONYMOUS_CSRF_COOKIE,
    PUBLIC_PAGE,
    SESSION_COOKIE,
    SIGNED_IN_PAGE,
    Viewer,
)
from seen.web.context import WebContext
from seen.web.templating import Pages

router = APIRouter(include_in_schema=False)

FAILED = (
    "Enter a correct user name and password. After 5 failed tries an account is "
    "closed for 15 minutes."
)


@router.get("/sign-in")
def sign_in_page(request: Request, next: str = "/", viewer: Viewer = PUBLIC_PAGE) -> Response:
    if viewer.account is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _form(request, viewer, next)


@router.post("/sign-in")
def sign_in_form(
    request: Request,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
    viewer: Viewer = PUBLIC_PAGE,
) -> Response:
    context: WebContext = request.app.state.seen
    errors = []
    if not username.strip():
        errors.append({"text": "Enter your user name", "href": "#username"})
    if not password:
        errors.append({"text": "Enter your password", "href": "#password"})
    if errors:
        return _form(request, viewer, next, username, errors)
    now = context.now()
    account = sign_in(context.store, context.passwords, username.strip(), password, now)
    if account is None:
        return _form(request, viewer, next, username, [{"text": FAILED, "href": "#username"}])
    token = open_session(context.store, account, "browser", now)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        secure=context.settings.cookie_secure,
        samesite="strict",
        path="/",
    )
    response.delete_cookie(ANONYMOUS_CSRF_COOKIE, path="/")
    return response


@router.get("/sign-out")
def sign_out_page(request: Request, viewer: Viewer = SIGNED_IN_PAGE) -> HTMLResponse:
    pages: Pages = request.app.state.pages
    return pages.render(request, viewer, "sign_out.html", "Sign out")


@router.post("/sign-out")
def sign_out(request: Request, viewer: Viewer = SIGNED_IN_PAGE) -> Response:
    context: WebContext = request.app.state.seen
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        close_session(context.store, token)
    response = RedirectResponse("/signed-out", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/signed-out")
def signed_out(request: Request, viewer: Viewer = PUBLIC_PAGE) -> HTMLResponse:
    pages: Pages = request.app.state.pages
    return pages.render(request, viewer, "signed_out.html", "You have signed out")


def _form(
    request: Request,
    viewer: Viewer,
    next: str,
    username: str = "",
    errors: list[dict[str, str]] | None = None,
) -> HTMLResponse:
    pages: Pages = request.app.state.pages
    return pages.render(
        request,
        viewer,
        "sign_in.html",
        "Sign in",
        status=400 if errors else 200,
        errors=errors or [],
        username=username,
        next=_safe_next(next),
    )


def _safe_next(target: str) -> str:
    """Only a path on this site: never another host (`//evil`, `https://...`, `\\\\evil`)."""
    if target.startswith("/") and not target.startswith(("//", "/\\")) and "\n" not in target:
        return target
    return "/"
