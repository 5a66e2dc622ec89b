"""Contesting a record: the young person says it is wrong, the holding agency's inbox gets it,
its practitioners or DPO answer, and the answer comes back; other agencies never see it, and
the audit log records both steps by ids only."""

from __future__ import annotations

import html
import json

import pytest

from seen.audit.log import AuditWriteError, stream_entries
from seen.store import Store
from web.conftest import CheckedClient
from web.young_people import bearer, event_of, sign_in, young_partnership

WORDS = "I was not there that night, I was at my nan's."
ANSWER = "We checked and you are right. We will fix our record."


@pytest.fixture(autouse=True)
def partnership(store: Store) -> None:
    young_partnership(store)


def contest_police_record(client: CheckedClient, store: Store) -> int:
    police = event_of(store, "N-3001")
    sign_in(client, "yp-p0001")
    form = client.get(f"/me/records/{police}/contest")
    assert form.status_code == 200
    token = client.csrf("/me/voice")
    empty = client.post(f"/me/records/{police}/contest", data={"text": " ", "csrf_token": token})
    assert empty.status_code == 400
    sent = client.post(f"/me/records/{police}/contest", data={"text": WORDS, "csrf_token": token})
    assert sent.status_code == 303
    client.cookies.clear()
    return police


def test_a_contest_reaches_the_holding_agency_and_its_answer_comes_back(
    client: CheckedClient, store: Store
) -> None:
    contest_police_record(client, store)
    sign_in(client, "yp-p0001")
    mine = html.unescape(client.get("/me/contests").text)
    assert WORDS in mine and "Waiting for an answer" in mine
    assert "You said this is wrong" in client.get("/me").text
    client.cookies.clear()

    sign_in(client, "pc-cara")
    inbox = html.unescape(client.get("/inbox/contests").text)
    assert WORDS in inbox and "N-3001" in inbox
    contest_id = int(inbox.split('href="/inbox/contests/')[1].split('"')[0])
    token = client.csrf(f"/inbox/contests/{contest_id}")
    unexplained = client.post(
        f"/inbox/contests/{contest_id}", data={"outcome": "agreed", "csrf_token": token}
    )
    assert unexplained.status_code == 400
    answered = client.post(
        f"/inbox/contests/{contest_id}",
        data={"outcome": "agreed", "answer": ANSWER, "csrf_token": token},
    )
    assert answered.status_code == 303
    assert client.get(f"/inbox/contests/{contest_id}").status_code == 404  # answered once
    client.cookies.clear()

    sign_in(client, "yp-p0001")
    mine = client.get("/me/contests").text
    assert ANSWER in mine
    assert "They agreed it was wrong and will correct it" in mine


def test_another_agency_cannot_see_or_answer_it(client: CheckedClient, store: Store) -> None:
    contest_police_record(client, store)
    sign_in(client, "pc-cara")
    inbox = client.get("/inbox/contests").text
    contest_id = int(inbox.split('href="/inbox/contests/')[1].split('"')[0])
    client.cookies.clear()
    for username in ("dpo-health", "sw-amara"):
        sign_in(client, username)
        assert WORDS not in html.unescape(client.get("/inbox/contests").text)
        assert client.get(f"/inbox/contests/{contest_id}").status_code == 404
        token = client.csrf("/sign-out")
        refused = client.post(
            f"/inbox/contests/{contest_id}",
            data={"outcome": "disagreed", "answer": "No", "csrf_token": token},
        )
        assert refused.status_code == 404
        client.cookies.clear()
    headers = bearer(client, "dpo-health")
    assert client.get("/api/v1/inbox/contests", headers=headers).json() == []
    assert client.get(f"/api/v1/inbox/contests/{contest_id}", headers=headers).status_code == 404
    api = client.post(
        f"/api/v1/inbox/contests/{contest_id}",
        json={"outcome": "disagreed", "answer": "No"},
        headers=headers,
    )
    assert api.status_code == 404


