"""`seen serve`: where it listens, how it runs uvicorn, and the warning when browsers would
not send its Secure session cookies. uvicorn.run is replaced, so nothing blocks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from seen.cli import app
from seen.cli.web import APP_FACTORY, is_loopback


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **kw: calls.append({"app": target, **kw}))
    return calls


def serve(tmp_path: Path, *args: str, **env: str) -> Any:
    environment = {"SEEN_DATA_DIR": str(tmp_path / "data"), "SEEN_DATABASE_URL": "", **env}
    return CliRunner().invoke(app, ["serve", *args], env=environment)


def test_serves_the_app_factory_on_seen_host_and_port(
    tmp_path: Path, runs: list[dict[str, Any]]
) -> None:
    result = serve(tmp_path, SEEN_HOST="127.0.0.2", SEEN_PORT="8123")
    assert result.exit_code == 0, result.output
    (call,) = runs
    assert call["app"] == APP_FACTORY and call["factory"] is True
    assert (call["host"], call["port"], call["workers"]) == ("127.0.0.2", 8123, 1)
    assert "http://127.0.0.2:8123/" in result.stdout
    assert "Warning" not in result.stderr
    assert (tmp_path / "data" / "seen.db").exists()  # the store was opened and migrated first


def test_options_win_over_the_environment(tmp_path: Path, runs: list[dict[str, Any]]) -> None:
    result = serve(tmp_path, "--host", "::1", "--port", "9000", "--workers", "2", SEEN_PORT="1")
    assert result.exit_code == 0, result.output
    assert (runs[0]["host"], runs[0]["port"], runs[0]["workers"]) == ("::1", 9000, 2)
    assert "http://[::1]:9000/" in result.stdout


def test_plain_http_off_loopback_warns_that_secure_cookies_will_not_be_sent(
    tmp_path: Path, runs: list[dict[str, Any]]
) -> None:
    result = serve(tmp_path, "--host", "0.0.0.0")
    assert result.exit_code == 0, result.output
    warning = " ".join(result.stderr.split())
    assert "session cookies are Secure" in warning and "HTTPS" in warning
    assert runs  # a warning, not a refusal: a TLS proxy in front is a normal set-up


def test_insecure_cookies_off_loopback_warn_too(tmp_path: Path, runs: list[dict[str, Any]]) -> None:
    result = serve(tmp_path, "--host", "192.0.2.1", SEEN_COOKIE_SECURE="false")
    assert "unencrypted" in " ".join(result.stderr.split())


def test_https_needs_both_the_certificate_and_its_key(
    tmp_path: Path, runs: list[dict[str, Any]]
) -> None:
    result = serve(tmp_path, "--ssl-certfile", str(tmp_path / "cert.pem"))
    assert result.exit_code == 2
    assert "both --ssl-certfile and --ssl-keyfile" in result.stderr
    assert runs == []


@pytest.mark.parametrize("port", ["0", "65536", "http"])
def test_a_bad_port_is_refused_before_anything_runs(
    tmp_path: Path, runs: list[dict[str, Any]], port: str
) -> None:
    result = serve(tmp_path, "--port", port)
    assert result.exit_code == 2 and runs == []


def test_loopback_addresses() -> None:
    assert all(map(is_loopback, ["127.0.0.1", "127.1.2.3", "::1", "localhost"]))
    assert not any(map(is_loopback, ["0.0.0.0", "::", "10.0.0.1", "seen.example"]))


def test_the_factory_builds_the_app_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from seen.web.app import app_from_environment

    monkeypatch.setenv("SEEN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SEEN_DATABASE_URL", "")
    built = app_from_environment()
    assert built.state.seen.settings.data_dir == tmp_path / "data"
    built.state.seen.store.close()
