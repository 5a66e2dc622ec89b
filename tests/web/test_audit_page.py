"""The audit log page and API: the latest signed checkpoint and the log's size; verify now
(what `seen audit verify` checks), which names the entry changed behind the app's back;
a checkpoint signed by the administrator with the hub's key, or a plain word that the key is
not here; and an entry's inclusion proof, checked."""

from __future__ import annotations

import base64
import json

import pytest
from sqlalchemy import text

from audit.factories import decision, log_key
from seen.audit import AuditWriteError, append, make_checkpoint
from seen.audit.log import stream_entries
from seen.audit.proofs import verify_inclusion
from seen.settings import Settings
from seen.store import Store
from web.conftest import CheckedClient
from web.governance import bearer, governed_partnership, post_form, sign_in

AUDIT = "/governance/audit"


@pytest.fixture(autouse=True)
def partnership(store: Store) -> None:
    governed_partnership(store)
    append(store, [decision(n) for n in range(12)])


def tamper(store: Store, index: int) -> None:
    """Change an entry as an attacker with database access would (tests/audit/test_tamper)."""
    with store.engine.begin() as conn:
        if store.backend == "postgresql":
            conn.execute(text("DROP TRIGGER audit_entries_append_only ON audit_entries"))
        else:
            conn.execute(text("DROP TRIGGER audit_entries_no_update"))
        conn.execute(
            text("UPDATE audit_entries SET entry = :e WHERE entry_index = :i"),
            {"e": b'{"forged":true}', "i": index},
        )


def test_the_page_shows_the_log_size_and_the_latest_signed_checkpoint(
    client: CheckedClient, store: Store, web_settings: Settings
) -> None:
    sign_in(client, "dpo-police")
    page = client.get(AUDIT).text
    assert "Entries in the log now" in page and "None yet" in page
    stored = make_checkpoint(store, log_key(web_settings))
    page = client.get(AUDIT).text
    assert f"Checkpoint {stored.number}" in page
    assert '<pre class="seen-note"' in page and stored.note.splitlines()[0] in page
    assert "Make a checkpoint now" not in page  # the administrator's


def test_the_administrator_signs_a_checkpoint_with_the_hubs_key(
    client: CheckedClient, web_settings: Settings
) -> None:
    sign_in(client, "admin-rosa")
    missing = post_form(client, AUDIT, AUDIT + "/checkpoints", {})
    assert missing.status_code == 200
    assert "The hub&#39;s audit log key is not on this server" in missing.text
    log_key(web_settings)
    signed = post_form(client, AUDIT, AUDIT + "/checkpoints", {})
    assert signed.status_code == 303
    page = client.get(signed.headers["location"]).text
    assert "Checkpoint 1 has been signed." in page and "covering 12 entries" in page


def test_a_dpo_cannot_sign_a_checkpoint(client: CheckedClient, web_settings: Settings) -> None:
    log_key(web_settings)
    sign_in(client, "dpo-council")
    assert post_form(client, AUDIT, AUDIT + "/checkpoints", {}).status_code == 403


@pytest.mark.parametrize("username", ["sw-amara", "yp-p0001", "analyst-gus"])
def test_other_roles_may_not_see_the_audit_log(client: CheckedClient, username: str) -> None:
    sign_in(client, username)
    assert client.get(AUDIT).status_code == 403
    assert client.get(AUDIT + "/proof?entry=0").status_code == 403


def test_verify_now_reports_an_intact_log_then_names_the_entry_changed_behind_its_back(
    client: CheckedClient, store: Store, web_settings: Settings
) -> None:
    make_checkpoint(store, log_key(web_settings))
    sign_in(client, "dpo-council")
    intact = post_form(client, AUDIT, AUDIT + "/verify", {})
    assert intact.status_code == 200
    assert "verified up to 12 entries" in intact.text
    tamper(store, 5)
    broken = post_form(client, AUDIT, AUDIT + "/verify", {})
    assert "The audit log does not verify: entry 5" in broken.text
    api = client.post("/api/v1/audit/verify", headers=bearer(client, "admin-rosa"))
    assert api.status_code == 200
    assert api.json()["ok"] is False and api.json()["first_bad_entry"] == 5


