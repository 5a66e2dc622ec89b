"""`link_incremental`: add one new package to existing people with a trained model.

No retraining and no full pass: the existing records stay Arrow tables the database reads
in place (their filters are not even cast), candidates are blocked only on the new
records' tokens (new against all, and new against new), and only the records taking part
in a candidate pair are materialised and scored. Existing people are units: an existing
person touched by a new link is joined whole, under the same split rule as a full run (two
records of one duplicate-free source never end up together), and ids follow the same
inheritance rule. People no new record links to are not looked at, so they keep their ids
exactly. Reviewers' decisions apply when they involve a new record; others wait for the
next full run.
"""

# ruff: noqa: S608 - SQL here is assembled from the code's own table and column names;
# data reaches the database as Arrow tables or quoted literals, never as raw text.

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from seen.domain.encoding import BLOOM_COLUMNS, TOKEN_COLUMNS
from seen.domain.records import Problem
from seen.errors import InvalidInput
from seen.link.backend import Backend, new_backend, quote_literal
from seen.link.candidates import BLOCKING_RULES, candidate_pairs_sql
from seen.link.cluster import ConstrainedUnion
from seen.link.ids import PEOPLE_SCHEMA, assign_stable_ids
from seen.link.linkage import (
    LinkResult,
    Progress,
    _Steps,
    check_options,
    edges,
    load_decisions,
    pairs_table,
    score_with_decisions,
)
from seen.link.model import LinkModel
from seen.link.schema import Source, conform, source_problems
from seen.link.score import TF_COLUMNS

EXISTING = "seen_existing"
NEW = "seen_new"
ALL = "seen_all"
INVOLVED = "seen_involved"
NEAR = "seen_near"
NEAR_ALL = "seen_near_all"


def link_incremental(
    existing_people: pa.Table,
    existing_records: Sequence[Source],
    new: Source,
    model: LinkModel,
    *,
    threshold: float = 0.9,
    review_band: tuple[float, float] = (0.5, 0.9),
    decisions: pa.Table | None = None,
    progress: Progress | None = None,
) -> LinkResult:
    """Link `new` to the existing records and people; return the new pairs and every
    person (existing people untouched by the new records exactly as they were)."""
    step = _Steps(progress, ["validate", "load", "candidates", "score", "cluster", "ids"])
    step("validate")
    _validate(existing_records, new)
    check_options(threshold, review_band)
    backend = new_backend()
    try:
        step("load")
        offsets = _register_existing(backend, existing_records)
        first_new = offsets[-1]
        backend.load(NEW, [new], first_rid=first_new)
        tokens = ", ".join(TOKEN_COLUMNS)
        backend.execute(
            f"CREATE OR REPLACE VIEW {ALL} AS SELECT rid, source_dataset, record_id, "
            f"duplicate_free, {tokens} FROM {EXISTING} UNION ALL "
            f"SELECT rid, source_dataset, record_id, duplicate_free, {tokens} FROM {NEW}"
        )
        load_decisions(backend, decisions, ALL)
        backend.execute(f"DELETE FROM seen_decisions WHERE rid_r < {first_new}")
        step("candidates")
        _near_records(backend, existing_records, offsets)
        cross = candidate_pairs_sql(BLOCKING_RULES, NEW, NEAR, block_counts_from=NEAR_ALL)
        within = candidate_pairs_sql(BLOCKING_RULES, NEW, block_counts_from=NEAR_ALL)
        backend.execute(f"CREATE OR REPLACE TABLE seen_candidates AS {cross} UNION ALL {within}")
        _load_involved(backend, existing_records, offsets, new)
        step("score")
        score_with_decisions(
            backend,
            model,
            INVOLVED,
            "seen_candidates",
            keep_at_least=min(review_band[0], threshold),
            tf_tables=_term_frequencies(backend),
        )
        pairs = pairs_table(backend, review_band, [r.name for r in BLOCKING_RULES])
        step("cluster")
        weighted = edges(backend, threshold)
        step("ids")
        people = _update_people(
            backend, existing_people, existing_records, new, weighted, first_new
        )
    finally:
        backend.close()
    return LinkResult(pairs=pairs, people=people, model=model)


def _validate(existing: Sequence[Source], new: Source) -> None:
    problems = source_problems(new)
    for source in existing:
        if source.name == new.name and not problems:
            both = pc.is_in(
                new.records.column("record_id"), value_set=source.records.column("record_id")
            )
            clashes = pc.sum(both).as_py()
            if clashes:
                problems.append(
                    Problem(
                        new.name,
                        "records",
                        "record_id",
                        f"{clashes} record_id value(s) are already linked from this source",
                    )
                )
    if problems:
        raise InvalidInput(f"{len(problems)} problem(s) in the new records to link", problems)


