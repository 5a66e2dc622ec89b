"""`seen ingest` with bad input: a clear message naming file, row and field, and a store
left exactly as it was. Runs on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select
from typer.testing import CliRunner

from formats.samples import PERSON, csv_text
from seen.cli import app
from seen.settings import Settings

AGENCY = "northshire-council"
SQL_NAME = "O'Brien); DROP TABLE events;--"


def _env(settings: Settings) -> dict[str, str]:
    return {
        "SEEN_DATA_DIR": str(settings.data_dir),
        "SEEN_DATABASE_URL": settings.resolved_database_url(),
    }


def _dump(settings: Settings) -> dict[str, list[tuple[object, ...]]]:
    engine = create_engine(settings.resolved_database_url())
    try:
        meta = MetaData()
        meta.reflect(engine)
        with engine.connect() as db:
            return {
                name: sorted((tuple(r) for r in db.execute(select(table))), key=repr)
                for name, table in sorted(meta.tables.items())
            }
    finally:
        engine.dispose()


def _ingest(settings: Settings, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["ingest", "--agency", AGENCY, *args], env=_env(settings))
    return result.exit_code, result.output


@pytest.fixture
def loaded(store_settings: Settings, tmp_path: Path) -> Settings:
    """A store that already holds one good extract, so 'unchanged' means something."""
    good = tmp_path / "good.csv"
    good.write_text(csv_text([PERSON, {**PERSON, "LAchildID": "LA0002"}]))
    code, output = _ingest(store_settings, str(good))
    assert code == 0, output
    return store_settings


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _missing_column(path: Path) -> None:
    columns = [c for c in PERSON if c != "DOB"]
    path.write_text(csv_text([{c: PERSON[c] for c in columns}], columns))


def _wrong_date_format(path: Path) -> None:
    path.write_text(csv_text([{**PERSON, "LAchildID": "LA0003", "DOB": "04/03/2012"}]))


def _unknown_code(path: Path) -> None:
    path.write_text(csv_text([{**PERSON, "LAchildID": "LA0003", "Ethnicity": "XXXX"}]))


def _latin_1(path: Path) -> None:
    path.write_bytes(
        csv_text([{**PERSON, "LAchildID": "LA0003", "Forename": "Zoë"}]).encode("latin-1")
    )


def _garbage_50mb(path: Path) -> None:
    with path.open("wb") as handle:
        for _ in range(50):
            handle.write(os.urandom(1 << 20))


BAD_INPUTS: dict[str, tuple[Callable[[Path], None], tuple[str, ...]]] = {
    "empty file": (_empty, ("bad.csv", "empty")),
    "missing column": (_missing_column, ("bad.csv", "DOB")),
    "wrong date format": (_wrong_date_format, ("bad.csv", "row 2", "DOB", "YYYY-MM-DD")),
    "unknown code": (_unknown_code, ("bad.csv", "row 2", "Ethnicity", "'XXXX'")),
    "Latin-1 bytes": (_latin_1, ("bad.csv", "row 2", "UTF-8")),
    "50 MB of garbage": (_garbage_50mb, ("bad.csv",)),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_gets_a_clear_message_and_leaves_the_store_as_it_was(
    case: str, loaded: Settings, tmp_path: Path
) -> None:
    make, expected = BAD_INPUTS[case]
    bad = tmp_path / "bad.csv"
    make(bad)
    before = _dump(loaded)
    code, output = _ingest(loaded, str(bad))
    assert code == 2, output
    flat = " ".join(output.split())
    for text in expected:
        assert text in flat
    assert "Traceback" not in output
    assert _dump(loaded) == before


def test_a_name_that_looks_like_sql_is_harmless_and_never_reaches_the_hub(
    loaded: Settings, tmp_path: Path
) -> None:
    extract = tmp_path / "names.csv"
    extract.write_text(csv_text([{**PERSON, "LAchildID": "LA0009", "Surname": SQL_NAME}]))
    validated = CliRunner().invoke(app, ["validate", str(extract)], env=_env(loaded))
    assert validated.exit_code == 0, validated.output
    code, output = _ingest(loaded, str(extract))
    assert code == 0, output
    dump = _dump(loaded)
    assert len(dump["records"]) == 3 and dump["events"] is not None
    assert not any("O'Brien" in repr(rows) for rows in dump.values())


def test_skip_invalid_loads_the_good_rows_and_reports_the_rest(
    loaded: Settings, tmp_path: Path
) -> None:
    extract = tmp_path / "mixed.csv"
    rows = [{**PERSON, "LAchildID": "LA0005"}, {**PERSON, "LAchildID": "LA0006", "DOB": "bad"}]
    extract.write_text(csv_text(rows))
    code, output = _ingest(loaded, "--skip-invalid", str(extract))
    assert code == 0, output
    assert "1 rows rejected" in " ".join(output.split()) or "1 row" in output
    refs = {row[2] for row in _dump(loaded)["records"]}
    assert "LA0005" in refs and "LA0006" not in refs
    rejects = loaded.data_dir / "rejects" / f"{AGENCY}.csv"
    assert "LA0006" in rejects.read_text() and "DOB" in rejects.read_text()


def test_the_public_samples_load_with_their_defects_reported(
    store_settings: Settings, testdata: Path
) -> None:
    result = CliRunner().invoke(
        app,
        ["ingest", "--agency", "public-903", str(testdata / "ssda903")],
        env=_env(store_settings),
    )
    assert result.exit_code == 2
    flat = " ".join(result.output.split())
    assert "imports nothing" in flat and "header.csv, UPN" in flat
    for agency, folder in (("public-903", "ssda903"), ("public-cin", "cin")):
        result = CliRunner().invoke(
            app,
            ["ingest", "--agency", agency, "--skip-invalid", str(testdata / folder)],
            env=_env(store_settings),
        )
        assert result.exit_code == 0, result.output
        assert "new records" in result.output and "rows rejected" in result.output
    dump = _dump(store_settings)
    assert len(dump["records"]) > 100 and len(dump["events"]) > 200
