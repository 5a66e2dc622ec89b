"""Dates as whole day numbers (proleptic Gregorian ordinals), so numpy can do the arithmetic.

`NO_DATE` (-1) marks a date not recorded; it formats as an empty string.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt

Days = npt.NDArray[np.int64]
NO_DATE = -1
YEAR = 365.25
_UNIX_EPOCH = dt.date(1970, 1, 1).toordinal()


def ordinal(date: dt.date) -> int:
    return date.toordinal()


def _datetime64(days: Days) -> npt.NDArray[np.datetime64]:
    return (days - _UNIX_EPOCH).astype("datetime64[D]")


def ymd(days: Days) -> tuple[Days, Days, Days]:
    """Year, month and day of each day number."""
    d64 = _datetime64(days)
    years = d64.astype("datetime64[Y]")
    months = d64.astype("datetime64[M]")
    year = years.astype(np.int64) + 1970
    month = (months - years.astype("datetime64[M]")).astype(np.int64) + 1
    day = (d64 - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


def from_ymd(year: Days, month: Days, day: Days) -> Days:
    """Day numbers of (year, month, day); a day past the month's end rolls into the next."""
    months = (year - 1970) * 12 + (month - 1)
    start = months.astype("datetime64[M]").astype("datetime64[D]")
    return (start.astype(np.int64) + day - 1 + _UNIX_EPOCH).astype(np.int64)


def add_years(days: Days, years: int | Days) -> Days:
    """The same calendar day `years` later (29 February rolls to 1 March)."""
    y, m, d = ymd(days)
    return from_ymd(y + years, m, d)


def age_on(dob: Days, on: int | Days) -> Days:
    """Age in whole years on the given day(s)."""
    y, m, d = ymd(dob)
    oy, om, od = ymd(np.asarray(on, dtype=np.int64).reshape(-1))
    if np.ndim(on) == 0:
        oy, om, od = oy[0], om[0], od[0]
    before = (om * 100 + od) < (m * 100 + d)
    return np.asarray(oy - y - before, dtype=np.int64)


class DayFormatter:
    """Formats day numbers as `YYYY-MM-DD` or `dd/mm/YYYY` through lookup tables."""

    def __init__(self, first: int, last: int) -> None:
        self.first = first
        days = np.arange(first, last + 1, dtype=np.int64)
        y, m, d = ymd(days)
        iso = [""] + [f"{a:04d}-{b:02d}-{c:02d}" for a, b, c in zip(y, m, d, strict=True)]
        uk = [""] + [f"{c:02d}/{b:02d}/{a:04d}" for a, b, c in zip(y, m, d, strict=True)]
        self._iso = np.array(iso, dtype=object)
        self._uk = np.array(uk, dtype=object)
        self._iso_list = iso
        self.last = last

    def _index(self, days: Days) -> npt.NDArray[np.int64]:
        days = np.asarray(days, dtype=np.int64)
        outside = (days != NO_DATE) & ((days < self.first) | (days > self.last))
        if outside.any():
            raise ValueError("a day number falls outside the formatter's range")
        return np.where(days == NO_DATE, 0, days - self.first + 1)

    def iso(self, days: Days) -> list[str]:
        return self._iso[self._index(days)].tolist()  # type: ignore[no-any-return]

    def uk(self, days: Days) -> list[str]:
        return self._uk[self._index(days)].tolist()  # type: ignore[no-any-return]

    def iso_day(self, day: int) -> str:
        """One day as YYYY-MM-DD ('' for NO_DATE)."""
        if day == NO_DATE:
            return ""
        if not self.first <= day <= self.last:
            raise ValueError("a day number falls outside the formatter's range")
        return self._iso_list[day - self.first + 1]


def census_days(start: dt.date, end: dt.date) -> list[int]:
    """School census days between two dates: the first Thursday of October (autumn), and the
    third Thursday of January (spring) and of May (summer)."""
    found: list[int] = []
    for year in range(start.year, end.year + 1):
        for month, nth in ((1, 3), (5, 3), (10, 1)):
            first = dt.date(year, month, 1)
            thursday = first + dt.timedelta(days=(3 - first.weekday()) % 7 + 7 * (nth - 1))
            if start <= thursday <= end:
                found.append(thursday.toordinal())
    return sorted(found)


def school_year_start(day: int) -> int:
    """The 31 August before the school year containing `day` (ages are taken on it)."""
    date = dt.date.fromordinal(day)
    year = date.year if date.month >= 9 else date.year - 1
    return dt.date(year, 8, 31).toordinal()
