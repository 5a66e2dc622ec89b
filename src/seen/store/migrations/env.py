"""Alembic environment: runs on the connection `seen.store.migrate` hands over, or on
`sqlalchemy.url` when a developer autogenerates a revision."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from seen.store.tables import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite alters tables by copying them; batch mode writes migrations that way.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("Seen's migrations run online only (seen.store.migrate.upgrade)")

_connection = context.config.attributes.get("connection")
if _connection is not None:
    _run(_connection)
else:
    _url = context.config.get_main_option("sqlalchemy.url")
    if not _url:
        raise RuntimeError("no connection or sqlalchemy.url given to the migrations")
    _engine = create_engine(_url)
    try:
        with _engine.begin() as _conn:
            _run(_conn)
    finally:
        _engine.dispose()
