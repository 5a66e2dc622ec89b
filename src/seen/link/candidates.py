"""Candidate pairs: equi-joins on tokens (blocking), generated before anything is scored.

Each rule pairs records whose tokens are all equal, or, for a rule on a near set (a list of
keyed elements, docs/encoding.md), records whose *different* sets share an element (values one
typo apart; equal values are the exact rules' to find). That join is made between the
distinct sets, not the records, so that one child's number held by several agencies does not
join each pair of its records once per element (at a million records that ran DuckDB out of
memory): the distinct sets are numbered, turned into one row per element, joined on the
element, and the pairs of sets taken back to their records. A rule may cap its block size: a key
value held by more than `max_block_size` records is skipped for that rule (a common date
of birth in a large partnership, say), because such blocks make pairs quadratically while
the other rules find their true matches anyway. Pairs obey the source rules: records of
different sources are always comparable; two records of the same source only when that
source is not duplicate-free. The output is `(rid_l, rid_r, match_key)` with `match_key`
the index of the first rule that found the pair.
"""

# ruff: noqa: S608 - SQL here is assembled from the code's own table and column names;
# data reaches the database as Arrow tables or quoted literals, never as raw text.

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from seen.link.backend import Backend

DEFAULT_MAX_BLOCK: Final = 30
# Measured on a million records (docs/benchmarks.md): at a cap of 100, the name-within-a-
# year rules (`family_year`, `given_year_month`) made 21 of the 30 million candidate pairs
# and the date of birth 3 million more, nearly all of them namesakes or children sharing a
# birthday; at 30 the rules make half as many pairs and still find 99.8% of the true pairs
# they found at 100 (the others' records mostly agree on another key as well).
# Those two rules went on `seen-encoding-3`: counted on 515,000 of those records (three
# agencies), they made 2.7 of the 3.5 million candidate pairs but only 13 of the 196,851
# true pairs found were found by them alone (the date tokens, which carry a name, and the
# postcode rules find the rest); scoring time follows the number of pairs.


@dataclass(frozen=True)
class BlockingRule:
    name: str
    columns: tuple[str, ...]
    max_block_size: int | None = DEFAULT_MAX_BLOCK
    # The one column is a near set: records pair when their sets share an element (a block
    # is then the records holding one element).
    elements: bool = False


BLOCKING_RULES: Final = (
    BlockingRule("nhs", ("tok_nhs",), None),
    BlockingRule("upn", ("tok_upn",), None),
    BlockingRule("name_sex_dob", ("tok_name_sex_dob",)),
    BlockingRule("soundex_dob", ("tok_soundex_dob",)),
    BlockingRule("names_sorted", ("tok_names_sorted",)),
    BlockingRule("given_dob", ("tok_given_dob",)),
    BlockingRule("family_dob", ("tok_family_dob",)),
    BlockingRule("postcode_dob", ("tok_postcode_dob",)),
    BlockingRule("month_district", ("tok_dob_year", "tok_dob_month", "tok_postcode_district")),
    BlockingRule("postcode_year", ("tok_postcode", "tok_dob_year")),
    # Name tokens carry the year of birth (docs/encoding.md).
    BlockingRule("given_postcode", ("tok_given", "tok_postcode")),
    BlockingRule("family_postcode", ("tok_family", "tok_postcode")),
    # The names without the year: records of a child whose year of birth has a typo.
    BlockingRule("names_postcode", ("tok_names_postcode",)),
    # Identifier numbers within one typo (a mistyped NHS number fails its check digit and
    # has no token): on FEBRL4, the links with a typo in soc_sec_id and one name replaced,
    # or no date, that no other rule finds. Not the postcode: a postcode's one-typo
    # neighbours are other households, and its rules with the year and names find its pairs.
    BlockingRule("nhs_near", ("near_nhs",), elements=True),
    BlockingRule("upn_near", ("near_upn",), elements=True),
)

