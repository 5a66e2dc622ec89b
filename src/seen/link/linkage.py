"""`link`: a full linkage run over agency packages' encoded records.

validate -> load (filters as 64-bit words) -> candidate pairs -> train (unless a model
is given) -> score -> edges (threshold and reviewers' decisions) -> connected components
-> split rule -> stable person ids.
"""

# ruff: noqa: S608 - SQL here is assembled from the code's own table and column names;
# data reaches the database as Arrow tables or quoted literals, never as raw text.

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pyarrow as pa

from seen.domain.records import Problem
from seen.errors import InvalidInput
from seen.link.backend import RECORDS, Backend, check_backend, new_backend
from seen.link.candidates import BLOCKING_RULES, generate_candidates
from seen.link.cluster import connected_components, enforce_constraints
from seen.link.ids import PEOPLE_SCHEMA, assign_stable_ids
from seen.link.model import COMPARISON_NAMES, LinkModel
from seen.link.schema import Source, SourceCheck
from seen.link.score import (
    empty_pairs_schema,
    gamma_column,
    score_candidates,
    term_frequency_tables,
    weight_column,
)
from seen.link.train import train_model

Progress = Callable[[str, int, int], None]
"""Called as progress(stage, step, steps) at the start of each stage of a run."""

DECISIONS: Final = ("match", "non_match")
DECISION_COLUMNS: Final = ("source_l", "record_id_l", "source_r", "record_id_r", "decision")
REVIEW_DECISION_RULE: Final = "review decision"


@dataclass
class LinkResult:
    """What a run produces.

    `pairs`: the scored pairs worth keeping (probability at least the lower end of the
    review band or the threshold, whichever is lower, and every pair a reviewer decided):
    ids, `match_probability`, `match_weight`, one `weight_<comparison>` (log2 Bayes factor,
    term frequencies included; with the prior's weight they add up to `match_weight`) and
    one `gamma_<comparison>` per comparison (Splink's level value: -1 a value missing,
    0 "all other comparisons", higher closer; `seen.link.model.gamma_levels` names them),
    `blocking_rule`, `decision` and `needs_review`. No tokens, filters or plaintext.
    `people`: every record with its person id. `model`: the parameters used.
    """

    pairs: pa.Table
    people: pa.Table
    model: LinkModel


class _Steps:
    def __init__(self, progress: Progress | None, stages: Sequence[str]) -> None:
        self.progress, self.stages, self.index = progress, list(stages), 0

    def __call__(self, stage: str) -> None:
        if self.progress is not None:
            self.progress(stage, self.index, len(self.stages))
        self.index += 1


def check_options(threshold: float, review_band: tuple[float, float]) -> None:
    problems = []
    if not 0.0 < threshold < 1.0:
        problems.append(Problem("options", "threshold", "threshold", "must be between 0 and 1"))
    low, high = review_band
    if not 0.0 < low <= high < 1.0:
        problems.append(
            Problem("options", "review_band", "review_band", "must satisfy 0 < low <= high < 1")
        )
    if problems:
        raise InvalidInput("invalid linkage options", problems)


def load_decisions(backend: Backend, decisions: pa.Table | None, records: str) -> int:
    """Reviewers' decisions as `seen_decisions(rid_l, rid_r, decision)` (rid_l < rid_r).
    Decisions naming records not in this run are ignored; for a pair decided twice the
    later row wins."""
    backend.execute(
        "CREATE OR REPLACE TABLE seen_decisions (rid_l BIGINT, rid_r BIGINT, decision VARCHAR)"
    )
    if decisions is None or decisions.num_rows == 0:
        return 0
    missing = [c for c in DECISION_COLUMNS if c not in decisions.column_names]
    if missing:
        raise InvalidInput(
            "the review decisions table is missing columns",
            [Problem("decisions", "columns", c, "the column is missing") for c in missing],
        )
    values = decisions.column("decision").to_pylist()
    bad = sorted({str(v) for v in values if v not in DECISIONS})
    if bad:
        raise InvalidInput(
            "review decisions must be 'match' or 'non_match'",
            [Problem("decisions", "decision", "decision", f"unknown decision {v!r}") for v in bad],
        )
    table = decisions.select(list(DECISION_COLUMNS)).append_column(
        "row_order", pa.array(np.arange(decisions.num_rows, dtype=np.int64))
    )
    backend.register("__seen_decisions_input", table)
    backend.execute(
        f"""INSERT INTO seen_decisions
        SELECT least(a.rid, b.rid), greatest(a.rid, b.rid), max_by(d.decision, d.row_order)
        FROM __seen_decisions_input d
        JOIN {records} a ON a.source_dataset = d.source_l AND a.record_id = d.record_id_l
        JOIN {records} b ON b.source_dataset = d.source_r AND b.record_id = d.record_id_r
        WHERE a.rid <> b.rid
        GROUP BY 1, 2"""
    )
    return int(backend.scalar("SELECT count(*) FROM seen_decisions") or 0)