def _register_existing(backend: Backend, sources: Sequence[Source]) -> list[int]:
    """A view over the existing sources read in place; returns each source's first rid
    and, last, the first rid after them all."""
    selects = []
    rid = 0
    offsets = []
    for index, source in enumerate(sources):
        offsets.append(rid)
        name = f"__seen_existing_{index}"
        records = conform(source.records)
        records = records.append_column(
            "rid", pa.array(np.arange(rid, rid + records.num_rows, dtype=np.int64))
        )
        backend.register(name, records)
        rid += records.num_rows
        selects.append(
            f"SELECT rid, {quote_literal(source.name)} AS source_dataset, record_id, "
            f"{'TRUE' if source.duplicate_free else 'FALSE'} AS duplicate_free, "
            f"{', '.join(TOKEN_COLUMNS)}, {', '.join(BLOOM_COLUMNS)} FROM {name}"
        )
    if not selects:
        tokens = ", ".join(f"NULL::VARCHAR AS {c}" for c in TOKEN_COLUMNS)
        blobs = ", ".join(f"NULL::BLOB AS {c}" for c in BLOOM_COLUMNS)
        selects.append(
            "SELECT NULL::BIGINT AS rid, NULL::VARCHAR AS source_dataset, NULL::VARCHAR AS "
            f"record_id, NULL::BOOLEAN AS duplicate_free, {tokens}, {blobs} WHERE FALSE"
        )
    backend.execute(f"CREATE OR REPLACE VIEW {EXISTING} AS " + " UNION ALL ".join(selects))
    return [*offsets, rid]


def _near_records(backend: Backend, sources: Sequence[Source], offsets: list[int]) -> None:
    """`seen_near`: the existing records sharing a blocking key with a new record, in a
    block no larger than the rule's cap.

    One pass over the existing records tests every rule's key (a hash of its columns)
    against the new records' keys and keeps only rids and matching keys. Block sizes are
    then counted on that small result (every record holding a new record's key is in it),
    and the rows are taken from the Arrow tables by position."""
    hashes, matches = [], []
    for column in TF_COLUMNS:
        hashes.append(f"CASE WHEN {column} IS NOT NULL THEN hash({column}) END AS tf_{column}")
    for index, rule in enumerate(BLOCKING_RULES):
        cols = ", ".join(rule.columns)
        not_null = " AND ".join(f"{c} IS NOT NULL" for c in rule.columns)
        hashes.append(f"hash({cols}) AS h{index}")
        # A key with a missing part hashes to a value no complete key has (bar a 64-bit
        # collision, which the exact join afterwards would reject anyway).
        matches.append(
            f"SELECT rid, {index} AS rule, h{index} AS k FROM __seen_key_hashes "
            f"SEMI JOIN (SELECT hash({cols}) AS k FROM {NEW} WHERE {not_null}) n "
            f"ON h{index} = n.k"
        )
    # Hashing every key once into a native table, then one semi-join per rule on integers,
    # is several times faster than testing all the rules' keys in one filter.
    backend.execute(
        f"CREATE OR REPLACE TABLE __seen_key_hashes AS SELECT rid, {', '.join(hashes)} "
        f"FROM {EXISTING}"
    )
    backend.execute("CREATE OR REPLACE TABLE __seen_near_keys AS " + " UNION ALL ".join(matches))
    keep = []
    for index, rule in enumerate(BLOCKING_RULES):
        if rule.max_block_size is None:
            keep.append(f"rule = {index}")
            continue
        cols = ", ".join(rule.columns)
        not_null = " AND ".join(f"{c} IS NOT NULL" for c in rule.columns)
        keep.append(
            f"(rule = {index} AND k IN (SELECT k FROM (SELECT k FROM __seen_near_keys "
            f"WHERE rule = {index} UNION ALL SELECT hash({cols}) FROM {NEW} "
            f"WHERE {not_null}) GROUP BY k HAVING count(*) <= {rule.max_block_size}))"
        )
    rids = (
        backend.query(
            "SELECT DISTINCT rid FROM __seen_near_keys WHERE " + " OR ".join(keep) + " ORDER BY rid"
        )
        .column("rid")
        .to_numpy()
    )
    _load_existing_rows(backend, NEAR, sources, offsets, rids, bloom=False)
    tokens = ", ".join(TOKEN_COLUMNS)
    backend.execute(
        f"CREATE OR REPLACE VIEW {NEAR_ALL} AS SELECT * FROM {NEAR} UNION ALL "
        f"SELECT rid, source_dataset, record_id, duplicate_free, {tokens} FROM {NEW}"
    )


