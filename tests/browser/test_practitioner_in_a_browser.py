"""A practitioner's journeys in Chromium: finding a child, break-glass revealed by GOV.UK
Frontend's conditional checkbox under the CSP, the chronology, an agency answering in its
inbox; and the pages pass axe-core's WCAG 2.2 AA rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from browser.conftest import LiveServer, axe_violations, sign_in
from seen.store import Store
from web.accounts import PASSWORD
from web.partnership import partnership_with_accounts

JUSTIFICATION = "She told her teacher she is frightened to go home tonight."


def ask_for_a_chronology(page: Any, base: str, reference: str, break_glass: bool) -> None:
    page.goto(f"{base}/children")
    page.get_by_label("Your reference for the child").fill(reference)
    page.get_by_role("button", name="Find the child").click()
    page.get_by_label("Safeguarding: protecting a child from harm").check()
    basis = "Safeguarding children and individuals at risk (Data Protection Act 2018, "
    page.get_by_label(basis + "schedule 1, paragraph 18)").check()
    if break_glass:
        box = page.get_by_label("Why is this a safeguarding emergency?")
        assert not box.is_visible()  # hidden until the checkbox reveals it
        page.get_by_label("This is a safeguarding emergency", exact=False).check()
        assert box.is_visible()
        box.fill(JUSTIFICATION)
    page.get_by_role("button", name="Ask for the chronology").click()
    page.wait_for_load_state()


def test_break_glass_is_revealed_asked_and_shown(
    served: Callable[[Callable[[Store], None]], LiveServer], page: Any
) -> None:
    server = served(partnership_with_accounts)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, server.url, "sw-amara", PASSWORD)
    ask_for_a_chronology(page, server.url, "C-1001", break_glass=True)
    assert page.locator("h1").inner_text() == "Chronology for child P0001"
    main = page.locator("main").inner_text()
    assert "Break-glass request" in main
    assert "Police incident: Domestic incident" in main
    assert errors == []


def test_the_police_answer_a_schools_request_in_their_inbox(
    served: Callable[[Callable[[Store], None]], LiveServer], browser: Any
) -> None:
    server = served(partnership_with_accounts)
    school = browser.new_context().new_page()
    sign_in(school, server.url, "dsl-ben", PASSWORD)
    ask_for_a_chronology(school, server.url, "S-2001", break_glass=False)
    assert "Waiting on an agency" in school.locator("main").inner_text()

    police = browser.new_context().new_page()
    sign_in(police, server.url, "pc-cara", PASSWORD)
    police.goto(f"{server.url}/inbox")
    police.get_by_role("link", name="Answer", exact=False).click()
    police.get_by_label("No, decline").check()
    police.get_by_role("button", name="Send your answer").click()
    assert police.title().startswith("Error: Answer a request to share")
    police.get_by_label("Reason").fill("An investigation is under way")
    police.get_by_role("button", name="Send your answer").click()
    assert police.locator("h1").inner_text() == "Inbox"
    assert "Declined" in police.locator("main").inner_text()

    school.reload()
    assert (
        "declined to share this: An investigation is under way"
        in school.locator("main").inner_text()
    )


def test_the_practitioner_pages_meet_wcag_22_aa(
    served: Callable[[Callable[[Store], None]], LiveServer], browser: Any
) -> None:
    server = served(partnership_with_accounts)
    context = browser.new_context()
    try:
        page = context.new_page()
        sign_in(page, server.url, "dsl-ben", PASSWORD)
        ask_for_a_chronology(page, server.url, "S-2001", break_glass=False)
        chronology = page.url.removeprefix(server.url)
    finally:
        context.close()

    def as_user(username: str) -> Callable[[Any], None]:
        return lambda p: sign_in(p, server.url, username, PASSWORD)

    for path in ["/children", "/children?reference=nobody", "/children/P0001", chronology]:
        assert axe_violations(browser, server.url + path, as_user("dsl-ben")) == [], path
    for path in ["/inbox", "/inbox/1"]:
        assert axe_violations(browser, server.url + path, as_user("pc-cara")) == [], path
