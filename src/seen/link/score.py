"""Score candidate pairs with the trained model in Splink, and shape the pairs table.

We generate candidates ourselves (candidates.py), register them with
`linker.table_management.register_blocked_pairs_for_predict` and let Splink's `predict`
compute comparison vectors, match weights and probabilities. Each comparison's weight is
reported with its term-frequency adjustment folded in, so the per-field weights add up
(with the prior's weight) to the pair's match weight: that is the explanation a reviewer
reads, and it carries no plaintext.
"""

# ruff: noqa: S608 - SQL here is assembled from the code's own table and column names;
# data reaches the database as Arrow tables or quoted literals, never as raw text.

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Final

import numpy as np
import pyarrow as pa

from seen.link.backend import Backend
from seen.link.model import (
    COMPARISON_NAMES,
    COMPARISONS,
    YEAR_SALTED,
    Comparison,
    LevelSQL,
    LinkModel,
    columns_used,
    render,
)
from seen.link.settings import splink_settings

PAIR_ID_COLUMNS: Final = ("source_l", "record_id_l", "source_r", "record_id_r")
SCORE_CHUNK_PAIRS: Final = 2_000_000
"""Candidates are scored this many at a time (about): Splink's predict copies the records
taking part in a chunk, so scoring 30 million candidates in one go (with every token and
filter of both records retained in its output) peaked at 11 GiB at a million records."""


def weight_column(name: str) -> str:
    return f"weight_{name}"


def gamma_column(name: str) -> str:
    return f"gamma_{name}"


def score_candidates(
    backend: Backend,
    model: LinkModel,
    records: str,
    candidates: str,
    output: str,
    *,
    keep_at_least: float,
    tf_tables: Mapping[str, str] | None = None,
    chunk_pairs: int = SCORE_CHUNK_PAIRS,
) -> int:
    """Score the pairs in `candidates` (rid_l, rid_r, match_key) over `records` and
    materialise those with probability >= keep_at_least into `output`.

    Term frequencies come from `tf_tables` (column -> table of `column, tf_column`)
    when `records` holds only the records that take part, as in an incremental run
    (Splink would otherwise count them on those few records). The candidates are scored
    in chunks of about `chunk_pairs` pairs (by ranges of `rid_l`, so a chunk's left-hand
    records are a range of the records); a pair scores the same whatever its chunk."""
    from splink import Linker

    api = backend.splink_api()
    tag = f"{abs(hash((records, candidates, output))):x}"
    settings = splink_settings(model, backend)
    # Splink gives its level values (gamma) only with every compared column of both
    # records (a third of predict's time): the kept pairs' levels are computed below.
    settings.retain_matching_columns = False
    linker = Linker(
        api.register(records, table_name=f"__seen_score_input_{tag}"),
        settings,
        log_level=None,
        validate_settings=False,  # our own settings, checked by the tests; saves ~0.3 s
    )
    for column, table in (tf_tables or {}).items():
        linker.table_management.register_term_frequency_lookup(
            api.register(table, table_name=f"{table}_{tag}"), column
        )
    weights = []
    for name in COMPARISON_NAMES:
        tf = f" + coalesce(mw_tf_adj_{name}, 0)" if name in _TF_COMPARISONS else ""
        weights.append(f"mw_{name}{tf} AS {weight_column(name)}")
    gammas = ", ".join(
        f"{splink_gamma_sql(c, backend, model.dice_thresholds)} AS {gamma_column(c.name)}"
        for c in COMPARISONS
    )
    compared = sorted(
        {col for c in COMPARISONS for lv in c.levels for col in columns_used(lv.condition)}
    )
    sides = ", ".join(f"l.{col} AS {col}_l, r.{col} AS {col}_r" for col in compared)
    blocked = f"__seen_blocked_{tag}"
    for number, (low, high) in enumerate(chunk_bounds(backend, candidates, chunk_pairs)):
        where = "" if low is None else f" WHERE rid_l >= {low} AND rid_l < {high}"
        backend.execute(
            f"CREATE OR REPLACE TABLE {blocked} AS SELECT match_key::STRING AS match_key, "
            f"rid_l AS join_key_l, rid_r AS join_key_r FROM {candidates}{where}"
        )
        linker.table_management.register_blocked_pairs_for_predict(
            api.register(blocked, table_name=f"__seen_blocked_pairs_{tag}_{number}")
        )
        predictions = linker.inference.predict(
            threshold_match_probability=keep_at_least, warning_mode="never"
        )
        select = (
            f"SELECT rid_l, rid_r, source_dataset_l AS source_l, record_id_l, "
            f"source_dataset_r AS source_r, record_id_r, "
            f"match_probability, match_weight, {', '.join(weights)}, {gammas}, "
            f"match_key::INTEGER AS match_key FROM (SELECT p.*, {sides} "
            f"FROM {predictions.physical_name} p "
            f"JOIN {records} l ON l.rid = p.rid_l JOIN {records} r ON r.rid = p.rid_r)"
        )
        if number == 0:
            backend.execute(f"CREATE OR REPLACE TABLE {output} AS {select}")
        else:
            backend.execute(f"INSERT INTO {output} {select}")
        predictions.drop_table_from_database_and_remove_from_cache()
    backend.execute(f"DROP TABLE IF EXISTS {blocked}")
    return int(backend.scalar(f"SELECT count(*) FROM {output}") or 0)


