"""The attacks are real: where a protection is missing they do re-identify records.

Without this, a low re-identification rate on Seen's encoding would prove nothing (a weak
attack fails everywhere). Each control takes one protection away, or hands the attacker more
knowledge, and the same attack code must then succeed by a wide margin.
"""

from __future__ import annotations

import pytest

from attack.experiment import Results, date_of_birth, patterns, patterns_with_tokens
from seen.attack import (
    CONTROL,
    SEEN,
    UNSALTED,
    bloom_frequency_attack,
    token_frequency_attack,
)
from seen.attack.view import missing

pytestmark = pytest.mark.slow


def test_pattern_mining_reidentifies_most_records_in_unsalted_filters(results: Results) -> None:
    found = results.score(CONTROL, patterns)
    assert found.reidentified >= 0.5
    assert found.given >= 0.8


def test_balancing_alone_does_not_stop_pattern_mining(results: Results) -> None:
    # Balanced but unsalted: the complement of each base bit is found by its exact opposite
    # column, the balancing undone, and the attack goes on as against the control.
    found = results.score(UNSALTED, patterns)
    assert found.reidentified >= 0.5


def test_frequency_attacks_succeed_when_name_counts_are_known_exactly(results: Results) -> None:
    # The attacker knows how many children in the partnership have each name: equal tokens, and
    # equal unsalted filters, then give the commonest names away.
    tokens = results.score(SEEN, token_frequency_attack, "exact")
    unsalted = results.score(CONTROL, bloom_frequency_attack, "exact")
    salted = results.score(SEEN, bloom_frequency_attack, "exact")
    assert tokens.reidentified >= 0.15
    assert unsalted.reidentified >= 0.15
    # Salting the filters by year of birth is what stops this one: counts split 18 ways.
    assert salted.reidentified <= unsalted.reidentified / 5


def test_every_date_of_birth_the_date_attack_claims_is_right(results: Results) -> None:
    guesses = results.guesses(SEEN, date_of_birth)
    truth = results.truth(SEEN)
    claimed = ~missing(guesses.dob)
    assert claimed.mean() >= 0.3
    assert (guesses.dob[claimed] == truth.dob[claimed]).all()


def test_tying_filters_together_by_token_adds_nothing_when_filters_are_unsalted(
    results: Results,
) -> None:
    alone = results.score(CONTROL, patterns)
    pooled = results.score(CONTROL, patterns_with_tokens)
    assert pooled.reidentified == pytest.approx(alone.reidentified, abs=0.02)
