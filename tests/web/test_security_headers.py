"""Every answer carries the security headers; no page has inline script (docs/web.md)."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from web.conftest import CheckedClient


def test_every_answer_carries_the_security_headers(client: CheckedClient) -> None:
    for path in ["/", "/sign-in", "/no-such-page", "/api/v1/me", "/static/seen/seen.css"]:
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, path
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"


def test_pages_are_never_cached(client: CheckedClient) -> None:
    assert client.get("/sign-in").headers["cache-control"] == "no-store"


def test_no_page_has_inline_script_or_style(client: CheckedClient) -> None:
    for path in ["/", "/sign-in", "/accessibility", "/no-such-page"]:
        html = client.get(path).text
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, f"inline script on {path}: {tag}"
        assert "<style" not in html and " style=" not in html, path


def test_an_unknown_page_is_a_plain_404(client: CheckedClient) -> None:
    response = client.get("/children/../../etc/passwd")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_a_crash_answers_with_the_security_headers_too(app: Any) -> None:
    # Starlette answers a crash outside every middleware added to an app.
    def crash() -> None:
        raise RuntimeError("boom")

    app.add_api_route("/crash-for-the-test", crash)
    with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as client:
        response = client.get("/crash-for-the-test")
    assert response.status_code == 500
    assert "boom" not in response.text
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"