# Rules strict enough that (almost) every pair they find is a true match: used only to
# set the prior, never to link.
DETERMINISTIC_RULES: Final = (
    BlockingRule("nhs", ("tok_nhs",), None),
    BlockingRule("upn", ("tok_upn",), None),
    BlockingRule("given_family_dob", ("tok_given_dob", "tok_family_dob"), None),
    BlockingRule("family_dob_postcode", ("tok_family_dob", "tok_postcode"), None),
    BlockingRule("given_dob_postcode", ("tok_given_dob", "tok_postcode"), None),
    BlockingRule("given_family_postcode", ("tok_given", "tok_family", "tok_postcode"), None),
)

COMPARABLE = "(l.source_dataset <> r.source_dataset OR NOT l.duplicate_free)"


def _rule_sql(
    rule: BlockingRule,
    index: int,
    left: str,
    right: str,
    *,
    block_counts_from: str | None,
) -> str:
    cols = rule.columns
    not_null = " AND ".join(f"{c} IS NOT NULL" for c in cols)
    on = " AND ".join(f"l.{c} = r.{c}" for c in cols)
    key_list = ", ".join(cols)
    # Only what the join and the source rules read: the records' filters and near sets are
    # wide, and every rule's blocks would carry them.
    needed = f"rid, source_dataset, duplicate_free, {key_list}"
    same_table = left == right
    if rule.max_block_size is not None:
        # Count block sizes over all records (block_counts_from), but only for the keys
        # that the left side holds, so an incremental run never scans a whole big group-by.
        counts_from = block_counts_from or left
        keys = (
            f"SELECT {key_list} FROM {counts_from} "
            f"WHERE {not_null} AND ({key_list}) IN "
            f"(SELECT ({key_list}) FROM {left} WHERE {not_null}) "
            f"GROUP BY {key_list} HAVING count(*) <= {rule.max_block_size}"
        )
        if same_table:
            keys = (
                f"SELECT {key_list} FROM {left} WHERE {not_null} "
                f"GROUP BY {key_list} HAVING count(*) BETWEEN 2 AND {rule.max_block_size}"
            )
        lhs = f"(SELECT {needed} FROM {left} SEMI JOIN ({keys}) k USING ({key_list}))"
        rhs = (
            lhs
            if same_table
            else f"(SELECT {needed} FROM {right} SEMI JOIN ({keys}) k USING ({key_list}))"
        )
    else:
        lhs = f"(SELECT {needed} FROM {left} WHERE {not_null})"
        rhs = lhs if same_table else f"(SELECT {needed} FROM {right} WHERE {not_null})"
    order = " AND l.rid < r.rid" if same_table else ""
    return (
        f"SELECT l.rid AS rid_l, r.rid AS rid_r, {index} AS match_key "
        f"FROM {lhs} l JOIN {rhs} r ON {on}{order} WHERE {COMPARABLE}"
    )


def candidate_pairs_sql(
    rules: Sequence[BlockingRule],
    left: str,
    right: str | None = None,
    *,
    block_counts_from: str | None = None,
    near_pairs: Mapping[str, str] | None = None,
) -> str:
    """SQL for the distinct candidate pairs of `left` with itself, or of `left` with
    `right` (an incremental run: new records against existing ones). A rule on a near set
    reads its pairs (rid_l < rid_r) from the table `near_pairs` names for it
    (`near_set_pairs` makes it)."""
    union = " UNION ALL ".join(
        rule_pairs_sql(
            rules, left, right, block_counts_from=block_counts_from, near_pairs=near_pairs
        )
    )
    return f"SELECT rid_l, rid_r, min(match_key) AS match_key FROM ({union}) GROUP BY rid_l, rid_r"


def rule_pairs_sql(
    rules: Sequence[BlockingRule],
    left: str,
    right: str | None = None,
    *,
    block_counts_from: str | None = None,
    near_pairs: Mapping[str, str] | None = None,
) -> list[str]:
    """For each rule, SQL for the pairs it finds, `(rid_l, rid_r, match_key)`, a pair
    perhaps found by several rules (`candidate_pairs_sql` keeps each once)."""
    parts = []
    for i, rule in enumerate(rules):
        if rule.elements:
            if near_pairs is None or rule.name not in near_pairs:
                raise ValueError(f"the rule {rule.name} needs its table of pairs")
            parts.append(f"SELECT rid_l, rid_r, {i} AS match_key FROM {near_pairs[rule.name]}")
            continue
        parts.append(_rule_sql(rule, i, left, right or left, block_counts_from=block_counts_from))
    return parts