def _load_existing_rows(
    backend: Backend,
    table: str,
    sources: Sequence[Source],
    offsets: list[int],
    rids: np.ndarray,
    *,
    bloom: bool = True,
    also: Source | None = None,
) -> None:
    """Load the existing records with these rids into `table`, taken by position (and
    the records of `also`, numbered after all existing ones)."""
    parts, numbers = [], []
    for index, source in enumerate(sources):
        start, end = offsets[index], offsets[index + 1]
        mine = rids[(rids >= start) & (rids < end)]
        if len(mine):
            taken = source.records.take(pa.array(mine - start))
            parts.append(Source(source.name, taken, source.duplicate_free))
            numbers.append(mine)
    if also is not None:
        parts.append(also)
        numbers.append(np.arange(offsets[-1], offsets[-1] + also.records.num_rows, dtype=np.int64))
    backend.load(table, parts, rids=numbers, bloom=bloom)


def _load_involved(
    backend: Backend, sources: Sequence[Source], offsets: list[int], new: Source
) -> None:
    """`seen_involved`: the existing records in a candidate pair or a decision (taken by
    position, filters cast to BIT) and the new records."""
    rids = (
        backend.query(
            f"SELECT rid_r AS rid FROM seen_candidates WHERE rid_r < {offsets[-1]} UNION "
            f"SELECT rid_l FROM seen_decisions WHERE rid_l < {offsets[-1]} ORDER BY 1"
        )
        .column("rid")
        .to_numpy()
    )
    _load_existing_rows(backend, INVOLVED, sources, offsets, rids, also=new)


def _term_frequencies(backend: Backend) -> dict[str, str]:
    """Term-frequency lookups over all records for the new records' values (a
    term-frequency adjustment applies where both sides of a pair hold the same value, and
    every pair here has a new record), counted on the key hashes of the one pass."""
    out = {}
    for column in TF_COLUMNS:
        backend.execute(
            f"""CREATE OR REPLACE TABLE __seen_tf_{column} AS
            WITH wanted AS (SELECT DISTINCT {column}, hash({column}) AS h FROM {NEW}
                            WHERE {column} IS NOT NULL),
            existing AS (SELECT tf_{column} AS h, count(*) AS n FROM __seen_key_hashes
                         WHERE tf_{column} IN (SELECT h FROM wanted) GROUP BY 1),
            fresh AS (SELECT {column}, count(*) AS n FROM {NEW} GROUP BY 1),
            total AS (SELECT (SELECT count(tf_{column}) FROM __seen_key_hashes)
                           + (SELECT count({column}) FROM {NEW}) AS n)
            SELECT w.{column}, (coalesce(e.n, 0) + f.n)::DOUBLE / (SELECT n FROM total)
                AS tf_{column}
            FROM wanted w JOIN fresh f USING ({column}) LEFT JOIN existing e USING (h)"""
        )
        out[column] = f"__seen_tf_{column}"
    return out


