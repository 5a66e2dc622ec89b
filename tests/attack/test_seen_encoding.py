"""Seen's encoding, seen-encoding-4, against the issue's target: at most 1% of records
re-identified, and at most 1% given away their exact date of birth, by an attacker who holds
the packages and a public name-frequency list, but not the key.

Where an encoding missed the target the test was marked `xfail(strict=True)` with what was
measured (docs/threat-model.md, "Linkage: an honest-but-curious hub"); seen-encoding-3 met
it in every test here, and seen-encoding-4 (one more token, the names with the postcode and no
year) does too, so none is. `bench/attack.py` measures the same attacks on ~46,000
records, where most rates are higher.
"""

from __future__ import annotations

import numpy as np
import pytest

from attack.experiment import (
    Results,
    date_of_birth,
    patterns,
    patterns_with_tokens,
    token_lengths,
    tokens_through_names_postcode,
)
from seen.attack import (
    SEEN,
    bloom_frequency_attack,
    names_postcode_frequency_attack,
    token_frequency_attack,
)
from seen.attack.dob import transposed_meetings
from seen.attack.frequency import merged_through
from seen.attack.harness import DATES, all_combined
from seen.attack.view import missing

TARGET = 0.01


def test_the_attacks_on_the_names_with_the_postcode_meet_the_target(results: Results) -> None:
    # tok_names_postcode has no year, but a value is one child at one address: its counts
    # are how many agencies hold the child, not how common the names are, and it joins two
    # years' name tokens only for a child with a typo in the year (or namesakes at one
    # address). On every agency's package too, where a child's values repeat.
    for hub in (False, True):
        alone = results.score(SEEN, names_postcode_frequency_attack, hub=hub)
        merged = results.score(SEEN, tokens_through_names_postcode, hub=hub)
        assert alone.reidentified <= TARGET
        assert merged.reidentified <= TARGET
    # Worst case, the attacker knowing the partnership's exact name counts: token frequency
    # alone misses the target there (1.5%, as on seen-encoding-2 and -3); the merging adds
    # next to nothing to it.
    exact = results.score(SEEN, tokens_through_names_postcode, "exact")
    plain = results.score(SEEN, token_frequency_attack, "exact")
    assert exact.reidentified <= plain.reidentified + 0.001


def test_the_names_with_the_postcode_rarely_join_two_years_name_tokens(results: Results) -> None:
    view = results.view(SEEN, hub=True)
    for token in ("tok_given", "tok_family"):
        values = view.column(token)
        merged = merged_through(values, view.column("tok_names_postcode"))
        present = ~missing(values)
        before = len(set(values[present].tolist()))
        after = len(set(merged[present].tolist()))
        # Some are joined (a child with a typo in the year, or namesakes at one address):
        # 34 of 1,514 given-name values here (2.2%). The attacks above gain nothing by it.
        assert after < before
        assert before - after <= 0.05 * before


def test_frequency_attacks_meet_the_target(results: Results) -> None:
    # The name tokens are salted by year of birth, the filters by year and the other name: the
    # counts are per year (token) or per family (filter). 0.1% and 0.3% here.
    assert results.score(SEEN, token_frequency_attack).reidentified <= TARGET
    assert results.score(SEEN, bloom_frequency_attack).reidentified <= TARGET


@pytest.mark.slow
def test_pattern_mining_meets_the_target(results: Results) -> None:
    # A salt group is the records of one family name (or given name) born in one year: far
    # too few distinct filters to mine, so the attack claims next to nothing.
    alone = results.score(SEEN, patterns)
    pooled = results.score(SEEN, patterns_with_tokens)
    assert alone.reidentified <= TARGET
    assert pooled.reidentified <= TARGET


def test_token_frequency_with_name_lengths_meets_the_target(results: Results) -> None:
    # Every filter has 128 bits set: there is no length to read (seen-encoding-2's balanced
    # filters gave it away: 3.5% here, 9.7% of 45,760 records in bench/attack.py).
    assert results.score(SEEN, token_lengths).reidentified <= TARGET


