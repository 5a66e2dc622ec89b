"""`Store.one_connection` lets a view read through one connection instead of one per read,
and changes nothing else: each read block still ends its read, so what is written meanwhile
is seen by the next, and the connection is held for the thread that asked only."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import Connection, event, func, select

from seen.store import Store, write_transaction
from seen.store.tables import agencies
from seen.store.writes import insert_agency

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def agency_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(agencies)).scalar_one())


def checkouts(store: Store) -> list[object]:
    taken: list[object] = []
    event.listen(store.engine, "checkout", lambda *args: taken.append(args[0]))
    return taken


def test_reads_inside_it_share_one_connection_and_outside_take_their_own(store: Store) -> None:
    taken = checkouts(store)
    with store.one_connection():
        for _ in range(3):
            with store.connect() as conn:
                agency_count(conn)
    assert len(taken) == 1
    for _ in range(2):
        with store.connect() as conn:
            agency_count(conn)
    assert len(taken) == 3


def test_a_read_after_a_write_sees_it(store: Store) -> None:
    """On SQLite a read opens a transaction, whose snapshot would hide a later write: each
    block's end closes it, as returning the connection to the pool did."""
    with store.one_connection():
        with store.connect() as conn:
            before = agency_count(conn)
        with write_transaction(store) as writing:
            insert_agency(writing, "northshire-council", "childrens_services", NOW)
        with store.connect() as conn:
            after = agency_count(conn)
    assert (before, after) == (0, 1)


def nested_reads(store: Store) -> tuple[list[str], int]:
    """An outer read that goes on past an inner read and a write: the names it reads, and
    how many more agencies it counts at its end than at its start."""
    with store.connect() as outer:
        before = agency_count(outer)
        rows = outer.execute(select(agencies.c.name).order_by(agencies.c.name))
        first = rows.fetchone()
        with store.connect() as inner:
            agency_count(inner)
        with write_transaction(store) as writing:
            insert_agency(writing, f"agency-{before}", "school", NOW)
        names = [first.name if first else "", *(row.name for row in rows)]
        return names, agency_count(outer) - before


def test_a_read_nested_in_another_sees_what_it_saw_with_a_connection_of_its_own(
    store: Store,
) -> None:
    """An inner block does not end the outer block's read: on SQLite the outer block keeps
    its snapshot to its end, as it did on a connection of its own."""
    with write_transaction(store) as writing:
        for n in range(3):
            insert_agency(writing, f"agency-{n}", "school", NOW)
    alone = nested_reads(store)
    with store.one_connection():
        shared = nested_reads(store)
    assert alone[0] == ["agency-0", "agency-1", "agency-2"]
    assert shared[0] == ["agency-0", "agency-1", "agency-2", "agency-3"]
    assert shared[1] == alone[1]  # SQLite: 0, the outer's snapshot; PostgreSQL: 1


def test_another_thread_reads_through_its_own_connection(store: Store) -> None:
    used: dict[str, Connection] = {}

    def read(name: str) -> None:
        with store.connect() as conn:
            agency_count(conn)
            used[name] = conn

    with store.one_connection():
        read("here")
        elsewhere = threading.Thread(target=read, args=("there",))
        elsewhere.start()
        elsewhere.join(30)
    assert used["here"] is not used["there"]
