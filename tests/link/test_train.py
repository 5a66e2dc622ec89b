"""Training: which blocking the second EM session uses, and how its pairs are counted.

The second session trains the date of birth, so its pairs must not share the year of birth
by construction (name tokens carry the year): at a million records, EM blocked on the
names learned that matches differ in their date of birth as often as namesakes do."""

from __future__ import annotations

import itertools
import random

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from link.factories import FebrlSample
from seen.link import LinkModel, LinkResult, train_u
from seen.link import train as train_module
from seen.link.backend import DuckDBBackend
from seen.link.model import YEAR_SALTED, LevelParameters
from seen.link.train import (
    EM_FIRST_SESSION,
    EM_SECOND_SESSIONS,
    EM_YEAR,
    comparable_block_pairs,
    em_sessions,
)

KEYS = ("tok_nhs", "tok_upn", "tok_postcode", "tok_given", "tok_family")
DATE_COLUMNS = {"tok_dob", "tok_dob_year", "tok_dob_month", "tok_name_sex_dob", "tok_soundex_dob"}


def _records(rows: list[dict[str, object]]) -> pa.Table:
    """rid, source_dataset, duplicate_free and the key columns (missing keys are null)."""
    return pa.table(
        {
            "rid": pa.array(range(len(rows)), pa.int64()),
            "source_dataset": pa.array([r["source"] for r in rows], pa.string()),
            "duplicate_free": pa.array([r.get("free", False) for r in rows], pa.bool_()),
            **{k: pa.array([r.get(k) for r in rows], pa.string()) for k in KEYS},
        }
    )


def _sessions(rows: list[dict[str, object]]) -> tuple[list[str], dict[str, object]]:
    backend = DuckDBBackend()
    try:
        backend.register("records", _records(rows))
        chosen, notes = em_sessions(backend, "records")
    finally:
        backend.close()
    return [name for name, _ in chosen], notes


@pytest.fixture
def few_pairs_suffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(train_module, "MIN_EM_PAIRS", 2)


def _pairs_of(key: str, groups: int, size: int, source: str = "s", free: bool = False) -> list:
    return [
        {"source": source, "free": free, key: f"{key}{g}", "tok_given": "g", "tok_family": "f"}
        for g in range(groups)
        for _ in range(size)
    ]


def test_no_second_session_blocking_but_the_last_resort_implies_the_year() -> None:
    *preferred, last = EM_SECOND_SESSIONS
    for _, columns in preferred:
        assert not set(columns) & (YEAR_SALTED | DATE_COLUMNS)
    assert last[0] == "names"
    # The first blocks on the year (a copy of it, so that the names, which read
    # tok_dob_year, are trained there) and the month, which keeps the date of birth out.
    assert EM_FIRST_SESSION == ("date_of_birth", (EM_YEAR, "tok_dob_month"))


def test_the_first_session_trains_the_names_but_not_the_date_of_birth() -> None:
    """Splink leaves out of a session every comparison reading a column of its blocking
    rule (parsed from the SQL, as Splink parses it here): the names read tok_dob_year (they
    are null across years) and, blocked on tok_dob_year itself, went untrained in the first
    session; the date of birth must stay out (every pair agrees on the year and month)."""
    from splink.internals.parse_sql import get_columns_used_from_sql

    from seen.link.model import COMPARISONS, render

    backend = DuckDBBackend()
    try:
        rule = " AND ".join(f"l.{c} = r.{c}" for c in EM_FIRST_SESSION[1])
        blocked = set(get_columns_used_from_sql(rule, "duckdb"))
        left_out = set()
        for comparison in COMPARISONS:
            sql = " AND ".join(
                f"({render(level.condition, backend, (0.7, 0.6, 0.5))})"
                for level in comparison.levels
                if level.condition is not None
            )
            read = {c.removesuffix("_l").removesuffix("_r") for c in get_columns_used_from_sql(sql)}
            if read & blocked:
                left_out.add(comparison.name)
    finally:
        backend.close()
    assert left_out == {"date_of_birth"}