def level_index_sql(comparison: Comparison, sql: LevelSQL, thresholds: Sequence[float]) -> str:
    """CASE expression over `col_l` / `col_r` columns: -1 for the null level, else the
    index of the first level that holds among the scored levels (0 the first)."""
    parts = []
    index = 0
    for level in comparison.levels:
        if level.condition is None:
            parts.append(f"ELSE {index}")
            continue
        condition = render(level.condition, sql, thresholds)
        if level.is_null:
            parts.append(f"WHEN {condition} THEN -1")
        else:
            parts.append(f"WHEN {condition} THEN {index}")
            index += 1
    return "CASE " + " ".join(parts) + " END"


def splink_gamma_sql(comparison: Comparison, sql: LevelSQL, thresholds: Sequence[float]) -> str:
    """Splink's level value (gamma) of a comparison: -1 for the null level, then the scored
    levels counting down to 0 for the else level (`seen.link.model.gamma_levels`)."""
    top = len(comparison.scored_levels) - 1
    index = level_index_sql(comparison, sql, thresholds)
    return f"(CASE WHEN ({index}) < 0 THEN -1 ELSE {top} - ({index}) END)"


def chunk_bounds(
    backend: Backend, candidates: str, chunk_pairs: int
) -> list[tuple[int | None, int | None]]:
    """Ranges [low, high) of `rid_l` holding about `chunk_pairs` candidates each (whole
    `rid_l` values, so a chunk may hold more); one unbounded range when all fit in one."""
    total = int(backend.scalar(f"SELECT count(*) FROM {candidates}") or 0)
    if total <= chunk_pairs:
        return [(None, None)]
    counts = backend.query(
        f"SELECT rid_l, count(*) AS n FROM {candidates} GROUP BY rid_l ORDER BY rid_l"
    )
    rids = counts.column("rid_l").to_numpy()
    ends = np.cumsum(counts.column("n").to_numpy())
    chunks = math.ceil(total / chunk_pairs)
    # The first rid_l of each chunk after the first: where the running count passes a
    # multiple of total / chunks.
    cuts = np.searchsorted(ends, np.arange(1, chunks) * (total / chunks), side="right")
    starts = np.unique(np.concatenate([[0], cuts[cuts < len(rids)]]))
    lows = [int(rids[i]) for i in starts]
    highs = [*lows[1:], int(rids[-1]) + 1]
    return list(zip(lows, highs, strict=True))


_TF_COMPARISONS: Final = tuple(
    c.name for c in COMPARISONS if any(level.tf_column for level in c.levels)
)
TF_COLUMNS: Final = tuple(
    sorted({level.tf_column for c in COMPARISONS for level in c.levels if level.tf_column})
)


def leave_one_out(count: str, total: str) -> str:
    """SQL for a value's frequency among the other records: (count - 1) / (total - 1),
    with a value held once kept above 0 (see `term_frequency_tables`)."""
    return f"CAST(greatest({count} - 1, 1) AS DOUBLE) / greatest({total} - 1, 1)"


def term_frequency_tables(backend: Backend, records: str) -> dict[str, str]:
    """Term-frequency lookups (`column, tf_column`) over `records`, for `score_candidates`.

    A year-salted token's frequency is counted within its year of birth: equal tokens
    imply the same year, which date_of_birth weighs already, so the name's weight must be
    that of the name among children born that year (Splink's own count, over all records,
    would count the year twice).

    A value's frequency leaves one record out, (count - 1) / (records - 1): it stands for u,
    the chance that *another* record holds the value, and a record is never compared with
    itself. Counting it in made a name held only by one child's two records look as
    common as two in FEBRL4's hundred records a year (each equal name weighed about 5 bits
    where the level averages 7.4); the exact levels' average u leaves the record out too
    (`seen.link.train_u`). A value held once is never agreed on, so its frequency is
    never read (it is kept at 1 / (records - 1), not 0)."""
    out = {}
    for column in TF_COLUMNS:
        over = "PARTITION BY tok_dob_year" if column in YEAR_SALTED else ""
        year = ", tok_dob_year" if column in YEAR_SALTED else ""
        backend.execute(
            f"CREATE OR REPLACE TABLE __seen_tf_all_{column} AS SELECT {column}, "
            f"{leave_one_out('count(*)', f'sum(count(*)) OVER ({over})')} AS tf_{column} "
            f"FROM {records} WHERE {column} IS NOT NULL GROUP BY {column}{year}"
        )
        out[column] = f"__seen_tf_all_{column}"
    return out


def empty_pairs_schema() -> pa.Schema:
    fields = [
        pa.field("source_l", pa.string()),
        pa.field("record_id_l", pa.string()),
        pa.field("source_r", pa.string()),
        pa.field("record_id_r", pa.string()),
        pa.field("match_probability", pa.float64()),
        pa.field("match_weight", pa.float64()),
        *[pa.field(weight_column(n), pa.float64()) for n in COMPARISON_NAMES],
        *[pa.field(gamma_column(n), pa.int32()) for n in COMPARISON_NAMES],
        pa.field("blocking_rule", pa.string()),
        pa.field("decision", pa.string()),
        pa.field("needs_review", pa.bool_()),
    ]
    return pa.schema(fields)
