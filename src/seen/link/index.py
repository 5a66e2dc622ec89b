"""`IncrementalIndex`: the existing records' blocking keys and term-frequency values, hashed
once, so that an incremental run (`seen.link.incremental`) looks the new records' keys up
instead of reading every existing record again."""

# ruff: noqa: S608 - SQL here is assembled from the code's own table and column names;
# data reaches the database as Arrow tables or quoted literals, never as raw text.

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from seen.domain.encoding import NEAR_SIZES
from seen.link.backend import Backend, new_backend
from seen.link.candidates import BLOCKING_RULES
from seen.link.model import YEAR_SALTED
from seen.link.schema import Source, near_elements
from seen.link.score import TF_COLUMNS


def _key_columns() -> tuple[tuple[str, ...], ...]:
    """Every column tuple an incremental run looks up: each blocking rule's key and each
    term-frequency column (a rule on one column shares its key with that column)."""
    keys: list[tuple[str, ...]] = []
    for columns in [rule.columns for rule in BLOCKING_RULES] + [(c,) for c in TF_COLUMNS]:
        if columns not in keys:
            keys.append(tuple(columns))
    return tuple(keys)


KEYS = _key_columns()
# Keys that are near sets: a record holds several (one per element), each element its own
# "hash" (elements are keyed and pseudorandom already).
ELEMENT_KEYS: Final = frozenset(rule.columns for rule in BLOCKING_RULES if rule.elements)


def _key_sql(columns: tuple[str, ...], index: int) -> str:
    """A key's 64-bit hash, NULL when a part is missing (`hash` is DuckDB's)."""
    not_null = " AND ".join(f"{c} IS NOT NULL" for c in columns)
    return f"CASE WHEN {not_null} THEN hash({', '.join(columns)}) END AS k{index}"


YearCounts = dict[str, dict[int, int]]
"""Per year-salted term-frequency column: hash(tok_dob_year) -> records holding a value."""

YEAR_TF_COLUMNS: Final = tuple(c for c in TF_COLUMNS if c in YEAR_SALTED)


def hash_keys(backend: Backend, sources: Sequence[Source]) -> tuple[list[pa.Array], YearCounts]:
    """Every key's hash for the records of `sources`, in order (one array per key), and
    how many records hold each year-salted term-frequency column, by year."""
    hashed_keys = [(i, c) for i, c in enumerate(KEYS) if c not in ELEMENT_KEYS]
    needed = sorted({c for _, columns in hashed_keys for c in columns} | {"tok_dob_year"})
    selects = ", ".join(_key_sql(columns, i) for i, columns in hashed_keys)
    per_year = ", ".join(f"count({c}) AS {c}" for c in YEAR_TF_COLUMNS)
    parts: list[list[pa.Array]] = [[] for _ in KEYS]
    years: YearCounts = {c: {} for c in YEAR_TF_COLUMNS}
    for number, source in enumerate(sources):
        name = f"__seen_keys_input_{number}"
        table = source.records
        backend.register(name, pa.table({c: table.column(c).cast(pa.string()) for c in needed}))
        # A plain projection keeps the scan's row order (DuckDB preserves insertion order).
        hashed = backend.query(f"SELECT {selects} FROM {name}")
        for position, (i, _) in enumerate(hashed_keys):
            parts[i].extend(hashed.column(position).chunks)
        for i, columns in enumerate(KEYS):
            if columns in ELEMENT_KEYS:
                parts[i].append(element_keys(table.column(columns[0]), NEAR_SIZES[columns[0]]))
        if YEAR_TF_COLUMNS:
            counted = backend.query(
                f"SELECT hash(tok_dob_year) AS y, {per_year} FROM {name} GROUP BY 1"
            ).to_pylist()
            for row in counted:
                for column in YEAR_TF_COLUMNS:
                    held = years[column]
                    held[row["y"]] = held.get(row["y"], 0) + int(row[column])
    hashes = [
        pa.concat_arrays(p) if p else _empty_keys(columns)
        for p, columns in zip(parts, KEYS, strict=True)
    ]
    return hashes, years


def _empty_keys(columns: tuple[str, ...]) -> pa.Array:
    if columns in ELEMENT_KEYS:
        return pa.array([], pa.list_(pa.uint64()))
    return pa.array([], pa.uint64())


def element_keys(column: pa.ChunkedArray, size: int) -> pa.ListArray:
    """A near set column as one list of element keys per record (null when absent)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if pa.types.is_null(column.type):
        column = column.cast(pa.binary(size * 8))
    valid = np.asarray(column.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    present = column.drop_null()
    values = (
        near_elements(present, size).view(np.uint64).reshape(-1)
        if len(present)
        else np.zeros(0, dtype=np.uint64)
    )
    offsets = np.zeros(len(column) + 1, dtype=np.int32)
    np.cumsum(np.where(valid, size, 0), out=offsets[1:])
    return pa.ListArray.from_arrays(
        pa.array(offsets, pa.int32()),
        pa.array(values, pa.uint64()),
        mask=pa.array(~valid, pa.bool_()),
    )


def flatten_keys(array: pa.Array, rids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The present keys of `array` (one per row, or a list per row) and the rid of each,
    given the rid of each row."""
    if pa.types.is_list(array.type):
        parents = pc.list_parent_indices(array).to_numpy(zero_copy_only=False)
        values = pc.list_flatten(array).to_numpy(zero_copy_only=False).astype(np.uint64)
        return values, rids[parents]
    valid = array.is_valid().to_numpy(zero_copy_only=False)
    return array.drop_null().to_numpy().astype(np.uint64), rids[valid]