def score_with_decisions(
    backend: Backend,
    model: LinkModel,
    records: str,
    candidates: str,
    *,
    keep_at_least: float,
    tf_tables: Mapping[str, str] | None = None,
) -> None:
    """`seen_scored`: candidates kept by probability, plus every decided pair."""
    score_candidates(
        backend,
        model,
        records,
        candidates,
        "seen_scored",
        keep_at_least=keep_at_least,
        tf_tables=tf_tables,
    )
    decided = int(backend.scalar("SELECT count(*) FROM seen_decisions") or 0)
    if decided:
        backend.execute(
            "CREATE OR REPLACE TABLE seen_decided_pairs AS SELECT d.rid_l, d.rid_r, "
            "coalesce(c.match_key, c2.match_key, -1) AS match_key FROM seen_decisions d "
            f"LEFT JOIN {candidates} c ON c.rid_l = d.rid_l AND c.rid_r = d.rid_r "
            f"LEFT JOIN {candidates} c2 ON c2.rid_l = d.rid_r AND c2.rid_r = d.rid_l "
            "WHERE NOT EXISTS (SELECT 1 FROM seen_scored s WHERE "
            "least(s.rid_l, s.rid_r) = d.rid_l AND greatest(s.rid_l, s.rid_r) = d.rid_r)"
        )
        score_candidates(
            backend,
            model,
            records,
            "seen_decided_pairs",
            "seen_scored_decided",
            keep_at_least=0.0,
            tf_tables=tf_tables,
        )
        backend.execute("INSERT INTO seen_scored SELECT * FROM seen_scored_decided")
    backend.execute(
        "CREATE OR REPLACE TABLE seen_pairs AS SELECT s.*, d.decision FROM seen_scored s "
        "LEFT JOIN seen_decisions d ON d.rid_l = least(s.rid_l, s.rid_r) "
        "AND d.rid_r = greatest(s.rid_l, s.rid_r)"
    )


def drop_scoring_tables(backend: Backend, tf_tables: Mapping[str, str]) -> None:
    """Drop what scoring needed and nothing after it needs (`seen_pairs` holds the scored
    pairs): at a million records the candidates and Splink's working tables kept DuckDB at
    its memory limit, and clustering spilled to disk."""
    for table in (
        "seen_candidates",
        "seen_scored",
        "seen_scored_decided",
        "seen_decided_pairs",
        *tf_tables.values(),
    ):
        backend.execute(f"DROP TABLE IF EXISTS {table}")
    backend.splink_api().delete_tables_created_by_splink_from_db()


def pairs_table(
    backend: Backend, review_band: tuple[float, float], rules: Sequence[str]
) -> pa.Table:
    """The public pairs table from `seen_pairs`, in a canonical order."""
    names = ", ".join(f"(%d, '{r}')" % i for i, r in enumerate(rules))
    weights = ", ".join(weight_column(n) for n in COMPARISON_NAMES)
    gammas = ", ".join(gamma_column(n) for n in COMPARISON_NAMES)
    low, high = review_band
    table = backend.query(
        f"""SELECT source_l, record_id_l, source_r, record_id_r, match_probability,
        match_weight, {weights}, {gammas},
        coalesce(r.name, '{REVIEW_DECISION_RULE}') AS blocking_rule, decision,
        (decision IS NULL AND match_probability >= {low} AND match_probability < {high})
            AS needs_review
        FROM seen_pairs p LEFT JOIN (VALUES {names}) r(k, name) ON r.k = p.match_key
        ORDER BY source_l, record_id_l, source_r, record_id_r"""
    )
    return table.cast(empty_pairs_schema())


