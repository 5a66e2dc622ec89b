"""Every route's access rule: who may call it, checked before the route runs.

A route declares its rule as a FastAPI dependency (`viewer: Viewer = PRACTITIONER_PAGE`); a
test walks the app's routes and fails on any that has none (tests/web/test_route_inventory.py).
The rule also checks the CSRF token of every page form (the session's token, or before
signing in the `seen_csrf` cookie's), so no form can be posted from another site.

Pages find the session in the `seen_session` cookie; the JSON API only in an
`Authorization: Bearer` header (`POST /api/v1/tokens` gives one), so the API needs no CSRF
token and a page's cookie never works for the API.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from seen.domain.accounts import AccountRole
from seen.store.accounts import Account, current_session

if TYPE_CHECKING:
    from seen.web.context import WebContext

SESSION_COOKIE: Final = "seen_session"
ANONYMOUS_CSRF_COOKIE: Final = "seen_csrf"
CSRF_FIELD: Final = "csrf_token"
_SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})


class SignInRequired(Exception):
    """No live session: pages redirect to the sign-in page, the API answers 401."""

    def __init__(self, api: bool) -> None:
        self.api = api


class Forbidden(Exception):
    """Signed in, but this role may not use this route (403, no data)."""


class CsrfFailed(Exception):
    """A form arrived without this session's CSRF token (400, nothing done)."""


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is asking: their account (None on public routes) and their form token."""

    account: Account | None
    csrf_token: str

    @property
    def signed_in(self) -> Account:
        if self.account is None:  # only a public route has no account, and it never asks
            raise SignInRequired(api=False)
        return self.account


class AccessRule:
    """A dependency that admits a request or raises; one instance per rule, named."""

    def __init__(self, name: str, roles: Iterable[AccountRole] | None, api: bool) -> None:
        self.name = name
        self.roles = None if roles is None else frozenset(roles)
        self.api = api

    def __repr__(self) -> str:
        return f"AccessRule({self.name})"

    async def __call__(self, request: Request) -> Viewer:
        context: WebContext = request.app.state.seen
        token = _bearer(request) if self.api else request.cookies.get(SESSION_COOKIE)
        kind = "api" if self.api else "browser"
        # The lookup waits on the database (and, on SQLite, may wait its turn to write the
        # session's last use): in the thread pool, so the event loop meanwhile serves others.
        session = (
            None
            if token is None
            else await run_in_threadpool(current_session, context.store, token, kind, context.now())
        )
        if session is None:
            if self.roles is not None:
                raise SignInRequired(api=self.api)
            viewer = Viewer(None, _anonymous_csrf(request))
        elif self.roles is not None and session.account.role not in self.roles:
            raise Forbidden()
        else:
            viewer = Viewer(session.account, session.csrf_token)
        if not self.api and request.method not in _SAFE_METHODS:
            form = await request.form()
            sent = form.get(CSRF_FIELD)
            if not isinstance(sent, str) or not hmac.compare_digest(sent, viewer.csrf_token):
                raise CsrfFailed()
        return viewer


# Declares the API's bearer tokens in the OpenAPI document, so clients and the schemathesis
# tests (tests/web/test_openapi_fuzz.py) know which operations need one. It checks nothing:
# `AccessRule` reads and checks the header itself.
BEARER_SCHEME: Final = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="A token from POST /api/v1/tokens, sent as `Authorization: Bearer TOKEN`.",
)
_DECLARED_BEARER: Final = Security(BEARER_SCHEME)


class SignedInApiRule(AccessRule):
    """An API rule that needs a signed-in role: the same check, declared as bearer security."""

    async def __call__(
        self,
        request: Request,
        _declared: HTTPAuthorizationCredentials | None = _DECLARED_BEARER,
    ) -> Viewer:
        return await super().__call__(request)


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def _anonymous_csrf(request: Request) -> str:
    """The signed-out form token: the cookie's if the browser has one, else a new one that
    the response middleware sets (seen.web.security)."""
    token = request.cookies.get(ANONYMOUS_CSRF_COOKIE)
    if token is None or len(token) < 32:
        token = request.state.new_anonymous_csrf = secrets.token_urlsafe(32)
    return token


def _rule(name: str, roles: Iterable[AccountRole] | None, api: bool = False) -> Any:
    kind = SignedInApiRule if api and roles is not None else AccessRule
    return Depends(kind(name, roles, api))


ALL_ROLES: Final = tuple(AccountRole)

# Pages
PUBLIC_PAGE: Final = _rule("public", None)
SIGNED_IN_PAGE: Final = _rule("signed-in", ALL_ROLES)
PRACTITIONER_PAGE: Final = _rule("practitioner", [AccountRole.PRACTITIONER])
DPO_PAGE: Final = _rule("dpo", [AccountRole.DPO])
ADMINISTRATOR_PAGE: Final = _rule("administrator", [AccountRole.ADMINISTRATOR])
GOVERNANCE_PAGE: Final = _rule("governance", [AccountRole.ADMINISTRATOR, AccountRole.DPO])
# An agency's own work: its practitioners and its DPO (the inbox of requests to approve).
AGENCY_PAGE: Final = _rule("agency", [AccountRole.PRACTITIONER, AccountRole.DPO])
ANALYST_PAGE: Final = _rule("analyst", [AccountRole.ANALYST])
# Oversight of identification (the fairness report of the latest stored evaluation): the
# partnership's governance and its analyst, who runs the evaluations. Aggregates only.
OVERSIGHT_ROLES: Final = (AccountRole.ADMINISTRATOR, AccountRole.DPO, AccountRole.ANALYST)
OVERSIGHT_PAGE: Final = _rule("oversight", OVERSIGHT_ROLES)
YOUNG_PERSON_PAGE: Final = _rule("young-person", [AccountRole.YOUNG_PERSON])

# JSON API
PUBLIC_API: Final = _rule("public-api", None, api=True)
SIGNED_IN_API: Final = _rule("signed-in-api", ALL_ROLES, api=True)
PRACTITIONER_API: Final = _rule("practitioner-api", [AccountRole.PRACTITIONER], api=True)
YOUNG_PERSON_API: Final = _rule("young-person-api", [AccountRole.YOUNG_PERSON], api=True)
AGENCY_API: Final = _rule("agency-api", [AccountRole.PRACTITIONER, AccountRole.DPO], api=True)
GOVERNANCE_API: Final = _rule(
    "governance-api", [AccountRole.ADMINISTRATOR, AccountRole.DPO], api=True
)
ADMINISTRATOR_API: Final = _rule("administrator-api", [AccountRole.ADMINISTRATOR], api=True)
ANALYST_API: Final = _rule("analyst-api", [AccountRole.ANALYST], api=True)
OVERSIGHT_API: Final = _rule("oversight-api", OVERSIGHT_ROLES, api=True)
