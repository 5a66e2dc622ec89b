"""Read side: what the command line and the web pages show about the store's contents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import func, select

from seen.domain.agencies import Agency, AgencyKind
from seen.domain.events import EventKind
from seen.store.engine import Store
from seen.store.tables import agencies, events, ingest_runs, records


@dataclass(frozen=True, slots=True)
class AgencySummary:
    """Counts for one agency: what it has contributed and how its last ingest went."""

    name: str
    kind: AgencyKind
    records: int
    events: int
    events_by_kind: Mapping[EventKind, int] = field(default_factory=dict)
    last_ingest: dt.datetime | None = None
    rejected_rows_last_run: int = 0


def list_agencies(store: Store) -> list[Agency]:
    """Every registered agency, by name."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(agencies.c.name, agencies.c.kind).order_by(agencies.c.name))
        return [Agency(row.name, AgencyKind(row.kind)) for row in rows]


def agency_summaries(store: Store) -> list[AgencySummary]:
    """One summary per registered agency, by name; a few grouped queries, not one per agency."""
    with store.engine.connect() as conn:
        agency_rows = conn.execute(
            select(agencies.c.id, agencies.c.name, agencies.c.kind).order_by(agencies.c.name)
        ).all()
        record_counts: dict[int, int] = {
            row[0]: row[1]
            for row in conn.execute(
                select(records.c.agency_id, func.count()).group_by(records.c.agency_id)
            )
        }
        by_kind: dict[int, dict[EventKind, int]] = {}
        event_query = (
            select(records.c.agency_id, events.c.kind, func.count())
            .select_from(events.join(records, events.c.record_id == records.c.id))
            .group_by(records.c.agency_id, events.c.kind)
        )
        for row in conn.execute(event_query):
            by_kind.setdefault(row[0], {})[EventKind(row[1])] = row[2]
        # Run ids rise with time, so each agency's largest id is its latest run.
        latest = (
            select(func.max(ingest_runs.c.id)).group_by(ingest_runs.c.agency_id).scalar_subquery()
        )
        last_runs = {
            row.agency_id: row
            for row in conn.execute(
                select(
                    ingest_runs.c.agency_id,
                    ingest_runs.c.finished_at,
                    ingest_runs.c.rejected_rows,
                ).where(ingest_runs.c.id.in_(latest))
            )
        }
    summaries = []
    for row in agency_rows:
        kinds = by_kind.get(row.id, {})
        run = last_runs.get(row.id)
        summaries.append(
            AgencySummary(
                name=row.name,
                kind=AgencyKind(row.kind),
                records=record_counts.get(row.id, 0),
                events=sum(kinds.values()),
                events_by_kind=dict(sorted(kinds.items())),
                last_ingest=None if run is None else run.finished_at,
                rejected_rows_last_run=0 if run is None else run.rejected_rows,
            )
        )
    return summaries
