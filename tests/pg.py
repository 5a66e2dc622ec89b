"""A real, throwaway PostgreSQL server for the test session.

The tests start their own server from the installed binaries rather than needing one
running: initdb into a temporary folder, listen on 127.0.0.1 on a free port (the unix socket
in the same folder, so it never meets a system server), trust authentication, durability
switched off for speed. PostgreSQL refuses to run as root, so as root every server command
runs as the `postgres` system user, which owns the folder.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path

import psycopg
from psycopg import sql

SEARCH = "/usr/lib/postgresql/*/bin"
_START_ATTEMPTS = 3  # a free port can be taken between choosing it and the server binding it


def find_bindir() -> Path | None:
    """The newest installed PostgreSQL's bin folder, or None when none is installed."""
    candidates = [p for p in Path("/").glob(SEARCH.lstrip("/")) if _has_server(p)]
    if candidates:
        return max(candidates, key=_version)
    on_path = shutil.which("pg_ctl")
    if on_path and _has_server(Path(on_path).parent):
        return Path(on_path).parent
    return None


def _has_server(bindir: Path) -> bool:
    return all(os.access(bindir / tool, os.X_OK) for tool in ("initdb", "pg_ctl", "postgres"))


def _version(bindir: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", bindir.parent.name)) or (0,)


class PostgresServer:
    """One server; `start()` then `stop()` (stop also deletes every file it made)."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root: Path | None = None
        self.port: int | None = None
        self._running = False
        self._as_postgres = os.geteuid() == 0

    @property
    def data_dir(self) -> Path:
        assert self.root is not None
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        assert self.root is not None
        return self.root / "server.log"

    def start(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="seen-pg-", dir=_tmp()))
        if self._as_postgres:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise RuntimeError(
                    "running as root, and there is no `postgres` user to run PostgreSQL as"
                ) from exc
            os.chown(self.root, user.pw_uid, user.pw_gid)
        self._run(
            [
                "initdb",
                "--pgdata",
                str(self.data_dir),
                "--username",
                "postgres",
                "--auth",
                "trust",
                "--encoding",
                "UTF8",
                "--locale",
                "C",
                "--no-sync",
            ]
        )
        for attempt in range(_START_ATTEMPTS):
            self.port = _free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -c port={self.port} "
                f"-c unix_socket_directories={self.root} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                "-c max_connections=50"
            )
            try:
                self._run(
                    [
                        "pg_ctl",
                        "--pgdata",
                        str(self.data_dir),
                        "--log",
                        str(self.log_file),
                        "--wait",
                        "--timeout",
                        "60",
                        "--options",
                        options,
                        "start",
                    ]
                )
            except RuntimeError:
                if attempt == _START_ATTEMPTS - 1:
                    raise
                continue
            self._running = True
            return

    def stop(self) -> None:
        """Stop the server (fast shutdown) and delete its folder; safe to call twice."""
        try:
            if self._running:
                self._run(
                    ["pg_ctl", "--pgdata", str(self.data_dir), "--mode", "fast", "--wait", "stop"]
                )
                self._running = False
        finally:
            if self.root is not None:
                shutil.rmtree(self.root, ignore_errors=True)
                self.root = None

    def url(self, database: str = "postgres") -> str:
        """A SQLAlchemy URL for one database on this server."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        name = f"test_{uuid.uuid4().hex}"
        self._admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return name

    def drop_database(self, name: str) -> None:
        # FORCE ends any session a failed test left open, so the drop cannot hang.
        self._admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def _admin(self, statement: sql.Composed) -> None:
        conninfo = f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(statement)

    def _run(self, command: Sequence[str]) -> None:
        argv = [str(self.bindir / command[0]), *command[1:]]
        if self._as_postgres:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        # PG* variables (PGPORT, PGDATA ...) from the caller's shell must not steer the tools.
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
        if done.returncode != 0:
            log = ""
            if self.root is not None:
                with contextlib.suppress(OSError):
                    log = self.log_file.read_text(errors="replace")[-2000:]
            raise RuntimeError(
                f"{command[0]} failed ({done.returncode}): {done.stderr.strip()}\n{log}".strip()
            )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tmp() -> str | None:
    # The postgres user must be able to reach the folder; /tmp is open to everyone, a
    # root-only TMPDIR may not be. The socket path must also stay short (about 100 bytes).
    return "/tmp" if os.path.isdir("/tmp") else None
