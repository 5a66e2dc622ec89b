"""Checks of a package's two tables, hub side: column names and types, then every value.

Each check runs over a whole column at once (Arrow compute); only the rows that fail are
visited one by one, so a million-row package is checked in seconds. Messages name the column
and the row (row 1 is the first record) and never quote a value.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from seen.domain.demographics import DFE_ETHNICITY
from seen.domain.events import EventKind, event_problems
from seen.encode.problems import PackageProblems
from seen.encode.schema import (
    BLOOM_BYTES,
    BLOOM_COLUMNS,
    BLOOM_WEIGHT,
    EVENTS_MEMBER,
    EVENTS_SCHEMA,
    NEAR_ELEMENT_BYTES,
    NEAR_SIZES,
    RECORDS_MEMBER,
    RECORDS_SCHEMA,
    TOKEN_COLUMNS,
)

MAX_RECORD_ID_LENGTH = 64
_STRINGS = (pa.string(), pa.large_string())
_TOKEN = r"^[0-9a-f]{32}$"
_BIRTH_MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


class _TableCheck:
    """Problems in one member table, each with its row."""

    def __init__(self, problems: PackageProblems, member: str) -> None:
        self.problems = problems
        self.member = member
        self.found = 0

    def fail(self, row: int | None, column: str, message: str) -> None:
        self.found += 1
        where = self.member if row is None else f"{self.member} row {row + 1}"
        self.problems.add(where, column, message)

    def rows(self, bad: pa.ChunkedArray, column: str, message: str) -> None:
        """A problem for each row where `bad` is true (null counts as fine)."""
        mask = pc.fill_null(bad, False)
        if not pc.any(mask).as_py():
            return
        for row in np.flatnonzero(mask.to_numpy()):
            self.fail(int(row), column, message)

    def schema(self, table: pa.Table, expected: pa.Schema) -> pa.Table | None:
        """The table cast to the expected schema, or None after recording what is wrong."""
        before = self.found
        for name in table.column_names:
            if expected.get_field_index(name) < 0:
                self.fail(None, name, f"{name} is not a column of {self.member}")
        if len(set(table.column_names)) != len(table.column_names):
            self.fail(None, "", f"{self.member} has a column name twice")
        for field in expected:
            if field.name not in table.column_names:
                self.fail(None, field.name, f"the column {field.name} is missing")
                continue
            actual = table.schema.field(field.name).type
            if actual != field.type and not (field.type in _STRINGS and actual in _STRINGS):
                self.fail(None, field.name, f"{field.name} is {actual}; it must be {field.type}")
            elif not field.nullable and table.column(field.name).null_count:
                self.rows(
                    pc.is_null(table.column(field.name)), field.name, f"{field.name} is empty"
                )
        if self.found != before:
            return None
        return table.select(expected.names).cast(expected)


def check_records(
    table: pa.Table, problems: PackageProblems
) -> tuple[pa.Table | None, set[str] | None]:
    """The records table in the canonical schema (None if it has problems), and its ids (None
    when its columns could not be read)."""
    check = _TableCheck(problems, RECORDS_MEMBER)
    typed = check.schema(table, RECORDS_SCHEMA)
    if typed is None:
        return None, None
    ids = typed.column("record_id")
    lengths = pc.utf8_length(ids)
    check.rows(pc.equal(lengths, 0), "record_id", "record_id is empty")
    check.rows(
        pc.greater(lengths, MAX_RECORD_ID_LENGTH),
        "record_id",
        f"record_id is longer than {MAX_RECORD_ID_LENGTH} characters",
    )
    id_list = ids.to_pylist()
    first: dict[str, int] = {}
    for row, record_id in enumerate(id_list):
        earlier = first.setdefault(record_id, row)
        if earlier != row:
            check.fail(row, "record_id", f"record_id repeats the one in row {earlier + 1}")
    _not_in(check, typed.column("sex"), ["M", "F", "U"], "sex", "sex must be M, F or U")
    _not_in(
        check,
        typed.column("ethnicity"),
        list(DFE_ETHNICITY),
        "ethnicity",
        "ethnicity is not a DfE ethnicity code",
    )
    check.rows(
        pc.invert(pc.match_substring_regex(typed.column("birth_month"), _BIRTH_MONTH)),
        "birth_month",
        "birth_month must be written YYYY-MM",
    )
    decile = typed.column("deprivation_decile")
    check.rows(
        pc.or_(pc.less(decile, 1), pc.greater(decile, 10)),
        "deprivation_decile",
        "deprivation_decile runs from 1 to 10",
    )
    for name in TOKEN_COLUMNS:
        check.rows(
            pc.invert(pc.match_substring_regex(typed.column(name), _TOKEN)),
            name,
            f"{name} is not a token (32 lower-case hexadecimal characters)",
        )
    for name in BLOOM_COLUMNS:
        _fixed_weight(check, name, typed.column(name))
    for name, size in NEAR_SIZES.items():
        _sorted_elements(check, name, typed.column(name), size)
    return (None if check.found else typed), set(id_list)


def check_events(
    table: pa.Table, record_ids: set[str] | None, problems: PackageProblems
) -> pa.Table | None:
    """The events table in the canonical schema, or None if it has problems. Events are matched
    to records only when the records' ids could be read."""
    check = _TableCheck(problems, EVENTS_MEMBER)
    typed = check.schema(table, EVENTS_SCHEMA)
    if typed is None:
        return None
    if record_ids is not None:
        _not_in(
            check,
            typed.column("record_id"),
            sorted(record_ids),
            "record_id",
            "this event's record_id is not one of the package's records",
        )
    check.rows(
        pc.less(typed.column("end"), typed.column("start")),
        "end",
        "the event ends before it starts",
    )
    check.rows(
        pc.invert(pc.is_finite(typed.column("value"))), "value", "value must be a finite number"
    )
    verdicts: dict[tuple[str, str | None, str | None], list[tuple[str, str]]] = {}
    combinations = zip(
        typed.column("kind").to_pylist(),
        typed.column("code").to_pylist(),
        typed.column("qualifier").to_pylist(),
        strict=True,
    )
    for row, combination in enumerate(combinations):
        found = verdicts.get(combination)
        if found is None:
            found = verdicts[combination] = _code_problems(*combination)
        for column, message in found:
            check.fail(row, column, message)
    return None if check.found else typed


