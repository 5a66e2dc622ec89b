"""The statements an ingest runs, each on a connection inside the caller's one transaction.

Bulk work goes in chunks of CHUNK_SIZE rows (executemany, or COPY for events on
PostgreSQL); the ingest loops over the chunks itself, so a test can make one fail part way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy import Connection, String, any_, bindparam, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import ColumnElement

from seen.store.tables import agencies, events, ingest_runs, record_encodings, records

if TYPE_CHECKING:
    import psycopg

CHUNK_SIZE = 5000  # rows per executemany; also well under every backend's bound-parameter cap

T = TypeVar("T")


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    # No default size: a default would be bound at import, and tests change CHUNK_SIZE.
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True, slots=True)
class AgencyRow:
    id: int
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class RecordRow:
    id: int
    sex: str
    ethnicity: str | None
    birth_month: str | None
    deprivation_decile: int | None


def find_agency(conn: Connection, name: str) -> AgencyRow | None:
    """The agency, its row locked until the transaction ends (on PostgreSQL; SQLite's writers
    take turns anyway): two ingests of one agency at the same moment take turns, and the
    second sees what the first stored."""
    row = conn.execute(
        select(agencies.c.id, agencies.c.name, agencies.c.kind)
        .where(agencies.c.name == name)
        .with_for_update()
    ).one_or_none()
    return None if row is None else AgencyRow(row.id, row.name, row.kind)


def register_agency(conn: Connection, name: str, kind: str, now: dt.datetime) -> bool:
    """Add the agency unless it is there already: True if this transaction added it. On
    PostgreSQL, if another transaction has added it and not yet committed, this waits for it
    (and adds nothing once it has), where a plain insert would fail on the unique name."""
    values = {"name": name, "kind": kind, "created_at": now, "duplicate_free": False}
    if conn.dialect.name == "postgresql":
        statement: Any = postgresql.insert(agencies).values(values).on_conflict_do_nothing()
    else:
        statement = sqlite.insert(agencies).values(values).on_conflict_do_nothing()
    return bool(conn.execute(statement).rowcount)


def insert_agency(
    conn: Connection, name: str, kind: str, now: dt.datetime, duplicate_free: bool = False
) -> int:
    result = conn.execute(
        insert(agencies).values(name=name, kind=kind, created_at=now, duplicate_free=duplicate_free)
    )
    return _inserted_id(result.inserted_primary_key)


def set_duplicate_free(conn: Connection, agency_id: int, duplicate_free: bool) -> None:
    conn.execute(
        update(agencies).where(agencies.c.id == agency_id).values(duplicate_free=duplicate_free)
    )


def key_fingerprints(conn: Connection) -> set[str]:
    """Fingerprints of the partnership keys behind every package held (one, normally)."""
    query = select(ingest_runs.c.key_fingerprint).where(ingest_runs.c.key_fingerprint.is_not(None))
    return {str(value) for value in conn.scalars(query.distinct())}


def ingested_file_hashes(conn: Connection, agency_id: int) -> set[str]:
    """SHA-256 of every file this agency has had ingested (a run exists only if it succeeded)."""
    found: set[str] = set()
    for files in conn.scalars(
        select(ingest_runs.c.files).where(ingest_runs.c.agency_id == agency_id)
    ):
        found.update(str(f["sha256"]) for f in files)
    return found


def insert_run(
    conn: Connection,
    agency_id: int,
    started_at: dt.datetime,
    status: str,
    files: list[dict[str, Any]],
    key_fingerprint: str | None = None,
) -> int:
    result = conn.execute(
        insert(ingest_runs).values(
            key_fingerprint=key_fingerprint,
            agency_id=agency_id,
            started_at=started_at,
            finished_at=started_at,  # set again by finish_run, in the same transaction
            status=status,
            files=files,
            records_new=0,
            events_new=0,
            rejected_rows=0,
        )
    )
    return _inserted_id(result.inserted_primary_key)


def finish_run(
    conn: Connection,
    run_id: int,
    finished_at: dt.datetime,
    *,
    records_new: int,
    events_new: int,
    rejected_rows: int,
) -> None:
    conn.execute(
        update(ingest_runs)
        .where(ingest_runs.c.id == run_id)
        .values(
            finished_at=finished_at,
            records_new=records_new,
            events_new=events_new,
            rejected_rows=rejected_rows,
        )
    )


def existing_records(conn: Connection, agency_id: int, refs: Sequence[str]) -> dict[str, RecordRow]:
    found: dict[str, RecordRow] = {}
    columns = (
        records.c.id,
        records.c.record_ref,
        records.c.sex,
        records.c.ethnicity,
        records.c.birth_month,
        records.c.deprivation_decile,
    )
    for part in chunks(refs, CHUNK_SIZE):
        query = select(*columns).where(
            records.c.agency_id == agency_id, _among(conn, records.c.record_ref, part)
        )
        for row in conn.execute(query):
            found[row.record_ref] = RecordRow(
                row.id, row.sex, row.ethnicity, row.birth_month, row.deprivation_decile
            )
    return found


def insert_records(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Rows with agency_id, record_ref, the demographics, first_run_id and last_run_id."""
    if rows:
        conn.execute(insert(records), list(rows))