@pytest.mark.usefixtures("few_pairs_suffice")
def test_the_nhs_number_is_the_first_choice() -> None:
    rows = _pairs_of("tok_nhs", 2, 2) + _pairs_of("tok_upn", 5, 2) + _pairs_of("tok_postcode", 5, 3)
    names, notes = _sessions(rows)
    assert names == ["date_of_birth", "nhs_number"]
    assert notes["em_blocking"] == {
        "date_of_birth": [EM_YEAR, "tok_dob_month"],
        "nhs_number": ["tok_nhs"],
    }
    assert notes["em_second_session_pairs"] == {"nhs_number": 2}


@pytest.mark.usefixtures("few_pairs_suffice")
def test_without_identifiers_the_postcode_blocks_the_second_session() -> None:
    names, notes = _sessions(_pairs_of("tok_postcode", 2, 3))
    assert names == ["date_of_birth", "postcode"]
    assert notes["em_second_session_pairs"] == {"nhs_number": 0, "upn": 0, "postcode": 6}


@pytest.mark.usefixtures("few_pairs_suffice")
def test_identifier_pairs_the_source_rules_forbid_do_not_count() -> None:
    # Every shared NHS number is inside one duplicate-free source: no comparable pair.
    rows = _pairs_of("tok_nhs", 3, 2, source="a", free=True) + _pairs_of("tok_upn", 2, 2)
    names, notes = _sessions(rows)
    assert names == ["date_of_birth", "upn"]
    assert notes["em_second_session_pairs"]["nhs_number"] == 0


def test_with_too_few_pairs_everywhere_the_blocking_with_most_pairs_is_used() -> None:
    # Far under MIN_EM_PAIRS: the names (every record shares them here) have the most.
    rows = _pairs_of("tok_nhs", 1, 2) + _pairs_of("tok_postcode", 1, 3)
    names, notes = _sessions(rows)
    assert names == ["date_of_birth", "names"]
    assert notes["em_second_session_pairs"] == {
        "nhs_number": 1,
        "upn": 0,
        "postcode": 3,
        "names": 10,
    }


def test_no_second_session_when_no_blocking_has_a_pair() -> None:
    rows = [{"source": "s", "tok_nhs": f"n{i}", "tok_given": f"g{i}"} for i in range(4)]
    names, _ = _sessions(rows)
    assert names == ["date_of_birth"]


def test_comparable_block_pairs_counts_what_the_source_rules_allow() -> None:
    rng = random.Random(3)
    for _ in range(20):
        rows = [
            {
                "source": source,
                "free": source == "a",
                "tok_nhs": rng.choice(["x", "y", "z", None]),
                "tok_postcode": rng.choice(["p", "q"]),
            }
            for source in rng.choices(["a", "b", "c"], k=rng.randint(0, 30))
        ]
        for columns in (("tok_nhs",), ("tok_nhs", "tok_postcode")):
            expected = sum(
                1
                for x, y in itertools.combinations(rows, 2)
                if all(x.get(c) is not None and x.get(c) == y.get(c) for c in columns)
                and (x["source"] != y["source"] or not x["free"])
            )
            backend = DuckDBBackend()
            try:
                backend.register("records", _records(rows))
                assert comparable_block_pairs(backend, "records", columns) == expected
            finally:
                backend.close()


def test_a_febrl_run_trains_the_date_of_birth_on_its_identifier(
    febrl: FebrlSample, febrl_run: LinkResult
) -> None:
    training = febrl_run.model.training
    assert training["em_blocking"] == {
        "date_of_birth": [EM_YEAR, "tok_dob_month"],
        "nhs_number": ["tok_nhs"],
    }
    assert training["em_sessions"] == ["date_of_birth", "nhs_number"]
    # EM saw mostly true matches: an exact date of birth is by far the likeliest level.
    dob = {p.key: p.m for p in febrl_run.model.comparisons["date_of_birth"]}
    assert dob["exact"] > 0.8 > dob["year"]


