"""Opening the store: one engine per process, migrated to the newest schema before use."""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alembic.util.exc import CommandError
from sqlalchemy import URL, Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from seen.errors import InvalidInput, StoreError
from seen.settings import Settings

if TYPE_CHECKING:
    from seen.domain.records import Problem

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
        # Reads run in autocommit: at READ COMMITTED every statement takes its own snapshot
        # anyway, so a transaction around a read adds only a BEGIN and a ROLLBACK, two round
        # trips per connection taken. write_transaction asks for a real transaction.
        return create_engine(
            url, pool_pre_ping=True, hide_parameters=True, isolation_level="AUTOCOMMIT"
        )
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
    reads and then writes never fails half way because another writer got in first; and it
    waits its turn first (_Writers), so many writers at once queue rather than poll.
    """
    engine = store.engine if isinstance(store, Store) else store
    with _turn(engine), engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.execution_options(**{_BEGIN_OPTION: "BEGIN IMMEDIATE"})
        else:  # PostgreSQL: out of the engine's autocommit, into a transaction
            conn.execution_options(isolation_level="READ COMMITTED")
        with conn.begin():
            yield conn


def one_at_a_time(conn: Connection, what: str) -> None:
    """Until `conn`'s transaction ends, hold up every other transaction that calls this with
    the same `what` (a short name for the thing being changed, never personal data). For a
    check-then-write on something with no row to lock yet, such as a person's first
    statement. On PostgreSQL an advisory lock; on SQLite nothing is needed, as the writers
    already take turns."""
    if conn.dialect.name != "postgresql":
        return
    key = int.from_bytes(hashlib.sha256(what.encode()).digest()[:8], "big", signed=True)
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


@contextmanager
def refused_if_taken(message: str, problems: Sequence[Problem] = ()) -> Iterator[None]:
    """Around an insert whose unique key was checked first: the database's own refusal of a
    duplicate becomes `InvalidInput(message, problems)`, what the check would have said.

    On PostgreSQL a transaction cannot see another's uncommitted rows, so two transactions
    adding the same name at once both pass the check; the second to insert waits for the
    first and is then refused by the unique index. On SQLite the writers take turns, so the
    check alone suffices, but the refusal reads the same on both."""
    try:
        yield
    except IntegrityError as error:
        if not _is_unique_violation(error):
            raise
        raise InvalidInput(message, list(problems)) from error


def _is_unique_violation(error: IntegrityError) -> bool:
    cause = error.orig
    state = getattr(cause, "sqlstate", None)  # psycopg
    if state is not None:
        return bool(state == "23505")
    return "UNIQUE constraint failed" in str(cause)  # sqlite3


# How long a writer waits for its turn before giving up (the work then fails, and a page
# that needed it shows no data): far longer than any one write transaction takes.
WRITE_WAIT_SECONDS = 30.0


class _Writers:
    """Turns at one SQLite file's write lock, for the threads of this process and for every
    process that writes to it.

    SQLite lets one writer in at a time and makes the others poll, sleeping up to 100 ms
    between tries: under load (a web server's threads each recording audit entries) a
    writer could keep losing the race until its timeout, and its page failed closed. Here the
    threads of a process queue on a lock, and the processes on an advisory lock (flock) on a
    file beside the database, which the kernel hands on at once and frees if its holder
    dies. SQLite's own lock is then uncontended among Seen's writers."""

    def __init__(self, path: str) -> None:
        self._threads = threading.Lock()
        self._path = path + ".write-lock"
        self._fd: int | None = None
        self._pid = 0  # the process that opened _fd: a forked child must open its own

    @contextmanager
    def turn(self) -> Iterator[None]:
        if not self._threads.acquire(timeout=WRITE_WAIT_SECONDS):
            raise StoreError("the database is busy: try again")
        try:
            if self._fd is None or self._pid != os.getpid():
                # (A descriptor inherited across fork shares its lock with the parent.)
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
                self._pid = os.getpid()
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._threads.release()


_WRITERS: dict[str, _Writers] = {}
_WRITERS_LOCK = threading.Lock()


@contextmanager
def _turn(engine: Engine) -> Iterator[None]:
    path = _sqlite_file(engine)
    if path is None:  # PostgreSQL queues writers itself; an in-memory SQLite has one user
        yield
        return
    with _WRITERS_LOCK:
        writers = _WRITERS.setdefault(path, _Writers(path))
    with writers.turn():
        yield


def _sqlite_file(engine: Engine) -> str | None:
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return os.path.abspath(database)
