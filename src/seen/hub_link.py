"""Linking at the hub: the store's encodings (or packages on disk) in, people out.

`link_store` runs over everything ingested, honours reviewers' decisions and keeps person ids
stable across runs; `link_store_incremental` links only the records ingested since the latest
run, to its people, with its model; `link_packages` is the standalone form that writes Parquet
files and touches no database. None ever sees a key or a plaintext identifier.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from seen.domain.encoding import (
    BLOOM_BYTES,
    BLOOM_COLUMNS,
    NEAR_ELEMENT_BYTES,
    NEAR_SIZES,
    TOKEN_COLUMNS,
)
from seen.encode import read_package
from seen.errors import InvalidInput
from seen.link import LinkResult, Source, link, link_incremental
from seen.link.model import LinkModel, gamma_levels
from seen.store import Store
from seen.store.linkage import (
    INCREMENTAL,
    LinkRunRecord,
    ReviewPair,
    current_people,
    encodings_by_agency,
    latest_decisions,
    latest_run,
    latest_run_id,
    save_link_run,
)

Progress = Callable[[str, int, int], None]
THRESHOLD = 0.9
REVIEW_BAND = (0.5, 0.9)

_ENCODED_SCHEMA = pa.schema(
    [
        pa.field("record_id", pa.string()),
        *(pa.field(name, pa.string()) for name in TOKEN_COLUMNS),
        *(pa.field(name, pa.binary(BLOOM_BYTES)) for name in BLOOM_COLUMNS),
        *(pa.field(name, pa.binary(n * NEAR_ELEMENT_BYTES)) for name, n in NEAR_SIZES.items()),
    ]
)


@dataclass(frozen=True, slots=True)
class LinkSummary:
    records: int
    people: int
    pairs: int
    review_pairs: int
    run_id: int | None  # None for a standalone run, or an incremental one with nothing new
    started_from: int | None = None  # an incremental run's: the link run it added to


def link_store(
    store: Store,
    *,
    threshold: float = THRESHOLD,
    review_band: tuple[float, float] = REVIEW_BAND,
    progress: Progress | None = None,
    backend: str = "duckdb",
) -> LinkSummary:
    """Link every ingested record; save people, the review queue and the run. `backend`:
    the engine that links, "duckdb" or "spark" (the same people either way)."""
    started = dt.datetime.now(dt.UTC)

    def sources() -> Iterator[Source]:
        # The run reads, checks and loads one agency's records at a time.
        for group in encodings_by_agency(store):
            table = pa.Table.from_pylist(group.rows, schema=_ENCODED_SCHEMA)
            agency, duplicate_free = group.agency, group.duplicate_free
            del group  # not held while the next agency is read
            yield Source(agency, table, duplicate_free)
            del table

    # Read before the people: if a run is saved after this, this run's save is refused.
    started_from = latest_run_id(store)
    previous = _people_table(current_people(store))
    result = link(
        sources(),
        previous_people=previous if previous.num_rows else None,
        threshold=threshold,
        review_band=review_band,
        decisions=_decisions_table(store),
        progress=progress,
        backend=backend,
    )
    queue = _review_queue(result)
    run = LinkRunRecord(
        started_at=started,
        finished_at=dt.datetime.now(dt.UTC),
        backend=backend,
        threshold=threshold,
        review_low=review_band[0],
        review_high=review_band[1],
        model=json.loads(result.model.to_json()),
        pairs=result.pairs.num_rows,
    )
    assignments = [
        (row["source"], row["record_id"], row["person_id"]) for row in result.people.to_pylist()
    ]
    run_id = save_link_run(store, run, assignments, queue, started_from=started_from)
    return _summary(result, len(queue), run_id)


def link_store_incremental(store: Store, *, progress: Progress | None = None) -> LinkSummary:
    """Link the records ingested since the latest link run to its people, with its model and
    its threshold and review band: no retraining and no full pass. People no new record
    links to keep their records and ids exactly (seen.link.incremental). Records changed by
    a later ingest keep their person until the next full run. Returns run_id None, and
    saves nothing, when no record is new."""
    started = dt.datetime.now(dt.UTC)
    latest = latest_run(store)
    if latest is None:
        raise InvalidInput(
            "there is no link run yet, so no people to add new records to: run `seen link` first"
        )
    try:
        model = LinkModel.from_json(json.dumps(latest.model))
    except InvalidInput as error:
        raise InvalidInput(
            f"link run {latest.id}'s model cannot be reused ({error.message}): run `seen link` "
            "without --incremental"
        ) from None
    previous = current_people(store)
    linked = {(agency, ref) for agency, ref, _ in previous}
    existing: list[Source] = []
    new: list[Source] = []
    for group in encodings_by_agency(store):
        held: list[dict[str, Any]] = []
        added: list[dict[str, Any]] = []
        for row in group.rows:
            (held if (group.agency, row["record_id"]) in linked else added).append(row)
        for rows, into in ((held, existing), (added, new)):
            if rows:
                table = pa.Table.from_pylist(rows, schema=_ENCODED_SCHEMA)
                into.append(Source(group.agency, table, group.duplicate_free))
    if not new:
        people_ids = {p for _, _, p in previous}
        return LinkSummary(len(previous), len(people_ids), 0, 0, None, started_from=latest.id)
    people = _people_table(previous)
    decisions = _decisions_table(store)
    band = (latest.review_low, latest.review_high)
    queue: list[ReviewPair] = []
    pairs = 0
    for source in new:  # one agency's new records at a time, each against all before it
        result = link_incremental(
            people,
            existing,
            source,
            model,
            threshold=latest.threshold,
            review_band=band,
            decisions=decisions,
            progress=progress,
        )
        people = result.people
        existing.append(source)
        queue += _review_queue(result)
        pairs += result.pairs.num_rows
    run = LinkRunRecord(
        started_at=started,
        finished_at=dt.datetime.now(dt.UTC),
        backend="duckdb",
        threshold=latest.threshold,
        review_low=band[0],
        review_high=band[1],
        model=latest.model,
        pairs=pairs,
        kind=INCREMENTAL,
    )
    assignments = [(r["source"], r["record_id"], r["person_id"]) for r in people.to_pylist()]
    run_id = save_link_run(store, run, assignments, queue, started_from=latest.id)
    people_ids = {p for _, _, p in assignments}
    return LinkSummary(
        len(assignments), len(people_ids), pairs, len(queue), run_id, started_from=latest.id
    )


def link_packages(
    packages: Sequence[Path],
    out_dir: Path,
    *,
    threshold: float = THRESHOLD,
    review_band: tuple[float, float] = REVIEW_BAND,
    progress: Progress | None = None,
    backend: str = "duckdb",
) -> LinkSummary:
    """Link packages straight from disk; write `pairs.parquet` and `people.parquet`."""

    def sources() -> Iterator[Source]:
        # Read and checked one at a time as the run loads them, so only one package is
        # held at once; a bad one stops the run before anything is written.
        for path in packages:
            package = read_package(path)
            encoded = package.records.select(_ENCODED_SCHEMA.names)
            yield Source(package.manifest.agency, encoded, package.manifest.duplicate_free)
            del package, encoded

    result = link(
        sources(),
        threshold=threshold,
        review_band=review_band,
        progress=progress,
        backend=backend,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    pq.write_table(result.pairs, out_dir / "pairs.parquet")
    pq.write_table(result.people, out_dir / "people.parquet")
    review = int(pc.sum(result.pairs.column("needs_review")).as_py() or 0)
    return _summary(result, review, None)


def _summary(result: LinkResult, review_pairs: int, run_id: int | None) -> LinkSummary:
    people = pc.count_distinct(result.people.column("person_id")).as_py()
    return LinkSummary(
        result.people.num_rows, int(people), result.pairs.num_rows, review_pairs, run_id
    )


def _people_table(rows: Sequence[tuple[str, str, str]]) -> pa.Table:
    return pa.table(
        {
            "source": pa.array([r[0] for r in rows], pa.string()),
            "record_id": pa.array([r[1] for r in rows], pa.string()),
            "person_id": pa.array([r[2] for r in rows], pa.string()),
        }
    )


def _decisions_table(store: Store) -> pa.Table | None:
    decisions = latest_decisions(store)
    if not decisions:
        return None
    return pa.table(
        {
            "source_l": [d.left[0] for d in decisions],
            "record_id_l": [d.left[1] for d in decisions],
            "source_r": [d.right[0] for d in decisions],
            "record_id_r": [d.right[1] for d in decisions],
            "decision": [d.decision for d in decisions],
        }
    )


def _review_queue(result: LinkResult) -> list[ReviewPair]:
    """Uncertain pairs no reviewer has decided yet, explained by their field weights and
    the level of each comparison that agreed."""
    pairs = result.pairs.filter(
        pc.and_(result.pairs.column("needs_review"), pc.is_null(result.pairs.column("decision")))
    )
    weights = [name for name in pairs.column_names if name.startswith("weight_")]
    gammas = [name for name in pairs.column_names if name.startswith("gamma_")]
    queue = []
    for row in pairs.to_pylist():
        queue.append(
            ReviewPair(
                left=(row["source_l"], row["record_id_l"]),
                right=(row["source_r"], row["record_id_r"]),
                match_probability=float(row["match_probability"]),
                match_weight=float(row["match_weight"]),
                field_weights=_weights(row, weights),
                field_levels=_levels(row, gammas),
            )
        )
    return queue


def _weights(row: dict[str, Any], columns: Sequence[str]) -> dict[str, float]:
    return {c.removeprefix("weight_"): round(float(row[c] or 0.0), 3) for c in columns}


def _levels(row: dict[str, Any], columns: Sequence[str]) -> dict[str, str]:
    levels = {}
    for column in columns:
        name = column.removeprefix("gamma_")
        if row[column] is not None:
            levels[name] = gamma_levels(name).get(int(row[column]), str(row[column]))
    return levels
