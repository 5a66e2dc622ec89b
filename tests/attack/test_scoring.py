"""Scoring, the baseline, and the building blocks the attacks share, on small hand-made data."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from seen.attack import Guesses, HubView, PublicNames, Truth, baseline, dob_attack, score
from seen.attack.frequency import salt_groups
from seen.attack.mining import base_bits
from seen.domain.demographics import Demographics, Sex
from seen.domain.records import AgencyRecord, Identity
from seen.encode import PartnershipKey, encode_records

KEY = PartnershipKey(bytes(range(32)))


def _objects(*values: object) -> np.ndarray:
    return np.array(values, dtype=object)


def test_a_record_is_reidentified_only_when_both_names_are_right() -> None:
    truth = Truth(
        _objects("amelia", "oliver", "mia"),
        _objects("smith", "jones", "khan"),
        _objects("2014-03-07", "2012-01-02", None),
    )
    guesses = Guesses(
        _objects("amelia", "oliver", None),
        _objects("smith", "brown", "khan"),
        _objects(None, None, None),
    )
    found = score(guesses, truth)
    assert found.records == 3
    assert found.reidentified == pytest.approx(1 / 3)
    assert found.given == pytest.approx(2 / 3)
    assert found.family == pytest.approx(2 / 3)
    assert found.reidentified_count == 1


def test_a_wrong_date_of_birth_undoes_a_reidentification_that_claims_one() -> None:
    truth = Truth(
        _objects("amelia", "oliver"),
        _objects("smith", "jones"),
        _objects("2014-03-07", "2012-01-02"),
    )
    guesses = Guesses(
        _objects("amelia", "oliver"),
        _objects("smith", "jones"),
        _objects("2014-03-08", "2012-01-02"),
    )
    found = score(guesses, truth)
    assert found.reidentified == pytest.approx(0.5)
    assert found.reidentified_with_dob == pytest.approx(0.5)
    assert found.dob == pytest.approx(0.5)


def test_combining_guesses_keeps_the_first_attacks_claims() -> None:
    first = Guesses(_objects("a", None), _objects(None, "b"), _objects(None, None))
    second = Guesses(_objects("x", "y"), _objects("z", "w"), _objects("2014-01-01", None))
    combined = first.combine(second)
    assert combined.given.tolist() == ["a", "y"]
    assert combined.family.tolist() == ["z", "b"]
    assert combined.dob.tolist() == ["2014-01-01", None]


def _record(ref: str, given: str, family: str, born: dt.date, sex: Sex) -> AgencyRecord:
    return AgencyRecord(
        ref,
        Identity(given, None, family, born, sex),
        Demographics(sex, "WBRI", born.strftime("%Y-%m"), 5),
    )


def _view(records: list[AgencyRecord]) -> HubView:
    return HubView([encode_records(records, KEY)])


def test_the_baseline_guesses_the_commonest_name_for_the_sex() -> None:
    public = PublicNames.from_people(
        [
            ("Olivia", "Smith", "F", "WBRI"),
            ("Olivia", "Jones", "F", "WBRI"),
            ("Oliver", "Smith", "M", "WBRI"),
            ("Amelia", "Smith", "F", "WBRI"),
        ]
    )
    view = _view(
        [
            _record("1", "Amelia", "Jones", dt.date(2014, 3, 7), Sex.FEMALE),
            _record("2", "Noah", "Brown", dt.date(2013, 5, 1), Sex.MALE),
        ]
    )
    guesses = baseline(view, public)
    assert guesses.given.tolist() == ["olivia", "oliver"]
    assert guesses.family.tolist() == ["smith", "smith"]


def test_public_names_are_normalised_as_the_encoding_normalises_them() -> None:
    public = PublicNames.from_people(
        [("BILL", "O'Brien", "M", ""), ("Zoë", "Smith-Jones", "F", "")]
    )
    assert dict(public.given[("M", "")]) == {"william": 1}
    assert dict(public.given[("F", "")]) == {"zoe": 1}
    assert public.totals("family") == {"obrien": 1, "smith jones": 1}


def test_salted_filters_are_grouped_by_year_and_unsalted_tokens_are_not() -> None:
    records = [
        _record(str(i), "Amelia", "Smith", dt.date(2010 + i % 3, 1 + i % 12, 15), Sex.FEMALE)
        for i in range(12)
    ]
    view = _view(records)
    filters = salt_groups(view, view.filter_values("bf_given"))
    tokens = salt_groups(view, view.column("tok_given"))
    assert len(set(filters.tolist())) == 3  # one salt per year of birth
    assert set(tokens.tolist()) == {0}  # the same token in every year: not salted


def test_balancing_is_undone_by_pairing_complementary_positions() -> None:
    names = ["amelia", "oliver", "isla", "noah", "mia", "jack", "ava", "leo", "ivy", "harry"]
    records = [
        _record(
            f"{i}", names[i % 10], names[(i * 3) % 10], dt.date(2010 + i % 5, 2, 20), Sex.FEMALE
        )
        for i in range(200)
    ]
    view = _view(records)
    bits, present = base_bits(view)["bf_given"]
    stored, _ = view.filters("bf_given")
    # Every stored filter has 512 of 1,024 bits set; a base filter far fewer (short names).
    assert stored[present].sum(axis=1).tolist() == [512] * int(present.sum())
    assert bits.shape[1] <= 512
    assert bits[present].sum(axis=1).max() < 200


def test_the_day_of_birth_comes_from_the_date_tokens() -> None:
    # Day 5 of month 3: a transposed token exists; day 3 of month 3: none (day equals month).
    records = [
        _record("a", "Amelia", "Smith", dt.date(2014, 3, 5), Sex.FEMALE),
        _record("b", "Amelia", "Jones", dt.date(2012, 5, 5), Sex.FEMALE),
        _record("c", "Oliver", "Brown", dt.date(2013, 3, 3), Sex.MALE),
        _record("d", "Oliver", "Khan", dt.date(2011, 7, 3), Sex.MALE),
        _record("e", "Noah", "Khan", dt.date(2011, 7, 20), Sex.MALE),
    ]
    view = _view(records)
    found = dob_attack(view).dob.tolist()
    by_ref = dict(zip(view.record_ids.tolist(), found, strict=True))
    assert by_ref == {
        "a": "2014-03-05",
        "b": "2012-05-05",
        "c": "2013-03-03",
        "d": "2011-07-03",
        "e": None,  # day 20: one of days 13-28, which the tokens do not tell apart
    }
