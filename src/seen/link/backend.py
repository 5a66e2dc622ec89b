"""The engine under linkage: every DuckDB specific lives in this module, every Spark
specific in `spark_backend.py`.

A backend holds one working database for one run: the loaded records table
(`seen_records`: integer `rid`, `source_dataset`, `record_id`, `duplicate_free`, the
tokens, the Bloom filters in the engine's own form, the near sets as lists of BIGINT), runs
the generic SQL that the other modules write, and hands Splink its `DatabaseAPI`.
`new_backend("spark")` gives the Spark subclass, with its own loading, similarity and
near-set expressions and `SparkAPI`; nothing else changes.
"""

# ruff: noqa: S608 - SQL here is assembled from the code's own table and column names;
# data reaches the database as Arrow tables or quoted literals, never as raw text.

from __future__ import annotations

import math
import os
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from seen.domain.encoding import BLOOM_COLUMNS, NEAR_COLUMNS, NEAR_SIZES, TOKEN_COLUMNS
from seen.errors import InvalidInput
from seen.link.schema import (
    BLOOM_BITS,
    BLOOM_SET_BITS,
    Source,
    bloom_words,
    conform,
    near_lists,
)

RECORDS = "seen_records"
BACKENDS = ("duckdb", "spark")
"""The engines `new_backend` knows: DuckDB in process (the default), Apache Spark."""


class Backend(ABC):
    """What linkage needs from an engine; about as narrow as Splink's own DatabaseAPI."""

    dialect: str

    @abstractmethod
    def load(
        self,
        table: str,
        sources: Iterable[Source],
        *,
        first_rid: int = 0,
        rids: Sequence[np.ndarray] | None = None,
        bloom: bool = True,
    ) -> int:
        """Load sources into `table`, numbering records from `first_rid` (or with the given
        rids, one array per source); return the count. `bloom=False` leaves the filters
        out (for a table used only for blocking)."""

    @abstractmethod
    def register(self, name: str, data: pa.Table) -> None:
        """Make an Arrow table queryable under `name` (without copying where possible)."""

    @abstractmethod
    def execute(self, sql: str) -> None: ...

    @abstractmethod
    def create_union(self, table: str, columns: str, selects: Sequence[str]) -> None:
        """Make `table` (declared by `columns`, e.g. "a BIGINT, b INTEGER") the rows of
        every select, in the way that suits the engine."""

    @abstractmethod
    def query(self, sql: str) -> pa.Table: ...

    @abstractmethod
    def similarity_at_least(self, left: str, right: str, threshold: float) -> str:
        """A SQL condition: the filters' similarity, 1 - (bits that differ) / 256, is at
        least threshold (`most_bits_differing` gives the bound)."""

    @abstractmethod
    def shares_element(self, left: str, right: str) -> str:
        """A SQL condition: two lists (near sets) have an element in common."""

    @abstractmethod
    def elements(self, column: str) -> str:
        """A SQL select-list expression giving one row per element of a list column."""

    @abstractmethod
    def hash_bucket(self, expression: str, buckets: int) -> str:
        """A SQL expression putting `expression` in one of `buckets` stable buckets."""

    @abstractmethod
    def splink_api(self) -> Any:
        """The Splink DatabaseAPI over this backend's database."""

    def scalar(self, sql: str) -> Any:
        table = self.query(sql)
        return table.column(0)[0].as_py() if table.num_rows else None

    def close(self) -> None:  # noqa: B027 - optional
        """Release the working database."""


def most_bits_differing(threshold: float) -> int:
    """The most bits two filters may differ in for similarity 1 - differing / 256 to be at
    least threshold. (For filters of fixed weight W = 128, the similarity is their Dice
    coefficient |a & b| / W = 1 - differing / (2 W).)"""
    return math.floor((1.0 - threshold) * 2 * BLOOM_SET_BITS + 1e-9)


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


DEFAULT_MEMORY_LIMIT = "3GiB"
"""DuckDB's own memory (tables, joins, sorts) beyond which it spills to disk; with one
source's Arrow table at a time (sources handed over as a generator) and Python's share, a
million-record run stays within 4 GB; at 2 GiB it spills more and takes 7% longer.
`SEEN_DUCKDB_MEMORY_LIMIT` changes it (DuckDB's syntax: "8GB", "75%")."""


