"""An agency's inbox: other agencies' requests to release its records, approved or declined
with a reason by its practitioners or its DPO, with how long each took."""

from __future__ import annotations

import re
from typing import Any

import pytest

from seen.audit.log import AuditWriteError
from seen.store import Store
from web.clock import Clock
from web.partnership import (
    api_token,
    ask_on_page,
    audit_bytes,
    audit_entries,
    main_text,
    partnership_with_accounts,
    read,
    sign_in,
    signed_in_as,
)

JUSTIFICATION = "He arrived with a fresh injury and says he cannot go home tonight."


@pytest.fixture(autouse=True)
def partnership(store: Store) -> None:
    partnership_with_accounts(store)


def waiting_release(client: Any) -> str:
    """The id of the one release waiting in the signed-in agency's inbox."""
    (found,) = re.findall(r'href="/inbox/(\d+)"', client.get("/inbox").text)
    return str(found)


def test_the_police_approve_a_schools_request_and_the_school_then_sees_the_record(
    client: Any, store: Store, clock: Clock
) -> None:
    sign_in(client, "dsl-ben")
    request_id = ask_on_page(client)
    clock.advance(hours=3)
    signed_in_as(client, "pc-cara")
    inbox = read(client, "/inbox")
    assert "Police incident: Domestic incident, 9 May 2026" in inbox
    assert "dsl-ben (northshire-schools)" in inbox
    assert "3 hours" in inbox
    assert 'href="/inbox/contests"' in inbox and "Records contested by young people" in inbox
    release = waiting_release(client)
    page = read(client, f"/inbox/{release}")
    assert "N-3001" in page  # the police's own reference, on the police's own inbox
    token = client.csrf(f"/inbox/{release}")
    clock.advance(minutes=20)
    answer = client.post(f"/inbox/{release}", data={"csrf_token": token, "answer": "approve"})
    assert answer.status_code == 303 and answer.headers["location"] == "/inbox"
    inbox = read(client, "/inbox")
    assert "Nothing is waiting for an answer." in inbox
    assert "Approved" in inbox and "pc-cara" in inbox and "3 hours" in inbox
    again = client.post(f"/inbox/{release}", data={"csrf_token": token, "answer": "decline"})
    assert again.status_code == 404  # answered once

    signed_in_as(client, "dsl-ben")
    chronology = read(client, f"/requests/{request_id}")
    assert "Police incident: Domestic incident" in chronology
    assert "northshire-police agreed to share this." not in chronology  # shown, not withheld
    assert any(e["kind"] == "approval" and e["actor"] == "pc-cara" for e in audit_entries(store))


def test_declining_needs_a_reason_which_the_asker_then_reads(client: Any, store: Store) -> None:
    sign_in(client, "dsl-ben")
    request_id = ask_on_page(client)
    signed_in_as(client, "dpo-police")
    release = waiting_release(client)
    token = client.csrf(f"/inbox/{release}")
    for form, message in [
        ({}, "Choose whether to share the record"),
        ({"answer": "decline", "reason": " "}, "Write why you are declining to share it"),
    ]:
        answer = client.post(f"/inbox/{release}", data={"csrf_token": token, **form})
        assert answer.status_code == 400
        assert message in main_text(answer.text)
    reason = "An investigation is under way"
    answer = client.post(
        f"/inbox/{release}", data={"csrf_token": token, "answer": "decline", "reason": reason}
    )
    assert answer.status_code == 303
    assert "Declined" in read(client, "/inbox")

    signed_in_as(client, "dsl-ben")
    chronology = read(client, f"/requests/{request_id}")
    assert f"northshire-police declined to share this: {reason}" in chronology
    assert "Domestic" not in chronology
    (refusal,) = [e for e in audit_entries(store) if e["kind"] == "refusal"]
    assert refusal["actor"] == "dpo-police"
    assert refusal["reasons"] == ["declined_by_originator"]
    assert b"investigation" not in audit_bytes(store)


