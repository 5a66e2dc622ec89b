"""What a link run reads from the store and writes back: encodings in; people, the review
queue and the run itself out. Records are named by (agency, record_ref) outside the store."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, delete, exists, func, insert, select

from seen.domain.encoding import BLOOM_COLUMNS, NEAR_COLUMNS, TOKEN_COLUMNS
from seen.errors import StoreError
from seen.store.engine import Store, one_at_a_time, write_transaction
from seen.store.tables import (
    agencies,
    link_decisions,
    link_runs,
    people,
    record_encodings,
    records,
    review_pairs,
)
from seen.store.writes import CHUNK_SIZE, chunks

RecordKey = tuple[str, str]  # (agency name, the agency's record reference)
ENCODED_COLUMNS = (*TOKEN_COLUMNS, *BLOOM_COLUMNS, *NEAR_COLUMNS)


@dataclass(frozen=True, slots=True)
class AgencyEncodings:
    agency: str
    duplicate_free: bool
    rows: list[dict[str, Any]]  # record_id (the agency's reference) and the encoded columns


@dataclass(frozen=True, slots=True)
class Decision:
    left: RecordKey
    right: RecordKey
    decision: str  # "match" or "non_match"


FULL = "full"  # trained, every record scored
INCREMENTAL = "incremental"  # the records new since the latest run, with its model
RUN_KINDS = (FULL, INCREMENTAL)


@dataclass(frozen=True, slots=True)
class LinkRunRecord:
    started_at: dt.datetime
    finished_at: dt.datetime
    backend: str
    threshold: float
    review_low: float
    review_high: float
    model: Mapping[str, Any]
    pairs: int
    kind: str = FULL


@dataclass(frozen=True, slots=True)
class LatestRun:
    """What an incremental run reuses of the latest link run."""

    id: int
    threshold: float
    review_low: float
    review_high: float
    model: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class ReviewPair:
    left: RecordKey
    right: RecordKey
    match_probability: float
    match_weight: float
    field_weights: Mapping[str, float]
    field_levels: Mapping[str, str] = field(default_factory=dict)  # comparison: level key


@dataclass(frozen=True, slots=True)
class QueuedPair:
    """A pair in a link run's review queue, named for reviewers by `pair_id`."""

    pair_id: str
    left: RecordKey
    right: RecordKey
    match_probability: float
    match_weight: float
    field_weights: Mapping[str, float]
    field_levels: Mapping[str, str]  # empty for pairs queued before levels were kept


@dataclass(frozen=True, slots=True)
class ReviewQueue:
    """The latest link run's review queue: the pairs no reviewer has decided yet."""

    run_id: int
    finished_at: dt.datetime
    threshold: float
    review_low: float
    review_high: float
    model: Mapping[str, Any]
    queued: int  # pairs the run queued
    open: int  # of which no decision yet
    pairs: list[QueuedPair]  # the open pairs, most probable first, up to the limit asked


def encodings_by_agency(store: Store) -> Iterator[AgencyEncodings]:
    """Every encoded record, one agency at a time (agencies by name, records by reference).
    Each agency's records are read when the next is asked for, so a linkage run that loads
    them in turn never holds more than one agency's rows."""
    with store.engine.connect() as conn:
        holders = conn.execute(
            select(agencies.c.id, agencies.c.name, agencies.c.duplicate_free)
            .where(agencies.c.id.in_(select(records.c.agency_id).distinct()))
            .order_by(agencies.c.name)
        ).all()
    columns = [record_encodings.c[name] for name in ENCODED_COLUMNS]
    for holder in holders:
        query = (
            select(records.c.record_ref, *columns)
            .select_from(
                record_encodings.join(records, record_encodings.c.record_id == records.c.id)
            )
            .where(records.c.agency_id == holder.id)
            .order_by(records.c.record_ref)
        )
        with store.engine.connect() as conn:
            rows = [
                {
                    "record_id": row.record_ref,
                    **{name: _bytes_or_value(getattr(row, name)) for name in ENCODED_COLUMNS},
                }
                for row in conn.execute(query)
            ]
        if rows:
            yield AgencyEncodings(holder.name, bool(holder.duplicate_free), rows)
        del rows


def current_people(store: Store) -> list[tuple[str, str, str]]:
    """(agency, record_ref, person_id) as of the latest link run."""
    query = (
        select(agencies.c.name, records.c.record_ref, people.c.person_id)
        .select_from(_people_join())
        .order_by(agencies.c.name, records.c.record_ref)
    )
    with store.engine.connect() as conn:
        return [(row[0], row[1], row[2]) for row in conn.execute(query)]


def latest_decisions(store: Store) -> list[Decision]:
    """Each reviewed pair's latest decision (a later decision on a pair replaces earlier ones)."""
    with store.engine.connect() as conn:
        names = _record_names(conn)
        latest: dict[tuple[int, int], str] = {}
        query = select(
            link_decisions.c.record_l, link_decisions.c.record_r, link_decisions.c.decision
        ).order_by(link_decisions.c.decided_at, link_decisions.c.id)
        for row in conn.execute(query):
            latest[_ordered(row.record_l, row.record_r)] = row.decision
    return [Decision(names[a], names[b], decision) for (a, b), decision in latest.items()]


