"""u for unsupervised training (`seen.link.train`): the probability that a level is reached by
two records of different people, estimated without labels.

- exact-token levels: analytic, from value counts (one GROUP BY per level, no sampling);
- other levels: counted on one capped sample of random comparable pairs;
- similarity levels: counted per salt (year of birth and the other name), on pairs sharing
  it, since only those can reach a similarity level.

Known non-matches (pairs within a duplicate-free source) are used when there are enough of
them. The whole reasoning is in `seen.link.train`'s notes.
"""

# ruff: noqa: S608 - SQL here is assembled from the code's own table and column names;
# data reaches the database as Arrow tables or quoted literals, never as raw text.

from __future__ import annotations

from typing import Any, Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from seen.domain.encoding import NEAR_SIZES
from seen.link.backend import Backend
from seen.link.model import (
    COMPARISONS,
    DATE_TOKENS,
    FILTER_SALT,
    UNLIKE_AMONG,
    Level,
    columns_used,
    default_model,
    salt_column,
    uses_bloom,
)
from seen.link.score import level_index_sql

MIN_KNOWN_NON_MATCH_PAIRS: Final = 10_000
MIN_SALT_PAIRS: Final = 200
DAYS_PER_MONTH: Final = 365.2425 / 12


def _pairs_born_apart(backend: Backend, table: str, column: str, known: bool) -> float:
    """Ordered pairs (inside each duplicate-free source when `known`) equal on `column`, both
    years of birth present and different: all equal pairs less those born the same year."""
    where = f"{'duplicate_free AND ' if known else ''}{column} IS NOT NULL"
    where += " AND tok_dob_year IS NOT NULL"
    group = f"{'source_dataset, ' if known else ''}{column}"

    def pairs(by: str) -> float:
        value = backend.scalar(
            f"SELECT sum(c * (c - 1)) FROM (SELECT count(*)::DOUBLE AS c FROM {table} "
            f"WHERE {where} GROUP BY {by})"
        )
        return float(value or 0.0)

    return pairs(group) - pairs(f"{group}, tok_dob_year")


def _share_born_apart(backend: Backend, table: str, column: str, known: bool) -> float | None:
    """u of a token in UNLIKE_AMONG: the share of pairs equal on it among pairs equal on its
    other column and born in different years."""
    among = _pairs_born_apart(backend, table, UNLIKE_AMONG[column], known)
    if not among:
        return None
    # Half a pair keeps a never-seen agreement finite.
    return (_pairs_born_apart(backend, table, column, known) / 2 + 0.5) / (among / 2 + 1.0)


def _exact_share(backend: Backend, table: str, column: str, known: bool) -> float | None:
    """Share of (known non-match, or all) pairs agreeing on `column`, both non-null."""
    where = "duplicate_free AND " if known else ""
    group = "source_dataset, " if known else ""
    agree, pairs = (
        backend.query(
            f"SELECT (SELECT sum(c * (c - 1)) FROM (SELECT count(*)::DOUBLE AS c FROM {table} "
            f"WHERE {where}{column} IS NOT NULL GROUP BY {group}{column})) AS agree, "
            f"(SELECT sum(n * (n - 1)) FROM (SELECT count({column})::DOUBLE AS n FROM {table} "
            f"{'WHERE duplicate_free GROUP BY source_dataset' if known else ''})) AS pairs"
        )
        .to_pylist()[0]
        .values()
    )
    if not pairs:
        return None
    # Ordered pairs on both counts; half a pair keeps a never-seen agreement finite.
    return (float(agree or 0.0) / 2 + 0.5) / (float(pairs) / 2 + 1.0)


