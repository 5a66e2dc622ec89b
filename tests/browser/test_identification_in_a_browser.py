"""The fairness page, with its alert banner, and the model card and transparency record it
links to, in Chromium: they pass axe-core's WCAG 2.2 AA rules, the wide tables scroll inside
the page, and the banner is what a data protection officer sees first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from browser.conftest import LiveServer, axe_violations, sign_in
from seen.store import Store
from seen.store.evaluations import save_evaluation
from web.accounts import PASSWORD, add_accounts
from web.identification import NOW, hand_built_report

Served = Callable[[Callable[[Store], None]], LiveServer]


def seeded(store: Store) -> None:
    add_accounts(store)
    save_evaluation(store, hand_built_report(), NOW)


def test_the_fairness_pages_meet_wcag_22_aa(served: Served, browser: Any) -> None:
    server = served(seeded)

    def as_dpo(page: Any) -> None:
        sign_in(page, server.url, "dpo-council", PASSWORD)

    for path in (
        "/identification/fairness",
        "/identification/model-card",
        "/identification/transparency-record",
    ):
        assert axe_violations(browser, server.url + path, as_dpo) == [], path


def test_the_alert_banner_leads_the_fairness_page(served: Served, page: Any) -> None:
    server = served(seeded)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, server.url, "dpo-council", PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Fairness").click()
    banner = page.get_by_role("region", name="Fairness alert")
    assert banner.is_visible()
    assert "2 fairness alerts" in " ".join(banner.inner_text().split())
    assert "Quintile 1 (most deprived) (0.50)" in banner.inner_text()
    # The banner comes before the page's heading.
    assert page.evaluate(
        "document.querySelector('.govuk-notification-banner').compareDocumentPosition("
        "document.querySelector('h1')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    page.get_by_role("link", name="model card").first.click()
    assert page.title().startswith("Model card: early identification of hidden needs")
    assert errors == []
