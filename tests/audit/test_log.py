"""The audit log in the store, on SQLite and PostgreSQL: appends are durable and numbered,
the database itself refuses UPDATE and DELETE, checkpoints are signed over the recomputed
tree, proofs verify, and a failed append is an error the caller cannot miss."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from audit.factories import ORIGIN, decision, log_key, one_of_each_kind
from concurrency import all_at_once
from seen.audit import (
    AuditLogError,
    AuditWriteError,
    Checkpoint,
    NoteSigner,
    append,
    checkpoints,
    make_checkpoint,
    open_note,
    root_of,
    tree_size,
    verify_consistency,
    verify_inclusion,
    verify_log,
)
from seen.audit.hashing import leaf_hash
from seen.audit.log import append_in, checked_tree, stream_entries
from seen.settings import Settings
from seen.store import Store, open_store, write_transaction
from seen.store.migrate import downgrade, upgrade


@pytest.fixture
def opened(store_settings: Settings) -> Iterator[Store]:
    with open_store(store_settings) as store:
        yield store


def test_appends_are_numbered_in_order_and_hash_their_content(opened: Store) -> None:
    assert tree_size(opened) == 0
    first = append(opened, one_of_each_kind())
    second = append(opened, [decision(n) for n in range(10, 20)])
    assert first == list(range(7)) and second == list(range(7, 17))
    assert append(opened, []) == []
    rows = list(stream_entries(opened))
    assert [index for index, _, _ in rows] == list(range(17))
    for index, entry, stored in rows:
        assert stored == leaf_hash(entry)
        assert f'"index":{index},'.encode() in entry
    assert checked_tree(opened, 17).root() == root_of([entry for _, entry, _ in rows])


def test_entries_are_stored_as_their_canonical_bytes_at_their_index(opened: Store) -> None:
    # PostgreSQL numbers, joins and hashes the entries itself (seen.audit.log): the same
    # bytes and leaf hashes as Python makes them.
    entries = [*one_of_each_kind(), *(decision(n) for n in range(20))]
    append(opened, entries[:3])
    with write_transaction(opened) as conn:
        append_in(conn, entries[3:10])
    append(opened, entries[10:])
    rows = list(stream_entries(opened))
    assert [index for index, _, _ in rows] == list(range(len(entries)))
    for (index, stored, hashed), entry in zip(rows, entries, strict=True):
        assert stored == entry.canonical(index)
        assert hashed == leaf_hash(entry.canonical(index))


def test_appends_from_many_threads_at_once_get_one_run_of_indices_each(opened: Store) -> None:
    batches: list[list[int]] = []

    def appender(thread: int) -> None:
        for n in range(5):
            batches.append(append(opened, [decision(thread * 100 + n + k) for k in range(3)]))

    assert all_at_once(appender, range(8)) == []
    assert all(batch == list(range(batch[0], batch[0] + 3)) for batch in batches)
    assert sorted(index for batch in batches for index in batch) == list(range(120))
    assert verify_log(opened, []).ok


def test_a_log_upgraded_to_a_head_row_goes_on_after_its_last_entry(opened: Store) -> None:
    append(opened, [decision(n) for n in range(5)])
    downgrade(opened.engine, "0019")  # before the head row: the next index was max + 1
    upgrade(opened.engine)
    assert append(opened, [decision(9)]) == [5]


def test_the_database_refuses_update_and_delete(opened: Store) -> None:
    append(opened, [decision(n) for n in range(3)])
    signer = log_key_for(opened)
    make_checkpoint(opened, signer)
    statements = [
        "UPDATE audit_entries SET entry = leaf_hash WHERE entry_index = 1",
        "DELETE FROM audit_entries WHERE entry_index = 2",
        "DELETE FROM audit_entries",
        "UPDATE audit_checkpoints SET tree_size = 2",
        "DELETE FROM audit_checkpoints",
    ]
    if opened.backend == "postgresql":
        statements += ["TRUNCATE audit_entries", "TRUNCATE audit_checkpoints"]
    for statement in statements:
        with pytest.raises(DBAPIError, match="append-only"), opened.engine.begin() as conn:
            conn.execute(text(statement))
    assert tree_size(opened) == 3
    assert verify_log(opened, [signer.verifier()]).ok


def log_key_for(store: Store) -> NoteSigner:
    return NoteSigner.generate(ORIGIN)


def test_a_failed_append_raises_and_keeps_nothing(opened: Store) -> None:
    append(opened, [decision(0)])
    # The caller's own transaction: a decision's write and its entry stand or fall together.
    with pytest.raises(RuntimeError), write_transaction(opened) as conn:
        assert append_in(conn, [decision(1)]) == [1]
        raise RuntimeError("the decision could not be saved")
    assert tree_size(opened) == 1
    with opened.engine.begin() as conn:
        conn.execute(text("DROP TABLE audit_entries"))
    with pytest.raises(AuditWriteError, match="could not record 1 entries"):
        append(opened, [decision(2)])


def test_checkpoints_are_signed_consistent_and_prove_inclusion(opened: Store) -> None:
    signer = log_key_for(opened)
    empty = make_checkpoint(opened, signer)  # the empty tree can be signed too
    assert empty.tree_size == 0
    sizes = []
    for batch in (5, 1, 0, 9):
        append(opened, [decision(n) for n in range(batch)])
        stored = make_checkpoint(opened, signer)
        sizes.append(stored.tree_size)
        opened_note = open_note(stored.note, [signer.verifier()])
        assert Checkpoint.parse(opened_note.note.text).size == stored.tree_size
    assert sizes == [5, 6, 6, 15]
    tree = checked_tree(opened, 15)
    stored_all = checkpoints(opened)
    assert [c.number for c in stored_all] == [1, 2, 3, 4, 5]
    for old, new in itertools.pairwise(stored_all[1:]):  # the first is the empty tree
        a, b = old.checkpoint(), new.checkpoint()
        proof = tree.consistency_proof(a.size, b.size) if a.size != b.size else []
        verify_consistency(a.size, b.size, a.root_hash, b.root_hash, proof)
    for index in range(15):
        verify_inclusion(tree.leaf_hash(index), index, 15, tree.inclusion_proof(index), tree.root())
    report = verify_log(opened, [signer.verifier()])
    assert report.ok, report.problems
    assert (report.entries, report.checkpoints, report.latest_size) == (15, 5, 15)


def test_the_hub_never_signs_with_another_key_or_over_a_changed_log(opened: Store) -> None:
    signer = log_key_for(opened)
    append(opened, [decision(n) for n in range(4)])
    make_checkpoint(opened, signer)
    with pytest.raises(AuditLogError, match="does not verify with this log key"):
        make_checkpoint(opened, log_key_for(opened))


def test_entries_stored_in_the_same_second_keep_their_times(opened: Store) -> None:
    when = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)
    append(opened, [decision(0)], now=when)
    with opened.engine.connect() as conn:
        from seen.store.tables import audit_entries

        stored = conn.execute(audit_entries.select()).one()
    assert stored.appended_at == when


def test_settings_find_the_key_in_the_data_folder(store_settings: Settings) -> None:
    signer = log_key(store_settings)
    assert store_settings.resolved_audit_key() == store_settings.data_dir / "audit-log.key"
    from seen.audit.keys import read_log_key

    assert str(read_log_key(store_settings.resolved_audit_key()).verifier()) == str(
        signer.verifier()
    )
