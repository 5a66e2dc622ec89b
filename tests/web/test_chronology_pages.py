"""A practitioner's chronology page: every record shared with them in date order with its
source, a plain reason for every record not shown, break-glass, and nothing at all when the
audit log cannot record the view (docs/web.md, "A practitioner's journeys")."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest

from seen.audit.log import AuditWriteError
from seen.domain.sharing import Choice
from seen.store import Store
from seen.store.governance import PreferenceRecord, record_preference
from sharing.factories import NOW
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

JUSTIFICATION = "She disclosed at school today that she is afraid to go home tonight."


@pytest.fixture(autouse=True)
def partnership(store: Store) -> None:
    partnership_with_accounts(store)


def test_a_chronology_shows_shared_records_by_date_and_says_why_others_are_not(
    client: Any,
) -> None:
    sign_in(client, "sw-amara")
    request_id = ask_on_page(client)
    page = read(client, f"/requests/{request_id}")
    shown = [
        "Referral to children's social care: Schools",  # 3 February, the council's own
        "School attendance for a term",  # 1 April
        "Police incident: Domestic incident",  # 9 May
        "Emergency department attendance: Injury",  # 20 June
    ]
    positions = [page.index(description) for description in shown]
    assert positions == sorted(positions)
    assert "3 February 2026" in page and "northshire-police" in page
    assert "Self-harm" not in page and "2 July 2026" not in page  # restricted: not shown
    assert "Not shared" in page
    assert "No agreement in force lets northshire-health share this kind of record" in page
    assert "mental_health" not in page and "mental health" not in page.lower()


def test_a_school_reads_that_it_is_waiting_for_police_approval(client: Any) -> None:
    sign_in(client, "dsl-ben")
    page = read(client, f"/requests/{ask_on_page(client)}")
    assert "Waiting on an agency" in page
    assert "Waiting for northshire-police to approve sharing it: a request is in its inbox." in page
    assert "Domestic" not in page and "9 May 2026" not in page


def test_an_incomplete_request_comes_back_with_its_errors(client: Any) -> None:
    sign_in(client, "sw-amara")
    token = client.csrf("/children/P0001")
    answer = client.post(
        "/children/P0001/requests",
        data={"csrf_token": token, "break_glass": "yes", "justification": "urgent"},
    )
    assert answer.status_code == 400
    page = main_text(answer.text)
    assert "Choose the purpose of the request" in page
    assert "Choose the lawful basis for sharing" in page
    assert "in at least 20 letters" in page
    assert 'href="#justification"' in page


def test_break_glass_shows_what_a_do_not_share_wish_hid_and_logs_only_a_digest(
    client: Any, store: Store
) -> None:
    record_preference(
        store,
        PreferenceRecord(
            "P0001",
            "attendance",
            "childrens_services",
            Choice.DO_NOT_SHARE,
            NOW - dt.timedelta(days=1),
            "P0001",
            "self_service",
            "notice-1",
        ),
    )
    sign_in(client, "sw-amara")
    ordinary = read(client, f"/requests/{ask_on_page(client)}")
    assert "School attendance for a term" not in ordinary
    assert "asked for this not to be shared with your kind of agency" in ordinary

    urgent = ask_on_page(
        client,
        purpose="safeguarding",
        lawful_basis="dpa-2018-sch1-para18",
        justification=JUSTIFICATION,
    )
    page = read(client, f"/requests/{urgent}")
    assert "Break-glass request" in page
    assert "School attendance for a term" in page
    assert "Self-harm" not in page  # break-glass never opens a restricted record

    logged = [e for e in audit_entries(store) if e.get("request") == urgent]
    glass = [e for e in logged if e["kind"] == "break_glass"]
    assert glass and all(
        e["justification_sha256"] == hashlib.sha256(JUSTIFICATION.encode()).hexdigest()
        for e in glass
    )
    assert b"afraid" not in audit_bytes(store)
    child = read(client, "/children/P0001")
    assert "Break-glass" in child  # the request is marked on the child's page


def test_another_practitioners_request_is_not_found_like_no_request_at_all(
    client: Any, store: Store
) -> None:
    sign_in(client, "sw-amara")
    theirs = ask_on_page(client)
    signed_in_as(client, "dsl-ben")
    before = len(audit_entries(store))
    guessed = client.get(f"/requests/{theirs}")
    nothing = client.get("/requests/0123456789abcdef0123456789abcdef")
    assert guessed.status_code == nothing.status_code == 404
    assert guessed.text == nothing.text
    assert "Referral" not in guessed.text
    token = client.csrf("/children/P0001")
    posted = client.post(
        f"/requests/{theirs}/decisions",
        data={"csrf_token": token, "decision": "early_help", "reason": "A guess"},
    )
    assert posted.status_code == 404
    assert len(audit_entries(store)) == before + 1  # the child page only


def test_nothing_is_shown_when_the_audit_log_cannot_record(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(client, "sw-amara")
    request_id = ask_on_page(client)

    def broken(*args: object, **kwargs: object) -> None:
        raise AuditWriteError("the log is unavailable")

    monkeypatch.setattr("seen.policy.audited.append", broken)
    monkeypatch.setattr("seen.sharing.involvement.append", broken)
    chronology = client.get(f"/requests/{request_id}")
    assert chronology.status_code == 503
    child = client.get("/children/P0001")
    assert child.status_code == 503
    for answer in (chronology, child):
        text = main_text(answer.text)
        assert "Nothing has been shown" in text
        for content in ("Referral", "School attendance", "Police incident", "pc-cara", "C-1001"):
            assert content not in text
