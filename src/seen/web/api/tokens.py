"""`POST /api/v1/tokens`: swap a user name and password for a bearer token, and give it back.

The same accounts, throttling and expiry as the pages; a token is a session of kind `api`.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, Field

from seen.store.accounts import IDLE_TIMEOUT, close_session, open_session, sign_in
from seen.web.access import PUBLIC_API, SIGNED_IN_API, Viewer
from seen.web.context import WebContext

router = APIRouter(prefix="/api/v1", tags=["sessions"])


class Credentials(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


class Token(BaseModel):
    token: str
    token_type: str = "bearer"
    idle_timeout_seconds: int


class Problem(BaseModel):
    detail: str


@router.post(
    "/tokens",
    status_code=201,
    responses={401: {"model": Problem, "description": "Wrong user name or password"}},
)
def create_token(credentials: Credentials, request: Request, viewer: Viewer = PUBLIC_API) -> Token:
    """A bearer token for the other API calls; it lapses after 30 idle minutes."""
    context: WebContext = request.app.state.seen
    now = context.now()
    account = sign_in(
        context.store, context.passwords, credentials.username, credentials.password, now
    )
    if account is None:
        raise HTTPException(
            401,
            detail="Wrong user name or password, or the account is closed for now.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    token = open_session(context.store, account, "api", now)
    return Token(token=token, idle_timeout_seconds=int(IDLE_TIMEOUT.total_seconds()))


@router.delete("/tokens/current", status_code=204, responses={401: {"model": Problem}})
def revoke_token(request: Request, viewer: Viewer = SIGNED_IN_API) -> Response:
    """End the session of the bearer token this request carries."""
    context: WebContext = request.app.state.seen
    _, _, token = request.headers.get("authorization", "").partition(" ")
    close_session(context.store, token.strip())
    return Response(status_code=204)


class Me(BaseModel):
    username: str
    role: str
    agency: str | None


@router.get("/me", responses={401: {"model": Problem}})
def me(viewer: Viewer = SIGNED_IN_API) -> Me:
    """Who the bearer token belongs to."""
    account = viewer.signed_in
    return Me(username=account.username, role=account.role.value, agency=account.agency)
