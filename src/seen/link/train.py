"""Unsupervised training: u from the data's own frequencies, the prior from deterministic
rules, m by expectation maximisation in Splink. No labels anywhere.

**Which pairs count for u.** Two records of one duplicate-free source are different people
by the agency's promise: when a run has at least 10,000 such pairs, u is counted on them
("known non-matches"), so true matches (which share every value) cannot inflate u of the
discriminating fields. Otherwise u is counted on all comparable pairs, where true matches
raise u of rare values slightly (a conservative bias: weights come out a little lower).

- **u of exact-token levels** (NHS number, UPN, date of birth, sex, postcode, given and
  family name): analytic, from value counts: sum of c(c-1) over values, over the number of
  ordered pairs (per duplicate-free source, or over all records): one GROUP BY, no
  sampling. (The per-value term-frequency weights of the name and postcode levels come
  from Splink as usual, so their average u only matters for levels without a value.)
- **u of the other levels** (partial dates, transposed dates, postcode sector and
  district, swaps, family-name parts): counted on one capped sample of random pairs
  (`u_max_pairs`, 250,000 by default; every pair when there are fewer).
- **u of the similarity levels**: Bloom filters are salted with the year of birth and the
  other name (`FILTER_SALT`), so only pairs sharing the salt can reach a similarity level.
  Their u is counted on a capped sample per salt drawn among such pairs (inside
  duplicate-free sources when there are at least `MIN_SALT_PAIRS` of them, else among all
  comparable pairs sharing it, a conservative bias); counting it on all pairs would count
  the year's and the other name's agreement twice and overweight fuzzy names.
  A level no sampled pair reaches gets half a pair, so no weight is infinite.
  (Splink's `estimate_u_using_random_sampling` runs one pass per comparison and keeps
  sampling until every Dice band is seen, which dominated run time.)
- **prior** (probability two random comparable records match): pairs found by strict
  deterministic rules (equal NHS number or UPN, or two of names, date of birth and
  postcode all equal), over an assumed recall of 0.75, over the number of comparable pairs.
- **m**: Splink EM with u fixed, twice, each capped at `em_max_pairs` by Splink's own
  sampling, limited to comparable pairs, and iterating over agreement-pattern counts
  (without term frequencies, as Splink's documentation suggests for speed): on pairs
  blocked by date of birth (trains the name, postcode, sex and identifier comparisons),
  then on pairs blocked by the first of
  `EM_SECOND_SESSIONS` with at least `MIN_EM_PAIRS` comparable pairs (NHS number, UPN,
  postcode; trains date of birth and the rest). That second blocking must not share the
  year of birth by construction: name tokens are salted with the year, so pairs blocked on
  the names were all born the same year, and with u fixed at its value over all pairs EM
  took the many different children sharing a name and a year for matches (at a million
  records: m of "year equal" 0.62, m of "date of birth equal" 0.32, and thousands of
  namesakes linked). The names are the last resort, when no other blocking has the pairs.
  The choice and every candidate's pair count go into the training notes. Levels EM never
  observes keep their prior m.
- **levels the data cannot inform** (every column they read is empty in every source, such
  as postcode sectors when no source has a UK postcode) get weight 0, and so does the
  family-name swap level (given_name weighs a swap once).
"""

# ruff: noqa: S608 - SQL here is assembled from the code's own table and column names;
# data reaches the database as Arrow tables or quoted literals, never as raw text.

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping
from typing import Any, Final

from seen.link.backend import Backend
from seen.link.candidates import (
    COMPARABLE,
    DETERMINISTIC_RULES,
    candidate_pairs_sql,
    comparable_pair_count,
)
from seen.link.model import (
    COMPARISONS,
    DEFAULT_DICE_THRESHOLDS,
    NAMES_JOINTLY,
    LevelParameters,
    LinkModel,
    as_json_value,
    comparison_columns,
    default_model,
    reachable,
)
from seen.link.settings import splink_settings, trained_m_values
from seen.link.train_u import estimate_u

logger = logging.getLogger(__name__)