def test_fixed_weight_filters_show_no_name_length(results: Results) -> None:
    view = results.view(SEEN)
    for column in ("bf_given", "bf_middle", "bf_family"):
        bits, present = view.filters(column)
        assert present.any()
        assert set(bits[present].sum(axis=1).tolist()) == {128}
    assert results.guesses(SEEN, token_lengths).given.tolist() == (
        results.guesses(SEEN, token_frequency_attack).given.tolist()
    )


@pytest.mark.slow
def test_all_attacks_combined_meet_the_target(results: Results) -> None:
    attacks = (
        token_frequency_attack,
        token_lengths,
        names_postcode_frequency_attack,
        tokens_through_names_postcode,
        bloom_frequency_attack,
        patterns,
    )
    guesses = {attack.__name__: results.guesses(SEEN, attack) for attack in attacks}
    guesses[DATES] = results.guesses(SEEN, date_of_birth)
    combined = all_combined(guesses, results.truth(SEEN))
    assert combined is not None
    assert combined.score.reidentified <= TARGET


def _meetings(results: Results) -> int:
    """Records whose tok_dob_transposed meets another's tok_soundex_dob, or the other way."""
    view = results.view(SEEN, hub=True)
    dated = (view.month > 0) & ~missing(view.column("tok_dob_year"))
    return int((transposed_meetings(view, dated) > 0).sum())


def test_transposed_dates_meet_rarely(results: Results) -> None:
    # tok_dob_day is gone and tok_dob_transposed is present for every dated record: only a pair
    # of records with day and month transposed and the same Soundex codes meet (in practice one
    # child's records with a keying slip), 29 of 4,687 records in every agency's package here
    # (0.6%; 0.7% at 40,000 children). Each meeting gives both exact dates away.
    assert _meetings(results) <= TARGET * results.view(SEEN, hub=True).size


def test_a_date_the_hub_learns_goes_only_to_records_with_the_same_name_and_date(
    results: Results,
) -> None:
    # No token holds the date alone: a date learnt from a transposed pair reaches only records
    # with an equal tok_given_dob or tok_family_dob (in practice the same child's records in
    # other agencies), not everyone born that day as seen-encoding-2's tok_dob did (29 records
    # met and 39, 0.8%, lost their date here; 6,649 of 93,071, 7.1%, at 40,000 children).
    view = results.view(SEEN, hub=True)
    learnt = ~missing(results.guesses(SEEN, date_of_birth, hub=True).dob)
    assert learnt.mean() <= TARGET
    dated = (view.month > 0) & ~missing(view.column("tok_dob_year"))
    met = transposed_meetings(view, dated) > 0
    assert met.any() and not (met & ~learnt).any()
    # Beyond the records that met, fewer than one record per meeting: the child's others.
    assert int((learnt & ~met).sum()) <= int(met.sum())


def test_every_date_of_birth_the_date_attack_claims_is_right(results: Results) -> None:
    guesses = results.guesses(SEEN, date_of_birth, hub=True)
    truth = results.truth(SEEN, hub=True)
    claimed = ~missing(guesses.dob)
    assert claimed.any()  # the attack does find the transposed pairs
    assert (guesses.dob[claimed] == truth.dob[claimed]).all()


def test_no_date_token_is_null_for_some_days_only(results: Results) -> None:
    view = results.view(SEEN)
    assert not view.has("tok_dob_day")
    # tok_dob_transposed is null exactly where tok_soundex_dob is: its nulls say nothing of
    # the day (in seen-encoding-1 they marked the days 13-31 and the day equal to the month).
    transposed = missing(view.column("tok_dob_transposed"))
    assert np.array_equal(transposed, missing(view.column("tok_soundex_dob")))
    assert (~transposed).mean() > 0.9
