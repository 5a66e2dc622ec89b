"""A real browser against the real app: Playwright driving Debian's Chromium.

The app runs in uvicorn on a free loopback port, in a thread of the test process, over its
own SQLite store; each test gets a fresh browser context (no shared cookies). Browsers cannot
be downloaded here, so Playwright launches `/usr/bin/chromium` (`make test` installs it),
with the flags that stop Chromium reaching for the internet.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from seen.settings import Settings
from seen.store import Store, open_store
from seen.web import create_app
from store.factories import make_settings

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# WCAG 2.2 A and AA, as axe-core tags them.
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def _need(path: Path, what: str) -> None:
    if not path.exists():
        message = f"{what} is not at {path}; `make test` installs it"
        if os.environ.get("SEEN_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _need(CHROMIUM, "Debian's Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield launched
        finally:
            launched.close()


class LiveServer:
    """The app served by uvicorn in a background thread."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.store = store
        self.settings = settings
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        app = create_app(settings, store=store)
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the app did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def served(tmp_path: Path) -> Callable[[Callable[[Store], None]], LiveServer]:
    """Start the app over a fresh SQLite store, after `seed(store)` fills it."""
    started: list[LiveServer] = []

    def start(seed: Callable[[Store], None]) -> LiveServer:
        settings = make_settings(tmp_path / "data").model_copy(
            update={"password_hash_profile": "cheapest"}
        )
        store = open_store(settings)
        seed(store)
        server = LiveServer(settings, store).__enter__()
        started.append(server)
        return server

    yield start  # type: ignore[misc]
    for server in started:
        server.__exit__()
        server.store.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


def axe_violations(
    browser: Any, url: str, prepare: Callable[[Any], None] | None = None
) -> list[str]:
    """WCAG 2.2 AA violations axe-core finds on the page at `url` (after `prepare(page)`,
    e.g. signing in). The context bypasses the page's CSP only so axe's script can be added."""
    _need(AXE, "axe-core (npm)")
    context = browser.new_context(bypass_csp=True)
    try:
        page = context.new_page()
        if prepare is not None:
            prepare(page)
        page.goto(url)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
            WCAG_22_AA,
        )
        return [
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(n["target"]) for n in v["nodes"][:3])
            for v in result["violations"]
        ]
    finally:
        context.close()


def sign_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/sign-in")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