def save_link_run(
    store: Store,
    run: LinkRunRecord,
    assignments: Sequence[tuple[str, str, str]],
    queue: Sequence[ReviewPair],
    *,
    started_from: int | None,
) -> int:
    """Record a link run, replace every person assignment and open its review queue, all in
    one transaction. Returns the run's id.

    `started_from` is the latest run when this one read the people it keeps ids from
    (latest_run_id, read before them). If another run was saved since, saving this one would
    put back people worked out before it: the ids that run gave new people would vanish, with
    any request already made about them. So the save is refused (StoreError) and nothing
    changes; linking again starts from the newer run.

    An incremental run writes only the assignments that are new or changed, and keeps the
    previous run's review queue (its pairs are as uncertain as they were) beside its own."""
    if run.kind not in RUN_KINDS:
        raise ValueError(f"unknown link run kind {run.kind!r}")
    with write_transaction(store) as conn:
        one_at_a_time(conn, "link runs")  # PostgreSQL: two saves cannot both pass the check
        latest = conn.scalar(select(func.max(link_runs.c.id)))
        if latest is not None and latest != started_from:
            raise StoreError(
                f"link run {latest} was saved while this run was linking, so this run's "
                "people are out of date and nothing was saved: run `seen link` again"
            )
        ids = _record_ids(conn)
        pairs = [_review_row(ids, pair) for pair in queue]
        if run.kind == INCREMENTAL and latest is not None:
            pairs += _carried_pairs(conn, latest, {(p["record_l"], p["record_r"]) for p in pairs})
        result = conn.execute(
            insert(link_runs).values(
                started_at=run.started_at,
                finished_at=run.finished_at,
                backend=run.backend,
                threshold=run.threshold,
                review_low=run.review_low,
                review_high=run.review_high,
                model=dict(run.model),
                records=len(assignments),
                people=len({person for _, _, person in assignments}),
                pairs=run.pairs,
                review_pairs=len(pairs),
                kind=run.kind,
            )
        )
        assert result.inserted_primary_key is not None
        run_id = int(result.inserted_primary_key[0])
        rows = [
            {"record_id": ids[(agency, ref)], "person_id": person, "link_run_id": run_id}
            for agency, ref, person in assignments
        ]
        if run.kind == FULL:
            conn.execute(delete(people))
        else:  # only the records whose person is new or changed
            held = {r: p for r, p in conn.execute(select(people.c.record_id, people.c.person_id))}
            rows = [row for row in rows if held.get(row["record_id"]) != row["person_id"]]
            for gone in chunks([row["record_id"] for row in rows], CHUNK_SIZE):
                conn.execute(delete(people).where(people.c.record_id.in_(gone)))
        for part in chunks(rows, CHUNK_SIZE):
            conn.execute(insert(people), list(part))
        for pair in pairs:
            pair["link_run_id"] = run_id
        for part in chunks(pairs, CHUNK_SIZE):
            conn.execute(insert(review_pairs), list(part))
    return run_id


def _carried_pairs(
    conn: Connection, run_id: int, replaced: set[tuple[int, int]]
) -> list[dict[str, Any]]:
    """Run `run_id`'s review pairs, as rows for the next run (its id set later), less those
    in `replaced` (the next run scored them again)."""
    columns = [c for c in review_pairs.c if c.name not in ("id", "link_run_id")]
    query = select(*columns).where(review_pairs.c.link_run_id == run_id)
    return [
        dict(row._mapping)
        for row in conn.execute(query)
        if (row.record_l, row.record_r) not in replaced
    ]


def record_decision(
    store: Store,
    left: RecordKey,
    right: RecordKey,
    decision: str,
    reviewer: str,
    reason: str,
    now: dt.datetime,
) -> None:
    with write_transaction(store) as conn:
        ids = _record_ids(conn)
        a, b = _ordered(ids[left], ids[right])
        conn.execute(
            insert(link_decisions).values(
                record_l=a,
                record_r=b,
                decision=decision,
                reviewer=reviewer,
                reason=reason,
                decided_at=now,
            )
        )


def latest_run(store: Store) -> LatestRun | None:
    query = select(link_runs).order_by(link_runs.c.id.desc()).limit(1)
    with store.engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    return LatestRun(
        int(row.id),
        float(row.threshold),
        float(row.review_low),
        float(row.review_high),
        dict(row.model),
    )


def latest_run_id(store: Store) -> int | None:
    with store.engine.connect() as conn:
        value = conn.scalar(select(func.max(link_runs.c.id)))
    return None if value is None else int(value)


_PAIR_ID = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*$")


def pair_id(record_l: int, record_r: int) -> str:
    """A review pair's name for reviewers: the two records' store ids, smaller first.
    The same two records have the same pair id in every run."""
    a, b = _ordered(record_l, record_r)
    return f"{a}-{b}"


def parse_pair_id(text: str) -> tuple[int, int] | None:
    """The two record ids of a pair id (either way round), or None if it is not one."""
    found = _PAIR_ID.match(text)
    if found is None:
        return None
    return _ordered(int(found[1]), int(found[2]))