def _sorted_keys(array: pa.Array, first_rid: int) -> tuple[np.ndarray, np.ndarray]:
    """The present hashes of `array` in order, and the rid of each."""
    values, rids = flatten_keys(array, np.arange(len(array), dtype=np.int64) + first_rid)
    order = np.argsort(values, kind="stable")
    return values[order], rids[order]


class IncrementalIndex:
    """The existing records' blocking keys and term-frequency values, hashed once.

    An incremental run looks the new records' keys up here instead of reading every
    existing record again, so a hub that keeps the index between packages pays for the
    one pass over the existing records once. `IncrementalIndex.build` also sorts each key
    (a lookup is then a binary search, not a scan); after a run, `extended(new)` is the
    index of the records and the new ones. It holds hashes and row numbers only (no
    tokens, no filters), and answers only for the very sources it was built from
    (`link_incremental` checks)."""

    def __init__(
        self,
        sources: Sequence[Source],
        hashes: Sequence[pa.Array],
        years: YearCounts,
        *,
        sort: bool = False,
    ) -> None:
        """`hashes`, `years`: as `hash_keys` gives them. Sorted, the index keeps per key
        only the present hashes in order and their rids; unsorted (a single run's own
        index), the arrays as they are."""
        self.sources = tuple(sources)
        self.years = {c: dict(v) for c, v in years.items()}
        self.records = sum(s.records.num_rows for s in self.sources)
        self._present = {c: len(hashes[i]) - int(hashes[i].null_count) for i, c in enumerate(KEYS)}
        self._raw: dict[tuple[str, ...], pa.Array] = {}
        self._sorted: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray]] = {}
        for i, columns in enumerate(KEYS):
            # A near set's keys are many per record: always kept as (key, rid), sorted.
            if sort or columns in ELEMENT_KEYS:
                self._sorted[columns] = _sorted_keys(hashes[i], 0)
            else:
                self._raw[columns] = hashes[i]

    @classmethod
    def build(cls, existing_records: Sequence[Source]) -> IncrementalIndex:
        """The index of these records, sorted for repeated runs."""
        backend = new_backend()
        try:
            return cls(existing_records, *hash_keys(backend, existing_records), sort=True)
        finally:
            backend.close()

    def extended(self, new: Source) -> IncrementalIndex:
        """The index of these records and then `new` (as `link_incremental` numbers them):
        the new keys are merged into the sorted ones, nothing is sorted again."""
        backend = new_backend()
        try:
            added, years = hash_keys(backend, [new])
        finally:
            backend.close()
        for column, counts in self.years.items():
            for year, held in counts.items():
                years[column][year] = years[column].get(year, 0) + held
        empty = [_empty_keys(columns) for columns in KEYS]
        out = IncrementalIndex([*self.sources, new], empty, years)
        out._raw, out._sorted = {}, {}
        for i, columns in enumerate(KEYS):
            out._present[columns] = self._present[columns] + len(added[i]) - added[i].null_count
            if columns in self._sorted:
                values, rids = self._sorted[columns]
                more_values, more_rids = _sorted_keys(added[i], self.records)
                at = np.searchsorted(values, more_values, side="right")
                out._sorted[columns] = (
                    np.insert(values, at, more_values),
                    np.insert(rids, at, more_rids),
                )
            else:
                out._raw[columns] = pa.concat_arrays([self._raw[columns], added[i]])
        return out

    def covers(self, sources: Sequence[Source]) -> bool:
        """Whether the index was built from exactly these sources (the same tables)."""
        return len(sources) == len(self.sources) and all(
            a.name == b.name and a.duplicate_free == b.duplicate_free and a.records is b.records
            for a, b in zip(sources, self.sources, strict=True)
        )

    def lookup(self, columns: tuple[str, ...], keys: pa.Array) -> tuple[np.ndarray, pa.Array]:
        """(rids, key hashes) of the existing records whose key is one of `keys`."""
        if columns in self._raw:
            hashes = self._raw[columns]
            hit = pc.is_in(hashes, value_set=keys)
            rids = np.flatnonzero(hit.to_numpy(zero_copy_only=False)).astype(np.int64)
            return rids, hashes.filter(hit)
        values, rids_in_order = self._sorted[columns]
        wanted = keys.to_numpy(zero_copy_only=False).astype(np.uint64)
        low = np.searchsorted(values, wanted, side="left")
        counts = np.searchsorted(values, wanted, side="right") - low
        # Positions low[i], low[i] + 1, ... for each wanted key, all in one array.
        starts = np.repeat(low - np.cumsum(counts) + counts, counts)
        positions = starts + np.arange(int(counts.sum()))
        return rids_in_order[positions], pa.array(values[positions], pa.uint64())

    def entries(self, columns: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
        """Every (hash, rid) of one key, ordered by hash then rid."""
        if columns in self._raw:
            values, rids = _sorted_keys(self._raw[columns], 0)
        else:
            values, rids = self._sorted[columns]
        order = np.lexsort((rids, values))
        return values[order], rids[order]

    def present(self, columns: tuple[str, ...]) -> int:
        """How many existing records have every part of this key."""
        return self._present[columns]