DEFAULT_U_MAX_PAIRS: Final = 250_000
DEFAULT_EM_MAX_PAIRS: Final = 2_000_000
DEFAULT_RECALL: Final = 0.75
MAX_PRIOR: Final = 0.01
M_FLOOR: Final = 1e-6
# "At least a few hundred" pairs (Splink); pairs sharing an identifier are nearly all
# matches, so a few hundred of them inform m well.
MIN_EM_PAIRS: Final = 200
EmSession = tuple[str, tuple[str, ...]]
# Same year and month of birth: seen-encoding-3 has no date token without a name. Blocked on a
# copy of the year (EM_YEAR, a column of the training view only), because Splink leaves out of
# a session every comparison reading a column of its blocking rule, and the name comparisons
# read tok_dob_year (they are null across years, model.YEARS_DIFFER): blocked on the year
# itself the names went untrained in this session, and the postcode's m and the date's
# "else" came out distorted (docs/benchmarks.md, "Linkage on FEBRL4"). date_of_birth still
# reads tok_dob_month, so it stays out, as it must: every pair here agrees on the year and
# month.
EM_YEAR: Final = "em_dob_year"
EM_FIRST_SESSION: Final[EmSession] = ("date_of_birth", (EM_YEAR, "tok_dob_month"))
# The second session trains the date of birth, so its blocking must not imply the year
# (tok_dob_year, and everything salted with it: YEAR_SALTED names, tok_dob*): first choice
# first. The names come last: their pairs share the year by construction (see above).
EM_SECOND_SESSIONS: Final[tuple[EmSession, ...]] = (
    ("nhs_number", ("tok_nhs",)),
    ("upn", ("tok_upn",)),
    ("postcode", ("tok_postcode",)),
    ("names", ("tok_given", "tok_family")),
)

Progress = Callable[[str], None]


def train_model(
    backend: Backend,
    table: str,
    *,
    dice_thresholds: tuple[float, ...] = DEFAULT_DICE_THRESHOLDS,
    u_max_pairs: int = DEFAULT_U_MAX_PAIRS,
    em_max_pairs: int = DEFAULT_EM_MAX_PAIRS,
    recall: float = DEFAULT_RECALL,
    seed: int = 0,
    note: Progress | None = None,
) -> LinkModel:
    """Train on the records in `table` (rids 0..n-1) without labels."""
    say = note or (lambda _: None)
    start = default_model()
    say("estimating u")
    us, u_notes = estimate_u(backend, table, dice_thresholds, max_pairs=u_max_pairs, seed=seed)
    comparisons = {
        c.name: tuple(
            LevelParameters(p.key, p.m, u)
            for p, u in zip(start.comparisons[c.name], us[c.name], strict=True)
        )
        for c in COMPARISONS
    }
    comparisons = _neutralise(backend, table, _names_jointly_u(comparisons))
    say("estimating the prior")
    prior, prior_notes = estimate_prior(backend, table, recall=recall)
    model = LinkModel(prior, comparisons, dice_thresholds, {})
    say("estimating m by expectation maximisation")
    model, em_notes = estimate_m(backend, table, model, max_pairs=em_max_pairs)
    model = LinkModel(
        model.probability_two_random_records_match,
        _neutralise(backend, table, _names_jointly(_stand_ins(model.comparisons))),
        dice_thresholds,
        {},
    )
    notes = {
        "trained": True,
        "u_method": "exact-token levels: sum of squared value shares; others: random pairs",
        **u_notes,
        **prior_notes,
        **em_notes,
    }
    return LinkModel(
        model.probability_two_random_records_match,
        model.comparisons,
        dice_thresholds,
        {k: as_json_value(v) for k, v in notes.items()},
    )


# ------------------------------------------------------------- levels the data cannot inform


def _neutralise(
    backend: Backend, table: str, comparisons: Mapping[str, tuple[LevelParameters, ...]]
) -> dict[str, tuple[LevelParameters, ...]]:
    """Weight 0 (m = u) for neutral levels, and for levels the data cannot inform at all
    because every column they read is empty (postcode sectors when no source has UK
    postcodes, say): a prior m against a smoothed u would otherwise be a large weight
    for something never seen."""
    cols = comparison_columns()
    counts = backend.query(
        "SELECT " + ", ".join(f"count({c}) AS {c}" for c in cols) + f" FROM {table}"
    ).to_pylist()[0]
    present = {c for c in cols if counts[c]}
    out = {}
    for comparison in COMPARISONS:
        informed = any(
            reachable(level.condition, present)
            for level in comparison.scored_levels
            if level.condition is not None
        )
        levels = []
        for level, params in zip(
            comparison.scored_levels, comparisons[comparison.name], strict=True
        ):
            if level.neutral or not informed or not reachable(level.condition, present):
                params = LevelParameters(params.key, params.u, params.u)
            levels.append(params)
        out[comparison.name] = tuple(levels)
    return out


