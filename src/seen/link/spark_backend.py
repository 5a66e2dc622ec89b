"""Apache Spark under linkage (`seen link --backend spark`): the same SQL and Splink settings
as DuckDB, run by PySpark, so the same input gives the same people.

What differs from DuckDB, and how it is bridged here rather than in the other modules:

- **Filters.** Spark has no bit-string type and its `bit_count` takes integers, so each
  128-byte Bloom filter is loaded as an `ARRAY<BIGINT>` of its 16 little-endian 64-bit
  words, and the similarity bound sums the popcounts of the words' XORs:
  `aggregate(zip_with(a, b, (x, y) -> bit_count(x ^ y)), 0, (n, b) -> n + b) <= N`,
  native functions only, no Python UDF. Equality and `IS NULL` of a filter mean what they
  mean on DuckDB's `BIT`, and `count(bf_x)` still counts the filters present.
- **Tables.** Spark SQL keeps no tables in memory, so the statements the other modules send
  (`CREATE OR REPLACE TABLE t AS q`, `CREATE OR REPLACE TABLE t (col type, ...)`,
  `INSERT INTO t q`, `DELETE FROM t WHERE c`, `DROP TABLE IF EXISTS t`,
  `CREATE OR REPLACE VIEW t AS q`) become temporary views; a "table" is computed once and
  kept (persisted, memory then disk), so it is never recomputed and never differs between
  two reads. Everything else is handed to `spark.sql` as it is: the other modules write
  SQL that DuckDB and Spark 4 read the same way.
- **Order.** Nothing here depends on the order Spark returns rows in: every result that
  needs an order asks for one, clusters are labelled by the smallest record in them, and
  ties between edges are broken by record ids (cluster.py).

The session is local by default (`local[2]`, 4 shuffle partitions, 2 GiB for the driver,
no UI, no adaptive execution, loopback only, errors only in the log); `SEEN_SPARK_MASTER`,
`SEEN_SPARK_DRIVER_MEMORY`, `SEEN_SPARK_SHUFFLE_PARTITIONS` and `SEEN_SPARK_CHECKPOINT_DIR`
change that, and a session already running in the process (under `spark-submit`, say) is
used as it is. PySpark and Java are checked before anything starts: without them the
error (`ConfigurationError`) says what to install.
"""

# ruff: noqa: S608 - SQL here is assembled from the code's own table and column names;
# data reaches the database as Arrow tables, never as raw text.

from __future__ import annotations

import atexit
import logging
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlparse

import numpy as np
import pyarrow as pa

from seen.domain.encoding import BLOOM_BYTES, BLOOM_COLUMNS, NEAR_COLUMNS, NEAR_SIZES, TOKEN_COLUMNS
from seen.errors import ConfigurationError
from seen.link.backend import Backend, most_bits_differing
from seen.link.schema import Source, bloom_words, conform, near_lists

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

BLOOM_WORDS: Final = BLOOM_BYTES // 8
MIN_JAVA: Final = 17  # Spark 4
DEFAULT_MASTER: Final = "local[2]"
DEFAULT_DRIVER_MEMORY: Final = "2g"
DEFAULT_SHUFFLE_PARTITIONS: Final = 4
INSTALL_HINT: Final = (
    "install it with `pip install 'seen[spark]'` (`make demo` and `make test` do), "
    "or link with the default backend, duckdb"
)
_LOG4J = Path(__file__).with_name("spark-log4j2.properties")

_FLAGS = re.IGNORECASE | re.DOTALL
_CREATE_AS = re.compile(r"\s*CREATE\s+OR\s+REPLACE\s+TABLE\s+(\w+)\s+AS\s+(.+)", _FLAGS)
_CREATE_COLUMNS = re.compile(r"\s*CREATE\s+OR\s+REPLACE\s+TABLE\s+(\w+)\s*\((.*)\)\s*", _FLAGS)
_CREATE_VIEW = re.compile(r"\s*CREATE\s+OR\s+REPLACE\s+VIEW\s+(\w+)\s+AS\s+(.+)", _FLAGS)
_INSERT = re.compile(r"\s*INSERT\s+INTO\s+(\w+)\s+(.+)", _FLAGS)
_DELETE = re.compile(r"\s*DELETE\s+FROM\s+(\w+)\s+WHERE\s+(.+)", _FLAGS)
_DROP = re.compile(r"\s*DROP\s+TABLE\s+IF\s+EXISTS\s+(\w+)\s*", _FLAGS)
# Column types in `CREATE TABLE t (...)`: DuckDB's names that Spark spells otherwise.
_TYPES: Final = {"VARCHAR": "STRING", "TEXT": "STRING", "BLOB": "BINARY"}


