"""The young person's journeys in Chromium: signing in to see what is held about them,
changing a sharing choice with GOV.UK radios, adding their own words; and their pages pass
axe-core's WCAG 2.2 AA rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from browser.conftest import LiveServer, axe_violations, sign_in
from seen.store import Store
from web.accounts import PASSWORD
from web.young_people import practitioner_looks, young_partnership

PAGES = ["/me", "/me/access", "/me/choices", "/me/voice", "/me/young-carer"]


def test_the_young_person_sees_what_is_held_changes_a_choice_and_says_their_piece(
    served: Callable[[Callable[[Store], None]], LiveServer], page: Any
) -> None:
    server = served(young_partnership)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, server.url, "yp-p0001", PASSWORD)
    page.goto(f"{server.url}/me")
    assert page.locator("h1").inner_text() == "What is held about you"
    assert "Police incident: Domestic incident" in page.locator("main").inner_text()

    page.get_by_role("link", name="My choices").click()
    page.get_by_role("link", name="Change Contact with the police").click()
    council = page.get_by_role("group", name="Children's services at the council")
    council.get_by_label("Don't share", exact=True).check()
    page.get_by_role("button", name="Save your choices").click()
    assert page.locator("h1").inner_text() == "Your sharing choices"
    chosen = page.locator("main").inner_text()
    assert "You chose: Contact with the police, Children's services: Don't share" in chosen

    page.get_by_role("link", name="My voice").click()
    page.get_by_label("What do you want to say?").fill("I was only there when the police came.")
    page.get_by_role("button", name="Save what you said").click()
    page.goto(f"{server.url}/me/voice")
    assert "I was only there when the police came." in page.locator("main").inner_text()
    assert errors == []


def test_the_young_persons_pages_meet_wcag_22_aa(
    served: Callable[[Callable[[Store], None]], LiveServer], browser: Any
) -> None:
    def seed(store: Store) -> None:
        young_partnership(store)
        practitioner_looks(store)  # so "who looked" has rows to check

    server = served(seed)

    def as_young_person(page: Any) -> None:
        sign_in(page, server.url, "yp-p0001", PASSWORD)

    for path in PAGES:
        assert axe_violations(browser, server.url + path, as_young_person) == [], path
