"""`seen encode` with bad input: a clear message naming file, row and field, and no
package written. Raw extracts are read on the agency side only."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from formats.samples import PERSON, csv_text
from seen.cli import app

AGENCY = "northshire-council"


@pytest.fixture
def key(tmp_path: Path) -> Path:
    path = tmp_path / "partnership.key"
    result = CliRunner().invoke(app, ["keys", "new", "--out", str(path)])
    assert result.exit_code == 0, result.output
    return path


def encode(key: Path, out: Path, *args: str) -> tuple[int, str]:
    command = ["encode", "--key", str(key), "--agency", AGENCY, "--out", str(out), *args]
    result = CliRunner().invoke(app, command)
    return result.exit_code, " ".join(result.output.split())


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _missing_column(path: Path) -> None:
    columns = [c for c in PERSON if c != "DOB"]
    path.write_text(csv_text([{c: PERSON[c] for c in columns}], columns))


def _wrong_date_format(path: Path) -> None:
    path.write_text(csv_text([{**PERSON, "DOB": "04/03/2012"}]))


def _unknown_code(path: Path) -> None:
    path.write_text(csv_text([{**PERSON, "Ethnicity": "XXXX"}]))


def _latin_1(path: Path) -> None:
    path.write_bytes(csv_text([{**PERSON, "Forename": "Zoë"}]).encode("latin-1"))


def _unknown_columns(path: Path) -> None:
    path.write_text("PersonRef,Forename\nP1,Ann\n")


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
    "columns of no known extract": (_unknown_columns, ("bad.csv", "row 1", "PersonRef", "--map")),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_gets_a_clear_message_and_no_package(
    case: str, key: Path, tmp_path: Path
) -> None:
    make, expected = BAD_INPUTS[case]
    bad = tmp_path / "bad.csv"
    make(bad)
    package = tmp_path / "out.seenpkg"
    code, output = encode(key, package, "--input", str(bad))
    assert code == 2, output
    for text in expected:
        assert text in output
    assert "Traceback" not in output
    assert not package.exists()


def test_a_name_that_looks_like_sql_is_encoded_and_never_appears_in_the_package(
    key: Path, tmp_path: Path
) -> None:
    extract = tmp_path / "names.csv"
    extract.write_text(csv_text([{**PERSON, "Surname": "O'Brien); DROP TABLE events;--"}]))
    package = tmp_path / "names.seenpkg"
    code, output = encode(key, package, "--input", str(extract))
    assert code == 0, output
    assert b"O'Brien" not in package.read_bytes() and b"DROP TABLE" not in package.read_bytes()


def test_skip_invalid_encodes_the_good_rows_and_reports_the_rest(key: Path, tmp_path: Path) -> None:
    extract = tmp_path / "mixed.csv"
    rows = [{**PERSON, "LAchildID": "LA0005"}, {**PERSON, "LAchildID": "LA0006", "DOB": "bad"}]
    extract.write_text(csv_text(rows))
    package = tmp_path / "mixed.seenpkg"
    code, output = encode(key, package, "--skip-invalid", "--input", str(extract))
    assert code == 0, output
    assert "1 records" in output and "1 rows rejected" in output
    rejects = (tmp_path / "mixed.seenpkg.rejects.csv").read_text()
    assert "LA0006" in rejects and "DOB" in rejects


def test_a_missing_key_file_is_a_clear_error(tmp_path: Path) -> None:
    extract = tmp_path / "p.csv"
    extract.write_text(csv_text([PERSON]))
    code, output = encode(tmp_path / "nope.key", tmp_path / "p.seenpkg", "--input", str(extract))
    assert code == 2, output
    assert "nope.key" in output and "Traceback" not in output


def test_a_csv_whose_columns_are_named_as_the_identity_fields_needs_no_mapping(
    key: Path, tmp_path: Path
) -> None:
    extract = tmp_path / "carers.csv"
    extract.write_text(
        "record_id,given_name,family_name,date_of_birth,sex,postcode\n"
        "YC-001,Zoë,O'Brien,2012-03-04,F,ZX3 7AB\n"
        "YC-002,Sam,Okafor,2011-05-06,M,ZX10 2YA\n"
    )
    package = tmp_path / "carers.seenpkg"
    code, output = encode(key, package, "--kind", "young_carers_service", "--input", str(extract))
    assert code == 0, output
    assert "2 records" in output and package.exists()


def test_a_standard_named_csv_with_a_bad_date_names_its_row_and_field(
    key: Path, tmp_path: Path
) -> None:
    extract = tmp_path / "carers.csv"
    extract.write_text("record_id,given_name,date_of_birth\nYC-001,Zoë,2012-13-40\n")
    package = tmp_path / "carers.seenpkg"
    code, output = encode(key, package, "--kind", "young_carers_service", "--input", str(extract))
    assert code == 2 and "carers.csv, row 2, date_of_birth:" in output, output
    assert "2012-13-40" not in output and not package.exists()


def test_a_mistyped_nhs_number_is_kept_only_when_asked_and_then_compared_near_only(
    key: Path, tmp_path: Path
) -> None:
    from seen.encode.reader import read_package

    mistyped = PERSON["NHSNumber"][:9] + str((int(PERSON["NHSNumber"][9]) + 1) % 10)
    extract = tmp_path / "persons.csv"
    rows = [{**PERSON, "LAchildID": "LA0005"}, {**PERSON, "LAchildID": "LA0006"}]
    rows[1]["NHSNumber"] = mistyped
    extract.write_text(csv_text(rows))
    package = tmp_path / "persons.seenpkg"
    code, output = encode(key, package, "--input", str(extract))
    assert code == 2 and not package.exists()
    assert "1 rows fail only because an NHS number or UPN fails its check" in output
    assert "--keep-mistyped-numbers" in output

    code, output = encode(key, package, "--keep-mistyped-numbers", "--input", str(extract))
    assert code == 0, output
    assert "2 records" in output and "1 rows kept with a mistyped NHS number" in output
    kept = (tmp_path / "persons.seenpkg.mistyped.csv").read_text()
    assert "LA0006" in kept and "NHSNumber" in kept and mistyped not in kept
    records = {r["record_id"]: r for r in read_package(package).records.to_pylist()}
    # The mistyped number is never an exact token, but its near set meets the right one's.
    assert records["LA0005"]["tok_nhs"] is not None and records["LA0006"]["tok_nhs"] is None
    assert records["LA0006"]["near_nhs"] is not None
    assert mistyped.encode() not in package.read_bytes()
