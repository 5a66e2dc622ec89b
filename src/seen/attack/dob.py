"""The day of birth, from the structure of the date tokens (no frequencies needed).

The hub holds each record's month and year of birth in the clear (`birth_month`), and the
tokens `tok_dob_day` (one value per day of the month, 31 in all) and `tok_dob_transposed`
(null unless the day is 1-12 and differs from the month). So, for each value of `tok_dob_day`:

- if any of its records has a transposed token, its day is 1-12, and it is the month of the
  records whose transposed token is null (day equal to month: nothing to swap);
- otherwise its day is 13-31, and the months it never occurs with give it away: day 31 never
  falls in February, April, June, September or November, day 30 never in February, and day 29
  falls in February only in leap years. Days 13-28 cannot be told apart this way.

A day found this way, with the month and year the hub holds anyway, is an exact date of birth.
"""

from __future__ import annotations

import calendar
import math

import numpy as np

from seen.attack.guesses import Guesses
from seen.attack.matching import units_of
from seen.attack.view import HubView, missing

HIGH_DAYS = (29, 30, 31)
# Claim day 29, 30 or 31 only on this much evidence (log-odds against an ordinary day 13-28):
# a token that merely happens to lack a few months is not enough.
MIN_LOG_ODDS = math.log(1000)


def dob_attack(view: HubView) -> Guesses:
    """The exact date of birth of every record whose day of birth the date tokens give away."""
    day_units = units_of(view.column("tok_dob_day"))
    transposed = ~missing(view.column("tok_dob_transposed"))
    dated = (day_units >= 0) & (view.month > 0)
    years = np.array([int(y) if y else 0 for y in view.birth_year.tolist()], dtype=np.int64)
    n_units = int(day_units.max()) + 1 if dated.any() else 0
    day_of_unit: dict[int, int] = {}
    high: list[int] = []
    for unit in range(n_units):
        rows = dated & (day_units == unit)
        if not rows.any():
            continue
        if transposed[rows].any():
            same = np.unique(view.month[rows & ~transposed])
            if same.size == 1:
                day_of_unit[unit] = int(same[0])
        else:
            high.append(unit)
    # Each of days 29-31 goes to the high-day token its months fit best against a day 13-28.
    for day in HIGH_DAYS:
        best: int | None = None
        gain = MIN_LOG_ODDS
        for unit in high:
            if unit in day_of_unit:
                continue
            rows = dated & (day_units == unit)
            odds = _log_odds(day, view.month[rows], years[rows])
            if odds > gain:
                best, gain = unit, odds
        if best is not None:
            day_of_unit[best] = day
    guesses = Guesses.empty(view.size)
    for r in np.flatnonzero(dated):
        found = day_of_unit.get(int(day_units[r]))
        if found is not None:
            guesses.dob[r] = f"{view.birth_year[r]}-{view.month[r]:02d}-{found:02d}"
    return guesses


def _log_odds(day: int, months: np.ndarray, years: np.ndarray) -> float:
    """log P(these months and years | day) - log P(them | an ordinary day 13-28)."""
    total = 0.0
    for month, year in zip(months.tolist(), years.tolist(), strict=True):
        if day > calendar.monthrange(year or 2000, month)[1]:
            return -math.inf
        # An ordinary day falls in every month; `day` only in the months that have it.
        total += math.log(12 / _months_with(day))
    return total


def _months_with(day: int) -> float:
    """How many months of an average year have the day (29: February one year in four)."""
    if day <= 28:
        return 12.0
    return {29: 11.25, 30: 11.0, 31: 7.0}[day]
