"""Published partnership reports (`published_reports`): keep one, read the latest.

Only tables after disclosure control are kept (seen.report.stored): the dashboard and the
public page read them and never count anything themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select

from seen.report.published import ProtectedTable
from seen.report.stored import tables_from_json, tables_to_json
from seen.store.engine import Store, write_transaction
from seen.store.tables import published_reports


@dataclass(frozen=True)
class PublishedReport:
    number: int
    created_at: dt.datetime
    tables: list[ProtectedTable]


def save_report(store: Store, tables: Sequence[ProtectedTable], now: dt.datetime) -> int:
    """Keep the report; its number."""
    with write_transaction(store) as conn:
        found = conn.execute(
            insert(published_reports).values(created_at=now, tables=tables_to_json(tables))
        )
        key = found.inserted_primary_key
        assert key is not None
        return int(key[0])


def latest_report(store: Store) -> PublishedReport | None:
    query = select(published_reports).order_by(published_reports.c.id.desc()).limit(1)
    with store.engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    return PublishedReport(row.id, row.created_at, tables_from_json(row.tables))
