"""`link_incremental`: add one new package to existing people with a trained model.

No retraining and no full pass. The existing records' blocking keys (and the values that
carry term frequencies) are hashed once into an `IncrementalIndex`, which a caller linking
package after package keeps (`extended(new)` after each run); a run without one makes it
(one pass over the existing records, read in place from Arrow). A run hashes the new
records' keys, looks them up in the index, keeps the keys whose block (all records holding
the key, existing and new) is within the rule's cap as a full run does, and pairs new
records with the existing records and with each other on those keys. Only the records
taking part in a pair are materialised, every pair is checked on the tokens themselves,
and the pairs are scored. Existing people are units: an existing person touched by a new
link is joined whole, under the same split rule as a full run (two records of one
duplicate-free source never end up together), and ids follow the same inheritance rule.
People no new record links to are not looked at, so they keep their ids exactly.
Reviewers' decisions apply when they involve a new record; others wait for the next full
run.
"""

# ruff: noqa: S608 - SQL here is assembled from the code's own table and column names;
# data reaches the database as Arrow tables or quoted literals, never as raw text.

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from seen.domain.encoding import BLOOM_COLUMNS, NEAR_COLUMNS, TOKEN_COLUMNS
from seen.domain.records import Problem
from seen.errors import InvalidInput
from seen.link.backend import Backend, new_backend, quote_literal
from seen.link.candidates import BLOCKING_RULES, COMPARABLE
from seen.link.cluster import ConstrainedUnion
from seen.link.ids import PEOPLE_SCHEMA, assign_stable_ids
from seen.link.index import KEYS, IncrementalIndex, flatten_keys, hash_keys
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
from seen.link.schema import Source, source_problems
from seen.link.score import TF_COLUMNS, leave_one_out

