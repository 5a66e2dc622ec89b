"""The prompt review pages: a reviewer of the agency a prompt is for sees the queue, opens a
prompt with its evidence in plain words, decides with a reason (errors in a GOV.UK summary)
and later records the outcome; each step is audited, codes only; a decided prompt leaves the
queue; an expired one is in no queue and cannot be opened."""

from __future__ import annotations

import re
from typing import Any

import pytest

from identify.factories import prompt_for
from seen.audit.log import AuditWriteError
from seen.identify.labels import Need
from seen.store import Store
from web.clock import Clock
from web.conftest import CheckedClient
from web.partnership import audit_bytes, audit_entries, main_text, read, sign_in, signed_in_as
from web.prompts import partnership_with_prompts

REASON = "His mum's MS has got worse and he has missed most Monday mornings this term"
NOTE = "He has joined the Tuesday young carers' group"


@pytest.fixture(autouse=True)
def partnership(store: Store) -> None:
    partnership_with_prompts(store)


def decide(client: Any, prompt_id: int, decision: str, reason: str) -> Any:
    token = client.csrf(f"/prompts/{prompt_id}")
    return client.post(
        f"/prompts/{prompt_id}/decisions",
        data={"csrf_token": token, "decision": decision, "reason": reason},
    )


def outcome_form(token: str, outcome: str, day: str, month: str, year: str) -> dict[str, str]:
    return {
        "csrf_token": token,
        "outcome": outcome,
        "note": NOTE,
        "outcome_on-day": day,
        "outcome_on-month": month,
        "outcome_on-year": year,
    }


def test_a_reviewer_decides_on_a_prompt_and_later_records_its_outcome(
    client: CheckedClient, store: Store
) -> None:
    first = prompt_for(store, Need.YOUNG_CARER, "P0001")
    sign_in(client, "ycw-yara")
    home = read(client, "/")
    assert "Prompts to review" in home
    queue = read(client, "/prompts")
    assert "Possible hidden young carer" in queue
    assert "Suggested action: offer a young carers' conversation or assessment" in queue
    assert "Child P0001" in queue and "Child P0002" in queue
    assert "About 3 in 10 (0.28)" in queue and "About 6 in 100 (0.06)" in queue
    assert "School absence, last 12 months" in queue
    assert "Possible exploitation risk" not in queue  # children's services' need

    page = read(client, f"/prompts/{first.id}")
    assert "Possible hidden young carer: child P0001" in page
    assert "northshire-young-carers holds no record about this child" in page
    assert "you cannot ask for a chronology in Seen" in page
    for words in (
        "School absence, last 12 months",
        "14.5% of sessions missed",
        "Domestic incidents the child was present at, last 24 months",
        "Police",
        "+0.87",
        "northshire-police (Police)",
        "the model's estimate of the chance that an agency records this need within a year",
    ):
        assert words in page, words
    assert "DOMESTIC" not in page and "2026-05-09" not in page  # no record is shown

    incomplete = decide(client, first.id, "", " ")
    assert incomplete.status_code == 400
    assert "<title>Error: Possible hidden young carer: child P0001" in incomplete.text
    text = main_text(incomplete.text)
    assert "There is a problem" in text
    assert "Choose your decision" in text and "Write the reason for your decision" in text
    assert 'href="#decision"' in incomplete.text and 'href="#reason"' in incomplete.text

    decided = decide(client, first.id, "offer_support", REASON)
    assert decided.status_code == 303
    assert decided.headers["location"] == "/prompts?recorded=decision"
    queue = read(client, "/prompts?recorded=decision")
    assert "Your decision has been recorded" in queue
    assert f'href="/prompts/{first.id}"' not in client.get("/prompts").text  # left the queue
    link = re.search(r'href="(/prompts/decisions/(\d+)/outcome)"', client.get("/prompts").text)
    assert link, "no link to record the outcome"
    outcome_page = link.group(1)
    page = read(client, outcome_page)
    assert "Offer support" in page and REASON in page

    token = client.csrf(outcome_page)
    wrong = client.post(outcome_page, data=outcome_form(token, "panel_plan", "31", "2", "2026"))
    assert wrong.status_code == 400
    assert "Choose the outcome" in main_text(wrong.text)
    assert "Enter the date of the outcome as a real date" in main_text(wrong.text)
    assert 'href="#outcome_on-day"' in wrong.text
    done = client.post(
        outcome_page, data=outcome_form(token, "support_accepted", "2", "11", "2026")
    )
    assert done.status_code == 303 and done.headers["location"] == "/prompts?recorded=outcome"
    again = client.post(
        outcome_page, data=outcome_form(token, "support_declined", "2", "11", "2026")
    )
    assert again.status_code == 409
    assert "An outcome for this decision is already recorded" in main_text(again.text)
    page = read(client, outcome_page)
    assert "Support was offered and accepted" in page and NOTE in page

    kinds = [(e["kind"], e["reasons"]) for e in audit_entries(store)]
    assert ("prompt_decision", ["offer_support", "young_carer"]) in kinds
    assert ("prompt_outcome", ["support_accepted", "young_carer"]) in kinds
    assert ("prompt_view", ["prompt"]) in kinds and ("prompt_view", ["prompt_queue"]) in kinds
    logged = audit_bytes(store)
    assert b"Monday" not in logged and b"Tuesday" not in logged