def test_a_break_glass_request_is_marked_urgent(client: Any) -> None:
    sign_in(client, "dsl-ben")
    ask_on_page(client, lawful_basis="dpa-2018-sch1-para18", justification=JUSTIFICATION)
    signed_in_as(client, "pc-cara")
    assert "Urgent: break-glass" in read(client, "/inbox")
    page = read(client, f"/inbox/{waiting_release(client)}")
    assert "Urgent" in page
    assert "injury" not in page  # the justification is for the reviewers, not the inbox


def test_another_agencys_release_is_not_found_like_no_release_at_all(client: Any) -> None:
    sign_in(client, "dsl-ben")
    ask_on_page(client)
    signed_in_as(client, "pc-cara")
    release = waiting_release(client)
    for username in ("hv-dev", "dpo-council", "sw-amara"):
        signed_in_as(client, username)
        assert "Domestic" not in read(client, "/inbox")
        guessed = client.get(f"/inbox/{release}")
        nothing = client.get("/inbox/99999")
        assert guessed.status_code == nothing.status_code == 404
        assert guessed.text == nothing.text
        token = client.csrf("/sign-out")
        posted = client.post(f"/inbox/{release}", data={"csrf_token": token, "answer": "approve"})
        assert posted.status_code == 404
        api = client.get(f"/api/v1/inbox/{release}", headers=api_token(client, username))
        assert api.status_code == 404 and "Domestic" not in api.text
    signed_in_as(client, "pc-cara")
    assert waiting_release(client) == release  # still waiting


def reads_by(store: Store, actor: str) -> list[dict[str, Any]]:
    """The decision entries of `actor` reading records (their inbox's, here)."""
    return [e for e in audit_entries(store) if e["kind"] == "decision" and e["actor"] == actor]


def test_every_inbox_view_decides_and_records_the_record_it_shows(
    client: Any, store: Store
) -> None:
    sign_in(client, "dsl-ben")
    request_id = ask_on_page(client)
    signed_in_as(client, "pc-cara")
    release = waiting_release(client)
    (listed,) = reads_by(store, "pc-cara")
    assert (listed["request"], listed["record_agency"]) == (request_id, "northshire-police")
    assert (listed["decision"], listed["reasons"]) == ("allow", ["own_agency"])
    read(client, f"/inbox/{release}")
    headers = api_token(client, "pc-cara")
    (shown,) = client.get("/api/v1/inbox", headers=headers).json()["waiting"]
    assert shown["record"]["record_ref"] == "N-3001"
    one = client.get(f"/api/v1/inbox/{release}", headers=headers).json()
    assert (one["id"], one["record"]) == (shown["id"], shown["record"])
    assert len(reads_by(store, "pc-cara")) == 4  # the list, the release, the API's two
    answered = client.post(f"/api/v1/inbox/{release}", json={"approve": True}, headers=headers)
    assert answered.status_code == 200
    entries = audit_entries(store)
    assert [e["kind"] for e in entries[-2:]] == ["decision", "approval"]  # read, then released


def test_nothing_is_shown_or_answered_when_the_log_cannot_record_the_read(
    client: Any, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(client, "dsl-ben")
    ask_on_page(client)
    signed_in_as(client, "pc-cara")
    release = waiting_release(client)
    token = client.csrf(f"/inbox/{release}")
    headers = api_token(client, "pc-cara")

    def broken(*args: object, **kwargs: object) -> list[int]:
        raise AuditWriteError("the log is unavailable")

    monkeypatch.setattr("seen.policy.audited.append", broken)
    answers = [
        client.get("/inbox"),
        client.get(f"/inbox/{release}"),
        client.post(f"/inbox/{release}", data={"csrf_token": token, "answer": "approve"}),
        client.get("/api/v1/inbox", headers=headers),
        client.post(f"/api/v1/inbox/{release}", json={"approve": True}, headers=headers),
    ]
    for answer in answers:
        assert answer.status_code == 503
        for content in ("Domestic", "N-3001", "dsl-ben", "9 May 2026", "2026-05-09"):
            assert content not in answer.text
    assert "Nothing has been shown" in main_text(answers[0].text)
    monkeypatch.undo()
    assert waiting_release(client) == release  # still waiting: nothing was released
    assert not [e for e in audit_entries(store) if e["kind"] == "approval"]
