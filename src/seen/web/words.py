"""Dates, times and durations as the pages write them (GOV.UK style: 2 February 2026, 9:05am),
and validation problems as the error summary lists them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from seen.domain.records import Problem

_UK: dt.tzinfo
try:
    from zoneinfo import ZoneInfo

    _UK = ZoneInfo("Europe/London")
except Exception:  # pragma: no cover - a system with no time zone data shows UTC
    _UK = dt.UTC


def day(value: dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone(_UK).date()
    return f"{value.day} {value:%B %Y}"


def when(value: dt.datetime | None) -> str:
    """A moment, in UK time: 2 November 2026 at 9:05am."""
    if value is None:
        return ""
    local = value.astimezone(_UK)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{day(local.date())} at {hour}:{local.minute:02d}{suffix}"


def how_long(delta: dt.timedelta | None) -> str:
    """A wait in the largest whole unit: 'less than a minute', '3 hours', '2 days'."""
    if delta is None:
        return ""
    seconds = max(int(delta.total_seconds()), 0)
    for size, unit in ((86_400, "day"), (3_600, "hour"), (60, "minute")):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return "less than a minute"


def error_list(problems: Iterable[Problem], anchors: Mapping[str, str]) -> list[dict[str, str]]:
    """The error summary's list: each problem's message, linking to its field's input."""
    return [
        {"text": problem.message, "href": "#" + anchors.get(problem.field, problem.field)}
        for problem in problems
    ]


def field_errors(errors: Iterable[Mapping[str, str]]) -> dict[str, dict[str, Any]]:
    """Each field's errorMessage, by the id the error summary links to."""
    found: dict[str, dict[str, Any]] = {}
    for error in errors:
        found.setdefault(error["href"].lstrip("#"), {"text": error["text"]})
    return found


FILTERS = {"day": day, "when": when, "how_long": how_long}
