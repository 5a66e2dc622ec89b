"""Stored evaluation reports (`identify_evaluations`): save one, read the latest or one by
id. A report is aggregates only (`seen.identify.report`); nothing here reads or writes
anything about a child."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select

from seen.store.engine import Store, write_transaction
from seen.store.tables import identify_evaluations


@dataclass(frozen=True)
class StoredEvaluation:
    id: int
    created_at: dt.datetime
    reference_date: dt.date
    alerts: int
    report: dict[str, Any]


def save_evaluation(store: Store, report: Mapping[str, Any], now: dt.datetime) -> int:
    """Store `report` (its `run.partnership.reference_date` and `alerts` are indexed);
    returns its id."""
    reference = dt.date.fromisoformat(report["run"]["partnership"]["reference_date"])
    with write_transaction(store) as conn:
        result = conn.execute(
            insert(identify_evaluations).values(
                created_at=now,
                reference_date=reference,
                alerts=len(report["alerts"]),
                report=dict(report),
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])


def latest_evaluation(store: Store) -> StoredEvaluation | None:
    """The most recently stored report, or None before any."""
    query = select(identify_evaluations).order_by(identify_evaluations.c.id.desc()).limit(1)
    return _one(store, query)


def get_evaluation(store: Store, evaluation_id: int) -> StoredEvaluation | None:
    query = select(identify_evaluations).where(identify_evaluations.c.id == evaluation_id)
    return _one(store, query)


def _one(store: Store, query: Any) -> StoredEvaluation | None:
    with store.engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    return StoredEvaluation(row.id, row.created_at, row.reference_date, row.alerts, row.report)
