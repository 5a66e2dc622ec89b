"""Dates in the two layouts agencies write: dd/mm/YYYY and YYYY-MM-DD.

Parsed by hand rather than with `strptime` or `date.fromisoformat`: both accept more than the
documented layout (single-digit days, `20150327`).
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from functools import lru_cache


class DateFormat(Enum):
    DMY = "dd/mm/YYYY"
    ISO = "YYYY-MM-DD"

    def parse(self, text: str) -> dt.date | None:
        """The date written in this layout, or None if it is not one."""
        return _parse(self is DateFormat.DMY, text)

    def format(self, date: dt.date) -> str:
        if self is DateFormat.DMY:
            return f"{date.day:02d}/{date.month:02d}/{date.year:04d}"
        return date.isoformat()


# Extracts repeat the same dates (census days, birthdays) across many rows, so parse each once.
@lru_cache(maxsize=1 << 16)
def _parse(day_first: bool, text: str) -> dt.date | None:
    if len(text) != 10 or not text.isascii():
        return None
    if day_first:
        if text[2] != "/" or text[5] != "/":
            return None
        day, month, year = text[0:2], text[3:5], text[6:10]
    else:
        if text[4] != "-" or text[7] != "-":
            return None
        year, month, day = text[0:4], text[5:7], text[8:10]
    if not (day.isdigit() and month.isdigit() and year.isdigit()):
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
