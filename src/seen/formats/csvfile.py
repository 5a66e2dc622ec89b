"""Opening agency files safely: a first look at the bytes, then CSV rows one at a time.

The first look reads one bounded chunk, so a binary or garbage file (even 50 MB of it) is
turned away after 64 KiB. Rows are decoded with `surrogateescape`: a row holding bytes that
are not UTF-8 is reported and rejected on its own, and the rest of the file is still read.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SNIFF_BYTES = 64 * 1024
# Rows the csv module cannot split at all (usually a quote mark without its pair): past this
# many, the file is not worth reading further.
MAX_UNREADABLE_ROWS = 100


@dataclass(frozen=True, slots=True)
class FirstLook:
    """What the first bytes of a file say it is: "csv" (with its header), "xml", or a problem."""

    kind: str | None  # "csv", "xml", or None when `problem` says why neither
    problem: str | None = None
    header: tuple[str, ...] = ()
    location: str = "file"  # where the problem is


def first_look(path: Path) -> FirstLook:
    with path.open("rb") as handle:
        chunk = handle.read(SNIFF_BYTES)
    if not chunk:
        return FirstLook(None, "the file is empty")
    if chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return FirstLook(None, "the file is saved as UTF-16; save it as UTF-8 and read it again")
    if b"\x00" in chunk:
        return FirstLook(
            None,
            "the file contains NUL bytes, so it is not a text (CSV or XML) file: check that "
            "this is the extract you meant",
        )
    body = chunk.removeprefix(codecs.BOM_UTF8)
    if not body.strip():
        return FirstLook(None, "the file holds nothing but blank space")
    if body.lstrip().startswith(b"<"):
        return FirstLook("xml")
    line, newline, _ = body.partition(b"\n")
    if not newline and len(chunk) == SNIFF_BYTES:
        return FirstLook(
            None,
            f"the first line is longer than {SNIFF_BYTES // 1024} KiB, so it is not a CSV "
            "header row",
        )
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as error:
        return FirstLook(None, _not_utf8(1, line[error.start]), location="row 1")
    try:
        cells = next(csv.reader([text.rstrip("\r")]), [])
    except csv.Error:
        # A carriage return alone inside the line (NUL bytes were refused above).
        return FirstLook(
            None,
            "row 1 has a line break inside a field that is not quoted, so it is not a CSV "
            "header row",
            location="row 1",
        )
    return FirstLook("csv", header=tuple(cell.strip() for cell in cells))


def _not_utf8(row: int, byte: int) -> str:
    # Name the byte, not the text around it: that text may be a child's name.
    return (
        f"row {row} is not valid UTF-8 (byte 0x{byte:02X}, which looks like Latin-1 or "
        "Windows-1252 text): save the file as UTF-8 and read it again"
    )


def iter_rows(path: Path) -> Iterator[tuple[int, list[str] | str]]:
    """Data rows as (row number, values), or (row number, why it could not be split).

    Row numbers count the header as row 1 and blank lines as rows, as a spreadsheet shows them.
    """
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")
        reader = csv.reader(text)
        number = 0
        unreadable = 0
        while True:
            number += 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                unreadable += 1
                if unreadable > MAX_UNREADABLE_ROWS:
                    yield (
                        number,
                        (
                            f"stopped reading: more than {MAX_UNREADABLE_ROWS} rows could not be "
                            "split into values"
                        ),
                    )
                    return
                yield number, _csv_error(error)
                continue
            if number > 1:
                yield number, values


def _csv_error(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return (
            f"a value is longer than {csv.field_size_limit():,} characters (is a quote mark "
            "missing its pair?)"
        )
    return f"the row could not be split into values ({error})"


def text_problem(values: list[str], columns: tuple[str, ...], row: int) -> tuple[str, str] | None:
    """(column, message) for the first value that is not clean text, or None."""
    if "".join(values).isprintable():
        return None
    for index, value in enumerate(values):
        if value.isprintable():
            continue
        column = columns[index] if index < len(columns) else f"column {index + 1}"
        undecodable = [char for char in value if "\udc80" <= char <= "\udcff"]
        if undecodable:
            # surrogateescape keeps each undecodable byte as U+DC80..U+DCFF
            return column, _not_utf8(row, ord(undecodable[0]) - 0xDC00)
        for char in value:
            if unicodedata.category(char) == "Cc":
                return column, (
                    f"{column} contains a control character (U+{ord(char):04X}); values must "
                    "not hold line breaks, tabs or other control characters"
                )
    return None