def test_an_entrys_inclusion_proof_is_shown_and_checked(
    client: CheckedClient, store: Store, web_settings: Settings
) -> None:
    stored = make_checkpoint(store, log_key(web_settings))
    sign_in(client, "admin-rosa")
    page = client.get(AUDIT + "/proof?entry=7")
    assert page.status_code == 200
    assert "Checked: this entry is in the log" in page.text
    assert "&#34;index&#34;: 7" in page.text or '"index": 7' in page.text
    assert stored.root_hash.hex() in page.text
    proof = client.get("/api/v1/audit/entries/7/proof", headers=bearer(client, "dpo-council"))
    assert proof.status_code == 200
    body = proof.json()
    assert body["verified"] is True and body["entry"]["index"] == 7
    verify_inclusion(
        base64.b64decode(body["leaf_hash"]),
        7,
        body["tree_size"],
        [base64.b64decode(p) for p in body["inclusion_proof"]],
        base64.b64decode(body["root_hash"]),
    )
    for proof_hash in body["inclusion_proof"]:
        assert base64.b64decode(proof_hash).hex() in page.text


def test_a_proof_for_an_entry_no_checkpoint_covers_or_not_a_number_is_refused(
    client: CheckedClient, store: Store, web_settings: Settings
) -> None:
    sign_in(client, "admin-rosa")
    none_yet = client.get(AUDIT + "/proof?entry=3")
    assert none_yet.status_code == 400 and "There is no checkpoint yet" in none_yet.text
    make_checkpoint(store, log_key(web_settings))
    beyond = client.get(AUDIT + "/proof?entry=12")
    assert beyond.status_code == 400 and "not covered by the latest checkpoint" in beyond.text
    word = client.get(AUDIT + "/proof?entry=seven")
    assert word.status_code == 400 and "Enter the entry number" in word.text
    api = client.get("/api/v1/audit/entries/12/proof", headers=bearer(client, "admin-rosa"))
    assert api.status_code == 404


def test_the_api_gives_the_checkpoint_and_size(
    client: CheckedClient, store: Store, web_settings: Settings
) -> None:
    headers = bearer(client, "dpo-council")
    assert client.get("/api/v1/audit/checkpoint", headers=headers).json() == {
        "tree_size": 12,
        "checkpoint": None,
    }
    stored = make_checkpoint(store, log_key(web_settings))
    body = client.get("/api/v1/audit/checkpoint", headers=headers).json()
    assert body["checkpoint"]["note"] == stored.note and body["checkpoint"]["tree_size"] == 12
    practitioner = bearer(client, "sw-amara")
    assert client.get("/api/v1/audit/checkpoint", headers=practitioner).status_code == 403


def test_looking_at_an_entrys_proof_is_recorded_before_it_is_shown(
    client: CheckedClient, store: Store, web_settings: Settings
) -> None:
    make_checkpoint(store, log_key(web_settings))
    sign_in(client, "dpo-council")
    assert client.get(AUDIT + "/proof?entry=7").status_code == 200
    api = client.get("/api/v1/audit/entries/7/proof", headers=bearer(client, "admin-rosa"))
    assert api.status_code == 200
    entries = [json.loads(entry) for _, entry, _ in stream_entries(store)]
    page_look, api_look = entries[12:]
    assert page_look == {
        "v": 1,
        "index": 12,
        "kind": "review_view",
        "at": page_look["at"],
        "actor": "dpo-council",
        "actor_agency": "northshire-council",
        "person": "PABCDEFGHJKLM",  # whom entry 7 is about
        "record_ref": "audit-entry-7",
        "reasons": ["audit_proof"],
    }
    assert (api_look["actor"], api_look["record_ref"]) == ("admin-rosa", "audit-entry-7")
    assert "actor_agency" not in api_look
    before = len(entries)
    assert client.get(AUDIT + "/proof?entry=99").status_code == 400  # nothing shown, no look
    assert client.get(AUDIT).status_code == 200  # the checkpoint names nobody: no look
    assert len(list(stream_entries(store))) == before


def test_no_proof_is_shown_when_the_log_cannot_record_the_look(
    client: CheckedClient, store: Store, web_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_checkpoint(store, log_key(web_settings))
    sign_in(client, "admin-rosa")
    headers = bearer(client, "admin-rosa")

    def broken(*args: object, **kwargs: object) -> None:
        raise AuditWriteError("the log is unavailable")

    monkeypatch.setattr("seen.audit.prove.append", broken)
    for answer in (
        client.get(AUDIT + "/proof?entry=7"),
        client.get("/api/v1/audit/entries/7/proof", headers=headers),
    ):
        assert answer.status_code == 503
        assert "PABCDEFGHJKLM" not in answer.text and "CIN-000007" not in answer.text
