"""`seen ingest` takes packages only: a bad package loads nothing and leaves the store as it
was. Runs on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select
from typer.testing import CliRunner

from formats.samples import PERSON, csv_text
from seen.cli import app
from seen.settings import Settings


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


def _run(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, args, env=env)
    return result.exit_code, " ".join(result.output.split())


def _package(tmp_path: Path, key: Path, name: str, rows: list[dict[str, str]]) -> Path:
    extract = tmp_path / f"{name}.csv"
    extract.write_text(csv_text(rows))
    package = tmp_path / f"{name}.seenpkg"
    code, output = _run(
        [
            "encode",
            "--key",
            str(key),
            "--agency",
            "northshire-council",
            "--input",
            str(extract),
            "--out",
            str(package),
        ]
    )
    assert code == 0, output
    return package


@pytest.fixture
def key(tmp_path: Path) -> Path:
    path = tmp_path / "partnership.key"
    assert _run(["keys", "new", "--out", str(path)])[0] == 0
    return path


@pytest.fixture
def loaded(store_settings: Settings, tmp_path: Path, key: Path) -> Settings:
    """A store that already holds one good package, so 'unchanged' means something."""
    good = _package(tmp_path, key, "good", [PERSON, {**PERSON, "LAchildID": "LA0002"}])
    code, output = _run(["ingest", str(good)], _env(store_settings))
    assert code == 0, output
    return store_settings


def _corrupt(package: Path) -> None:
    data = bytearray(package.read_bytes())
    data[len(data) // 2] ^= 0xFF
    package.write_bytes(bytes(data))


def _extra_member(package: Path) -> None:
    with zipfile.ZipFile(package, "a") as archive:
        archive.writestr("names.csv", "Forename\nZephyrine\n")


def test_a_package_loads_and_loading_it_again_changes_nothing(
    loaded: Settings, tmp_path: Path
) -> None:
    before = _dump(loaded)
    assert len(before["records"]) == 2 and len(before["record_encodings"]) == 2
    good = tmp_path / "good.seenpkg"
    code, output = _run(["ingest", str(good)], _env(loaded))
    assert code == 0 and "already loaded" in output
    assert _dump(loaded) == before


@pytest.mark.parametrize("damage", [_corrupt, _extra_member], ids=["corrupted", "extra member"])
def test_a_damaged_package_loads_nothing(
    damage: object, loaded: Settings, tmp_path: Path, key: Path
) -> None:
    package = _package(tmp_path, key, "next", [{**PERSON, "LAchildID": "LA0003"}])
    damage(package)  # type: ignore[operator]
    before = _dump(loaded)
    code, output = _run(["ingest", str(package)], _env(loaded))
    assert code == 2, output
    assert "next.seenpkg" in output and "Traceback" not in output
    assert _dump(loaded) == before


def test_a_raw_extract_is_refused_at_the_hub(loaded: Settings, tmp_path: Path) -> None:
    raw = tmp_path / "raw.csv"
    raw.write_text(csv_text([PERSON]))
    before = _dump(loaded)
    code, output = _run(["ingest", str(raw)], _env(loaded))
    assert code == 2, output
    assert "raw.csv" in output and "package" in output
    assert _dump(loaded) == before


def test_a_package_made_with_another_key_is_refused(loaded: Settings, tmp_path: Path) -> None:
    other_key = tmp_path / "other.key"
    assert _run(["keys", "new", "--out", str(other_key)])[0] == 0
    package = _package(tmp_path, other_key, "stranger", [{**PERSON, "LAchildID": "LA0007"}])
    before = _dump(loaded)
    code, output = _run(["ingest", str(package)], _env(loaded))
    assert code == 2, output
    assert "different partnership key" in output
    assert _dump(loaded) == before


def test_the_public_samples_encode_with_their_defects_reported_and_load(
    store_settings: Settings, testdata: Path, key: Path, tmp_path: Path
) -> None:
    package = tmp_path / "903.seenpkg"
    encode = ["encode", "--key", str(key), "--agency", "public-903", "--out", str(package)]
    code, output = _run([*encode, "--input", str(testdata / "ssda903")])
    assert code == 2 and "nothing was encoded" in output and "header.csv, UPN" in output
    for agency, folder in (("public-903", "ssda903"), ("public-cin", "cin")):
        package = tmp_path / f"{agency}.seenpkg"
        code, output = _run(
            [
                "encode",
                "--key",
                str(key),
                "--agency",
                agency,
                "--skip-invalid",
                "--input",
                str(testdata / folder),
                "--out",
                str(package),
            ]
        )
        assert code == 0 and "rows rejected" in output, output
        code, output = _run(["ingest", str(package)], _env(store_settings))
        assert code == 0 and "new records" in output, output
    dump = _dump(store_settings)
    assert len(dump["records"]) > 100 and len(dump["events"]) > 200