class SparkBackend(Backend):
    """One linkage run's tables as temporary views in a Spark session."""

    dialect = "spark"

    def __init__(self, spark: SparkSession | None = None) -> None:
        self.spark = spark if spark is not None else spark_session()
        from splink import SparkAPI

        self._views_before = self._temporary_views()
        self._tables: dict[str, DataFrame] = {}
        # Splink writes each intermediate table as Parquet under the checkpoint folder
        # and reads it back (its default): that cuts the lineage, without which its
        # connected components recompute every earlier iteration. ("persist" keeps them
        # lazily in memory, and Splink's dropping a table then uncaches what later
        # tables still need.) None of its Scala UDFs (Jaro-Winkler and the like) are
        # used, so its jar is not needed.
        ensure_checkpoint_dir(self.spark)
        self._checkpoints_before = self._checkpoints()
        self._api = SparkAPI(  # type: ignore[no-untyped-call]
            spark_session=self.spark,
            break_lineage_method="parquet",
            register_udfs_automatically=False,
        )

    # ---------------------------------------------------------------- loading

    def load(
        self,
        table: str,
        sources: Iterable[Source],
        *,
        first_rid: int = 0,
        rids: Sequence[np.ndarray] | None = None,
        bloom: bool = True,
    ) -> int:
        records = records_table(sources, first_rid=first_rid, rids=rids, bloom=bloom)
        self._materialise(table, self.spark.createDataFrame(records))
        return int(records.num_rows)

    def register(self, name: str, data: pa.Table) -> None:
        self.spark.createDataFrame(data).createOrReplaceTempView(name)

    # ---------------------------------------------------------------- SQL

    def execute(self, sql: str) -> None:
        if found := _CREATE_AS.fullmatch(sql):
            self._materialise(found[1], self.spark.sql(found[2]))
        elif found := _CREATE_COLUMNS.fullmatch(sql):
            self._materialise(found[1], self.spark.sql(_empty_select(found[2])))
        elif found := _CREATE_VIEW.fullmatch(sql):
            self._forget(found[1])
            self.spark.sql(found[2]).createOrReplaceTempView(found[1])
        elif found := _INSERT.fullmatch(sql):
            old = self.spark.table(found[1])
            new = self.spark.sql(found[2])
            # DuckDB inserts by position, converting to the table's column types.
            new = new.select(
                *[
                    new[i].cast(field.dataType).alias(field.name)
                    for i, field in enumerate(old.schema.fields)
                ]
            )
            self._materialise(found[1], old.unionAll(new))
        elif found := _DELETE.fullmatch(sql):
            kept = self.spark.sql(f"SELECT * FROM {found[1]} WHERE NOT coalesce({found[2]}, FALSE)")
            self._materialise(found[1], kept)
        elif found := _DROP.fullmatch(sql):
            self._forget(found[1])
            self.spark.catalog.dropTempView(found[1])
        else:
            self.spark.sql(sql)

    def create_union(self, table: str, columns: str, selects: Sequence[str]) -> None:
        # One query: Spark plans the union as a whole, where each INSERT would compute
        # and keep the table again (two seconds a rule on a small input).
        if not selects:
            self.execute(f"CREATE OR REPLACE TABLE {table} ({columns})")
            return
        self.execute(f"CREATE OR REPLACE TABLE {table} AS " + " UNION ALL ".join(selects))

    def query(self, sql: str) -> pa.Table:
        table: pa.Table = self.spark.sql(sql).toArrow()
        return table

    def similarity_at_least(self, left: str, right: str, threshold: float) -> str:
        # One higher-order expression rather than sixteen unrolled popcounts: as fast to
        # within a factor of 1.5, and Splink's scoring query stays small enough for
        # Spark's whole-stage code generation (the unrolled form overflows the JVM's
        # 64 KB method limit there, and Spark falls back to a plan three times slower).
        bits = (
            f"aggregate(zip_with({left}, {right}, (x, y) -> bit_count(x ^ y)), 0, (n, b) -> n + b)"
        )
        return f"{bits} <= {most_bits_differing(threshold)}"

    def shares_element(self, left: str, right: str) -> str:
        return f"arrays_overlap({left}, {right})"

    def elements(self, column: str) -> str:
        return f"explode({column})"

    def hash_bucket(self, expression: str, buckets: int) -> str:
        return f"pmod(xxhash64({expression}), {int(buckets)})"

    def splink_api(self) -> Any:
        return self._api

    def close(self) -> None:
        """Drop this run's views and cached tables (Splink's too); the session stays up
        for the next run in the process."""
        for name in list(self._tables):
            self._forget(name)
        for name in sorted(self._temporary_views() - self._views_before):
            self.spark.catalog.dropTempView(name)
        for folder in sorted(self._checkpoints() - self._checkpoints_before):
            shutil.rmtree(folder, ignore_errors=True)

    # ---------------------------------------------------------------- helpers

    def _materialise(self, name: str, frame: DataFrame) -> None:
        """Compute `frame` once, keep it, and make it `name` (replacing what was there
        only after the new rows exist, as `INSERT INTO t ... FROM t` needs)."""
        kept = frame.persist()
        kept.count()
        self._forget(name)
        self._tables[name] = kept
        kept.createOrReplaceTempView(name)

    def _forget(self, name: str) -> None:
        old = self._tables.pop(name, None)
        if old is not None:
            old.unpersist()

    def _checkpoints(self) -> set[Path]:
        """What the checkpoint folder holds, when it is on this machine (Splink's Parquet
        copies of its tables; on shared storage they are left to its owner)."""
        folder = _local_checkpoint_dir(self.spark)
        return set(folder.iterdir()) if folder is not None else set()

    def _temporary_views(self) -> set[str]:
        return {t.name for t in self.spark.catalog.listTables() if t.isTemporary}