def _not_in(
    check: _TableCheck, column: pa.ChunkedArray, allowed: list[str], name: str, message: str
) -> None:
    # is_in gives false, not null, for a null: nulls are allowed, so leave them out.
    outside = pc.invert(pc.is_in(column, pa.array(allowed, pa.string())))
    check.rows(pc.and_(pc.is_valid(column), outside), name, message)


def _code_problems(kind: str, code: str | None, qualifier: str | None) -> list[tuple[str, str]]:
    try:
        event_kind = EventKind(kind)
    except ValueError:
        return [("kind", "kind is not one of the event kinds of seen.domain.events")]
    # Any start date does: dates are checked on their own, over the whole column.
    return event_problems(event_kind, dt.date(2000, 1, 1), None, code, qualifier)


def _fixed_weight(check: _TableCheck, name: str, column: pa.ChunkedArray) -> None:
    """Every filter present has exactly 128 of its 1,024 bits set."""
    offset = 0
    for chunk in column.chunks:
        if len(chunk) > chunk.null_count:
            data = np.frombuffer(chunk.buffers()[1], dtype=np.uint8)
            start = chunk.offset * BLOOM_BYTES
            rows = data[start : start + len(chunk) * BLOOM_BYTES].reshape(len(chunk), BLOOM_BYTES)
            bits = np.bitwise_count(rows).sum(axis=1, dtype=np.int64)
            valid = chunk.is_valid().to_numpy(zero_copy_only=False)
            for row in np.flatnonzero(valid & (bits != BLOOM_WEIGHT)):
                check.fail(
                    offset + int(row),
                    name,
                    f"{name} is not a fixed-weight filter: {int(bits[row])} of its bits are "
                    f"set, not {BLOOM_WEIGHT}",
                )
        offset += len(chunk)


def _sorted_elements(check: _TableCheck, name: str, column: pa.ChunkedArray, size: int) -> None:
    """Every near set present holds its elements in increasing order, none twice (as the
    encoder writes them: a set in another order, or with a repeated element, is not one)."""
    offset = 0
    width = size * NEAR_ELEMENT_BYTES
    for chunk in column.chunks:
        if len(chunk) > chunk.null_count:
            data = np.frombuffer(chunk.buffers()[1], dtype=np.uint8)
            start = chunk.offset * width
            rows = data[start : start + len(chunk) * width].reshape(len(chunk), width)
            elements = rows.copy().view(">u8").reshape(len(chunk), size)
            increasing = (elements[:, 1:] > elements[:, :-1]).all(axis=1)
            valid = chunk.is_valid().to_numpy(zero_copy_only=False)
            for row in np.flatnonzero(valid & ~increasing):
                check.fail(
                    offset + int(row),
                    name,
                    f"{name} is not a near set: its {size} elements are not in increasing order",
                )
        offset += len(chunk)
