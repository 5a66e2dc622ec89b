"""The governance and linkage review journeys in Chromium: the pages pass axe-core's WCAG 2.2
AA rules, and the forms work with GOV.UK Frontend's scripts under the CSP."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from browser.conftest import LiveServer, axe_violations, sign_in
from seen.store import Store
from web.accounts import PASSWORD
from web.governance import break_glass, governed_partnership, review_queue

Served = Callable[[Callable[[Store], None]], LiveServer]


def seeded(store: Store) -> None:
    governed_partnership(store)
    break_glass(store, "sw-amara", "northshire-council", "P0001")
    review_queue(store)


def test_governance_pages_meet_wcag_22_aa(served: Served, browser: Any) -> None:
    server = served(seeded)
    request_id = (
        server.store.engine.connect().exec_driver_sql("SELECT id FROM sharing_requests").scalar()
    )

    def as_admin(page: Any) -> None:
        sign_in(page, server.url, "admin-rosa", PASSWORD)

    for path in [
        "/governance/agreements",
        "/governance/agreements/ISA-NS-SAFEGUARDING",
        "/governance/agreements/new",
        "/governance/break-glass",
        f"/governance/break-glass/{request_id}",
        "/governance/audit",
    ]:
        assert axe_violations(browser, server.url + path, as_admin) == [], path

    def as_analyst(page: Any) -> None:
        sign_in(page, server.url, "analyst-gus", PASSWORD)

    assert axe_violations(browser, server.url + "/linkage/review", as_analyst) == []


def test_the_administrator_suspends_an_agreement_in_the_browser(served: Served, page: Any) -> None:
    server = served(seeded)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, server.url, "admin-rosa", PASSWORD)
    page.goto(server.url + "/governance/agreements")
    page.get_by_role("link", name="ISA-NS-SAFEGUARDING").click()
    page.get_by_label("Suspend it").check()
    page.get_by_label("Why").fill("A partner reported a breach")
    page.get_by_role("button", name="Change the status").click()
    assert (
        page.locator(".govuk-notification-banner")
        .inner_text()
        .endswith("The agreement is now suspended.")
    )
    assert errors == []


def test_a_wrong_agreement_shows_the_error_summary_focused(served: Served, page: Any) -> None:
    server = served(seeded)
    sign_in(page, server.url, "admin-rosa", PASSWORD)
    page.goto(server.url + "/governance/agreements/new")
    page.get_by_role("button", name="Add the agreement").click()
    assert page.title().startswith("Error: Add an agreement")
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    page.get_by_role("link", name="Enter the reference").click()
    assert page.evaluate("document.activeElement.id") == "ref"


def test_the_analyst_decides_a_pair_in_the_browser(served: Served, page: Any) -> None:
    server = served(seeded)
    sign_in(page, server.url, "analyst-gus", PASSWORD)
    page.goto(server.url + "/linkage/review")
    first = page.locator("form").first
    first.get_by_label("No, different people").check()
    first.get_by_label("Why").fill("Family names disagree outright")
    first.get_by_role("button", name="Record the decision").click()
    assert "has been recorded" in page.locator(".govuk-notification-banner").inner_text()
    assert "1 of 2 uncertain pairs" in " ".join(page.locator("main").inner_text().split())