def edges(backend: Backend, threshold: float) -> list[tuple[float, int, int, bool]]:
    """`seen_edges(rid_l, rid_r)` for connected components; returned with weights."""
    backend.execute(
        f"""CREATE OR REPLACE TABLE seen_edges AS
        SELECT rid_l, rid_r, match_weight, coalesce(decision = 'match', FALSE) AS forced
        FROM seen_pairs
        WHERE decision = 'match'
           OR (match_probability >= {threshold} AND coalesce(decision, '') <> 'non_match')"""
    )
    rows = backend.query("SELECT match_weight, rid_l, rid_r, forced FROM seen_edges")
    return list(
        zip(
            rows.column("match_weight").to_pylist(),
            rows.column("rid_l").to_pylist(),
            rows.column("rid_r").to_pylist(),
            rows.column("forced").to_pylist(),
            strict=True,
        )
    )


def link(
    sources: Iterable[Source],
    *,
    previous_people: pa.Table | None = None,
    model: LinkModel | None = None,
    threshold: float = 0.9,
    review_band: tuple[float, float] = (0.5, 0.9),
    decisions: pa.Table | None = None,
    progress: Progress | None = None,
    backend: str = "duckdb",
) -> LinkResult:
    """Link the sources' records into people; see the package docstring. `backend` names
    the engine (`seen.link.backend.BACKENDS`): the same input gives the same people on
    each. `sources` may be a generator: each source is read, checked and loaded in turn,
    and not held after (every problem is still raised at once, after the last)."""
    step = _Steps(
        progress,
        ["validate", "load", "candidates", "train", "score", "cluster", "ids"],
    )
    step("validate")
    check = SourceCheck()
    check_options(threshold, review_band)
    check_backend(backend)
    engine = new_backend(backend)
    try:
        step("load")
        total = engine.load(RECORDS, check.passing(sources))
        check.raise_if_any()
        load_decisions(engine, decisions, RECORDS)
        step("candidates")
        generate_candidates(engine, "seen_candidates", RECORDS)
        step("train")
        if model is None:
            model = train_model(engine, RECORDS)
        step("score")
        tf_tables = term_frequency_tables(engine, RECORDS)
        score_with_decisions(
            engine,
            model,
            RECORDS,
            "seen_candidates",
            keep_at_least=min(review_band[0], threshold),
            tf_tables=tf_tables,
        )
        drop_scoring_tables(engine, tf_tables)
        pairs = pairs_table(engine, review_band, [r.name for r in BLOCKING_RULES])
        step("cluster")
        weighted = edges(engine, threshold)
        free = {name for name, is_free in check.duplicate_free.items() if is_free}
        clusters = _clusters(engine, free, weighted, total)
        step("ids")
        people = assign_stable_ids(clusters, previous_people)
    finally:
        engine.close()
    return LinkResult(pairs=pairs, people=people, model=model)


def _clusters(
    backend: Backend,
    free: set[str],
    weighted: Sequence[tuple[float, int, int, bool]],
    total: int,
) -> pa.Table:
    if total == 0:
        return pa.table(
            {
                "source": pa.array([], pa.string()),
                "record_id": pa.array([], pa.string()),
                "cluster_id": pa.array([], pa.int64()),
            }
        )
    backend.execute(f"CREATE OR REPLACE TABLE seen_nodes AS SELECT rid FROM {RECORDS}")
    components = connected_components(backend, "seen_nodes", "seen_edges")
    records = backend.query(f"SELECT rid, source_dataset, record_id FROM {RECORDS} ORDER BY rid")
    rids = records.column("rid").to_numpy()
    label_of = dict(
        zip(
            components.column("rid").to_pylist(),
            components.column("cluster_id").to_pylist(),
            strict=True,
        )
    )
    codes: dict[object, int] = {}
    labels = np.asarray([codes.setdefault(label_of[int(r)], len(codes)) for r in rids])
    cannot = [
        (int(row["rid_l"]), int(row["rid_r"]))
        for row in backend.query(
            "SELECT rid_l, rid_r FROM seen_decisions WHERE decision = 'non_match'"
        ).to_pylist()
    ]
    labels = enforce_constraints(
        rids,
        labels,
        np.asarray(records.column("source_dataset").to_pylist(), dtype=object),
        free,
        weighted,
        cannot,
    )
    return pa.table(
        {
            "source": records.column("source_dataset"),
            "record_id": records.column("record_id"),
            "cluster_id": pa.array(labels, pa.int64()),
        }
    )


def empty_people() -> pa.Table:
    return PEOPLE_SCHEMA.empty_table()