class DuckDBBackend(Backend):
    """An in-memory DuckDB database per run, spilling to a temporary folder (its own,
    removed at close, or `SEEN_DUCKDB_TEMP_DIRECTORY`) beyond its memory limit."""

    dialect = "duckdb"

    def __init__(
        self,
        threads: int | None = None,
        *,
        memory_limit: str | None = None,
        temp_directory: str | None = None,
    ) -> None:
        from splink import DuckDBAPI

        self.con = duckdb.connect(":memory:")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        limit = memory_limit or os.environ.get("SEEN_DUCKDB_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT
        folder = temp_directory or os.environ.get("SEEN_DUCKDB_TEMP_DIRECTORY")
        self._scratch = None
        if not folder:
            self._scratch = tempfile.TemporaryDirectory(prefix="seen-duckdb-")
            folder = self._scratch.name
        self.con.execute(f"SET memory_limit = {quote_literal(limit)}")
        self.con.execute(f"SET temp_directory = {quote_literal(folder)}")
        self._api = DuckDBAPI(connection=self.con)
        self._registered: list[pa.Table] = []

    def load(
        self,
        table: str,
        sources: Iterable[Source],
        *,
        first_rid: int = 0,
        rids: Sequence[np.ndarray] | None = None,
        bloom: bool = True,
    ) -> int:
        # One source at a time, each dropped once it is in the table: with a generator of
        # sources, no more than one is held in memory here.
        rid, count = first_rid, 0
        name = f"__seen_input_{table}"
        filters = "".join(f", {c}" for c in BLOOM_COLUMNS) if bloom else ""
        filters += "".join(f", {c}" for c in NEAR_COLUMNS)
        self.execute(f"CREATE OR REPLACE TABLE {table} AS {_empty_select(bloom)}")
        # (Not `enumerate`, whose cached result tuple would hold the last source.)
        index = -1
        for source in sources:
            index += 1
            n = source.records.num_rows
            numbers = rids[index] if rids is not None else np.arange(rid, rid + n, dtype=np.int64)
            records = conform(source.records).append_column("rid", pa.array(numbers, pa.int64()))
            if bloom:
                for column in BLOOM_COLUMNS:
                    index_of = records.column_names.index(column)
                    records = records.set_column(
                        index_of, column, filter_struct(records.column(column))
                    )
            for column, size in NEAR_SIZES.items():
                index_of = records.column_names.index(column)
                records = records.set_column(
                    index_of, column, near_lists(records.column(column), size)
                )
            self.con.register(name, records)
            self.execute(
                f"INSERT INTO {table} SELECT rid, {quote_literal(source.name)} AS source_dataset, "
                f"record_id, {'TRUE' if source.duplicate_free else 'FALSE'} AS duplicate_free, "
                f"{', '.join(TOKEN_COLUMNS)}{filters} FROM {name}"
            )
            # Not kept after the load (as `register` keeps tables): the input is in the
            # table now.
            self.con.unregister(name)
            del records, source  # not held while the next is read
            rid += n
            count += n
        # Arrow's allocator keeps what the conversion freed (400 MB at a million records).
        pa.default_memory_pool().release_unused()
        return count

    def register(self, name: str, data: pa.Table) -> None:
        self._registered.append(data)
        self.con.register(name, data)

    def execute(self, sql: str) -> None:
        self.con.execute(sql)

    def create_union(self, table: str, columns: str, selects: Sequence[str]) -> None:
        # Select by select: as one query (a union of, say, every blocking rule's join) a
        # million records ran DuckDB out of its memory limit, every join's hash table
        # being alive at once beside the records.
        self.execute(f"CREATE OR REPLACE TABLE {table} ({columns})")
        for select in selects:
            self.execute(f"INSERT INTO {table} {select}")

    def query(self, sql: str) -> pa.Table:
        return self.con.sql(sql).to_arrow_table()

    def similarity_at_least(self, left: str, right: str, threshold: float) -> str:
        # Sixteen popcounts of 64-bit words: about 4 times faster than one bit_count(xor())
        # of two BIT strings, which allocates a new string for every pair and level.
        bits = " + ".join(
            f"bit_count(xor(struct_extract({left}, '{w}'), struct_extract({right}, '{w}')))"
            "::INTEGER"
            for w in FILTER_WORDS
        )
        return f"({bits}) <= {most_bits_differing(threshold)}"

    def shares_element(self, left: str, right: str) -> str:
        return f"list_has_any({left}, {right})"

    def elements(self, column: str) -> str:
        return f"unnest({column})"

    def hash_bucket(self, expression: str, buckets: int) -> str:
        return f"(hash({expression}) % {int(buckets)})"

    def splink_api(self) -> Any:
        return self._api

    def close(self) -> None:
        self.con.close()
        self._registered.clear()
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None


FILTER_WORDS = tuple(f"w{i}" for i in range(BLOOM_BITS // 64))
FILTER_TYPE = "STRUCT(" + ", ".join(f"{w} UBIGINT" for w in FILTER_WORDS) + ")"
"""How DuckDB holds a filter: its 16 64-bit words (bit order within the filter does not
matter to a count of the bits that differ, nor to equality)."""


def filter_struct(column: pa.ChunkedArray) -> pa.StructArray:
    """128-byte filters as structs of 16 unsigned 64-bit words (nulls stay null)."""
    valid = np.asarray(column.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    present = column.drop_null()
    words = np.zeros((len(column), len(FILTER_WORDS)), dtype=np.uint64)
    if len(present):
        words[valid] = bloom_words(present)
    return pa.StructArray.from_arrays(
        [pa.array(words[:, i]) for i in range(len(FILTER_WORDS))],
        names=list(FILTER_WORDS),
        mask=pa.array(~valid, pa.bool_()),
    )


def _empty_select(bloom: bool) -> str:
    tokens = ", ".join(f"NULL::VARCHAR AS {c}" for c in TOKEN_COLUMNS)
    filters = "".join(f", NULL::{FILTER_TYPE} AS {c}" for c in BLOOM_COLUMNS) if bloom else ""
    filters += "".join(f", NULL::BIGINT[] AS {c}" for c in NEAR_COLUMNS)
    return (
        "SELECT NULL::BIGINT AS rid, NULL::VARCHAR AS source_dataset, "
        f"NULL::VARCHAR AS record_id, NULL::BOOLEAN AS duplicate_free, {tokens}{filters} "
        "WHERE FALSE"
    )


def check_backend(kind: str) -> None:
    """Raise `InvalidInput` unless `kind` names a backend."""
    if kind not in BACKENDS:
        raise InvalidInput(f"unknown linkage backend {kind!r}: choose {' or '.join(BACKENDS)}")


def new_backend(kind: str = "duckdb") -> Backend:
    """A backend for one run: "duckdb" (in process) or "spark" (PySpark; the session
    already running in the process, or a local one)."""
    check_backend(kind)
    if kind == "spark":
        # Imported here: PySpark and Java are needed only by those who choose Spark.
        from seen.link.spark_backend import SparkBackend

        return SparkBackend()
    return DuckDBBackend()