def records_table(
    sources: Iterable[Source],
    *,
    first_rid: int = 0,
    rids: Sequence[np.ndarray] | None = None,
    bloom: bool = True,
) -> pa.Table:
    """The records of a run as one Arrow table (the columns `DuckDBBackend.load` makes),
    with each filter as a list of its 16 words."""
    parts = []
    rid = first_rid
    for index, source in enumerate(sources):
        records = conform(source.records)
        n = records.num_rows
        numbers = rids[index] if rids is not None else np.arange(rid, rid + n, dtype=np.int64)
        rid += n
        columns: dict[str, Any] = {
            "rid": pa.array(numbers, pa.int64()),
            "source_dataset": pa.array([source.name] * n, pa.string()),
            "record_id": records.column("record_id"),
            "duplicate_free": pa.array([source.duplicate_free] * n, pa.bool_()),
        }
        for column in TOKEN_COLUMNS:
            columns[column] = records.column(column)
        if bloom:
            for column in BLOOM_COLUMNS:
                columns[column] = filter_words(records.column(column))
        for column, size in NEAR_SIZES.items():
            columns[column] = near_lists(records.column(column), size)
        parts.append(pa.table(columns))
    if not parts:
        return _records_schema(bloom).empty_table()
    return pa.concat_tables(parts)


def filter_words(column: pa.ChunkedArray) -> pa.Array:
    """128-byte filters as lists of 16 signed 64-bit words (nulls stay null)."""
    valid = column.is_valid()
    present = column.drop_null()
    words = (
        bloom_words(present).view(np.int64).reshape(-1)
        if len(present)
        else np.zeros(0, dtype=np.int64)
    )
    valid_np = np.asarray(valid.to_numpy(zero_copy_only=False), dtype=bool)
    offsets = np.zeros(len(column) + 1, dtype=np.int32)
    np.cumsum(valid_np * BLOOM_WORDS, out=offsets[1:])
    return pa.ListArray.from_arrays(
        pa.array(offsets, pa.int32()),
        pa.array(words, pa.int64()),
        mask=pa.array(~valid_np, pa.bool_()),
    )


def _records_schema(bloom: bool) -> pa.Schema:
    fields = [
        pa.field("rid", pa.int64()),
        pa.field("source_dataset", pa.string()),
        pa.field("record_id", pa.string()),
        pa.field("duplicate_free", pa.bool_()),
        *(pa.field(c, pa.string()) for c in TOKEN_COLUMNS),
    ]
    if bloom:
        fields.extend(pa.field(c, pa.list_(pa.int64())) for c in BLOOM_COLUMNS)
    fields.extend(pa.field(c, pa.list_(pa.int64())) for c in NEAR_COLUMNS)
    return pa.schema(fields)


def _empty_select(columns: str) -> str:
    """`SELECT CAST(NULL AS type) AS col, ... WHERE FALSE` for a column list `col type, ...`."""
    selects = []
    for definition in columns.split(","):
        name, kind = definition.split(None, 1)
        kind = _TYPES.get(kind.strip().upper(), kind.strip())
        selects.append(f"CAST(NULL AS {kind}) AS {name}")
    return "SELECT " + ", ".join(selects) + " WHERE FALSE"


