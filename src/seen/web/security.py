"""Response headers every answer carries, and the signed-out CSRF cookie.

The Content-Security-Policy allows scripts, styles, fonts and images from this origin only:
no inline script anywhere (the page's `js-enabled` class is set by a file, not a snippet), no
framing, forms posting only here.
"""

from __future__ import annotations

from typing import Final

from fastapi import Response
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from seen.web.access import ANONYMOUS_CSRF_COOKIE

CONTENT_SECURITY_POLICY: Final = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS: Final = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


class SecurityHeaders:
    """ASGI middleware adding the headers above to every answer that passes through the app,
    and the signed-out CSRF cookie when a page made one. Plain ASGI rather than Starlette's
    `BaseHTTPMiddleware`, which runs each request's app in a task of its own and copies the
    answer through a stream: that cost a few milliseconds a page under load."""

    def __init__(self, app: ASGIApp, cookie_secure: bool) -> None:
        self.app = app
        headers = dict(SECURITY_HEADERS)
        if cookie_secure:
            headers["Strict-Transport-Security"] = "max-age=31536000"
        self.headers = headers
        self.cookie_secure = cookie_secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # Pages hold children's data: never cached by the browser or anything between.
        cached = scope["path"].startswith(("/assets/", "/static/"))

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers[name] = value
                if not cached:
                    headers["Cache-Control"] = "no-store"
                new_token = scope.get("state", {}).get("new_anonymous_csrf")
                if new_token is not None:
                    cookie = Response()
                    cookie.set_cookie(
                        ANONYMOUS_CSRF_COOKIE,
                        new_token,
                        httponly=True,
                        secure=self.cookie_secure,
                        samesite="strict",
                        path="/",
                    )
                    for raw_name, raw_value in cookie.raw_headers:
                        if raw_name == b"set-cookie":
                            headers.raw.append((raw_name, raw_value))
            await send(message)

        await self.app(scope, receive, with_headers)
