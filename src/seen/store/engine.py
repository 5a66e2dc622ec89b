"""Opening the store: one engine per process, migrated to the newest schema before use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.util.exc import CommandError
from sqlalchemy import URL, Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import SQLAlchemyError

from seen.errors import StoreError
from seen.settings import Settings

_BEGIN_OPTION = "seen_sqlite_begin"


@dataclass(frozen=True, slots=True)
class Store:
    """The opened database. Cheap to pass around; `close()` releases its connections."""

    engine: Engine

    @property
    def backend(self) -> str:
        """`sqlite` or `postgresql`."""
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def open_store(settings: Settings) -> Store:
    """Open the configured database, creating the SQLite folder if need be, and migrate it."""
    from seen.store.migrate import upgrade  # migrate imports this module's write_transaction

    url = make_url(settings.resolved_database_url())
    shown = url.render_as_string(hide_password=True)
    try:
        engine = make_engine(url)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise StoreError(f"cannot use the database {shown}: {exc}") from exc
    try:
        upgrade(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise StoreError(f"cannot open the database {shown}: {reason}") from exc
    except CommandError as exc:
        engine.dispose()
        raise StoreError(
            f"the database {shown} has a schema this version of Seen does not know ({exc}); "
            "use the newest version of Seen"
        ) from exc
    return Store(engine)


def make_engine(url: str | URL) -> Engine:
    url = make_url(url)
    # Bound values are agency data: keep them out of logs and error messages.
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, hide_parameters=True)
    database = url.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, hide_parameters=True)
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # The sqlite3 module opens transactions itself, late and not for every statement; turn
    # that off so SQLAlchemy's BEGIN (below) covers the whole unit of work, DDL included.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        # 32 MiB of page cache rather than 2: an ingest's unique-key index stays in memory.
        cursor.execute("PRAGMA cache_size = -32768")
    finally:
        cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    conn.exec_driver_sql(conn.get_execution_options().get(_BEGIN_OPTION, "BEGIN"))


@contextmanager
def write_transaction(store: Store | Engine) -> Iterator[Connection]:
    """One transaction for a unit of work that writes: all of it is kept, or none of it.

    On SQLite it takes the write lock at the start (BEGIN IMMEDIATE), so a transaction that
    reads and then writes never fails half way because another writer got in first.
    """
    engine = store.engine if isinstance(store, Store) else store
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.execution_options(**{_BEGIN_OPTION: "BEGIN IMMEDIATE"})
        with conn.begin():
            yield conn
