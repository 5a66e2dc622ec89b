"""`write_transaction` is one transaction on both backends: all of its writes are kept, or
none, and none is seen by others before it ends. (On PostgreSQL the engine's connections are
in autocommit for reads, so this is what keeps a write whole.)"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from seen.store import Store, write_transaction
from seen.store.tables import agencies
from seen.store.writes import insert_agency

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def agency_count(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(agencies)).scalar_one())


def test_a_write_transaction_that_fails_part_way_keeps_none_of_its_writes(store: Store) -> None:
    with pytest.raises(RuntimeError), write_transaction(store) as conn:
        insert_agency(conn, "northshire-council", "childrens_services", NOW)
        insert_agency(conn, "northshire-schools", "school", NOW)
        raise RuntimeError("crashed half way")
    assert agency_count(store) == 0


def test_a_write_transaction_is_not_seen_by_readers_until_it_ends(store: Store) -> None:
    with write_transaction(store) as conn:
        insert_agency(conn, "northshire-council", "childrens_services", NOW)
        seen_during = agency_count(store)
    assert (seen_during, agency_count(store)) == (0, 1)
