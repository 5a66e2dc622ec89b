"""The migrations build exactly the models' schema, on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import CheckConstraint, inspect, text

from seen.errors import StoreError
from seen.settings import Settings
from seen.store import Store, open_store
from seen.store.migrate import check, downgrade, upgrade
from seen.store.tables import metadata
from store.factories import make_settings


def _differences(store: Store) -> list[object]:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))


def test_migrations_match_the_models(store: Store) -> None:
    assert _differences(store) == []
    check(store.engine)  # alembic's own check raises on any difference


def test_check_constraints_match_the_models(store: Store) -> None:
    # Alembic does not compare check constraints, so compare their names here.
    inspector = inspect(store.engine)
    for table in metadata.sorted_tables:
        built = {c["name"] for c in inspector.get_check_constraints(table.name)}
        declared = {str(c.name) for c in table.constraints if isinstance(c, CheckConstraint)}
        assert built == declared, table.name


def test_migrations_run_down_and_up_again(store: Store) -> None:
    downgrade(store.engine, "base")
    assert set(inspect(store.engine).get_table_names()) == {"alembic_version"}
    upgrade(store.engine)
    assert _differences(store) == []


def test_opening_twice_migrates_once(store_settings: Settings) -> None:
    open_store(store_settings).close()
    again = open_store(store_settings)
    try:
        with again.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).all() == [
                ("0021",)
            ]
    finally:
        again.close()


def test_sqlite_store_makes_its_folder_and_enforces_foreign_keys_with_wal(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "new" / "folder")
    store = open_store(settings)
    try:
        assert (tmp_path / "new" / "folder" / "seen.db").is_file()
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        store.close()


def test_an_unreachable_database_is_a_store_error(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, "postgresql+psycopg://seen:secret-password@127.0.0.1:1/seen")
    with pytest.raises(StoreError) as caught:
        open_store(settings)
    assert "secret-password" not in caught.value.message


def test_migration_files_are_shipped_as_a_package() -> None:
    # setuptools ships only packages' .py files, so both folders need an __init__.py.
    import seen.store.migrations as migrations

    folder = Path(migrations.__file__).parent
    assert (folder / "versions" / "__init__.py").is_file()
    assert (folder / "env.py").is_file()
    assert (folder / "script.py.mako").is_file()
