"""Every decision is recorded in the audit log before it is used, on both backends; a
break-glass leaves its own entry with the justification's digest, never its text; and when
the log cannot record, no decision comes back."""

from __future__ import annotations

import hashlib
import json
import uuid
from types import SimpleNamespace

import pytest
from sqlalchemy import delete

from policy.test_rules import WHY, ask, world
from seen.audit import AuditWriteError
from seen.audit.log import stream_entries
from seen.policy import PolicyEngine
from seen.policy.audited import decide_and_record, new_request_id
from seen.store import Store, write_transaction
from seen.store.tables import audit_head


def logged(store: Store) -> list[dict[str, object]]:
    return [json.loads(entry) for _, entry, _ in stream_entries(store)]


def test_each_decision_allow_deny_or_pending_is_logged(store: Store) -> None:
    engine = PolicyEngine(world())
    requests = [ask(), ask(record="secret"), ask(who="nobody")]
    decisions = decide_and_record(engine, store, requests, ["q1", "q2", "q3"])
    entries = logged(store)
    assert [(e["request"], e["decision"]) for e in entries] == [
        ("q1", "allow"),
        ("q2", "deny"),
        ("q3", "deny"),
    ]
    assert [d.decision for d in decisions] == ["allow", "deny", "deny"]
    assert entries[0]["policies"] == ["agreement:ISA/flow-1"]
    assert entries[0]["reasons"] == ["agreement"] and entries[2]["reasons"] == ["unknown_entity"]
    assert entries[0]["person"] == "c1" and entries[0]["record_agency"] == "police"


def test_a_request_id_the_log_would_refuse_is_drawn_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Two random hex ids the log refuses (as an NHS or CHI number, and as a UPN), then one.
    drawn = iter(
        ["325e80a47b7d4a04a94a2165486556de", "12b7b79295494444a6314a2e564894cb", "ab" * 16]
    )
    monkeypatch.setattr(uuid, "uuid4", lambda: SimpleNamespace(hex=next(drawn)))
    assert new_request_id() == "ab" * 16


def test_a_chronology_with_drawn_request_ids_is_recorded(store: Store) -> None:
    # 500 random hex ids held one the log refuses in most runs, refusing the whole batch.
    decisions = decide_and_record(PolicyEngine(world()), store, [ask()] * 500)
    assert len(decisions) == 500 and len(logged(store)) == 500


def test_break_glass_is_logged_with_a_digest_of_its_justification(store: Store) -> None:
    engine = PolicyEngine(world())
    decide_and_record(engine, store, [ask(basis="dpa-2018-sch1-para18", justification=WHY)])
    glass, decision = logged(store)
    assert glass["kind"] == "break_glass" and decision["break_glass"] is True
    assert glass["justification_sha256"] == hashlib.sha256(WHY.encode()).hexdigest()
    assert WHY not in json.dumps([glass, decision])


def test_when_the_log_cannot_record_no_decision_is_returned(store: Store) -> None:
    # A real failure of the store: the log's head row (its next index) is gone.
    with write_transaction(store) as conn:
        conn.execute(delete(audit_head))
    with pytest.raises(AuditWriteError, match="no head row"):
        decide_and_record(PolicyEngine(world()), store, [ask()])
    assert logged(store) == []


def test_a_request_that_would_put_free_text_in_the_log_is_not_decided(store: Store) -> None:
    from seen.errors import InvalidInput

    with pytest.raises(InvalidInput):
        decide_and_record(PolicyEngine(world()), store, [ask(purpose="see Jo Bloggs file")])
    assert logged(store) == []