def test_the_police_dpo_answers_through_the_api(client: CheckedClient, store: Store) -> None:
    contest_police_record(client, store)
    headers = bearer(client, "dpo-police")
    (contest,) = client.get("/api/v1/inbox/contests", headers=headers).json()
    assert contest["text"] == WORDS and contest["status"] == "open"
    one = client.get(f"/api/v1/inbox/contests/{contest['id']}", headers=headers)
    assert one.json() == contest  # the same, alone, as on its page
    answered = client.post(
        f"/api/v1/inbox/contests/{contest['id']}",
        json={"outcome": "disagreed", "answer": "Our officer saw you there."},
        headers=headers,
    )
    assert answered.status_code == 200
    assert answered.json()["answered_by"] == "dpo-police"
    mine = client.get("/api/v1/me/contests", headers=bearer(client, "yp-p0001")).json()
    assert mine[0]["outcome"] == "disagreed"


def test_the_young_person_and_other_roles_cannot_use_the_agency_inbox(
    client: CheckedClient,
) -> None:
    for username in ("yp-p0001", "admin-rosa", "analyst-gus"):
        sign_in(client, username)
        assert client.get("/inbox/contests").status_code == 403
        client.cookies.clear()
        assert (
            client.get("/api/v1/inbox/contests", headers=bearer(client, username)).status_code
            == 403
        )


def test_the_audit_log_holds_ids_and_codes_but_never_their_words(
    client: CheckedClient, store: Store
) -> None:
    police = contest_police_record(client, store)
    headers = bearer(client, "pc-cara")
    (contest,) = client.get("/api/v1/inbox/contests", headers=headers).json()
    client.post(
        f"/api/v1/inbox/contests/{contest['id']}",
        json={"outcome": "agreed", "answer": ANSWER},
        headers=headers,
    )
    log = b"\n".join(entry for _, entry, _ in stream_entries(store))
    assert b'"kind":"contest_opened"' in log and b'"kind":"contest_answered"' in log
    assert f'"record_ref":"ev-{police}"'.encode() in log
    assert b'"reasons":["contest_agreed"]' in log
    assert b"nan" not in log.lower().replace(b"nanswer", b"")
    assert WORDS.encode() not in log and ANSWER.encode() not in log


def test_every_contest_shown_to_the_agency_is_decided_and_recorded_first(
    client: CheckedClient, store: Store
) -> None:
    police = contest_police_record(client, store)

    def reads() -> list[dict[str, object]]:
        found = [json.loads(entry) for _, entry, _ in stream_entries(store)]
        return [e for e in found if e["kind"] == "decision" and e["actor"] == "pc-cara"]

    sign_in(client, "pc-cara")
    inbox = client.get("/inbox/contests").text
    contest_id = int(inbox.split('href="/inbox/contests/')[1].split('"')[0])
    (listed,) = reads()
    assert listed["request"] == f"contest-{contest_id}"
    assert listed["record_ref"] == f"ev-{police}"
    assert (listed["decision"], listed["policies"]) == ("allow", ["own-agency"])
    assert WORDS in html.unescape(client.get(f"/inbox/contests/{contest_id}").text)
    assert client.get("/api/v1/inbox/contests", headers=bearer(client, "pc-cara")).json()
    assert len(reads()) == 3  # the list, the contest, the API


def test_nothing_is_shown_or_answered_when_the_log_cannot_record_the_read(
    client: CheckedClient, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    contest_police_record(client, store)
    sign_in(client, "pc-cara")
    inbox = client.get("/inbox/contests").text
    contest_id = int(inbox.split('href="/inbox/contests/')[1].split('"')[0])
    token = client.csrf(f"/inbox/contests/{contest_id}")
    headers = bearer(client, "pc-cara")

    def broken(*args: object, **kwargs: object) -> list[int]:
        raise AuditWriteError("the log is unavailable")

    monkeypatch.setattr("seen.policy.audited.append", broken)
    answers = [
        client.get("/inbox/contests"),
        client.get(f"/inbox/contests/{contest_id}"),
        client.post(
            f"/inbox/contests/{contest_id}",
            data={"outcome": "agreed", "answer": ANSWER, "csrf_token": token},
        ),
        client.get("/api/v1/inbox/contests", headers=headers),
        client.post(
            f"/api/v1/inbox/contests/{contest_id}",
            json={"outcome": "agreed", "answer": ANSWER},
            headers=headers,
        ),
    ]
    for answer in answers:
        assert answer.status_code == 503
        text = html.unescape(answer.text)
        for content in ("nan's", "N-3001", "Domestic"):
            assert content not in text
    monkeypatch.undo()
    log = b"\n".join(entry for _, entry, _ in stream_entries(store))
    assert b'"kind":"contest_answered"' not in log
