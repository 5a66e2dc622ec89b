"""Problem and rejects reports as CSV files a data officer can open in a spreadsheet."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path, PureWindowsPath

from seen.domain.records import Problem
from seen.errors import InvalidInput
from seen.formats.extract import RejectedRow


def spreadsheet_safe(value: str) -> str:
    """A spreadsheet runs a cell that starts like a formula (CSV injection); a leading
    apostrophe keeps it text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def write_problems(path: Path, problems: Iterable[Problem]) -> None:
    """Every problem, one row each: file, location, field, message."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["file", "location", "field", "message"])
            for p in problems:
                writer.writerow(
                    [spreadsheet_safe(v) for v in (p.file, p.location, p.field, p.message)]
                )
    except OSError as error:
        raise InvalidInput(
            f"cannot write the problem report to {path}: {error.strerror}"
        ) from error


def write_rejects(path: Path, rejected: Iterable[RejectedRow]) -> None:
    """Every rejected row, one row each: file, location, record_id, reasons."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["file", "location", "record_id", "reasons"])
            for row in rejected:
                values = (row.file, row.location, row.record_id or "", "; ".join(row.reasons))
                writer.writerow([spreadsheet_safe(v) for v in values])
    except OSError as error:
        message = f"cannot write the rejects report to {path}: {error.strerror}"
        raise InvalidInput(message) from error


def tally(problems: Sequence[Problem]) -> list[tuple[str, str, int]]:
    """(file name, field, count), most common first: where the problems are, at a glance."""
    counts = Counter((PureWindowsPath(p.file).name, p.field) for p in problems)
    return [(file, field, n) for (file, field), n in counts.most_common()]