def test_a_second_decision_from_a_stale_form_is_refused_plainly(
    client: CheckedClient, store: Store
) -> None:
    first = prompt_for(store, Need.EXPLOITATION, "P0001")
    sign_in(client, "sw-amara")
    token = client.csrf(f"/prompts/{first.id}")
    form = {"csrf_token": token, "decision": "refer", "reason": "Panel next week"}
    assert client.post(f"/prompts/{first.id}/decisions", data=form).status_code == 303
    again = client.post(f"/prompts/{first.id}/decisions", data={**form, "decision": "no_action"})
    assert again.status_code == 409
    text = main_text(again.text)
    assert "A decision on this prompt is already recorded" in text
    assert "This prompt is decided for its evidence" in text
    assert [e["reasons"][0] for e in audit_entries(store) if e["kind"] == "prompt_decision"] == [
        "refer"
    ]


def test_a_reviewer_whose_agency_holds_a_record_is_pointed_to_the_chronology(
    client: CheckedClient, store: Store
) -> None:
    sign_in(client, "sw-amara")
    queue = read(client, "/prompts")
    assert "Possible exploitation risk" in queue and "Possible hidden young carer" not in queue
    known = read(client, f"/prompts/{prompt_for(store, Need.EXPLOITATION, 'P0001').id}")
    assert "C-1001" in known
    assert (
        'href="/children/P0001#ask"'
        in client.get(f"/prompts/{prompt_for(store, Need.EXPLOITATION, 'P0001').id}").text
    )
    unknown = read(client, f"/prompts/{prompt_for(store, Need.EXPLOITATION, 'P0002').id}")
    assert "northshire-council holds no record about this child" in unknown


def test_an_expired_prompt_is_in_no_queue_and_is_not_found(
    client: CheckedClient, store: Store, clock: Clock
) -> None:
    first = prompt_for(store, Need.YOUNG_CARER, "P0001")
    sign_in(client, "ycw-yara")
    clock.advance(days=(first.expires_on - clock.at.date()).days)  # midnight UTC + 9 hours
    sign_in(client, "ycw-yara")  # the session lapsed meanwhile
    queue = read(client, "/prompts")
    assert "There are no prompts waiting for a decision" in queue and "P0001" not in queue
    assert client.get(f"/prompts/{first.id}").status_code == 404
    assert decide_without_page(client, first.id).status_code == 404


def decide_without_page(client: Any, prompt_id: int) -> Any:
    token = client.csrf("/sign-out")
    return client.post(
        f"/prompts/{prompt_id}/decisions",
        data={"csrf_token": token, "decision": "refer", "reason": "Too late"},
    )


def test_the_navigation_offers_the_queue_only_where_it_can_be_used(client: CheckedClient) -> None:
    for username, offered in [("ycw-yara", True), ("sw-amara", True), ("dsl-ben", False)]:
        signed_in_as(client, username)
        assert ('href="/prompts"' in client.get("/").text) is offered, username
    for username in ("admin-rosa", "dpo-council"):
        signed_in_as(client, username)
        assert 'href="/governance/prompts"' in client.get("/").text


def test_nothing_is_shown_when_the_log_cannot_record_the_look(
    client: CheckedClient, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = prompt_for(store, Need.YOUNG_CARER, "P0001")
    sign_in(client, "ycw-yara")
    token = client.csrf("/sign-out")

    def broken(*args: object, **kwargs: object) -> None:
        raise AuditWriteError("the log is unavailable")

    monkeypatch.setattr("seen.identify.review.append", broken)
    monkeypatch.setattr("seen.identify.review.append_in", broken)
    answers = [
        client.get("/prompts"),
        client.get(f"/prompts/{first.id}"),
        client.post(
            f"/prompts/{first.id}/decisions",
            data={"csrf_token": token, "decision": "refer", "reason": REASON},
        ),
    ]
    for answer in answers:
        assert answer.status_code == 503
        assert "P0001" not in answer.text and "absence" not in answer.text