def _near_share(backend: Backend, table: str, column: str, known: bool) -> float | None:
    """u of a near level: the share of (known non-match, or all) pairs whose near sets share
    an element but are not equal. Counted, not sampled: identifier numbers are nearly unique,
    so a sample of random pairs almost never holds two within one typo. Two different values
    within one typo share exactly one element (the masked position, or the ordered pair), and
    equal ones all of theirs: the pairs are the ordered pairs holding each element, less those
    with equal sets counted once per element."""
    size = NEAR_SIZES[column]
    where = "duplicate_free AND " if known else ""
    group = "source_dataset, " if known else ""
    elements = (
        f"SELECT source_dataset, {backend.elements(column)} AS e FROM {table} "
        f"WHERE {where}{column} IS NOT NULL"
    )
    row = backend.query(
        f"SELECT (SELECT sum(c * (c - 1)) FROM (SELECT count(*)::DOUBLE AS c FROM ({elements}) x "
        f"GROUP BY {group}e)) AS shared, "
        f"(SELECT sum(c * (c - 1)) FROM (SELECT count(*)::DOUBLE AS c FROM {table} "
        f"WHERE {where}{column} IS NOT NULL GROUP BY {group}{column})) AS equal, "
        f"(SELECT sum(n * (n - 1)) FROM (SELECT count({column})::DOUBLE AS n FROM {table} "
        f"{'WHERE duplicate_free GROUP BY source_dataset' if known else ''})) AS pairs"
    ).to_pylist()[0]
    if not row["pairs"]:
        return None
    near = max(float(row["shared"] or 0.0) - size * float(row["equal"] or 0.0), 0.0)
    # Ordered pairs on every count; half a pair keeps a never-seen agreement finite.
    return (near / 2 + 0.5) / (float(row["pairs"]) / 2 + 1.0)


def _same_date_share(backend: Backend, table: str, known: bool) -> float | None:
    """u of equal dates of birth, which no token shows alone (DATE_TOKENS): the share of pairs
    born in the same month of the same year, over the mean number of days in a month (days of
    birth are close to uniform within a month). Counting the pairs with equal date tokens
    instead would count the agreement of the name in them a second time."""
    month = _exact_share(backend, table, "(tok_dob_year || tok_dob_month)", known)
    return None if month is None else month / DAYS_PER_MONTH