def _update_people(
    backend: Backend,
    existing_people: pa.Table,
    existing_records: Sequence[Source],
    new: Source,
    weighted: Sequence[tuple[float, int, int, bool]],
    first_new: int,
) -> pa.Table:
    people = existing_people.select(["source", "record_id", "person_id"])
    if people.schema != PEOPLE_SCHEMA:
        people = people.cast(PEOPLE_SCHEMA)
    backend.register("__seen_people", people)
    free = {s.name for s in existing_records if s.duplicate_free}
    if new.duplicate_free:
        free.add(new.name)
    # Existing records in an edge, with their person (if they have one).
    linked = {rid for _, a, b, _ in weighted for rid in (a, b) if rid < first_new}
    cannot_rows = backend.query(
        "SELECT rid_l, rid_r FROM seen_decisions WHERE decision = 'non_match'"
    ).to_pylist()
    linked |= {int(r[k]) for r in cannot_rows for k in ("rid_l", "rid_r") if r[k] < first_new}
    backend.register("__seen_linked", pa.table({"rid": pa.array(sorted(linked), pa.int64())}))
    rows = backend.query(
        f"SELECT a.rid, a.source_dataset, a.record_id, p.person_id FROM {INVOLVED} a "
        "SEMI JOIN __seen_linked l USING (rid) LEFT JOIN (SELECT * FROM __seen_people "
        f"WHERE (source, record_id) IN (SELECT (source_dataset, record_id) FROM {INVOLVED})) p "
        "ON p.source = a.source_dataset AND p.record_id = a.record_id"
    ).to_pylist()
    person_of = {int(r["rid"]): r["person_id"] for r in rows}
    touched = sorted({p for p in person_of.values() if p is not None})
    backend.register("__seen_touched", pa.table({"person_id": pa.array(touched, pa.string())}))
    touched_rows = backend.query(
        "SELECT source, record_id, person_id FROM __seen_people "
        "SEMI JOIN __seen_touched USING (person_id) ORDER BY person_id, source, record_id"
    )
    # One node per new record, per unpersoned existing record, and per touched person.
    node_of_person = {p: first_new + new.records.num_rows + k for k, p in enumerate(touched)}

    def node(rid: int) -> int:
        person = person_of.get(rid) if rid < first_new else None
        return node_of_person[person] if person is not None else rid

    new_rids = list(range(first_new, first_new + new.records.num_rows))
    nodes = set(new_rids) | {node(r) for r in linked}
    free_of: dict[int, set[str]] = {}
    for rid in new_rids:
        if new.name in free:
            free_of[rid] = {new.name}
    sources_of_rid = {int(r["rid"]): r["source_dataset"] for r in rows}
    for rid in linked:
        if person_of.get(rid) is None and sources_of_rid.get(rid) in free:
            free_of[rid] = {sources_of_rid[rid]}
    for source, person in zip(
        touched_rows.column("source").to_pylist(),
        touched_rows.column("person_id").to_pylist(),
        strict=True,
    ):
        if source in free:
            free_of.setdefault(node_of_person[person], set()).add(source)
    cannot = [(node(int(r["rid_l"])), node(int(r["rid_r"]))) for r in cannot_rows]
    union = ConstrainedUnion(nodes, free_of, cannot)
    union.add_edges(
        (w, node(a), node(b), forced) for w, a, b, forced in weighted if node(a) != node(b)
    )
    label_of_node = {n: k for k, comp in enumerate(union.components()) for n in comp}

    # The affected records: new ones, linked unpersoned ones, all of each touched person.
    keys = backend.query(
        f"SELECT rid, source_dataset, record_id FROM {INVOLVED} WHERE rid >= {first_new} "
        "OR rid IN (SELECT rid FROM __seen_linked)"
    ).to_pylist()
    sources, record_ids, labels = [], [], []
    for r in keys:
        rid = int(r["rid"])
        if rid < first_new and person_of.get(rid) is not None:
            continue  # listed with its whole person below
        sources.append(r["source_dataset"])
        record_ids.append(r["record_id"])
        labels.append(label_of_node[node(rid)])
    for source, record_id, person in zip(
        touched_rows.column("source").to_pylist(),
        touched_rows.column("record_id").to_pylist(),
        touched_rows.column("person_id").to_pylist(),
        strict=True,
    ):
        sources.append(source)
        record_ids.append(record_id)
        labels.append(label_of_node[node_of_person[person]])
    affected = pa.table(
        {
            "source": pa.array(sources, pa.string()),
            "record_id": pa.array(record_ids, pa.string()),
            "cluster_id": pa.array(labels, pa.int64()),
        }
    )
    updated = assign_stable_ids(affected, touched_rows, register=_PeopleRegister(backend))
    untouched = people.filter(
        pc.invert(pc.is_in(people.column("person_id"), value_set=pa.array(touched, pa.string())))
    )
    # Existing records that had no person and that nothing linked to stay out of the
    # table, as they were.
    return pa.concat_tables([untouched, updated])


class _PeopleRegister:
    """The existing people's ids, asked in the database rather than copied into Python."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    def context(self) -> bytes:
        row = self.backend.query(
            "SELECT count(*) AS n, bit_xor(hash(person_id)) AS x, "
            "sum(hash(person_id) % 1000003) AS s FROM __seen_people"
        ).to_pylist()[0]
        return hashlib.sha256(f"{row['n']}:{row['x']}:{row['s']}".encode()).digest()

    def clashes(self, candidates: Sequence[str]) -> set[str]:
        self.backend.register(
            "__seen_candidate_ids", pa.table({"id": pa.array(candidates, pa.string())})
        )
        found = self.backend.query(
            "SELECT id FROM __seen_candidate_ids WHERE id IN (SELECT person_id FROM __seen_people)"
        )
        return set(found.column("id").to_pylist())
