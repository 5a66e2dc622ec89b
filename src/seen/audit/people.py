"""The audit entries about one person, without reading the whole log each time.

`audit_people` maps an entry's index to the person it names (its `person` field). It is
derived from the log and caught up from it on every read: entries past the last one indexed
are read once, and only those naming a person are indexed. The entries themselves are then
read from the log by index and parsed, so the log stays the source of truth; the index only
says where to look. Appending to the log is untouched.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

from sqlalchemy import Connection, func, insert, select, text

from seen.audit.entry import parse_document
from seen.store.engine import Store, write_transaction
from seen.store.tables import audit_entries, audit_people
from seen.store.writes import CHUNK_SIZE, chunks

# Serialises catching up on PostgreSQL (SQLite's BEGIN IMMEDIATE already does).
_PG_INDEX_LOCK: Final = 0x5EE7A0D2
# The bytes every entry naming a person holds (canonical JSON: no spaces, sorted keys).
_PERSON_KEY: Final = b'"person":"'
_BATCH: Final = 5_000


def catch_up(store: Store) -> int:
    """Index the entries appended since the last call; returns how many were indexed."""
    added = 0
    with write_transaction(store) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_INDEX_LOCK})
        start = _next_unindexed(conn)
        while True:
            rows = conn.execute(
                select(audit_entries.c.entry_index, audit_entries.c.entry)
                .where(audit_entries.c.entry_index >= start)
                .order_by(audit_entries.c.entry_index)
                .limit(_BATCH)
            ).all()
            if not rows:
                break
            found = [
                {"entry_index": int(index), "person_id": person}
                for index, entry in rows
                if (person := _person(bytes(entry))) is not None
            ]
            for part in chunks(found, CHUNK_SIZE):
                conn.execute(insert(audit_people), list(part))
            added += len(found)
            start = int(rows[-1][0]) + 1
    return added


def entries_about(store: Store, person_id: str) -> Iterator[dict[str, Any]]:
    """Every audit entry naming the person, oldest first, parsed and checked (a stored entry
    that is not one the log writes raises ValueError: nothing is shown)."""
    catch_up(store)
    query = (
        select(audit_entries.c.entry)
        .join(audit_people, audit_people.c.entry_index == audit_entries.c.entry_index)
        .where(audit_people.c.person_id == person_id)
        .order_by(audit_entries.c.entry_index)
    )
    with store.engine.connect() as conn:
        stored = [bytes(value) for value in conn.execute(query).scalars()]
    for data in stored:
        entry = parse_document(data)
        if entry.get("person") != person_id:
            raise ValueError("the audit index does not match the log")
        yield entry


def _next_unindexed(conn: Connection) -> int:
    """One past the last entry indexed. Entries after it that name nobody are read again
    next time: few, since most entries name a person."""
    largest = conn.scalar(select(func.max(audit_people.c.entry_index)))
    return 0 if largest is None else int(largest) + 1


def _person(data: bytes) -> str | None:
    if _PERSON_KEY not in data:  # a cheap look at the bytes before parsing
        return None
    person = parse_document(data).get("person")
    return person if isinstance(person, str) else None
