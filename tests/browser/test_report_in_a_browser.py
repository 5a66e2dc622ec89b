"""The analyst's dashboard and the public transparency page in Chromium: both pass axe-core's
WCAG 2.2 AA rules with a report published (charts and their tables), and the analyst produces
a report from the dashboard with GOV.UK Frontend's scripts under the CSP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from browser.conftest import LiveServer, axe_violations, sign_in
from seen.report.partnership import produce
from seen.store import Store
from seen.store.published_reports import save_report
from web.accounts import PASSWORD
from web.governance import break_glass, governed_partnership

Served = Callable[[Callable[[Store], None]], LiveServer]
NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def published(store: Store) -> None:
    governed_partnership(store)
    break_glass(store, "sw-amara", "northshire-council", "P0001")
    save_report(store, produce(store, NOW), NOW)


def test_the_dashboard_and_the_public_page_meet_wcag_22_aa(served: Served, browser: Any) -> None:
    server = served(published)

    def as_analyst(page: Any) -> None:
        sign_in(page, server.url, "analyst-gus", PASSWORD)

    assert axe_violations(browser, server.url + "/dashboard", as_analyst) == []
    assert axe_violations(browser, server.url + "/transparency") == []


def test_the_analyst_produces_a_report_from_the_dashboard(served: Served, page: Any) -> None:
    server = served(governed_partnership)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, server.url, "analyst-gus", PASSWORD)
    page.goto(server.url + "/dashboard")
    page.get_by_role("button", name="Produce the report now").click()
    assert "Report 1 has been produced." in page.locator(".govuk-notification-banner").inner_text()
    charts = page.get_by_role(
        "img", name="Requests for a joined-up chronology, by purpose and the asking agency"
    )
    assert charts.count() == 1
    assert page.get_by_role("table", name="Requests for a joined-up chronology").count() >= 1
    assert errors == []