def update_records(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Rows with b_id, the demographics as b_<column>, and b_run (the latest run)."""
    if not rows:
        return
    statement = (
        update(records)
        .where(records.c.id == bindparam("b_id"))
        .values(
            sex=bindparam("b_sex"),
            ethnicity=bindparam("b_ethnicity"),
            birth_month=bindparam("b_birth_month"),
            deprivation_decile=bindparam("b_deprivation_decile"),
            last_run_id=bindparam("b_run"),
        )
    )
    conn.execute(statement, list(rows))


def existing_event_keys(conn: Connection, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for part in chunks(keys, CHUNK_SIZE):
        query = select(events.c.event_key).where(_among(conn, events.c.event_key, part))
        found.update(conn.scalars(query))
    return found


EVENT_COLUMNS = (
    "record_id",
    "kind",
    "start_date",
    "end_date",
    "code",
    "qualifier",
    "value",
    "source_ref",
    "event_key",
    "ingest_run_id",
)
_DATE_COLUMNS = (EVENT_COLUMNS.index("start_date"), EVENT_COLUMNS.index("end_date"))


def insert_events(conn: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    """One chunk of events, each a tuple in EVENT_COLUMNS order.

    The busiest statement in Seen, so it skips SQLAlchemy's per-row work: COPY on
    PostgreSQL, the driver's own executemany on SQLite. Both run on the caller's
    connection, inside its transaction, with every value bound, never spliced into SQL.
    """
    if not rows:
        return
    columns = ", ".join(EVENT_COLUMNS)
    if conn.dialect.name == "postgresql":
        driver = cast("psycopg.Connection[Any]", conn.connection.dbapi_connection)
        with driver.cursor() as cursor, cursor.copy(f"COPY events ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    elif conn.dialect.name == "sqlite":
        marks = ", ".join("?" * len(EVENT_COLUMNS))
        conn.exec_driver_sql(
            f"INSERT INTO events ({columns}) VALUES ({marks})",  # noqa: S608 - constant names
            [_sqlite_dates(row) for row in rows],
        )
    else:
        conn.execute(insert(events), [dict(zip(EVENT_COLUMNS, row, strict=True)) for row in rows])


def replace_encodings(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """The latest encodings of these records: rows with record_id and the encoded columns."""
    if not rows:
        return
    ids = [row["record_id"] for row in rows]
    conn.execute(delete(record_encodings).where(record_encodings.c.record_id.in_(ids)))
    conn.execute(insert(record_encodings), list(rows))


def _sqlite_dates(row: tuple[Any, ...]) -> tuple[Any, ...]:
    # SQLAlchemy's SQLite Date type stores ISO text; write exactly what it would.
    values = list(row)
    for i in _DATE_COLUMNS:
        if values[i] is not None:
            values[i] = values[i].isoformat()
    return tuple(values)


def _among(
    conn: Connection, column: ColumnElement[str], values: Sequence[str]
) -> ColumnElement[bool]:
    """`column IN values`, as one array parameter on PostgreSQL, which plans a list of
    thousands of separate parameters slowly."""
    if conn.dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=postgresql.ARRAY(String)))
    return column.in_(values)


def _inserted_id(primary_key: Any) -> int:
    # inserted_primary_key is a one-element row here: every table has a single-column key.
    return int(primary_key[0])
