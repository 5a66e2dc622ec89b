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

from collections.abc import Mapping
from typing import Final

import pyarrow as pa

from seen.link.backend import Backend
from seen.link.model import COMPARISON_NAMES, COMPARISONS, YEAR_SALTED, LinkModel
from seen.link.settings import splink_settings

PAIR_ID_COLUMNS: Final = ("source_l", "record_id_l", "source_r", "record_id_r")


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
) -> int:
    """Score the pairs in `candidates` (rid_l, rid_r, match_key) over `records` and
    materialise those with probability >= keep_at_least into `output`.

    Term frequencies come from `tf_tables` (column -> table of `column, tf_column`)
    when `records` holds only the records that take part, as in an incremental run
    (Splink would otherwise count them on those few records)."""
    from splink import Linker

    api = backend.splink_api()
    tag = f"{abs(hash((records, candidates, output))):x}"
    linker = Linker(
        api.register(records, table_name=f"__seen_score_input_{tag}"),
        splink_settings(model, backend.similarity_at_least),
        log_level=None,
        validate_settings=False,  # our own settings, checked by the tests; saves ~0.3 s
    )
    for column, table in (tf_tables or {}).items():
        linker.table_management.register_term_frequency_lookup(
            api.register(table, table_name=f"{table}_{tag}"), column
        )
    backend.execute(
        f"CREATE OR REPLACE TABLE __seen_blocked_{tag} AS SELECT match_key::STRING AS match_key, "
        f"rid_l AS join_key_l, rid_r AS join_key_r FROM {candidates}"
    )
    blocked = api.register(f"__seen_blocked_{tag}", table_name=f"__seen_blocked_pairs_{tag}")
    linker.table_management.register_blocked_pairs_for_predict(blocked)
    predictions = linker.inference.predict(
        threshold_match_probability=keep_at_least, warning_mode="never"
    )
    weights = []
    for name in COMPARISON_NAMES:
        tf = f" + coalesce(mw_tf_adj_{name}, 0)" if name in _TF_COMPARISONS else ""
        weights.append(f"mw_{name}{tf} AS {weight_column(name)}")
    gammas = ", ".join(f"gamma_{n} AS {gamma_column(n)}" for n in COMPARISON_NAMES)
    backend.execute(
        f"CREATE OR REPLACE TABLE {output} AS SELECT rid_l, rid_r, "
        f"source_dataset_l AS source_l, record_id_l, source_dataset_r AS source_r, record_id_r, "
        f"match_probability, match_weight, {', '.join(weights)}, {gammas}, "
        f"match_key::INTEGER AS match_key FROM {predictions.physical_name}"
    )
    predictions.drop_table_from_database_and_remove_from_cache()
    backend.execute(f"DROP TABLE IF EXISTS __seen_blocked_{tag}")
    return int(backend.scalar(f"SELECT count(*) FROM {output}") or 0)


_TF_COMPARISONS: Final = tuple(
    c.name for c in COMPARISONS if any(level.tf_column for level in c.levels)
)
TF_COLUMNS: Final = tuple(
    sorted({level.tf_column for c in COMPARISONS for level in c.levels if level.tf_column})
)


def term_frequency_tables(backend: Backend, records: str) -> dict[str, str]:
    """Term-frequency lookups (`column, tf_column`) over `records`, for `score_candidates`.

    A year-salted token's frequency is counted within its year of birth: equal tokens
    imply the same year, which date_of_birth weighs already, so the name's weight must be
    that of the name among children born that year (Splink's own count, over all records,
    would count the year twice)."""
    out = {}
    for column in TF_COLUMNS:
        over = "PARTITION BY tok_dob_year" if column in YEAR_SALTED else ""
        year = ", tok_dob_year" if column in YEAR_SALTED else ""
        backend.execute(
            f"CREATE OR REPLACE TABLE __seen_tf_all_{column} AS SELECT {column}, "
            f"CAST(count(*) AS DOUBLE) / sum(count(*)) OVER ({over}) AS tf_{column} "
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