def _stand_ins(
    comparisons: Mapping[str, tuple[LevelParameters, ...]],
) -> dict[str, tuple[LevelParameters, ...]]:
    """m of the levels that stand in for others (`Level.m_of`): the product of theirs."""
    out = dict(comparisons)
    for comparison in COMPARISONS:
        levels = []
        for level, params in zip(
            comparison.scored_levels, comparisons[comparison.name], strict=True
        ):
            if level.m_of:
                m = math.prod(
                    next(p.m for p in comparisons[name] if p.key == key)
                    for name, key in (ref.split(".") for ref in level.m_of)
                )
                params = LevelParameters(params.key, max(m, M_FLOOR), params.u)
            levels.append(params)
        out[comparison.name] = tuple(levels)
    return out


def _names_jointly_u(
    comparisons: Mapping[str, tuple[LevelParameters, ...]],
) -> dict[str, tuple[LevelParameters, ...]]:
    """u of both halves of the split "else" of `NAMES_JOINTLY` is the unsplit "else"'s: for
    two different people, whether their given names differ says next to nothing about
    whether their family names do. Set before EM: with u of each half counted apart, the
    half whose given names agree had a small u (agreeing given names are rare between
    strangers), EM read a family name unrelated beside an equal given name as no evidence
    against a match, and took namesakes born the same day for matches (a synthetic
    partnership of 20,000 children: m of an equal NHS number fell from 0.96 to 0.41)."""
    name, key, _, _ = NAMES_JOINTLY
    levels = {p.key: p for p in comparisons[name]}
    u = min(levels[key].u + levels["else"].u, 1.0)
    out = dict(comparisons)
    out[name] = tuple(
        LevelParameters(p.key, p.m, u) if p.key in (key, "else") else p
        for p in comparisons[name]
    )
    return out


def _names_jointly(
    comparisons: Mapping[str, tuple[LevelParameters, ...]],
) -> dict[str, tuple[LevelParameters, ...]]:
    """m of the split "else" of `NAMES_JOINTLY` as probabilities given the given name's
    level, so that the two comparisons' weights add up to the pair's joint evidence. EM
    trained shares of matches: m(both differ) over m(given at else), m(else) over the rest."""
    name, key, other, other_key = NAMES_JOINTLY
    given = next(p for p in comparisons[other] if p.key == other_key).m
    out = dict(comparisons)
    conditional = {key: given, "else": 1.0 - given}
    out[name] = tuple(
        LevelParameters(p.key, min(max(p.m / conditional[p.key], M_FLOOR), 1.0), p.u)
        if p.key in conditional
        else p
        for p in comparisons[name]
    )
    return out


# ------------------------------------------------------------------------------- prior


def estimate_prior(backend: Backend, table: str, *, recall: float) -> tuple[float, dict[str, Any]]:
    comparable = comparable_pair_count(backend, table)
    found = int(
        backend.scalar(f"SELECT count(*) FROM ({candidate_pairs_sql(DETERMINISTIC_RULES, table)})")
        or 0
    )
    # Half a pair when the rules find none; at most 1%: only a tiny run could truly be
    # denser, and there the estimate means little anyway.
    prior = 1e-4 if comparable == 0 else (max(found, 0.5) / recall) / comparable
    prior = min(max(prior, 1e-9), MAX_PRIOR)
    return prior, {
        "prior_deterministic_pairs": found,
        "prior_assumed_recall": recall,
        "prior_comparable_pairs": comparable,
    }


# ----------------------------------------------------------------------------------- m


def _block_pairs(backend: Backend, table: str, columns: tuple[str, ...]) -> int:
    key = ", ".join(columns)
    not_null = " AND ".join(f"{c} IS NOT NULL" for c in columns)
    value = backend.scalar(
        f"SELECT sum(c * (c - 1) / 2) FROM (SELECT count(*)::DOUBLE AS c FROM {table} "
        f"WHERE {not_null} GROUP BY {key})"
    )
    return int(value or 0)


