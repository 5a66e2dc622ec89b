"""A web app over a fresh store for each test, and a client that checks every page it gets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from seen.settings import Settings
from seen.store import Store
from seen.web import create_app
from web.clock import Clock
from web.page_checks import check_page


class CheckedClient(TestClient):
    """A TestClient that runs the page checks on every HTML answer (tests/web/page_checks)."""

    def request(self, method: str, url: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        response = super().request(method, url, *args, **kwargs)
        if response.headers.get("content-type", "").startswith("text/html"):
            check_page(response.text, f"{method} {url}")
        return response

    def csrf(self, path: str = "/") -> str:
        """The form token the page at `path` carries."""
        import re

        page = self.get(path)
        match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)


@pytest.fixture
def clock() -> Clock:
    return Clock(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC))


@pytest.fixture
def web_settings(store_settings: Settings) -> Settings:
    return store_settings.model_copy(update={"password_hash_profile": "cheapest"})


@pytest.fixture
def app(web_settings: Settings, store: Store, clock: Clock) -> Any:
    return create_app(web_settings, store=store, now=clock)


@pytest.fixture
def client(app: Any) -> Iterator[CheckedClient]:
    # https: the session cookie is Secure, as in production, so the client sends it only so.
    with CheckedClient(app, base_url="https://testserver", follow_redirects=False) as c:
        yield c
