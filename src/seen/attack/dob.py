"""The exact date of birth, from the structure of the date tokens (no frequencies needed).

The hub holds each record's month and year of birth in the clear (`birth_month`), so the day
is all it lacks. The date tokens give it away in three ways:

1. **Transposed dates that meet.** `tok_dob_transposed` is computed as a value of another date
   column, so that linkage can compare it with that column of another record: of
   `tok_soundex_dob` in seen-encoding-2 (Soundex codes of both names, and the date with day and
   month swapped), of `tok_dob` in seen-encoding-1 (the swapped date alone). When record a's
   transposed token equals record b's date token, b was born in a's year on a's date with day
   and month swapped: a's day is b's month and b's day is a's month, both in the clear. The
   attack tries every date column, so it needs no inside knowledge of which one it is.
2. **The day token** (seen-encoding-1 only; seen-encoding-2 dropped it): `tok_dob_day` has one
   value per day of the month. A value whose records sometimes carry `tok_dob_transposed` is a
   day 1-12, and it is the month of its records whose transposed token is null (a day equal to
   its month has nothing to swap); a value never with a transposed token is a day 13-31, and
   the months it never occurs with single out days 29, 30 and 31 (day 31 never falls in
   February, April, June, September or November, day 30 never in February, day 29 in February
   only in leap years). Days 13-28 cannot be told apart this way. A value whose day step 1
   found for one of its records is that day for all of them.
3. **Equal date tokens.** Every record whose `tok_dob` equals that of a record whose date the
   hub has learnt was born on the same date: one meeting gives away a whole date's records
   (seen-encoding-1 and -2). seen-encoding-3 has no date token without a name or the postcode:
   a date spreads through `tok_given_dob`, `tok_family_dob`, `tok_postcode_dob` (and
   `tok_soundex_dob`, `tok_name_sex_dob`) only to records with the same name (or postcode) and
   date, and again from those, until nothing changes.

A day found this way, with the month and year the hub holds anyway, is an exact date of birth.
"""

from __future__ import annotations

import calendar
import math

import numpy as np
import numpy.typing as npt

from seen.attack.guesses import Guesses
from seen.attack.matching import units_of
from seen.attack.view import HubView, Objects, missing

Ints = npt.NDArray[np.int64]

# Token columns whose values are computed from the date of birth (and names): the transposed
# token is a value of one of them.
DATE_COLUMNS = (
    "tok_dob",
    "tok_given_dob",
    "tok_family_dob",
    "tok_postcode_dob",
    "tok_soundex_dob",
    "tok_name_sex_dob",
)
# Columns whose values can be equal to each other's: tok_given_dob and tok_family_dob are values
# of one field (a given name equal to a family name, as when the two are swapped).
SPREAD_GROUPS = (
    ("tok_dob",),
    ("tok_given_dob", "tok_family_dob"),
    ("tok_postcode_dob",),
    ("tok_soundex_dob",),
    ("tok_name_sex_dob",),
)
HIGH_DAYS = (29, 30, 31)
# Claim day 29, 30 or 31 only on this much evidence (log-odds against an ordinary day 13-28):
# a token that merely happens to lack a few months is not enough.
MIN_LOG_ODDS = math.log(1000)


def dob_attack(view: HubView) -> Guesses:
    """The exact date of birth of every record whose day of birth the date tokens give away."""
    dated = (view.month > 0) & ~missing(view.column("tok_dob_year"))
    day = transposed_meetings(view, dated)
    if view.has("tok_dob_day"):
        day = _from_day_token(view, dated, day)
    groups = [[view.column(c) for c in group if view.has(c)] for group in SPREAD_GROUPS]
    while True:  # a date found through one token spreads through the others too
        before = day
        for columns in groups:
            if columns:
                day = _spread(columns, dated, day)
        if np.array_equal(before, day):
            break
    guesses = Guesses.empty(view.size)
    for r in np.flatnonzero(day > 0).tolist():
        guesses.dob[r] = f"{view.birth_year[r]}-{view.month[r]:02d}-{day[r]:02d}"
    return guesses


def transposed_meetings(view: HubView, dated: npt.NDArray[np.bool_]) -> Ints:
    """The day of birth (0: unknown) of every record in a pair whose dates are transposed."""
    day = np.zeros(view.size, dtype=np.int64)
    conflict = np.zeros(view.size, dtype=np.bool_)
    transposed = view.column("tok_dob_transposed").tolist()
    month = view.month
    for column in [c for c in DATE_COLUMNS if view.has(c)]:
        rows_of: dict[object, list[int]] = {}
        for r, value in enumerate(view.column(column).tolist()):
            if value is not None and dated[r]:
                rows_of.setdefault(value, []).append(r)
        for a, value in enumerate(transposed):
            if value is None or not dated[a]:
                continue
            for b in rows_of.get(value, ()):
                if b == a or view.birth_year[b] != view.birth_year[a]:
                    continue
                for row, found in ((a, int(month[b])), (b, int(month[a]))):
                    if day[row] and day[row] != found:
                        conflict[row] = True
                    day[row] = found
    day[conflict] = 0
    return day


def _spread(columns: list[Objects], dated: npt.NDArray[np.bool_], day: Ints) -> Ints:
    """Each day found, given to every dated record that holds one of its record's values in
    any of `columns` (values of one field), when the days those values carry agree."""
    days_of: dict[object, set[int]] = {}
    for r in np.flatnonzero(dated & (day > 0)).tolist():
        for values in columns:
            if values[r] is not None:
                days_of.setdefault(values[r], set()).add(int(day[r]))
    found = day.copy()
    for r in np.flatnonzero(dated & (day == 0)).tolist():
        days: set[int] = set()
        for values in columns:
            days |= days_of.get(values[r], set()) if values[r] is not None else set()
        if len(days) == 1:
            found[r] = next(iter(days))
    return found


def _from_day_token(view: HubView, dated: npt.NDArray[np.bool_], known: Ints) -> Ints:
    """seen-encoding-1's `tok_dob_day`, read with the nulls of `tok_dob_transposed`."""
    day_units = units_of(view.column("tok_dob_day"))
    transposed = ~missing(view.column("tok_dob_transposed"))
    dated = dated & (day_units >= 0)
    years = np.array([int(y) if y else 0 for y in view.birth_year.tolist()], dtype=np.int64)
    n_units = int(day_units.max()) + 1 if dated.any() else 0
    day_of_unit: dict[int, int] = {}
    high: list[int] = []
    for unit in range(n_units):
        rows = dated & (day_units == unit)
        if not rows.any():
            continue
        seen = np.unique(known[rows & (known > 0)])
        if seen.size == 1:
            day_of_unit[unit] = int(seen[0])
        elif transposed[rows].any():
            same = np.unique(view.month[rows & ~transposed])
            if same.size == 1:
                day_of_unit[unit] = int(same[0])
        else:
            high.append(unit)
    # Each of days 29-31 goes to the high-day token its months fit best against a day 13-28.
    for d in HIGH_DAYS:
        best: int | None = None
        gain = MIN_LOG_ODDS
        for unit in high:
            if unit in day_of_unit:
                continue
            rows = dated & (day_units == unit)
            odds = _log_odds(d, view.month[rows], years[rows])
            if odds > gain:
                best, gain = unit, odds
        if best is not None:
            day_of_unit[best] = d
    found = known.copy()
    for r in np.flatnonzero(dated & (known == 0)).tolist():
        found[r] = day_of_unit.get(int(day_units[r]), 0)
    return found


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