def comparable_block_pairs(backend: Backend, table: str, columns: tuple[str, ...]) -> int:
    """How many pairs the source rules allow among records sharing every column's value."""
    key = ", ".join(columns)
    not_null = " AND ".join(f"{c} IS NOT NULL" for c in columns)
    value = backend.scalar(
        "SELECT sum(pairs) FROM (SELECT (sum(c) * (sum(c) - 1) - "
        "sum(CASE WHEN free THEN c * (c - 1) ELSE 0 END)) / 2 AS pairs FROM "
        f"(SELECT {key}, source_dataset, bool_or(duplicate_free) AS free, "
        f"count(*)::DOUBLE AS c FROM {table} WHERE {not_null} GROUP BY {key}, source_dataset) "
        f"GROUP BY {key})"
    )
    return int(value or 0)


def em_sessions(backend: Backend, table: str) -> tuple[list[EmSession], dict[str, Any]]:
    """The EM sessions' blockings: the date of birth, then the first of
    `EM_SECOND_SESSIONS` with at least `MIN_EM_PAIRS` comparable pairs (or, when none has
    that many, the one with the most), with the pair counts looked at."""
    counts: dict[str, int] = {}
    second: EmSession | None = None
    for name, columns in EM_SECOND_SESSIONS:
        counts[name] = comparable_block_pairs(backend, table, columns)
        if counts[name] >= MIN_EM_PAIRS:
            second = (name, columns)
            break
    if second is None and any(counts.values()):
        best = max(counts, key=lambda n: counts[n])  # first of equals: the preferred one
        second = next(s for s in EM_SECOND_SESSIONS if s[0] == best)
    chosen = [EM_FIRST_SESSION] + ([second] if second else [])
    return chosen, {
        "em_blocking": {name: list(columns) for name, columns in chosen},
        "em_second_session_pairs": counts,
    }


def estimate_m(
    backend: Backend, table: str, model: LinkModel, *, max_pairs: int
) -> tuple[LinkModel, dict[str, Any]]:
    from splink import Linker

    api = backend.splink_api()
    view = f"__seen_em_records_{id(model):x}"
    backend.execute(
        f"CREATE OR REPLACE VIEW {view} AS SELECT *, tok_dob_year AS {EM_YEAR} FROM {table}"
    )
    records = api.register(view, table_name=f"__seen_em_input_{id(model):x}")
    linker = Linker(records, splink_settings(model, backend), log_level=None)
    sessions = []
    chosen, choice_notes = em_sessions(backend, table)
    for name, columns in chosen:
        pairs = _block_pairs(backend, view, columns)
        if pairs == 0:
            continue
        rule = " AND ".join(f"l.{c} = r.{c}" for c in columns) + f" AND {COMPARABLE}"
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule,
                fix_u_probabilities=True,
                # Iterate over the counts of each agreement pattern, not over every pair
                # with its term frequencies: seconds instead of 90 at a million records;
                # m is an average over values anyway (the term frequencies adjust u).
                estimate_without_term_frequencies=True,
                max_pairs=float(max_pairs) if pairs > max_pairs else None,
            )
            sessions.append(name)
        except Exception as error:
            logger.warning("EM session %s skipped: %s", name, error)
    trained = trained_m_values(linker.misc.save_model_to_json())
    # EM's pairs and their comparison vectors (two million wide rows at a million records)
    # would otherwise stay in the engine's memory through scoring and clustering.
    api.delete_tables_created_by_splink_from_db()
    backend.execute(f"DROP VIEW IF EXISTS {view}")
    comparisons: dict[str, tuple[LevelParameters, ...]] = {}
    for comparison in COMPARISONS:
        old = model.comparisons[comparison.name]
        ms = trained.get(comparison.name, [])
        new_levels = []
        for k, params in enumerate(old):
            m = ms[k] if k < len(ms) else None
            if m is None or not math.isfinite(m):
                m = params.m
            new_levels.append(LevelParameters(params.key, max(float(m), M_FLOOR), params.u))
        comparisons[comparison.name] = tuple(new_levels)
    return (
        LinkModel(
            model.probability_two_random_records_match, comparisons, model.dice_thresholds, {}
        ),
        {"em_sessions": sessions, **choice_notes, "em_max_pairs": max_pairs},
    )
