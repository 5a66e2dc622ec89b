"""Scoring, the baseline, and the building blocks the attacks share, on small hand-made data."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from seen.attack import (
    CONTROL,
    SEEN_1,
    SEEN_2,
    Guesses,
    HubView,
    PublicNames,
    Truth,
    baseline,
    dob_attack,
    encode_variant,
    score,
)
from seen.attack.frequency import filter_salt_groups, salt_groups
from seen.attack.harness import BASELINE, COMBINED, DATES, run_attacks
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


def _groups(groups: np.ndarray, view: HubView) -> set[frozenset[str]]:
    """Which records share a group, as sets of record ids."""
    found: dict[int, set[str]] = {}
    for group, rid in zip(groups.tolist(), view.record_ids.tolist(), strict=True):
        found.setdefault(group, set()).add(rid)
    return {frozenset(ids) for ids in found.values()}


GIVEN = ["amelia", "oliver", "isla", "noah"]
FAMILY = ["smith", "jones", "khan"]


def _families() -> list[AgencyRecord]:
    """48 records: 4 given names x 3 family names x 2 years of birth, each twice."""
    return [
        _record(f"{i:02d}", GIVEN[i % 4], FAMILY[i % 3], _born(i), Sex.FEMALE) for i in range(48)
    ]


def _born(i: int) -> dt.date:
    return dt.date(2010 + i // 24, 1 + i % 12, 15)


def _expected(key: object) -> set[frozenset[str]]:
    found: dict[object, set[str]] = {}
    for i in range(48):
        found.setdefault(key(i), set()).add(f"{i:02d}")  # type: ignore[operator]
    return {frozenset(ids) for ids in found.values()}


def test_seen_encoding_2s_filters_are_grouped_by_year_and_the_other_name() -> None:
    view = _view(_families())
    by_family = _expected(lambda i: (_born(i).year, FAMILY[i % 3]))
    by_given = _expected(lambda i: (_born(i).year, GIVEN[i % 4]))
    assert _groups(filter_salt_groups(view, "bf_given"), view) == by_family
    assert _groups(filter_salt_groups(view, "bf_family"), view) == by_given
    # The name tokens are salted by year alone.
    by_year = _expected(lambda i: _born(i).year)
    assert _groups(salt_groups(view, view.column("tok_given")), view) == by_year


def test_seen_encoding_1s_filters_are_grouped_by_year_and_unsalted_ones_not_at_all() -> None:
    records = _families()
    for variant, groups in ((SEEN_1, 2), (CONTROL, 1)):
        view = HubView([encode_variant(records, KEY, variant)])
        assert len(_groups(filter_salt_groups(view, "bf_given"), view)) == groups
        assert len(_groups(filter_salt_groups(view, "bf_family"), view)) == groups
    view = HubView([encode_variant(records, KEY, SEEN_1)])
    assert len(_groups(salt_groups(view, view.column("tok_given")), view)) == 1  # unsalted


def test_balancing_is_undone_by_pairing_complementary_positions() -> None:
    names = ["amelia", "oliver", "isla", "noah", "mia", "jack", "ava", "leo", "ivy", "harry"]
    records = [
        _record(
            f"{i}", names[i % 10], names[(i * 3) % 10], dt.date(2010 + i % 5, 2, 20), Sex.FEMALE
        )
        for i in range(200)
    ]
    view = HubView([encode_variant(records, KEY, SEEN_2)])
    bits, present = base_bits(view)["bf_given"]
    stored, _ = view.filters("bf_given")
    # Every stored filter has 512 of 1,024 bits set; a base filter far fewer (short names).
    assert stored[present].sum(axis=1).tolist() == [512] * int(present.sum())
    assert bits.shape[1] <= 512
    assert bits[present].sum(axis=1).max() < 200


def test_fixed_weight_filters_have_no_complementary_positions_to_pair() -> None:
    names = ["amelia", "oliver", "isla", "noah", "mia", "jack", "ava", "leo", "ivy", "harry"]
    records = [
        _record(
            f"{i}", names[i % 10], names[(i * 3) % 10], dt.date(2010 + i % 5, 2, 20), Sex.FEMALE
        )
        for i in range(200)
    ]
    view = _view(records)
    bits, present = base_bits(view)["bf_given"]
    # Nothing to undo: every filter keeps its 128 set bits, whatever the name's length.
    assert bits[present].sum(axis=1).tolist() == [128] * int(present.sum())


def test_the_day_of_birth_comes_from_seen_encoding_1s_date_tokens() -> None:
    # Day 5 of month 3: a transposed token exists; day 3 of month 3: none (day equals month).
    records = [
        _record("a", "Amelia", "Smith", dt.date(2014, 3, 5), Sex.FEMALE),
        _record("b", "Amelia", "Jones", dt.date(2012, 5, 5), Sex.FEMALE),
        _record("c", "Oliver", "Brown", dt.date(2013, 3, 3), Sex.MALE),
        _record("d", "Oliver", "Khan", dt.date(2011, 7, 3), Sex.MALE),
        _record("e", "Noah", "Khan", dt.date(2011, 7, 20), Sex.MALE),
    ]
    view = HubView([encode_variant(records, KEY, SEEN_1)])
    found = dob_attack(view).dob.tolist()
    by_ref = dict(zip(view.record_ids.tolist(), found, strict=True))
    assert by_ref == {
        "a": "2014-03-05",
        "b": "2012-05-05",
        "c": "2013-03-03",
        "d": "2011-07-03",
        "e": None,  # day 20: one of days 13-28, which the tokens do not tell apart
    }


def _transposed_records() -> list[AgencyRecord]:
    return [
        # One child twice, day and month swapped: the two records meet.
        _record("a", "Amelia", "Smith", dt.date(2014, 3, 5), Sex.FEMALE),
        _record("b", "Amelia", "Smith", dt.date(2014, 5, 3), Sex.FEMALE),
        # Born the same day as a, with other names.
        _record("c", "Oliver", "Brown", dt.date(2014, 3, 5), Sex.MALE),
        # The same child as a, again (another agency's record).
        _record("h", "Amelia", "Smith", dt.date(2014, 3, 5), Sex.FEMALE),
        # Swapped dates but other names (other Soundex codes): no meeting.
        _record("d", "Noah", "Khan", dt.date(2011, 7, 3), Sex.MALE),
        _record("e", "Isla", "Jones", dt.date(2011, 3, 7), Sex.FEMALE),
        # Day equal to month, and a day over 12: never a meeting.
        _record("f", "Ivy", "Patel", dt.date(2012, 4, 4), Sex.FEMALE),
        _record("g", "Leo", "Patel", dt.date(2012, 4, 20), Sex.MALE),
    ]


def test_seen_encoding_2_gives_a_date_away_to_everyone_born_that_day() -> None:
    view = HubView([encode_variant(_transposed_records(), KEY, SEEN_2)])
    found = dob_attack(view).dob.tolist()
    by_ref = dict(zip(view.record_ids.tolist(), found, strict=True))
    assert by_ref == {
        "a": "2014-03-05",
        "b": "2014-05-03",
        "c": "2014-03-05",  # equal tok_dob: the date spreads to a stranger
        "h": "2014-03-05",
        "d": None,
        "e": None,
        "f": None,
        "g": None,
    }


def test_seen_encoding_3_gives_a_date_away_only_with_a_name() -> None:
    view = _view(_transposed_records())
    found = dob_attack(view).dob.tolist()
    by_ref = dict(zip(view.record_ids.tolist(), found, strict=True))
    assert by_ref == {
        "a": "2014-03-05",
        "b": "2014-05-03",
        "c": None,  # born the same day, other names: no date token in common
        "h": "2014-03-05",  # the same name and date: tok_given_dob and tok_family_dob equal
        "d": None,
        "e": None,
        "f": None,
        "g": None,
    }


def test_all_combined_takes_the_best_name_attack_and_the_dates() -> None:
    records = [
        _record("a", "Amelia", "Smith", dt.date(2014, 3, 5), Sex.FEMALE),
        _record("b", "Amelia", "Smith", dt.date(2014, 5, 3), Sex.FEMALE),
        _record("c", "Oliver", "Brown", dt.date(2013, 6, 20), Sex.MALE),
    ]
    view = _view(records)
    truth = Truth.from_records(view, records)
    public = PublicNames.from_people([("Olivia", "Jones", "F", ""), ("Noah", "Khan", "M", "")])

    def one_right(view: HubView, public: PublicNames) -> Guesses:
        nothing = _objects(None, None, None)
        return Guesses(_objects("amelia", None, None), _objects("smith", None, None), nothing)

    def two_right(view: HubView, public: PublicNames) -> Guesses:
        return Guesses(truth.given, truth.family, _objects(None, None, "2013-06-21"))

    attacks = {BASELINE: baseline, "one": one_right, "two": two_right, DATES: dob_attack_of}
    results = run_attacks(view, public, truth, attacks)
    assert [r.attack for r in results] == [BASELINE, "one", "two", DATES, COMBINED]
    combined = results[-1]
    assert combined.note == "two"
    # Its own wrong date of birth undoes record c; the date attack's dates for a and b hold.
    assert combined.score.reidentified == pytest.approx(2 / 3)
    assert combined.score.reidentified_with_dob == pytest.approx(2 / 3)


def dob_attack_of(view: HubView, public: PublicNames) -> Guesses:
    return dob_attack(view)
