"""An agency's inbox in the store: only its own releases, and a reason to decline; each record
shown decided by the policy for the reader and recorded in the audit log first."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import update

from seen.audit.log import AuditWriteError, stream_entries
from seen.errors import InvalidInput, NotFound
from seen.sharing.chronology import ask, releases, view
from seen.sharing.inbox import inbox, inbox_item, respond
from seen.sharing.world_slice import Reader
from seen.store import Store, write_transaction
from seen.store.tables import practitioners
from sharing.factories import NOW, linked_partnership

PC_CARA = Reader("pc-cara", "northshire-police")
DPO_POLICE = Reader("dpo-police", "northshire-police", practitioner=False)
HV_DEV = Reader("hv-dev", "northshire-health")


@pytest.fixture(autouse=True)
def partnership(store: Store) -> None:
    linked_partnership(store)
    request = ask(
        store,
        practitioner="dsl-ben",
        agency="northshire-schools",
        person_id="P0001",
        purpose="safeguarding",
        lawful_basis="uk-gdpr-6-1-e",
        justification=None,
        now=NOW,
    )
    view(store, request, NOW)


def entries(store: Store) -> list[dict[str, Any]]:
    return [json.loads(entry) for _, entry, _ in stream_entries(store)]


def reads_by(store: Store, actor: str) -> list[dict[str, Any]]:
    return [e for e in entries(store) if e["kind"] == "decision" and e["actor"] == actor]


def deactivate(store: Store, ref: str) -> None:
    with write_transaction(store) as conn:
        conn.execute(update(practitioners).where(practitioners.c.ref == ref).values(active=False))


def test_the_inbox_holds_the_agencys_own_waiting_records_only(store: Store) -> None:
    (item,) = inbox(store, PC_CARA, NOW).waiting
    assert item.event.description == "Police incident: Domestic incident"
    assert (item.release.asked_by, item.asked_by_agency) == ("dsl-ben", "northshire-schools")
    assert inbox(store, HV_DEV, NOW).waiting == ()


def test_a_stranger_is_told_not_found_before_anything_about_the_answer(store: Store) -> None:
    (item,) = inbox(store, PC_CARA, NOW).waiting
    with pytest.raises(NotFound):
        respond(store, HV_DEV, item.release.id, approve=False, reason="", now=NOW)
    with pytest.raises(InvalidInput) as caught:
        respond(store, PC_CARA, item.release.id, approve=False, reason=" ", now=NOW)
    assert [p.field for p in caught.value.problems] == ["reason"]
    done = respond(store, PC_CARA, item.release.id, approve=False, reason="Investigation", now=NOW)
    assert (done.release.status, done.release.reason) == ("declined", "Investigation")
    assert inbox(store, PC_CARA, NOW).answered == (done,)
    assert not reads_by(store, "hv-dev")  # nothing was read for the stranger


def test_each_record_shown_is_decided_as_the_reader_and_recorded_first(store: Store) -> None:
    (release,) = releases(store, agency="northshire-police", pending_on="originator")
    (item,) = inbox(store, PC_CARA, NOW).waiting
    (read,) = reads_by(store, "pc-cara")
    assert read["actor_agency"] == read["record_agency"] == "northshire-police"
    assert read["record_ref"] == f"ev-{item.event.event_id}"
    assert read["person"] == "P0001"
    # Under the request it was asked for, with that request's purpose and lawful basis.
    assert read["request"] == release.request_id
    assert (read["purpose"], read["lawful_basis"]) == ("safeguarding", "uk-gdpr-6-1-e")
    assert (read["decision"], read["policies"], read["reasons"]) == (
        "allow",
        ["own-agency"],
        ["own_agency"],
    )
    assert read["break_glass"] is False
    inbox_item(store, PC_CARA, item.release.id, NOW)
    assert len(reads_by(store, "pc-cara")) == 2  # every look is a read


def test_the_agencys_dpo_reads_as_themselves(store: Store) -> None:
    (item,) = inbox(store, DPO_POLICE, NOW).waiting
    done = respond(store, DPO_POLICE, item.release.id, approve=True, reason="", now=NOW)
    assert done.release.answered_by == "dpo-police"
    looks = reads_by(store, "dpo-police")
    assert [(e["decision"], e["actor_agency"]) for e in looks] == [
        ("allow", "northshire-police"),
        ("allow", "northshire-police"),  # the answer reads the record again before releasing
    ]
    kinds = [e["kind"] for e in entries(store)]
    assert kinds.index("approval") > max(e["index"] for e in looks)


def test_a_record_the_policy_denies_the_reader_is_not_shown_nor_answered(store: Store) -> None:
    (item,) = inbox(store, PC_CARA, NOW).waiting
    deactivate(store, "pc-cara")  # no longer in the policy's world: unknown, so denied
    assert inbox(store, PC_CARA, NOW).waiting == ()
    with pytest.raises(NotFound):
        inbox_item(store, PC_CARA, item.release.id, NOW)
    with pytest.raises(NotFound):
        respond(store, PC_CARA, item.release.id, approve=True, reason="", now=NOW)
    denied = reads_by(store, "pc-cara")[1:]
    assert {e["decision"] for e in denied} == {"deny"}
    assert all(e["reasons"] == ["unknown_entity"] for e in denied)
    assert not [e for e in entries(store) if e["kind"] == "approval"]
    (still,) = inbox(store, DPO_POLICE, NOW).waiting
    assert still.release.status == "pending"


def test_nothing_is_shown_or_answered_when_the_log_cannot_record_the_read(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    (item,) = inbox(store, PC_CARA, NOW).waiting

    def broken(*args: object, **kwargs: object) -> list[int]:
        raise AuditWriteError("the log is unavailable")

    monkeypatch.setattr("seen.policy.audited.append", broken)
    with pytest.raises(AuditWriteError):
        inbox(store, PC_CARA, NOW)
    with pytest.raises(AuditWriteError):
        inbox_item(store, PC_CARA, item.release.id, NOW)
    with pytest.raises(AuditWriteError):
        respond(store, PC_CARA, item.release.id, approve=True, reason="", now=NOW)
    monkeypatch.undo()
    (still,) = inbox(store, PC_CARA, NOW).waiting
    assert still.release.status == "pending"


def test_only_the_latest_answers_are_shown_and_so_read_again(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    (item,) = inbox(store, PC_CARA, NOW).waiting
    respond(store, PC_CARA, item.release.id, approve=True, reason="", now=NOW)
    before = len(reads_by(store, "pc-cara"))
    monkeypatch.setattr("seen.sharing.inbox.ANSWERED_SHOWN", 0)
    box = inbox(store, PC_CARA, NOW)
    assert (box.answered, box.answered_total) == ((), 1)
    assert len(reads_by(store, "pc-cara")) == before  # an answer not shown is not read
    monkeypatch.undo()
    box = inbox(store, PC_CARA, NOW)
    assert (len(box.answered), box.answered_total) == (1, 1)
    assert len(reads_by(store, "pc-cara")) == before + 1