def pairs_within_groups(groups: np.ndarray) -> int:
    """How many pairs of records share a group (a group code of -1 is no group)."""
    sizes = np.bincount(groups[groups >= 0]) if (groups >= 0).any() else np.zeros(0, np.int64)
    return int((sizes * (sizes - 1) // 2).sum())


def sample_within_groups(
    groups: np.ndarray, max_pairs: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Uniform random pairs of positions sharing a group (all of them when there are few)."""
    empty = np.zeros(0, dtype=np.int64)
    positions = np.flatnonzero(groups >= 0)
    if len(positions) < 2:
        return empty, empty
    order = np.argsort(groups[positions], kind="stable")
    positions = positions[order]
    _, starts, sizes = np.unique(groups[positions], return_index=True, return_counts=True)
    weights = sizes * (sizes - 1) / 2.0
    total = weights.sum()
    if total == 0:
        return empty, empty
    if total <= max_pairs:
        i_parts, j_parts = [], []
        for start, size in zip(starts, sizes, strict=True):
            a, b = np.triu_indices(int(size), k=1)
            i_parts.append(positions[start + a])
            j_parts.append(positions[start + b])
        return np.concatenate(i_parts).astype(np.int64), np.concatenate(j_parts).astype(np.int64)
    chosen = rng.choice(len(sizes), size=max_pairs, p=weights / total)
    n = sizes[chosen]
    a = rng.integers(0, n)
    b = rng.integers(0, n - 1)
    b = b + (b >= a)
    first = positions[starts[chosen] + a]
    second = positions[starts[chosen] + b]
    return first.astype(np.int64), second.astype(np.int64)


def sample_comparable(
    source_codes: np.ndarray, duplicate_free: np.ndarray, max_pairs: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Uniform random pairs that the source rules allow to be compared."""
    total = len(source_codes)
    if total < 2:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    if total * (total - 1) // 2 <= max_pairs:
        i, j = np.triu_indices(total, k=1)
    else:
        i = rng.integers(0, total, max_pairs * 3)
        j = rng.integers(0, total, max_pairs * 3)
    keep = (i != j) & ((source_codes[i] != source_codes[j]) | ~duplicate_free[i])
    return i[keep][:max_pairs].astype(np.int64), j[keep][:max_pairs].astype(np.int64)


def _codes(column: pa.ChunkedArray) -> np.ndarray:
    """Dense integer codes of a column's values, in the values' sorted order, nulls first
    with a code of their own. (In Arrow: sorting a million Python strings took 5 s.)"""
    encoded = column.combine_chunks().dictionary_encode(null_encoding="encode")
    order = pc.array_sort_indices(encoded.dictionary, null_placement="at_start").to_numpy()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    codes: np.ndarray = rank[encoded.indices.to_numpy(zero_copy_only=False)]
    return codes


def estimate_u(
    backend: Backend,
    table: str,
    thresholds: tuple[float, ...],
    *,
    max_pairs: int,
    seed: int,
) -> tuple[dict[str, list[float]], dict[str, Any]]:
    """u of every scored level, by comparison (see `seen.link.train`'s notes)."""
    start = default_model()
    salt_columns = ["tok_dob_year", *sorted(set(FILTER_SALT.values()))]
    info = backend.query(
        f"SELECT rid, source_dataset, duplicate_free, {', '.join(salt_columns)} "
        f"FROM {table} ORDER BY rid"
    )
    sources = _codes(info.column("source_dataset"))
    years = _codes(info.column("tok_dob_year"))
    free = np.asarray(info.column("duplicate_free").to_numpy(zero_copy_only=False), dtype=bool)
    rids = info.column("rid").to_numpy()
    rng = np.random.default_rng(seed)
    # Pairs inside a duplicate-free source are different people by the agency's promise:
    # counting u on them keeps true matches (which share every value) out of u.
    known_groups = np.where(free, sources, -1)
    known = pairs_within_groups(known_groups) >= MIN_KNOWN_NON_MATCH_PAIRS
    if known:
        i, j = sample_within_groups(known_groups, max_pairs, rng)
    else:
        i, j = sample_comparable(sources, free, max_pairs, rng)
    # Name tokens are salted with the year, and filters with the year and the other name
    # (FILTER_SALT), so only pairs sharing the salt can agree on them: those levels' u is
    # counted on a sample of such pairs, one per salt. Counting it on all pairs would count
    # the year's (and the other name's) agreement twice and overweight names.
    firsts, seconds, salts = [i], [j], [np.zeros(len(i), np.int8)]
    for number, column in enumerate(salt_columns, start=1):
        salt = years
        if column != "tok_dob_year":
            salt = _codes(info.column(column)) * (int(years.max(initial=0)) + 1) + years
        # Known non-matches share the salt *and* the duplicate-free source: two such
        # sources' records sharing a salt are mostly the same people (a typo in one name
        # and the other exact), so grouping across sources made u of the similarity levels
        # as large as their m (FEBRL4: weight 0.03 for a given-name typo).
        within_source = salt * (int(sources.max(initial=0)) + 1) + sources
        si, sj = sample_within_groups(np.where(free, within_source, -1), max_pairs, rng)
        if len(si) < MIN_SALT_PAIRS:  # too few known non-matches: any pair sharing the salt
            si, sj = sample_within_groups(salt, max_pairs, rng)
            keep = (sources[si] != sources[sj]) | ~free[si]
            si, sj = si[keep], sj[keep]
        firsts.append(si)
        seconds.append(sj)
        salts.append(np.full(len(si), number, np.int8))
    pairs = pa.table(
        {
            "i": rids[np.concatenate(firsts)],
            "j": rids[np.concatenate(seconds)],
            "salt": np.concatenate(salts),
        }
    )
    backend.register("__seen_u_pairs", pairs)
    cols = sorted(
        {c for comp in COMPARISONS for lv in comp.levels for c in columns_used(lv.condition)}
    )
    select_cols = ", ".join(f"l.{c} AS {c}_l, r.{c} AS {c}_r" for c in cols)
    gammas = ", ".join(
        f"{level_index_sql(c, backend, thresholds)} AS g_{c.name}" for c in COMPARISONS
    )
    backend.execute(
        f"CREATE OR REPLACE TABLE __seen_u_gammas AS SELECT {gammas}, salt FROM "
        f"(SELECT {select_cols}, p.salt FROM __seen_u_pairs p "
        f"JOIN {table} l ON l.rid = p.i JOIN {table} r ON r.rid = p.j)"
    )
    result: dict[str, list[float]] = {}
    for comparison in COMPARISONS:
        levels = comparison.scored_levels
        rows = backend.query(
            f"SELECT g_{comparison.name} AS g, salt, count(*) AS n "
            f"FROM __seen_u_gammas WHERE g_{comparison.name} >= 0 GROUP BY ALL"
        ).to_pylist()
        counts = np.zeros((len(salt_columns) + 1, len(levels)))
        for row in rows:
            counts[int(row["salt"]), int(row["g"])] += row["n"]
        salt_of = {c: n for n, c in enumerate(salt_columns, start=1)}
        sample = [salt_of.get(salt_column(level) or "", 0) for level in levels]
        us = _level_us(backend, table, levels, counts, sample, known)
        result[comparison.name] = us or [p.u for p in start.comparisons[comparison.name]]
    backend.execute("DROP TABLE IF EXISTS __seen_u_gammas")
    pa.default_memory_pool().release_unused()
    return result, {
        "u_sampled_pairs": len(i),
        "u_sampled_same_salt_pairs": {
            c: len(f) for c, f in zip(salt_columns, firsts[1:], strict=True)
        },
        "u_pairs": "known non-matches (inside duplicate-free sources)" if known else "comparable",
    }


def _level_us(
    backend: Backend,
    table: str,
    levels: tuple[Level, ...],
    counts: np.ndarray,
    sample: list[int],
    known: bool,
) -> list[float] | None:
    """u of each level: analytic for exact tokens, else counted on the level's sample
    (`counts[sample[k]]`: 0 the random pairs, others pairs sharing a salt)."""
    n_all = counts[0].sum()
    us: list[float | None] = []
    for k, level in enumerate(levels):
        condition = level.condition
        n = counts[sample[k]].sum()
        if condition is None:
            us.append(None)  # the else level: the remainder
        elif level.key == "exact" and columns_used(condition) <= DATE_TOKENS:
            us.append(_same_date_share(backend, table, known))
        elif condition[0] == "eq" and condition[1] in UNLIKE_AMONG:
            us.append(_share_born_apart(backend, table, condition[1], known))
        elif condition[0] == "near":
            us.append(_near_share(backend, table, condition[1], known))
        elif level.key == "exact" and condition[0] == "eq" and not uses_bloom(level):
            share = _exact_share(backend, table, condition[1], known)
            if share is not None and salt_column(level) == "tok_dob_year":
                # Equal tokens imply the same year, which date_of_birth weighs already.
                same_year = _exact_share(backend, table, "tok_dob_year", known)
                share = min(share / same_year, 1.0) if same_year else None
            us.append(share)
        else:
            us.append((counts[sample[k], k] + 0.5) / (n + 1.0) if n else None)
    estimated = [u for u in us[:-1] if u is not None]
    if not estimated and n_all == 0:
        return None
    filled = [u if u is not None else 0.5 / (n_all + 1.0) for u in us[:-1]]
    rest = 1.0 - sum(filled)
    return [*filled, max(rest, 0.01)]
