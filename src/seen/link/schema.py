"""The encoded records table as the hub reads it (docs/encoding.md, `seen-encoding-5`),
the Source a linkage run takes, and validation that reports every problem at once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from seen.domain.encoding import (
    BLOOM_BYTES,
    BLOOM_COLUMNS,
    BLOOM_WEIGHT,
    NEAR_ELEMENT_BYTES,
    NEAR_SIZES,
    TOKEN_COLUMNS,
)
from seen.domain.records import Problem
from seen.errors import InvalidInput

BLOOM_BITS: Final = 8 * BLOOM_BYTES
BLOOM_SET_BITS: Final = BLOOM_WEIGHT  # seen-encoding-3 filters have fixed weight: 128 set

_TOKEN_PATTERN: Final = "^[0-9a-f]{32}$"


@dataclass(frozen=True)
class Source:
    """One agency package's encoded records table.

    `duplicate_free` is the agency's promise that it holds at most one record per person;
    linkage then never compares two of its records and never puts two in one person.
    """

    name: str
    records: pa.Table
    duplicate_free: bool = False


def validate_sources(sources: Sequence[Source]) -> None:
    """Check every source against the column contract; raise once with every problem."""
    check = SourceCheck()
    for _ in check.passing(sources):
        pass
    check.raise_if_any()


@dataclass
class SourceCheck:
    """Checks sources one at a time, as a run reads them, and raises once at the end with
    every problem. A caller may so hand its sources over one by one (a generator reading
    each from disk), and a run holds one source's table at a time: at a million records,
    tables held beside the engine's own copy were a third of a run's peak memory."""

    problems: list[Problem] = field(default_factory=list)
    duplicate_free: dict[str, bool] = field(default_factory=dict)  # by name, once read

    def passing(self, sources: Iterable[Source]) -> Iterator[Source]:
        """The sources that pass; the problems of those that do not are kept."""
        for source in sources:
            found = source_problems(source)
            if source.name in self.duplicate_free:
                found.append(Problem(source.name, "sources", "name", "two sources have this name"))
            self.duplicate_free.setdefault(source.name, source.duplicate_free)
            self.problems.extend(found)
            if not found:
                yield source
            del source  # not held while the next is read

    def raise_if_any(self) -> None:
        if self.problems:
            raise InvalidInput(
                f"{len(self.problems)} problem(s) in the encoded records to link", self.problems
            )


def source_problems(source: Source) -> list[Problem]:
    table, name = source.records, source.name or "(unnamed source)"
    problems: list[Problem] = []

    def add(field: str, message: str, location: str = "records") -> None:
        problems.append(Problem(name, location, field, message))

    if not source.name:
        add("name", "a source needs a name")
    columns = set(table.column_names)
    if "record_id" not in columns:
        add("record_id", "the column is missing")
    else:
        ids = table.column("record_id")
        if not (pa.types.is_string(ids.type) or pa.types.is_large_string(ids.type)):
            add("record_id", f"must be text, found {ids.type}")
        elif ids.null_count:
            add("record_id", f"{ids.null_count} record(s) have no record_id")
        elif pc.count_distinct(ids).as_py() != len(ids):
            add("record_id", "record_id values are not unique")
    for column in TOKEN_COLUMNS:
        if column not in columns:
            add(column, "the column is missing")
            continue
        values = table.column(column)
        if pa.types.is_null(values.type):
            continue
        if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
            add(column, f"must be text (32 hex characters), found {values.type}")
            continue
        if len(values) - values.null_count == 0:
            continue
        bad = pc.sum(pc.invert(pc.match_substring_regex(values, _TOKEN_PATTERN))).as_py()
        if bad:
            add(column, f"{bad} value(s) are not 32 lower-case hex characters")
    for column in BLOOM_COLUMNS:
        if column not in columns:
            add(column, "the column is missing")
            continue
        message = _bloom_problem(table.column(column))
        if message:
            add(column, message)
    for column, size in NEAR_SIZES.items():
        if column not in columns:
            add(column, "the column is missing")
            continue
        message = _near_problem(table.column(column), size)
        if message:
            add(column, message)
    return problems


def _near_problem(column: pa.ChunkedArray, size: int) -> str | None:
    if pa.types.is_null(column.type):
        return None
    width = size * NEAR_ELEMENT_BYTES
    if not (
        pa.types.is_binary(column.type)
        or pa.types.is_large_binary(column.type)
        or pa.types.is_fixed_size_binary(column.type)
    ):
        return f"must be binary ({width} bytes), found {column.type}"
    present = column.drop_null()
    if len(present) == 0:
        return None
    if pa.types.is_fixed_size_binary(column.type):
        wrong_size = 0 if column.type.byte_width == width else len(present)
    else:
        wrong_size = pc.sum(pc.not_equal(pc.binary_length(present), width)).as_py()
    if wrong_size:
        return f"{wrong_size} near set(s) are not {width} bytes long"
    elements = near_elements(present, size).view(np.uint64)
    unordered = int(np.count_nonzero(~(elements[:, 1:] > elements[:, :-1]).all(axis=1)))
    if unordered:
        return f"{unordered} near set(s) do not hold {size} elements in increasing order"
    return None


def near_elements(present: pa.ChunkedArray | pa.Array, size: int) -> np.ndarray:
    """Non-null near sets as an (n, size) array of int64: each element's 8 bytes read
    big-endian (so the stored order is increasing as unsigned), then seen as signed, the form
    both engines hold (DuckDB's and Spark's BIGINT)."""
    width = size * NEAR_ELEMENT_BYTES
    fixed = present.cast(pa.binary(width))
    if isinstance(fixed, pa.ChunkedArray):
        fixed = fixed.combine_chunks()
    buffer = fixed.buffers()[1]
    assert buffer is not None
    data = np.frombuffer(buffer, dtype=np.uint8)
    start = fixed.offset * width
    data = data[start : start + len(fixed) * width]
    return data.view(">u8").astype(np.uint64).view(np.int64).reshape(len(fixed), size)


def near_lists(column: pa.ChunkedArray | pa.Array, size: int) -> pa.ListArray:
    """A near set column as lists of int64 elements (nulls stay null), as the engines compare
    them: two records' values are within one typo when their lists share an element."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    valid = np.asarray(column.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    values = near_elements(column.drop_null(), size).reshape(-1)
    counts = np.where(valid, size, 0)
    offsets = np.zeros(len(column) + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    return pa.ListArray.from_arrays(
        pa.array(offsets, pa.int32()),
        pa.array(values, pa.int64()),
        mask=pa.array(~valid, pa.bool_()),
    )


def _bloom_problem(column: pa.ChunkedArray) -> str | None:
    if pa.types.is_null(column.type):
        return None
    if not (
        pa.types.is_binary(column.type)
        or pa.types.is_large_binary(column.type)
        or pa.types.is_fixed_size_binary(column.type)
    ):
        return f"must be binary ({BLOOM_BYTES} bytes), found {column.type}"
    present = column.drop_null()
    if len(present) == 0:
        return None
    if pa.types.is_fixed_size_binary(column.type):
        wrong_size = 0 if column.type.byte_width == BLOOM_BYTES else len(present)
    else:
        lengths = pc.binary_length(present)
        wrong_size = pc.sum(pc.not_equal(lengths, BLOOM_BYTES)).as_py()
    if wrong_size:
        return f"{wrong_size} filter(s) are not {BLOOM_BYTES} bytes long"
    words = bloom_words(present)
    unbalanced = int(np.count_nonzero(np.bitwise_count(words).sum(axis=1) != BLOOM_SET_BITS))
    if unbalanced:
        return f"{unbalanced} filter(s) do not have exactly {BLOOM_SET_BITS} bits set"
    return None


def bloom_words(present: pa.ChunkedArray) -> np.ndarray:
    """Non-null 128-byte filters as an (n, 16) array of uint64 words (for bit counts)."""
    fixed = present.cast(pa.binary(BLOOM_BYTES)).combine_chunks()
    buffer = fixed.buffers()[1]
    assert buffer is not None
    data = np.frombuffer(buffer, dtype=np.uint8)
    start = fixed.offset * BLOOM_BYTES
    data = data[start : start + len(fixed) * BLOOM_BYTES]
    return data.view(np.uint64).reshape(len(fixed), BLOOM_BYTES // 8)


def conform(records: pa.Table) -> pa.Table:
    """The columns linkage reads, with all-null columns (which Arrow types `null`) given
    their contract types."""
    columns = {"record_id": records.column("record_id").cast(pa.string())}
    for name in TOKEN_COLUMNS:
        columns[name] = records.column(name).cast(pa.string())
    for name in BLOOM_COLUMNS:
        columns[name] = records.column(name).cast(pa.binary(BLOOM_BYTES))
    for name, size in NEAR_SIZES.items():
        columns[name] = records.column(name).cast(pa.binary(size * NEAR_ELEMENT_BYTES))
    return pa.table(columns)
