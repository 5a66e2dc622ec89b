"""Identifier errors: each kind does what it says for any input, and occurs at about its
configured rate per agency record."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seen.domain.identifiers import is_valid_nhs_number, is_valid_upn, make_nhs_number, make_upn
from seen.synth import IdentifierErrors
from seen.synth.corruption import invalid_nhs_number, invalid_upn, typo, wrong_nhs_number, wrong_upn
from seen.synth.names import load_names
from synth.built import Build, Built

unit = st.floats(min_value=0.0, max_value=1.0, exclude_max=True)
names = st.text(alphabet=st.sampled_from("abcdeéñöZY'- "), min_size=2, max_size=20)
nhs_numbers = (
    st.integers(0, 999_999)
    .map(lambda n: make_nhs_number(f"999{n:06d}"))
    .filter(lambda n: n is not None)
)
upns = st.builds(
    make_upn, st.just(990), st.integers(2000, 5999), st.integers(0, 99), st.integers(0, 999)
)


def _one_edit_apart(a: str, b: str) -> bool:
    """True when b is a with one letter substituted, dropped, or two neighbours swapped."""
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        swapped = (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
        return len(diff) == 1 or swapped
    return len(a) == len(b) + 1 and any(a[:i] + a[i + 1 :] == b for i in range(len(a)))


@given(name=names, kind=unit, where=unit, letter=unit)
def test_a_typo_is_one_slip_that_changes_only_letters(
    name: str, kind: float, where: float, letter: float
) -> None:
    slipped = typo(name, kind, where, letter)
    if sum(ch.isalpha() for ch in name) < 2:
        assert slipped == name
        return
    assert slipped != name
    assert _one_edit_apart(name, slipped)
    assert [c for c in slipped if not c.isalpha()] == [c for c in name if not c.isalpha()]


@given(number=nhs_numbers, draw=unit)
def test_a_wrong_nhs_number_is_another_valid_one(number: str, draw: float) -> None:
    wrong = wrong_nhs_number(number, draw)
    assert wrong != number and is_valid_nhs_number(wrong) and wrong.startswith("999")


@given(number=nhs_numbers, draw=unit)
def test_an_invalid_nhs_number_fails_its_check_digit(number: str, draw: float) -> None:
    broken = invalid_nhs_number(number, draw)
    assert len(broken) == 10 and broken.isdigit() and not is_valid_nhs_number(broken)


@given(upn=upns, draw=unit)
def test_a_wrong_upn_is_another_valid_one_and_an_invalid_one_fails(upn: str, draw: float) -> None:
    wrong, broken = wrong_upn(upn, draw), invalid_upn(upn, draw)
    assert wrong != upn and is_valid_upn(wrong)
    assert broken[1:] == upn[1:] and not is_valid_upn(broken)


def only(**rates: float) -> IdentifierErrors:
    """Error rates that are all zero except those given."""
    zero = {f.name: 0.0 for f in dataclasses.fields(IdentifierErrors)}
    return IdentifierErrors(**{**zero, **rates})


@pytest.fixture(scope="module")
def noisy(build: Build) -> Built:
    return build(
        children=6000,
        seed=21,
        surname_change_rate=0.2,
        double_barrelled_rate=0.3,
        health_errors=only(
            typo_rate=0.2,
            nhs_missing_rate=0.1,
            nhs_wrong_rate=0.1,
            nhs_invalid_rate=0.1,
            dob_swap_rate=0.3,
        ),
        police_errors=only(nickname_rate=0.4, surname_part_rate=0.5),
        council_errors=only(name_swap_rate=0.2),
        school_errors=only(
            stale_surname_rate=1.0,
            upn_wrong_rate=0.1,
            upn_invalid_rate=0.1,
            ethnicity_missing_rate=0.2,
        ),
    )


def _records(
    built: Built, relative: str, id_column: str
) -> list[tuple[dict[str, str], dict[str, str]]]:
    """(first row of each record, its person), one per record id."""
    file = relative.rsplit("/", 1)[-1]
    first: dict[str, dict[str, str]] = {}
    for row in built.rows(relative):
        first.setdefault(row[id_column], row)
    return [(row, built.person_of(file, rid)) for rid, row in first.items()]


def _near(flags: list[bool], rate: float, tolerance: float) -> None:
    assert flags, "no records to measure"
    share = sum(flags) / len(flags)
    assert abs(share - rate) < tolerance, (share, rate)


def test_health_errors_occur_at_their_configured_rates(noisy: Built) -> None:
    records = _records(noisy, "agencies/northshire-health/ed_attendances.csv", "PatientID")
    _near([row["Forename"] != p["given_name"] for row, p in records], 0.2, 0.03)
    _near([row["Surname"] != p["family_name"] for row, p in records], 0.2, 0.03)
    _near([row["NHSNumber"] == "" for row, p in records], 0.1, 0.025)
    _near(
        [
            is_valid_nhs_number(row["NHSNumber"]) and row["NHSNumber"] != p["nhs_number"]
            for row, p in records
        ],
        0.1,
        0.025,
    )
    _near(
        [
            row["NHSNumber"] != "" and not is_valid_nhs_number(row["NHSNumber"])
            for row, p in records
        ],
        0.1,
        0.025,
    )
    swappable = []
    for row, p in records:
        born = dt.date.fromisoformat(p["date_of_birth"])
        if born.day <= 12 and born.day != born.month:
            swappable.append(row["DOB"] == born.replace(month=born.day, day=born.month).isoformat())
    _near(swappable, 0.3, 0.05)


def test_police_record_nicknames_and_parts_of_compound_surnames(noisy: Built) -> None:
    records = _records(noisy, "agencies/northshire-police/police_incidents.csv", "PersonID")
    nicknames = load_names().nicknames
    _near(
        [
            row["Forename"] in nicknames[p["given_name"]]
            for row, p in records
            if p["given_name"] in nicknames
        ],
        0.4,
        0.08,
    )
    single = {s for group in load_names().surnames.values() for s in group}
    compound = [(row, p) for row, p in records if p["family_name"] not in single]
    _near([row["Surname"] != p["family_name"] for row, p in compound], 0.5, 0.1)
    for row, p in compound:
        if row["Surname"] != p["family_name"]:
            assert row["Surname"] in p["family_name"] or row["Surname"].replace("-", " ") == p[
                "family_name"
            ].replace("-", " ")


def test_council_swaps_forename_and_surname_at_its_rate(noisy: Built) -> None:
    records = _records(noisy, "agencies/northshire-council/persons.csv", "LAchildID")
    _near(
        [
            (row["Forename"], row["Surname"]) == (p["family_name"], p["given_name"])
            for row, p in records
            if p["former_family_name"] == ""
        ],
        0.2,
        0.05,
    )


def test_school_upns_and_ethnicity_have_their_errors(noisy: Built) -> None:
    records = _records(noisy, "agencies/northshire-schools/school_census.csv", "PupilID")
    _near([is_valid_upn(row["UPN"]) and row["UPN"] != p["upn"] for row, p in records], 0.1, 0.02)
    _near([not is_valid_upn(row["UPN"]) for row, p in records], 0.1, 0.02)
    _near([row["Ethnicity"] in ("", "NOBT", "REFU") for row, p in records], 0.2, 0.03)


def test_a_record_made_before_a_surname_change_can_keep_the_old_name(noisy: Built) -> None:
    rows = noisy.rows("agencies/northshire-schools/school_census.csv")
    first_census: dict[str, str] = {}
    for row in rows:
        first_census[row["PupilID"]] = min(
            first_census.get(row["PupilID"], row["CensusDate"]), row["CensusDate"]
        )
    checked = 0
    for row in rows:
        p = noisy.person_of("school_census.csv", row["PupilID"])
        if (
            p["family_name_change_date"]
            and first_census[row["PupilID"]] < p["family_name_change_date"]
        ):
            assert row["Surname"] == p["former_family_name"]
            checked += 1
    assert checked > 50