NEW = "seen_new"
EXISTING_IDS = "seen_existing_ids"
ALL_IDS = "seen_all_ids"
INVOLVED = "seen_involved"


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
    index: IncrementalIndex | None = None,
) -> LinkResult:
    """Link `new` to the existing records and people; return the new pairs and every
    person (existing people untouched by the new records exactly as they were).

    `index`: `IncrementalIndex.build(existing_records)`, kept by a caller that links
    package after package; without it the run makes its own (one pass over the existing
    records)."""
    step = _Steps(progress, ["validate", "load", "candidates", "score", "cluster", "ids"])
    step("validate")
    _validate(existing_records, new)
    check_options(threshold, review_band)
    if index is not None and not index.covers(existing_records):
        raise InvalidInput(
            "the incremental index was built from other records",
            [Problem("index", "sources", "records", "rebuild it from the existing records")],
        )
    backend = new_backend()
    try:
        step("load")
        first_new = sum(s.records.num_rows for s in existing_records)
        backend.load(NEW, [new], first_rid=first_new)
        _load_decisions(backend, existing_records, decisions, first_new)
        step("candidates")
        if index is None:
            index = IncrementalIndex(existing_records, *hash_keys(backend, existing_records))
        new_hashes, _ = hash_keys(backend, [new])
        rids = np.arange(first_new, first_new + new.records.num_rows, dtype=np.int64)
        found = {
            columns: _found(index, columns, rids, new_hashes[i]) for i, columns in enumerate(KEYS)
        }
        _candidates(backend, found, existing_records, new, first_new)
        step("score")
        score_with_decisions(
            backend,
            model,
            INVOLVED,
            "seen_candidates",
            keep_at_least=min(review_band[0], threshold),
            tf_tables=_term_frequencies(backend, index, found),
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


def _load_decisions(
    backend: Backend, sources: Sequence[Source], decisions: pa.Table | None, first_new: int
) -> None:
    """`seen_decisions`, keeping only decisions about a new record (the others wait for
    the next full run). Existing records' ids are read in place, and only when there are
    decisions."""
    if decisions is None or decisions.num_rows == 0:
        load_decisions(backend, None, NEW)
        return
    selects, rid = [], 0
    for index, source in enumerate(sources):
        name = f"__seen_existing_ids_{index}"
        n = source.records.num_rows
        ids = pa.table(
            {
                "rid": pa.array(np.arange(rid, rid + n, dtype=np.int64)),
                "record_id": source.records.column("record_id").cast(pa.string()),
            }
        )
        backend.register(name, ids)
        rid += n
        selects.append(
            f"SELECT rid, {quote_literal(source.name)} AS source_dataset, record_id FROM {name}"
        )
    selects.append(f"SELECT rid, source_dataset, record_id FROM {NEW}")
    backend.execute(f"CREATE OR REPLACE VIEW {ALL_IDS} AS " + " UNION ALL ".join(selects))
    load_decisions(backend, decisions, ALL_IDS)
    backend.execute(f"DELETE FROM seen_decisions WHERE rid_r < {first_new}")


def _found(
    index: IncrementalIndex, columns: tuple[str, ...], new_rids: np.ndarray, new_keys: pa.Array
) -> tuple[pa.Table, pa.Table]:
    """For one key: the new records' (rid, k) and the existing records' (rid, k) holding
    one of those keys (a record holds one row per element of a near set)."""
    keys, rids = flatten_keys(new_keys, new_rids)
    mine = pa.table({"rid": pa.array(rids, pa.int64()), "k": pa.array(keys, pa.uint64())})
    rids, keys = index.lookup(columns, pc.unique(mine.column("k").combine_chunks()))
    return mine, pa.table({"rid": pa.array(rids, pa.int64()), "k": keys})


def _candidates(
    backend: Backend,
    found: dict[tuple[str, ...], tuple[pa.Table, pa.Table]],
    sources: Sequence[Source],
    new: Source,
    first_new: int,
) -> None:
    """`seen_candidates` (rid_l new, rid_r existing or a later new record, match_key) and
    `seen_involved` (the records taking part, filters cast).

    A rule pairs records whose key tokens are all equal, in blocks no larger than the
    rule's cap counted over all records, as a full run does. The pairs come from the key
    hashes; the records are then loaded and every pair checked on the tokens themselves
    (so a 64-bit hash collision cannot make a pair), under the source rules."""
    news, nears, caps = [], [], []
    for number, rule in enumerate(BLOCKING_RULES):
        mine, theirs = found[rule.columns]
        rule_column = pa.array(np.full(mine.num_rows, number, np.int32))
        news.append(mine.append_column("rule", rule_column))
        rule_column = pa.array(np.full(theirs.num_rows, number, np.int32))
        nears.append(theirs.append_column("rule", rule_column))
        caps.append(f"({number}, {rule.max_block_size or 'NULL'})")
    backend.register("__seen_new_keys", pa.concat_tables(news))
    backend.register("__seen_near_keys", pa.concat_tables(nears))
    backend.execute(
        f"""CREATE OR REPLACE TABLE __seen_key_pairs AS
        WITH caps(rule, cap) AS (VALUES {", ".join(caps)}),
        kept AS (SELECT rule, k FROM (SELECT rule, k FROM __seen_new_keys UNION ALL
                                      SELECT rule, k FROM __seen_near_keys)
                 JOIN caps USING (rule) GROUP BY rule, k, cap
                 HAVING cap IS NULL OR count(*) <= cap)
        SELECT n.rid AS rid_l, e.rid AS rid_r, n.rule FROM __seen_new_keys n
        JOIN __seen_near_keys e ON e.rule = n.rule AND e.k = n.k
        JOIN kept ON kept.rule = n.rule AND kept.k = n.k
        UNION ALL
        SELECT a.rid, b.rid, a.rule FROM __seen_new_keys a
        JOIN __seen_new_keys b ON b.rule = a.rule AND b.k = a.k AND a.rid < b.rid
        JOIN kept ON kept.rule = a.rule AND kept.k = a.k"""
    )
    rids = (
        backend.query(
            f"SELECT rid_r AS rid FROM __seen_key_pairs WHERE rid_r < {first_new} UNION "
            f"SELECT rid_l FROM seen_decisions WHERE rid_l < {first_new} ORDER BY 1"
        )
        .column("rid")
        .to_numpy()
    )
    _load_existing_rows(backend, INVOLVED, sources, rids, first_new, also=new)
    same = []
    for number, rule in enumerate(BLOCKING_RULES):
        if rule.elements:
            # Different sets sharing an element, as a full run pairs them (equal values are
            # the exact rules' to find).
            equal = " AND ".join(
                f"{backend.shares_element(f'l.{c}', f'r.{c}')} AND l.{c} <> r.{c}"
                for c in rule.columns
            )
        else:
            equal = " AND ".join(f"l.{c} = r.{c}" for c in rule.columns)
        same.append(f"WHEN {number} THEN {equal}")
    backend.execute(
        f"""CREATE OR REPLACE TABLE seen_candidates AS
        SELECT p.rid_l, p.rid_r, min(p.rule) AS match_key FROM __seen_key_pairs p
        JOIN {INVOLVED} l ON l.rid = p.rid_l JOIN {INVOLVED} r ON r.rid = p.rid_r
        WHERE {COMPARABLE} AND coalesce(CASE p.rule {" ".join(same)} END, FALSE)
        GROUP BY p.rid_l, p.rid_r"""
    )


def _load_existing_rows(
    backend: Backend,
    table: str,
    sources: Sequence[Source],
    rids: np.ndarray,
    first_new: int,
    *,
    also: Source,
) -> None:
    """Load the existing records with these rids into `table`, taken by position, and
    the records of `also`, numbered after all existing ones."""
    parts, numbers = [], []
    start = 0
    for source in sources:
        end = start + source.records.num_rows
        mine = rids[(rids >= start) & (rids < end)]
        if len(mine):
            taken = _take(source.records, mine - start)
            parts.append(Source(source.name, taken, source.duplicate_free))
            numbers.append(mine)
        start = end
    parts.append(also)
    numbers.append(np.arange(first_new, first_new + also.records.num_rows, dtype=np.int64))
    backend.load(table, parts, rids=numbers)


def _take(table: pa.Table, positions: np.ndarray) -> pa.Table:
    """The linkage columns of the rows at these (sorted) positions, batch by batch: taking
    from a table read in several chunks would first join the chunks, copying every row."""
    table = table.select(["record_id", *TOKEN_COLUMNS, *BLOOM_COLUMNS, *NEAR_COLUMNS])
    parts, start = [], 0
    for batch in table.to_batches():
        end = start + batch.num_rows
        low, high = np.searchsorted(positions, [start, end])
        if high > low:
            parts.append(batch.take(pa.array(positions[low:high] - start)))
        start = end
    return pa.Table.from_batches(parts, schema=table.schema)


def _term_frequencies(
    backend: Backend,
    index: IncrementalIndex,
    found: dict[tuple[str, ...], tuple[pa.Table, pa.Table]],
) -> dict[str, str]:
    """Term-frequency lookups over all records for the new records' values (a
    term-frequency adjustment applies where both sides of a pair hold the same value, and
    every pair here has a new record), counted on the index as a full run counts them
    (`seen.link.score.term_frequency_tables`): a year-salted token among the records born
    that year, any other value among all records."""
    out = {}
    for column in TF_COLUMNS:
        mine, theirs = found[(column,)]
        counts = pc.value_counts(theirs.column("k"))
        existing = pa.table(
            {"k": counts.field("values"), "n": counts.field("counts").cast(pa.int64())}
        )
        name = f"__seen_tf_{column}"
        backend.register(f"{name}_existing", existing)
        backend.register(f"{name}_new_keys", mine)
        fresh = (
            f"SELECT n.{column}, any_value(k.k) AS k, count(*) AS n, "
            f"any_value(hash(n.tok_dob_year)) AS y "
            f"FROM {NEW} n JOIN {name}_new_keys k USING (rid) GROUP BY 1"
        )
        if column in index.years:
            years = pa.table(
                {
                    "y": pa.array(list(index.years[column]), pa.uint64()),
                    "n": pa.array(list(index.years[column].values()), pa.int64()),
                }
            )
            backend.register(f"{name}_years", years)
            backend.execute(
                f"""CREATE OR REPLACE TABLE {name} AS
                WITH fresh AS ({fresh}),
                new_years AS (SELECT hash(tok_dob_year) AS y, count({column}) AS n
                              FROM {NEW} GROUP BY 1)
                SELECT f.{column}, {leave_one_out("coalesce(e.n, 0) + f.n",
                                                   "coalesce(ey.n, 0) + ny.n")} AS tf_{column}
                FROM fresh f LEFT JOIN {name}_existing e USING (k)
                JOIN new_years ny USING (y) LEFT JOIN {name}_years ey USING (y)"""
            )
        else:
            total = index.present((column,)) + mine.num_rows
            backend.execute(
                f"""CREATE OR REPLACE TABLE {name} AS WITH fresh AS ({fresh})
                SELECT f.{column}, {leave_one_out("coalesce(e.n, 0) + f.n", str(total))}
                    AS tf_{column}
                FROM fresh f LEFT JOIN {name}_existing e USING (k)"""
            )
        out[column] = name
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
    free = {s.name for s in existing_records if s.duplicate_free}
    if new.duplicate_free:
        free.add(new.name)
    # Existing records in an edge or a decision, with their person (if they have one).
    linked = {rid for _, a, b, _ in weighted for rid in (a, b) if rid < first_new}
    cannot_rows = backend.query(
        "SELECT rid_l, rid_r FROM seen_decisions WHERE decision = 'non_match'"
    ).to_pylist()
    linked |= {int(r[k]) for r in cannot_rows for k in ("rid_l", "rid_r") if r[k] < first_new}
    backend.register("__seen_linked", pa.table({"rid": pa.array(sorted(linked), pa.int64())}))
    involved = backend.query(
        f"SELECT rid, source_dataset, record_id FROM {INVOLVED} "
        f"WHERE rid >= {first_new} OR rid IN (SELECT rid FROM __seen_linked) ORDER BY rid"
    ).to_pylist()
    source_of = {int(r["rid"]): r["source_dataset"] for r in involved}
    key_of = {int(r["rid"]): (r["source_dataset"], r["record_id"]) for r in involved}
    # The people rows of the linked records: one pass over the people's record ids.
    wanted = pa.array(sorted({key_of[rid][1] for rid in linked}), pa.string())
    rows = people.filter(pc.is_in(people.column("record_id"), value_set=wanted))
    person_by_key = dict(
        zip(
            zip(
                rows.column("source").to_pylist(),
                rows.column("record_id").to_pylist(),
                strict=True,
            ),
            rows.column("person_id").to_pylist(),
            strict=True,
        )
    )
    person_of = {rid: person_by_key.get(key_of[rid]) for rid in linked}
    touched = sorted({p for p in person_of.values() if p is not None})
    is_touched = pc.is_in(people.column("person_id"), value_set=pa.array(touched, pa.string()))
    touched_rows = people.filter(is_touched)
    touched_rows = touched_rows.take(
        pc.sort_indices(
            touched_rows,
            [("person_id", "ascending"), ("source", "ascending"), ("record_id", "ascending")],
        )
    )
    # One node per new record, per unpersoned existing record, and per touched person.
    node_of_person = {p: first_new + new.records.num_rows + k for k, p in enumerate(touched)}

    def node(rid: int) -> int:
        person = person_of.get(rid) if rid < first_new else None
        return node_of_person[person] if person is not None else rid

    new_rids = list(range(first_new, first_new + new.records.num_rows))
    nodes = set(new_rids) | {node(r) for r in linked}
    free_of: dict[int, set[str]] = {}
    if new.name in free:
        for rid in new_rids:
            free_of[rid] = {new.name}
    for rid in linked:
        if person_of.get(rid) is None and source_of.get(rid) in free:
            free_of[rid] = {source_of[rid]}
    touched_sources = touched_rows.column("source").to_pylist()
    touched_records = touched_rows.column("record_id").to_pylist()
    touched_people = touched_rows.column("person_id").to_pylist()
    for source, person in zip(touched_sources, touched_people, strict=True):
        if source in free:
            free_of.setdefault(node_of_person[person], set()).add(source)
    cannot = [(node(int(r["rid_l"])), node(int(r["rid_r"]))) for r in cannot_rows]
    union = ConstrainedUnion(nodes, free_of, cannot)
    union.add_edges(
        (w, node(a), node(b), forced) for w, a, b, forced in weighted if node(a) != node(b)
    )
    label_of_node = {n: k for k, comp in enumerate(union.components()) for n in comp}

    # The affected records: new ones, linked unpersoned ones, all of each touched person.
    sources, record_ids, labels = [], [], []
    for rid, (source, record_id) in key_of.items():
        if rid < first_new and person_of.get(rid) is not None:
            continue  # listed with its whole person below
        sources.append(source)
        record_ids.append(record_id)
        labels.append(label_of_node[node(rid)])
    for source, record_id, person in zip(
        touched_sources, touched_records, touched_people, strict=True
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
    updated = assign_stable_ids(affected, touched_rows, register=_PeopleRegister(backend, people))
    # Existing records that had no person and that nothing linked to stay out of the
    # table, as they were.
    return pa.concat_tables([people.filter(pc.invert(is_touched)), updated])


class _PeopleRegister:
    """The existing people's ids: what new ids must avoid, and the run's digest of them."""

    def __init__(self, backend: Backend, people: pa.Table) -> None:
        self.backend = backend
        self.ids = people.column("person_id")

    def context(self) -> bytes:
        self.backend.register("__seen_people", pa.table({"person_id": self.ids}))
        row = self.backend.query(
            "SELECT count(*) AS n, bit_xor(hash(person_id)) AS x, "
            "sum(hash(person_id) % 1000003) AS s FROM __seen_people"
        ).to_pylist()[0]
        return hashlib.sha256(f"{row['n']}:{row['x']}:{row['s']}".encode()).digest()

    def clashes(self, candidates: Sequence[str]) -> set[str]:
        # Probe the people's ids against the few candidates, not the other way round.
        hit = pc.is_in(self.ids, value_set=pa.array(candidates, pa.string()))
        return set(self.ids.filter(hit).to_pylist())
