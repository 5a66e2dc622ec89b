"""`seen link --incremental` at the command line: after a full run, the records of a package
loaded since are linked to its people with its model; with nothing new nothing is saved; and
the option is refused where it cannot apply. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from partnerships import Partnership, encoded_partnership
from seen.cli import app
from seen.encode import PartnershipKey
from seen.encode.keys import KEY_BYTES
from seen.settings import Settings

NOW = dt.datetime(2026, 3, 31, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def partnership(tmp_path_factory: pytest.TempPathFactory) -> Partnership:
    key = PartnershipKey(bytes(range(KEY_BYTES)), created=NOW)
    return encoded_partnership(tmp_path_factory.mktemp("partnership"), key, children=200, seed=21)


def _run(args: list[str], settings: Settings) -> tuple[int, str]:
    env = {
        "SEEN_DATA_DIR": str(settings.data_dir),
        "SEEN_DATABASE_URL": settings.resolved_database_url(),
    }
    result = CliRunner().invoke(app, args, env=env)
    return result.exit_code, " ".join(result.output.split())


def test_a_package_loaded_after_a_link_run_is_linked_incrementally_then_nothing_is_new(
    store_settings: Settings, partnership: Partnership
) -> None:
    *first, last = map(str, partnership.packages)
    code, output = _run(["link", "--incremental"], store_settings)
    assert code == 2 and "there is no link run yet" in output and "Traceback" not in output

    assert _run(["ingest", *first], store_settings)[0] == 0
    code, output = _run(["link"], store_settings)
    assert code == 0 and "saved as link run 1" in output, output
    assert _run(["ingest", last], store_settings)[0] == 0

    code, output = _run(["link", "--incremental"], store_settings)
    assert code == 0, output
    assert "the records loaded since link run 1 were linked with its model" in output
    assert "saved as link run 2" in output
    code, output = _run(["link", "--incremental"], store_settings)
    assert code == 0 and "No records were loaded since link run 2: nothing to link." in output


@pytest.mark.parametrize("extra", [["--backend", "spark"], ["some.seenpkg", "--out", "linked"]])
def test_incremental_linking_is_refused_with_packages_or_spark(
    store_settings: Settings, extra: list[str]
) -> None:
    code, output = _run(["link", "--incremental", *extra], store_settings)
    assert code == 2 and "--incremental links the hub's new records on DuckDB" in output
