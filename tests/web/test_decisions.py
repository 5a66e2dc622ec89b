"""Decision tracking: the decision a practitioner took after reading a chronology and why,
and later its outcome; the audit log records the codes, never their words."""

from __future__ import annotations

import re
from typing import Any

import pytest

from seen.store import Store
from web.partnership import (
    ask_on_page,
    audit_bytes,
    audit_entries,
    main_text,
    partnership_with_accounts,
    read,
    sign_in,
    signed_in_as,
)

REASON = "Mother disclosed fresh concerns about her partner at the school gate"
NOTE = "Conference held with all four agencies present"


@pytest.fixture(autouse=True)
def partnership(store: Store) -> None:
    partnership_with_accounts(store)


def decide(client: Any, request_id: str, decision: str, reason: str) -> Any:
    token = client.csrf(f"/requests/{request_id}")
    return client.post(
        f"/requests/{request_id}/decisions",
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


def test_a_practitioner_records_a_decision_and_later_its_outcome(client: Any, store: Store) -> None:
    sign_in(client, "sw-amara")
    request_id = ask_on_page(client)
    recorded = decide(client, request_id, "strategy_discussion", REASON)
    assert recorded.status_code == 303
    assert recorded.headers["location"] == f"/requests/{request_id}"
    page = read(client, f"/requests/{request_id}")
    assert "Strategy discussion" in page and REASON in page
    link = re.search(r'href="/decisions/(\d+)/outcome"', page)
    assert link, "no link to record the outcome"
    decision_id = link.group(1)

    outcome_page = f"/decisions/{decision_id}/outcome"
    token = client.csrf(outcome_page)
    answer = client.post(
        outcome_page, data=outcome_form(token, "child_protection_plan", "2", "11", "2026")
    )
    assert answer.status_code == 303
    child = read(client, "/children/P0001")
    assert "Strategy discussion" in child and "Child protection plan, 2 November 2026" in child
    assert NOTE in child
    again = client.post(outcome_page, data=outcome_form(token, "closed", "2", "11", "2026"))
    assert again.status_code == 404  # recorded once
    assert client.get(outcome_page).status_code == 303  # back to the chronology

    entries = [e for e in audit_entries(store) if e["kind"] in {"case_decision", "case_outcome"}]
    assert [(e["kind"], e["reasons"]) for e in entries] == [
        ("case_decision", ["strategy_discussion"]),
        ("case_outcome", ["child_protection_plan"]),
    ]
    assert all(
        (e["actor"], e["actor_agency"], e["person"], e["request"])
        == ("sw-amara", "northshire-council", "P0001", request_id)
        for e in entries
    )
    logged = audit_bytes(store)
    assert b"disclosed" not in logged and b"Conference" not in logged


def test_an_incomplete_decision_or_outcome_comes_back_with_its_errors(client: Any) -> None:
    sign_in(client, "sw-amara")
    request_id = ask_on_page(client)
    answer = decide(client, request_id, "", "  ")
    assert answer.status_code == 400
    page = main_text(answer.text)
    assert "Choose the decision you took" in page
    assert "Write the reason for your decision" in page
    assert "Referral to children's social care: Schools" in page  # still the chronology

    decide(client, request_id, "early_help", REASON)
    decision_id = re.findall(r"/decisions/(\d+)/outcome", read(client, f"/requests/{request_id}"))[
        0
    ]
    outcome_page = f"/decisions/{decision_id}/outcome"
    token = client.csrf(outcome_page)
    for day, month, year, message in [
        ("31", "2", "2026", "Enter the date of the outcome as a real date"),
        ("1", "1", "2027", "The date of the outcome must be today or before"),
        ("1", "1", "2026", "The date of the outcome must be on or after the decision"),
    ]:
        answer = client.post(outcome_page, data=outcome_form(token, "closed", day, month, year))
        assert answer.status_code == 400
        assert message in main_text(answer.text)
        assert 'href="#outcome_on-day"' in answer.text
    answer = client.post(outcome_page, data=outcome_form(token, "", "2", "11", "2026"))
    assert "Choose the outcome" in main_text(answer.text)


def test_another_practitioners_decision_is_not_found_like_no_decision_at_all(
    client: Any,
) -> None:
    sign_in(client, "sw-amara")
    request_id = ask_on_page(client)
    decide(client, request_id, "early_help", REASON)
    decision_id = re.findall(r"/decisions/(\d+)/outcome", read(client, f"/requests/{request_id}"))[
        0
    ]
    signed_in_as(client, "dsl-ben")
    guessed = client.get(f"/decisions/{decision_id}/outcome")
    nothing = client.get("/decisions/99999/outcome")
    assert guessed.status_code == nothing.status_code == 404
    assert guessed.text == nothing.text
    token = client.csrf("/children/P0001")
    posted = client.post(
        f"/decisions/{decision_id}/outcome", data=outcome_form(token, "closed", "2", "11", "2026")
    )
    assert posted.status_code == 404
    assert REASON not in main_text(posted.text)
    assert "Offer early help" not in read(client, "/children/P0001")  # not hers to see
