"""SQLite writers queue for their turn (seen.store.engine.write_transaction) instead of
polling SQLite's lock: many writers at once all succeed, in the threads of one process and
across processes, even when one holds the lock for longer than SQLite's own wait."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import multiprocessing.synchronize
import threading
from pathlib import Path

import pytest

from concurrency import all_at_once
from seen.audit import AuditEntry, EntryKind, append
from seen.audit.log import stream_entries
from seen.store import Store, open_store, write_transaction
from store.factories import make_settings

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
# Python's sqlite3 gives up on a locked database after 5 seconds by default.
SQLITE_WAIT = 5.0


def entry(actor: str) -> AuditEntry:
    return AuditEntry(kind=EntryKind.APPROVAL, at=NOW, actor=actor, request="req-turns")


def indices(store: Store) -> list[int]:
    return [index for index, _, _ in stream_entries(store)]


def test_many_threads_writing_at_once_all_write(tmp_path: Path) -> None:
    store = open_store(make_settings(tmp_path / "data"))

    def writer(n: int) -> None:
        for _ in range(10):
            append(store, [entry(f"writer-{n}"), entry(f"writer-{n}")])

    assert all_at_once(writer, range(16)) == []
    assert indices(store) == list(range(16 * 10 * 2))
    store.close()


def _hold_the_lock(data: str, held: multiprocessing.synchronize.Event, seconds: float) -> None:
    store = open_store(make_settings(Path(data)))
    with write_transaction(store) as conn:
        from seen.audit.log import append_in

        append_in(conn, [entry("holder")], NOW)
        held.set()
        threading.Event().wait(seconds)
    store.close()


@pytest.mark.slow
def test_a_writer_waits_for_another_process_longer_than_sqlite_would(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = open_store(make_settings(data))
    context = multiprocessing.get_context("spawn")
    held = context.Event()
    holder = context.Process(target=_hold_the_lock, args=(str(data), held, SQLITE_WAIT + 1))
    holder.start()
    try:
        assert held.wait(60), "the other process never took the lock"
        append(store, [entry("waiter")])  # polling SQLite's lock, this gave up at 5 s
    finally:
        holder.join(60)
    assert holder.exitcode == 0
    assert [json.loads(e)["actor"] for _, e, _ in stream_entries(store)] == ["holder", "waiter"]
    store.close()
