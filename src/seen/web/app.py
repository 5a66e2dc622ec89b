"""`create_app(settings)`: the web app and its JSON API, built fresh for each caller.

Nothing happens at import time: the store is opened, the password hasher configured and the
static assets found here, so each test can build its own app over its own database.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp

from seen.errors import ConfigurationError, InvalidInput, SeenError
from seen.settings import Settings
from seen.store import Store, open_store
from seen.store.accounts import Passwords
from seen.web.access import CsrfFailed, Forbidden, SignInRequired, Viewer
from seen.web.context import WebContext, utc_now
from seen.web.security import SecurityHeaders
from seen.web.templating import Pages

STATIC: Final = Path(__file__).parent / "static"
# Copied from the govuk-frontend npm package by `make` (scripts/web-assets.sh), not committed.
GOVUK: Final = STATIC / "govuk"
GOVUK_FILES: Final = ("govuk-frontend.min.css", "govuk-frontend.min.js", "assets/images")
# Static files are the one part of the app with no access rule: all public, none hold data.
PUBLIC_MOUNTS: Final = ("/assets", "/static")

log = logging.getLogger("seen.web")


class _SeenApp(FastAPI):
    """FastAPI with the security headers outermost. Starlette puts its own error middleware,
    which answers a crash with the 500 page, outside every middleware added to an app: added
    there, the headers would miss exactly that answer."""

    cookie_secure = True

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack(), cookie_secure=self.cookie_secure)


def create_app(
    settings: Settings,
    *,
    store: Store | None = None,
    now: Callable[[], dt.datetime] = utc_now,
) -> FastAPI:
    """The app over `store` (or the configured database); `now` is the clock, for tests."""
    missing = [name for name in GOVUK_FILES if not (GOVUK / name).exists()]
    if missing:
        raise ConfigurationError(
            f"the GOV.UK Frontend assets are missing from {GOVUK} ({', '.join(missing)}); "
            "run `make demo` or `make test`, which install them from npm"
        )
    context = WebContext(
        settings=settings,
        store=store if store is not None else open_store(settings),
        passwords=Passwords(settings.password_hash_profile),
        now=now,
    )
    app = _SeenApp(
        title="Seen",
        version="1",
        summary="Joined-up, accountable information sharing for a children's safeguarding "
        "partnership.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # Swagger UI needs inline script; the OpenAPI document is enough
        redoc_url=None,
    )
    app.state.seen = context
    app.state.pages = Pages()
    app.cookie_secure = settings.cookie_secure
    app.mount("/assets", StaticFiles(directory=GOVUK / "assets"), name="assets")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _add_error_handlers(app)

    from seen.web.api import governance, linkage, tokens
    from seen.web.api import identification as identification_api
    from seen.web.api import inbox as inbox_api
    from seen.web.api import practice as practice_api
    from seen.web.api import prompts as prompts_api
    from seen.web.api import report as report_api
    from seen.web.api import transparency as transparency_api
    from seen.web.api import young_person as young_person_api
    from seen.web.pages import (
        agreements,
        audit_log,
        auth,
        break_glass,
        contests,
        dashboard,
        home,
        identification,
        inbox,
        linkage_review,
        my_choices,
        practice,
        prompt_monitoring,
        prompts,
        transparency,
        young_carer,
        young_person,
    )

    for router in (
        home.router,
        auth.router,
        tokens.router,
        practice.router,
        inbox.router,
        practice_api.router,
        inbox_api.router,
        young_person.router,
        my_choices.router,
        young_carer.router,
        contests.router,
        young_person_api.router,
        agreements.router,
        break_glass.router,
        audit_log.router,
        linkage_review.router,
        governance.router,
        linkage.router,
        prompts.router,
        prompt_monitoring.router,
        prompts_api.router,
        dashboard.router,
        report_api.router,
        transparency.router,
        transparency_api.router,
        identification.router,
        identification_api.router,
    ):
        app.include_router(router)
    _document_problems(app)
    return app


def app_from_environment() -> FastAPI:
    """The app as `seen serve` runs it in each uvicorn worker: settings from `SEEN_`
    variables (uvicorn imports this by name, so workers in other processes can build it)."""
    from seen.settings import load_settings

    return create_app(load_settings())


def _document_problems(app: FastAPI) -> None:
    """The OpenAPI document, with every 422 answer as the handlers below give it."""
    from fastapi.openapi.utils import get_openapi

    from seen.web.api.problems import document_problems

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_problems(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    summary=app.summary,
                    routes=app.routes,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _problem_page(request: Request, status: int, title: str, *paragraphs: str) -> Response:
    pages: Pages = request.app.state.pages
    viewer = Viewer(None, "")
    return pages.render(
        request, viewer, "problem.html", title, status=status, paragraphs=paragraphs
    )


def _add_error_handlers(app: FastAPI) -> None:
    """Every failure becomes a plain page or JSON answer; none shows internals or data."""

    @app.exception_handler(SignInRequired)
    async def sign_in_required(request: Request, exc: SignInRequired) -> Response:
        if exc.api:
            return JSONResponse(
                {"detail": "Sign in first: send a bearer token from POST /api/v1/tokens."},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        target = request.url.path
        if request.url.query:
            target += "?" + request.url.query
        return RedirectResponse(f"/sign-in?next={_quote(target)}", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": "Your role may not use this."}, status_code=403)
        return _problem_page(
            request,
            403,
            "You cannot use this page",
            "Your account's role does not allow it. Nothing has been shown.",
        )

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, exc: CsrfFailed) -> Response:
        return _problem_page(
            request,
            400,
            "This form could not be sent",
            "It was not sent from this service's own page, or the page had expired. "
            "Nothing was changed. Go back, reload the page and try again.",
        )

    @app.exception_handler(HTTPException)
    async def http_problem(request: Request, exc: HTTPException) -> Response:
        if _is_api(request):
            body: dict[str, object] = {"detail": exc.detail}
            if exc.status_code == 422:  # one shape for every 422 (seen.web.api.problems)
                body["problems"] = []
            return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)
        if exc.status_code == 404:
            return _problem_page(
                request,
                404,
                "Page not found",
                "If you typed the web address, check it is correct.",
            )
        return _problem_page(request, exc.status_code, "Sorry, this did not work")

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if _is_api(request):
            # Field locations and messages only: never the values that were sent.
            problems = [
                {
                    "field": ".".join(str(part) for part in error.get("loc", ())),
                    "message": error.get("msg", ""),
                }
                for error in exc.errors()
            ]
            return JSONResponse(
                {"detail": "The request is not valid.", "problems": problems}, status_code=422
            )
        return _problem_page(
            request, 400, "Sorry, this did not work", "The request was not one this page takes."
        )

    @app.exception_handler(SeenError)
    async def seen_error(request: Request, exc: SeenError) -> Response:
        status = exc.http_status
        if status >= 500:
            log.error("request failed: %s on %s", type(exc).__name__, _route_of(request))
            message = "Sorry, there is a problem with the service. Nothing has been shown."
        else:
            message = exc.message
        if _is_api(request):
            body: dict[str, object] = {"detail": message}
            if isinstance(exc, InvalidInput):
                # Each problem by field, as the pages' error summaries list them.
                body["problems"] = [{"field": p.field, "message": p.message} for p in exc.problems]
            return JSONResponse(body, status_code=status)
        return _problem_page(request, status, "Sorry, there is a problem", message)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        # The type and the route only: an exception's text can carry data from the request.
        log.error("request failed: %s on %s", type(exc).__name__, _route_of(request))
        if _is_api(request):
            return JSONResponse({"detail": "Internal server error"}, status_code=500)
        return _problem_page(
            request,
            500,
            "Sorry, there is a problem with the service",
            "Try again later. Nothing has been shown or changed.",
        )


def _route_of(request: Request) -> str:
    route = request.scope.get("route")
    return getattr(route, "path", "an unknown route")


def _quote(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/")