def open_review_pairs(store: Store, limit: int | None = None) -> ReviewQueue | None:
    """The latest link run's review pairs without a decision (most probable first, at most
    `limit` of them), or None if there has been no link run."""
    with store.engine.connect() as conn:
        run = conn.execute(select(link_runs).order_by(link_runs.c.id.desc()).limit(1)).first()
        if run is None:
            return None
        in_run = review_pairs.c.link_run_id == run.id
        open_ = ~_decided()
        counting = select(func.count()).select_from(review_pairs)
        queued = int(conn.scalar(counting.where(in_run)) or 0)
        count = int(conn.scalar(counting.where(in_run, open_)) or 0)
        query = (
            _queued_pairs_query()
            .where(in_run, open_)
            .order_by(review_pairs.c.match_probability.desc(), review_pairs.c.id)
        )
        if limit is not None:
            query = query.limit(limit)
        pairs = [_queued_pair(row) for row in conn.execute(query)]
    return ReviewQueue(
        run_id=int(run.id),
        finished_at=run.finished_at,
        threshold=float(run.threshold),
        review_low=float(run.review_low),
        review_high=float(run.review_high),
        model=dict(run.model),
        queued=queued,
        open=count,
        pairs=pairs,
    )


def queued_pair(store: Store, pair: str) -> QueuedPair | None:
    """The pair of that id in the latest link run's review queue, decided or not; None if
    the id is malformed or the pair is not in that queue (or there has been no run)."""
    ids = parse_pair_id(pair)
    if ids is None:
        return None
    latest = select(func.max(link_runs.c.id)).scalar_subquery()
    query = _queued_pairs_query().where(
        review_pairs.c.link_run_id == latest,
        review_pairs.c.record_l == ids[0],
        review_pairs.c.record_r == ids[1],
    )
    with store.engine.connect() as conn:
        row = conn.execute(query).first()
    return None if row is None else _queued_pair(row)


def _decided() -> Any:
    return exists().where(
        and_(
            link_decisions.c.record_l == review_pairs.c.record_l,
            link_decisions.c.record_r == review_pairs.c.record_r,
        )
    )


def _queued_pairs_query() -> Any:
    left, right = records.alias("left_record"), records.alias("right_record")
    left_agency, right_agency = agencies.alias("left_agency"), agencies.alias("right_agency")
    return select(
        review_pairs.c.record_l,
        review_pairs.c.record_r,
        left_agency.c.name.label("agency_l"),
        left.c.record_ref.label("ref_l"),
        right_agency.c.name.label("agency_r"),
        right.c.record_ref.label("ref_r"),
        review_pairs.c.match_probability,
        review_pairs.c.match_weight,
        review_pairs.c.field_weights,
        review_pairs.c.field_levels,
    ).select_from(
        review_pairs.join(left, review_pairs.c.record_l == left.c.id)
        .join(left_agency, left.c.agency_id == left_agency.c.id)
        .join(right, review_pairs.c.record_r == right.c.id)
        .join(right_agency, right.c.agency_id == right_agency.c.id)
    )


def _queued_pair(row: Any) -> QueuedPair:
    return QueuedPair(
        pair_id=pair_id(row.record_l, row.record_r),
        left=(row.agency_l, row.ref_l),
        right=(row.agency_r, row.ref_r),
        match_probability=float(row.match_probability),
        match_weight=float(row.match_weight),
        field_weights={str(k): float(v) for k, v in dict(row.field_weights).items()},
        field_levels={str(k): str(v) for k, v in dict(row.field_levels or {}).items()},
    )


def _review_row(ids: Mapping[RecordKey, int], pair: ReviewPair) -> dict[str, Any]:
    """A review pair's row, but for its run's id (link_run_id), set once the run is saved."""
    a, b = _ordered(ids[pair.left], ids[pair.right])
    return {
        "record_l": a,
        "record_r": b,
        "match_probability": pair.match_probability,
        "match_weight": pair.match_weight,
        "field_weights": dict(pair.field_weights),
        "field_levels": dict(pair.field_levels) if pair.field_levels else None,
    }


def _people_join() -> Any:
    return people.join(records, people.c.record_id == records.c.id).join(
        agencies, records.c.agency_id == agencies.c.id
    )


def _record_ids(conn: Connection) -> dict[RecordKey, int]:
    query = select(agencies.c.name, records.c.record_ref, records.c.id).select_from(
        records.join(agencies, records.c.agency_id == agencies.c.id)
    )
    return {(row[0], row[1]): row[2] for row in conn.execute(query)}


def _record_names(conn: Connection) -> dict[int, RecordKey]:
    return {value: key for key, value in _record_ids(conn).items()}


def _ordered(a: int, b: int) -> tuple[int, int]:
    # A pair is the same pair whichever way round it is named.
    return (a, b) if a <= b else (b, a)


def _bytes_or_value(value: Any) -> Any:
    # PostgreSQL returns BYTEA as memoryview; everything downstream expects bytes.
    return bytes(value) if isinstance(value, memoryview) else value