def near_set_pairs(backend: Backend, output: str, table: str, rule: BlockingRule) -> None:
    """`output` (rid_l, rid_r): the comparable pairs of records of `table` whose near sets in
    the rule's column differ but share an element held by at most the rule's cap of records.
    Worked out between distinct sets (numbered by `dense_rank`), then taken to records."""
    (column,) = rule.columns
    records, sets, elements = (f"__seen_near_{part}" for part in ("records", "sets", "elements"))
    backend.execute(
        f"CREATE OR REPLACE TABLE {records} AS SELECT rid, source_dataset, duplicate_free, "
        f"dense_rank() OVER (ORDER BY {column}) AS sid, {column} FROM {table} "
        f"WHERE {column} IS NOT NULL"
    )
    backend.execute(
        f"CREATE OR REPLACE TABLE {sets} AS SELECT sid, max({column}) AS {column}, "
        f"count(*) AS n FROM {records} GROUP BY sid"
    )
    backend.execute(
        f"CREATE OR REPLACE TABLE {elements} AS SELECT sid, n, "
        f"{backend.elements(column)} AS e FROM {sets}"
    )
    # A block is every record holding the element (as in the incremental index's count).
    capped = ""
    if rule.max_block_size is not None:
        capped = (
            f" WHERE a.e IN (SELECT e FROM {elements} GROUP BY e "
            f"HAVING sum(n) <= {rule.max_block_size})"
        )
    backend.execute(
        f"""CREATE OR REPLACE TABLE {output} AS
        WITH set_pairs AS (SELECT DISTINCT a.sid AS sid_l, b.sid AS sid_r
                           FROM {elements} a JOIN {elements} b ON a.e = b.e AND a.sid < b.sid
                           {capped})
        SELECT least(l.rid, r.rid) AS rid_l, greatest(l.rid, r.rid) AS rid_r
        FROM set_pairs p JOIN {records} l ON l.sid = p.sid_l JOIN {records} r ON r.sid = p.sid_r
        WHERE {COMPARABLE}"""
    )
    for name in (records, sets, elements):
        backend.execute(f"DROP TABLE IF EXISTS {name}")


def generate_candidates(
    backend: Backend,
    output: str,
    left: str,
    right: str | None = None,
    *,
    rules: Sequence[BlockingRule] = BLOCKING_RULES,
    block_counts_from: str | None = None,
) -> int:
    """Materialise candidate pairs into `output`; return how many there are. (An
    incremental run, which has `right`, makes its pairs its own way: `seen.link.incremental`.)"""
    near_pairs: dict[str, str] = {}
    for rule in rules:
        if rule.elements:
            if right is not None:
                raise ValueError("near-set rules pair the records of one table")
            near_pairs[rule.name] = f"__seen_near_pairs_{rule.name}"
            near_set_pairs(backend, near_pairs[rule.name], left, rule)
    found = f"__seen_found_{output}"
    backend.create_union(
        found,
        "rid_l BIGINT, rid_r BIGINT, match_key INTEGER",
        rule_pairs_sql(
            rules, left, right, block_counts_from=block_counts_from, near_pairs=near_pairs
        ),
    )
    backend.execute(
        f"CREATE OR REPLACE TABLE {output} AS SELECT rid_l, rid_r, min(match_key) AS match_key "
        f"FROM {found} GROUP BY rid_l, rid_r"
    )
    backend.execute(f"DROP TABLE IF EXISTS {found}")
    for name in near_pairs.values():
        backend.execute(f"DROP TABLE IF EXISTS {name}")
    return int(backend.scalar(f"SELECT count(*) FROM {output}") or 0)


def comparable_pair_count(backend: Backend, table: str) -> int:
    """How many pairs the source rules allow among the records of `table`."""
    rows = backend.query(
        f"SELECT count(*) AS n, bool_or(duplicate_free) AS free "
        f"FROM {table} GROUP BY source_dataset"
    ).to_pylist()
    total = sum(int(r["n"]) for r in rows)
    pairs = total * (total - 1) // 2
    for r in rows:
        if r["free"]:
            pairs -= int(r["n"]) * (int(r["n"]) - 1) // 2
    return pairs