def test_u_of_a_near_level_is_the_share_of_pairs_within_one_typo() -> None:
    """Identifier numbers are nearly unique, so a random sample of pairs almost never holds
    two within one typo: u of the near levels is counted over every pair instead."""
    from link.factories import Person, encode
    from seen.encode.near import shares_element
    from seen.link import Source
    from seen.link.backend import RECORDS

    rng = random.Random(7)
    numbers = [f"{rng.randrange(10**10):010d}" for _ in range(60)]
    # Some neighbours of the first numbers: a digit replaced, two swapped.
    numbers += [n[:3] + str((int(n[3]) + 1) % 10) + n[4:] for n in numbers[:5]]
    numbers += [n[:5] + n[6] + n[5] + n[7:] for n in numbers[5:9] if n[5] != n[6]]
    people = [Person(f"R{i}", raw_identifier=n) for i, n in enumerate(numbers)]
    table = encode(people)
    sets = table.column("near_nhs").to_pylist()
    within = sum(
        1
        for a, b in itertools.combinations(range(len(sets)), 2)
        if sets[a] != sets[b] and shares_element(sets[a], sets[b])
    )
    total = len(sets) * (len(sets) - 1) // 2
    backend = DuckDBBackend()
    try:
        backend.load(RECORDS, [Source("one", table, duplicate_free=True)])
        u = train_u._near_share(backend, RECORDS, "near_nhs", known=True)
    finally:
        backend.close()
    assert within >= 5  # at least the replaced digits
    assert u is not None
    assert u == pytest.approx((within + 0.5) / (total + 1.0))


@given(
    given_else=st.floats(0.01, 0.99),
    both=st.floats(0.001, 1.0),
    rest=st.floats(0.001, 1.0),
    u_both=st.floats(0.0, 0.99),
)
def test_the_two_names_weigh_their_joint_evidence(
    given_else: float, both: float, rest: float, u_both: float
) -> None:
    """EM's shares of family_name's split "else" become probabilities given the given name's
    level, so that multiplying the two comparisons' m gives back the joint share."""
    from seen.link.model import NAMES_JOINTLY, default_model
    from seen.link.train import _names_jointly, _names_jointly_u

    name, key, other, other_key = NAMES_JOINTLY
    both, rest = both * given_else, rest * (1.0 - given_else)  # shares EM can give
    start = default_model().comparisons

    def with_m(
        levels: tuple[LevelParameters, ...], values: dict[str, tuple[float, float]]
    ) -> tuple[LevelParameters, ...]:
        return tuple(
            LevelParameters(p.key, *values[p.key]) if p.key in values else p for p in levels
        )

    shares = dict(start)
    shares[other] = with_m(start[other], {other_key: (given_else, 0.98)})
    shares[name] = with_m(start[name], {key: (both, u_both), "else": (rest, 0.01)})
    jointly = _names_jointly(shares)
    family = {p.key: p for p in jointly[name]}
    assert family[key].m * given_else == pytest.approx(both)
    assert family["else"].m * (1 - given_else) == pytest.approx(rest)
    assert jointly[other] == shares[other]
    # u is set before EM, to the unsplit "else"'s for both halves.
    family_u = {p.key: p.u for p in _names_jointly_u(shares)[name]}
    assert family_u[key] == family_u["else"] == pytest.approx(min(u_both + 0.01, 1.0))


def test_two_mistyped_names_cost_a_match_less_than_twice_one(model: LinkModel) -> None:
    """FEBRL's matches with both names mistyped (each filter salted by the other name, so
    neither can show a typo) are far likelier than the product of each name's "else": the
    family name weighs less against a pair whose given names differ too."""
    family = {p.key: p for p in model.comparisons["family_name"]}
    assert family["given_differs"].match_weight > family["else"].match_weight + 1.0
