"""Fixtures shared by the whole suite: a store on each backend, and the PostgreSQL server
behind it. Every test builds its own database; nothing is shared between tests."""

from __future__ import annotations

import atexit
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from pg import PostgresServer, find_bindir
from seen.settings import Settings
from seen.store import Store, open_store
from store.factories import make_settings

# The shared public samples sit beside the repository: ../shared/testdata from its root.
TESTDATA = Path(__file__).resolve().parents[2] / "shared" / "testdata"


@pytest.fixture(scope="session")
def testdata() -> Path:
    """The public sample extracts (SSDA903, CIN census, Merkle vectors) in ../shared."""
    if not TESTDATA.is_dir():
        pytest.fail(f"the shared test data is not at {TESTDATA}")
    return TESTDATA


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the session, stopped and deleted at the end."""
    bindir = find_bindir()
    if bindir is None:
        message = (
            "PostgreSQL server binaries (initdb, pg_ctl) not found under "
            "/usr/lib/postgresql/*/bin; `make system-packages` installs them"
        )
        if os.environ.get("SEEN_REQUIRE_POSTGRES"):
            pytest.fail(message)
        pytest.skip(message)
    server = PostgresServer(bindir)
    # The finalizer below covers normal ends and failures; atexit covers an interrupted run.
    atexit.register(server.stop)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty database on the session's server, dropped after the test."""
    name = postgres_server.create_database()
    try:
        yield postgres_server.url(name)
    finally:
        postgres_server.drop_database(name)


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for a fresh database on each backend (SQLite in tmp_path, or PostgreSQL)."""
    if request.param == "sqlite":
        return make_settings(tmp_path / "data")
    return make_settings(tmp_path / "data", request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(store_settings: Settings) -> Iterator[Store]:
    """An opened, migrated, empty store; every test using it runs on both backends."""
    opened = open_store(store_settings)
    try:
        yield opened
    finally:
        opened.close()