# -------------------------------------------------------------------- the session


def spark_session() -> SparkSession:
    """The Spark session linkage runs in: the one already running in this process, or a
    new one (local unless `SEEN_SPARK_MASTER` says otherwise)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise ConfigurationError(
            f"the Spark backend needs PySpark, which is not installed: {INSTALL_HINT}"
        ) from error
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    check_java()
    master = os.environ.get("SEEN_SPARK_MASTER", DEFAULT_MASTER)
    scratch = _scratch_dir()
    builder = (
        SparkSession.builder.master(master)
        .appName("seen-link")
        .config(
            "spark.driver.memory", os.environ.get("SEEN_SPARK_DRIVER_MEMORY", DEFAULT_DRIVER_MEMORY)
        )
        .config(
            "spark.sql.shuffle.partitions",
            os.environ.get("SEEN_SPARK_SHUFFLE_PARTITIONS", str(DEFAULT_SHUFFLE_PARTITIONS)),
        )
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        # Nothing is written as a table; keep Spark's warehouse folder out of the cwd.
        .config("spark.sql.warehouse.dir", str(scratch / "warehouse"))
        .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={_LOG4J.as_uri()}")
    )
    if master.startswith("local"):
        # A local run talks to itself only, and its few partitions gain nothing from
        # adaptive re-planning, which costs time on every query.
        builder = (
            builder.config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.adaptive.enabled", "false")
        )
    try:
        spark = builder.getOrCreate()
    except Exception as error:
        raise ConfigurationError(f"Spark could not start: {_first_line(error)}") from error
    spark.sparkContext.setLogLevel("ERROR")
    ensure_checkpoint_dir(spark, scratch)
    # PySpark logs every SQL error it raises as a JSON stack trace; the error itself
    # says the same.
    for name in ("SQLQueryContextLogger", "DataFrameQueryContextLogger"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    return spark


def ensure_checkpoint_dir(spark: SparkSession, scratch: Path | None = None) -> None:
    """Give the session a checkpoint folder unless it has one: `SEEN_SPARK_CHECKPOINT_DIR`
    (on storage every executor reaches, for a cluster), else a temporary folder removed
    when the process ends."""
    if spark.sparkContext.getCheckpointDir() is not None:
        return
    folder = os.environ.get("SEEN_SPARK_CHECKPOINT_DIR")
    if not folder:
        folder = str((scratch or _scratch_dir()) / "checkpoints")
    spark.sparkContext.setCheckpointDir(folder)


def _scratch_dir() -> Path:
    """A temporary folder for this process's Spark files, removed when the process ends."""
    folder = tempfile.mkdtemp(prefix="seen-spark-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return Path(folder)


def _local_checkpoint_dir(spark: SparkSession) -> Path | None:
    """The session's checkpoint folder when it is on this machine's file system."""
    folder = spark.sparkContext.getCheckpointDir()
    if folder is None:
        return None
    parsed = urlparse(folder)
    if parsed.scheme not in ("", "file"):
        return None
    path = Path(parsed.path)
    return path if path.is_dir() else None


def check_java() -> None:
    """Raise a clear error unless a Java runtime Spark can use (17 or later) is installed."""
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    if not java or not Path(java).exists():
        where = f"JAVA_HOME={home} has no bin/java" if home else "no `java` on the PATH"
        raise ConfigurationError(
            f"the Spark backend needs a Java {MIN_JAVA}+ runtime ({where}); "
            "`scripts/system-packages.sh java` installs Debian's (`make test` does), "
            "or link with the default backend, duckdb"
        )
    try:
        shown = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ConfigurationError(f"could not run {java}: {error}") from error
    major = java_major_version(shown.stderr + shown.stdout)
    if major is None or major < MIN_JAVA:
        raise ConfigurationError(
            f"the Spark backend needs Java {MIN_JAVA} or later; {java} is "
            f"{'of an unknown version' if major is None else f'Java {major}'}"
        )


def java_major_version(text: str) -> int | None:
    """17 from `openjdk version "17.0.15"`, 8 from `java version "1.8.0_402"`."""
    found = re.search(r'version "(\d+)(?:\.(\d+))?', text)
    if found is None:
        return None
    major = int(found[1])
    return int(found[2] or 0) if major == 1 else major


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
