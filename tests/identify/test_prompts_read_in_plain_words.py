"""A prompt in a reviewer's words: every indicator in the library has a plain name, values
carry their units, and a probability reads as a natural frequency that never claims
certainty and never runs backwards."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from seen.identify.indicators import LIBRARY
from seen.identify.words import LABELS, indicator_label, indicator_source, likelihood, value_words

_FREQUENCY = re.compile(r"^(fewer than 1 in 100|about (\d+) in (10|100))$")


def test_every_indicator_has_a_plain_name_and_an_old_one_keeps_its_own() -> None:
    assert set(LABELS) == {indicator.name for indicator in LIBRARY}
    assert indicator_label("absence_12m") == "School absence, last 12 months"
    assert indicator_label("retired_indicator") == "retired indicator"
    assert indicator_source("police_welfare_12m") == "Police"
    assert indicator_source("age_years") == ""


def test_values_carry_their_units() -> None:
    assert value_words("domestic_incidents_24m", 1.0) == "1 record"
    assert value_words("ed_attendances_12m", 3.0) == "3 records"
    assert value_words("absence_12m", 14.5) == "14.5% of sessions missed"
    assert value_words("absence_rise", 3.25) == "+3.25 percentage points"
    assert value_words("suspensions_12m", 1.0) == "1 suspension"
    assert value_words("persistent_absence_terms_12m", 2.0) == "2 terms"
    assert value_words("looked_after_now", 1.0) == "Yes"
    assert value_words("age_years", 13.4) == "13 years"


def test_examples_of_likelihood() -> None:
    assert likelihood(0.28) == "about 3 in 10"
    assert likelihood(0.133) == "about 13 in 100"
    assert likelihood(0.056) == "about 6 in 100"
    assert likelihood(0.001) == "fewer than 1 in 100"
    assert likelihood(0.999) == "about 9 in 10"


def _as_share(words: str) -> float:
    found = _FREQUENCY.match(words)
    assert found, words
    if found.group(2) is None:
        return 0.0
    return int(found.group(2)) / int(found.group(3))


@given(st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_likelihood_is_a_frequency_that_never_claims_certainty_or_runs_backwards(
    p: float, q: float
) -> None:
    low, high = sorted((p, q))
    assert 0.0 <= _as_share(likelihood(low)) <= _as_share(likelihood(high)) < 1.0
    assert abs(_as_share(likelihood(p)) - p) <= 0.1 or p > 0.95
