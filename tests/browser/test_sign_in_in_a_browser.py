"""Signing in, in Chromium: the cookie works over loopback, GOV.UK Frontend's JavaScript runs
under the Content-Security-Policy, and the public pages pass axe-core's WCAG 2.2 AA rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from browser.conftest import LiveServer, axe_violations, sign_in
from seen.store import Store
from web.accounts import PASSWORD, add_accounts


def test_a_practitioner_signs_in_and_out(
    served: Callable[[Callable[[Store], None]], LiveServer], page: Any
) -> None:
    server = served(add_accounts)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, server.url, "sw-amara", PASSWORD)
    assert page.locator("h1").inner_text() == "Signed in as sw-amara"
    # GOV.UK Frontend's scripts ran: the body is marked, and nothing broke the CSP.
    assert "govuk-frontend-supported" in (page.locator("body").get_attribute("class") or "")
    assert errors == []
    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign out").click()
    assert page.locator("h1").inner_text() == "You have signed out"


def test_a_wrong_password_shows_the_error_summary_focused(
    served: Callable[[Callable[[Store], None]], LiveServer], page: Any
) -> None:
    server = served(add_accounts)
    sign_in(page, server.url, "sw-amara", "not the password")
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert page.title().startswith("Error: Sign in")
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")


def test_public_pages_meet_wcag_22_aa(
    served: Callable[[Callable[[Store], None]], LiveServer], browser: Any
) -> None:
    server = served(add_accounts)
    for path in ["/", "/sign-in", "/accessibility", "/no-such-page"]:
        assert axe_violations(browser, server.url + path) == [], path


def test_signed_in_start_page_meets_wcag_22_aa(
    served: Callable[[Callable[[Store], None]], LiveServer], browser: Any
) -> None:
    server = served(add_accounts)
    violations = axe_violations(
        browser, server.url + "/", lambda p: sign_in(p, server.url, "sw-amara", PASSWORD)
    )
    assert violations == []
