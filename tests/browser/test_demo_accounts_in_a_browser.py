"""The demo's accounts in Chromium: each role signs in with the password the demo printed and
sees its own service navigation; the young person's start page passes axe-core's WCAG 2.2 AA
rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from browser.conftest import LiveServer, axe_violations, sign_in
from seen.domain.accounts import AccountRole
from seen.identify.review import reviewer_for
from seen.store import Store
from seen.web.templating import NAVIGATION, PROMPTS_LINK
from seen.web_demo import WebDemo, set_up_web_demo
from sharing.factories import linked_partnership
from store.factories import make_settings


def demo_server(
    served: Callable[[Callable[[Store], None]], LiveServer], tmp_path: Path
) -> tuple[LiveServer, WebDemo]:
    made: list[WebDemo] = []
    settings = make_settings(tmp_path / "demo").model_copy(
        update={"password_hash_profile": "cheapest"}
    )

    def seed(store: Store) -> None:
        linked_partnership(store)
        made.append(set_up_web_demo(store, settings, dt.datetime.now(dt.UTC)))

    server = served(seed)
    return server, made[0]


def test_every_demo_account_signs_in_and_sees_its_navigation(
    served: Callable[[Callable[[Store], None]], LiveServer], browser: Any, tmp_path: Path
) -> None:
    server, demo = demo_server(served, tmp_path)
    assert {account.role for account in demo.accounts} == set(AccountRole)
    for account in demo.accounts:
        context = browser.new_context()
        try:
            page = context.new_page()
            sign_in(page, server.url, account.username, account.password)
            assert page.locator("h1").inner_text() == f"Signed in as {account.username}"
            navigation = page.locator(".govuk-service-navigation__list a").all_inner_texts()
            expected = [label for label, _ in NAVIGATION[account.role]]
            reviews = account.agency is not None and reviewer_for(
                server.store, account.username, account.agency
            )
            if account.role is AccountRole.PRACTITIONER and reviews:
                expected.append(PROMPTS_LINK[0])  # their agency reviews prompts
            assert [n.strip() for n in navigation] == expected
        finally:
            context.close()


def test_the_young_persons_start_page_meets_wcag_22_aa(
    served: Callable[[Callable[[Store], None]], LiveServer], browser: Any, tmp_path: Path
) -> None:
    # The practitioner's is checked in test_sign_in_in_a_browser; the other roles' differ
    # only in their navigation links.
    server, demo = demo_server(served, tmp_path)
    (young,) = [a for a in demo.accounts if a.role is AccountRole.YOUNG_PERSON]
    violations = axe_violations(
        browser, server.url + "/", lambda p: sign_in(p, server.url, young.username, young.password)
    )
    assert violations == []
