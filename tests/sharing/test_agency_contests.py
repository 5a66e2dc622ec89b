"""The agency side of contests in the store: the holding agency reads each contested record
only as the policy allows, every read recorded in the audit log first (under the contest's
id), and nothing is shown or answered when a read is denied or cannot be recorded."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import update

from concurrency import race
from seen.audit.log import AuditWriteError, stream_entries
from seen.errors import NotFound
from seen.sharing import subject
from seen.sharing.contests import (
    CONTEST_BASIS,
    CONTEST_PURPOSE,
    agency_contest,
    agency_contests,
    answer_contest,
    open_contest,
)
from seen.sharing.world_slice import Reader
from seen.store import Store, write_transaction
from seen.store.tables import contests, practitioners
from sharing.factories import NOW, linked_partnership

WORDS = "I was not there that night."
PC_CARA = Reader("pc-cara", "northshire-police")
DPO_POLICE = Reader("dpo-police", "northshire-police", practitioner=False)


@pytest.fixture
def contest_id(store: Store) -> int:
    linked_partnership(store)
    police = next(
        e.event_id
        for e in subject.my_records(store, "P0001", NOW)
        if e.agency == "northshire-police"
    )
    return open_contest(store, "P0001", police, WORDS, NOW).id


def reads_by(store: Store, actor: str) -> list[dict[str, Any]]:
    found = [json.loads(entry) for _, entry, _ in stream_entries(store)]
    return [e for e in found if e["kind"] == "decision" and e["actor"] == actor]


def test_each_contest_shown_is_decided_as_the_reader_and_recorded_first(
    store: Store, contest_id: int
) -> None:
    (shown,) = agency_contests(store, PC_CARA, NOW)
    assert (shown.id, shown.text) == (contest_id, WORDS)
    (read,) = reads_by(store, "pc-cara")
    assert read["request"] == f"contest-{contest_id}"
    assert read["record_ref"] == f"ev-{shown.event_id}"
    assert (read["person"], read["record_agency"]) == ("P0001", "northshire-police")
    assert (read["purpose"], read["lawful_basis"]) == (CONTEST_PURPOSE, CONTEST_BASIS)
    assert (read["decision"], read["policies"]) == ("allow", ["own-agency"])
    assert WORDS.split()[1] not in json.dumps(read)  # their words stay in the contests table
    assert agency_contest(store, DPO_POLICE, contest_id, NOW).text == WORDS
    assert [e["decision"] for e in reads_by(store, "dpo-police")] == ["allow"]
    assert agency_contests(store, Reader("hv-dev", "northshire-health"), NOW) == []
    with pytest.raises(NotFound):
        agency_contest(store, Reader("hv-dev", "northshire-health"), contest_id, NOW)


def test_answering_reads_the_record_first(store: Store, contest_id: int) -> None:
    answered = answer_contest(
        store, contest_id, reader=PC_CARA, outcome="agreed", answer="We will fix it.", now=NOW
    )
    assert (answered.answered_by, answered.outcome) == ("pc-cara", "agreed")
    entries = [json.loads(entry) for _, entry, _ in stream_entries(store)]
    kinds = [(e["kind"], e["actor"]) for e in entries]
    read = kinds.index(("decision", "pc-cara"))
    assert kinds[read + 1 :] == [("contest_answered", "pc-cara")]
    with pytest.raises(NotFound):
        agency_contest(store, PC_CARA, contest_id, NOW, open_only=True)


def test_a_contest_whose_record_the_policy_denies_is_not_shown_nor_answered(
    store: Store, contest_id: int
) -> None:
    with write_transaction(store) as conn:
        conn.execute(
            update(practitioners).where(practitioners.c.ref == "pc-cara").values(active=False)
        )
    assert agency_contests(store, PC_CARA, NOW) == []
    with pytest.raises(NotFound):
        agency_contest(store, PC_CARA, contest_id, NOW)
    with pytest.raises(NotFound):
        answer_contest(
            store, contest_id, reader=PC_CARA, outcome="agreed", answer="Fixed.", now=NOW
        )
    assert {e["decision"] for e in reads_by(store, "pc-cara")} == {"deny"}
    (still,) = agency_contests(store, DPO_POLICE, NOW)
    assert not still.answered


def test_nothing_is_shown_or_answered_when_the_log_cannot_record_the_read(
    store: Store, contest_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> list[int]:
        raise AuditWriteError("the log is unavailable")

    monkeypatch.setattr("seen.policy.audited.append", broken)
    with pytest.raises(AuditWriteError):
        agency_contests(store, PC_CARA, NOW)
    with pytest.raises(AuditWriteError):
        agency_contest(store, PC_CARA, contest_id, NOW)
    with pytest.raises(AuditWriteError):
        answer_contest(
            store, contest_id, reader=PC_CARA, outcome="agreed", answer="Fixed.", now=NOW
        )
    monkeypatch.undo()
    (still,) = agency_contests(store, PC_CARA, NOW)
    assert not still.answered


def test_two_answers_to_one_contest_at_the_same_moment_keep_only_the_first(
    store: Store, contest_id: int
) -> None:
    answers = [
        lambda o=o: answer_contest(
            store, contest_id, reader=PC_CARA, outcome=o, answer="Checked.", now=NOW
        )
        for o in ("agreed", "disagreed")
    ]
    assert race(store, contests.c.id, contest_id, answers) == ["NotFound", "done"]
    kinds = [json.loads(entry)["kind"] for _, entry, _ in stream_entries(store)]
    assert kinds.count("contest_answered") == 1
