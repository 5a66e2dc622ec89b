"""Response headers every answer carries, and the signed-out CSRF cookie.

The Content-Security-Policy allows scripts, styles, fonts and images from this origin only:
no inline script anywhere (the page's `js-enabled` class is set by a file, not a snippet), no
framing, forms posting only here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Final

from fastapi import Request, Response

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


def security_headers(
    cookie_secure: bool,
) -> Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]:
    async def middleware(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        if cookie_secure:
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        # Pages hold children's data: never cached by the browser or anything between.
        if not request.url.path.startswith(("/assets/", "/static/")):
            response.headers["Cache-Control"] = "no-store"
        new_token = getattr(request.state, "new_anonymous_csrf", None)
        if new_token is not None:
            response.set_cookie(
                ANONYMOUS_CSRF_COOKIE,
                new_token,
                httponly=True,
                secure=cookie_secure,
                samesite="strict",
                path="/",
            )
        return response

    return middleware
