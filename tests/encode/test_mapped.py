"""`--map`: any CSV or Parquet file read through a column mapping, problems reported plainly."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from seen.domain.agencies import AgencyKind
from seen.domain.demographics import Sex
from seen.encode import (
    PartnershipKey,
    parse_mapping,
    read_mapped_extract,
    read_package,
    write_package,
)
from seen.encode.mapped import standard_mapping
from seen.errors import InvalidInput

MAPPING = {
    "Ref": "record_id",
    "First": "given_name",
    "Last": "family_name",
    "Born": "date_of_birth",
    "Gender": "sex",
    "Post Code": "postcode",
    "NHS": "nhs_number",
}
HEADER = ["Ref", "First", "Last", "Born", "Gender", "Post Code", "NHS", "Notes"]
ROWS = [
    ["YC-001", "Zoë", "O'Brien", "2012-03-04", "F", "zx3 7ab", "943 476 5919", "free text"],
    ["YC-002", "Łukasz", "Nowak", "25/11/2010", "1", "", "", ""],
    ["YC-003", "Amelia", "Okafor", "31/02/2011", "F", "ZX10 2YA", "", "bad date"],
]


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_a_mapping_is_read_from_its_command_line_form() -> None:
    assert parse_mapping(" GivenName = given_name , DOB=date_of_birth,Ref=record_id ") == {
        "GivenName": "given_name",
        "DOB": "date_of_birth",
        "Ref": "record_id",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Ref=record_id,DOB=dob", "'dob' is not a field"),
        ("Ref=record_id,Forename=given", "did you mean given_name?"),
        ("Ref=record_id,Forename", "is not written column=field"),
        ("Ref=record_id,A=given_name,B=given_name", "given_name is mapped from more than one"),
        ("Forename=given_name", "map one column to record_id"),
    ],
)
def test_a_wrong_mapping_is_refused_clearly(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_mapping(text)
    assert any(message in problem.message for problem in caught.value.problems)
    assert message in caught.value.message or len(caught.value.problems) > 1


def test_an_unknown_field_lists_the_fields() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_mapping("Ref=record_id,Mother=mothers_name")
    [problem] = caught.value.problems
    assert problem.field == "Mother" and "record_id, given_name, middle_names" in problem.message


def test_a_csv_is_read_through_the_mapping_and_a_bad_date_reported_without_its_value(
    tmp_path: Path,
) -> None:
    path = write_csv(tmp_path / "carers.csv", ROWS)
    extract = read_mapped_extract([path], MAPPING, today=dt.date(2026, 1, 1))
    assert set(extract.records) == {"YC-001", "YC-002"}
    zoe = extract.records["YC-001"].identity
    assert (zoe.given_name, zoe.family_name, zoe.date_of_birth) == (
        "Zoë",
        "O'Brien",
        dt.date(2012, 3, 4),
    )
    assert (zoe.sex, zoe.postcode, zoe.nhs_number) == (Sex.FEMALE, "ZX3 7AB", "9434765919")
    lukasz = extract.records["YC-002"]
    assert (
        lukasz.identity.date_of_birth == dt.date(2010, 11, 25) and lukasz.identity.sex is Sex.MALE
    )
    assert lukasz.demographics.birth_month == "2010-11" and not lukasz.events
    [problem] = extract.problems
    assert (problem.file, problem.location, problem.field) == (str(path), "row 4", "Born")
    assert "YYYY-MM-DD or dd/mm/YYYY" in problem.message and "31/02" not in problem.message
    [rejected] = extract.rejected
    assert rejected.record_id == "YC-003"
    [report] = extract.files
    assert (report.format, report.rows, report.rejected_rows) == ("mapped-csv", 3, 1)
    assert extract.agency_kind is None


def test_every_problem_of_a_row_is_reported_and_none_echoes_an_identifier(tmp_path: Path) -> None:
    rows = [["YC-009", "Amelia", "Okafor", "2040-01-01", "X", "nowhere", "1234567890", ""]]
    path = write_csv(tmp_path / "bad.csv", rows)
    extract = read_mapped_extract([path], MAPPING, today=dt.date(2026, 1, 1))
    fields = {problem.field for problem in extract.problems}
    assert fields == {"Born", "Gender", "Post Code", "NHS"}
    for problem in extract.problems:
        for value in ("2040-01-01", "nowhere", "1234567890", "Okafor"):
            assert value not in problem.message
    assert not extract.records


def test_a_missing_column_is_named_with_its_field(tmp_path: Path) -> None:
    header = [c for c in HEADER if c != "Born"]
    path = write_csv(tmp_path / "short.csv", [row[:3] + row[4:] for row in ROWS[:1]], header)
    extract = read_mapped_extract([path], MAPPING)
    [problem] = extract.problems
    assert (problem.location, problem.field) == ("row 1", "Born")
    assert "mapped to date_of_birth" in problem.message


def test_a_reference_twice_in_one_file_is_a_problem(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "twice.csv", [ROWS[0], ROWS[0]])
    extract = read_mapped_extract([path], MAPPING)
    [problem] = extract.problems
    assert problem.location == "row 3" and "more than once" in problem.message


def test_a_parquet_file_is_read_through_the_mapping(tmp_path: Path, key: PartnershipKey) -> None:
    table = pa.table(
        {
            "person_ref": ["A1", "A2", "A3"],
            "forename": ["Bill", "Siobhán", None],
            "surname": ["Smith-Jones", "Nguyễn", "Kowalski"],
            "dob": pa.array([dt.date(2012, 3, 4), None, dt.date(2009, 7, 1)], pa.date32()),
            "nhs": pa.array([9434765919, None, None], pa.int64()),
            "upn": ["W990200114007", None, "not a upn"],
        }
    )
    path = tmp_path / "export.parquet"
    pq.write_table(table, path)
    mapping = parse_mapping(
        "person_ref=record_id,forename=given_name,surname=family_name,dob=date_of_birth,"
        "nhs=nhs_number,upn=upn"
    )
    extract = read_mapped_extract([path], mapping)
    assert set(extract.records) == {"A1", "A2"}
    bill = extract.records["A1"].identity
    assert bill.date_of_birth == dt.date(2012, 3, 4) and bill.nhs_number == "9434765919"
    assert bill.upn == "W990200114007"
    [problem] = extract.problems
    assert (problem.location, problem.field) == ("record 3", "upn")
    assert extract.files[0].format == "mapped-parquet"
    summary = write_package(
        tmp_path / "mapped.seenpkg", agency="northshire-young-carers",
        agency_kind=AgencyKind.YOUNG_CARERS_SERVICE, records=extract.records, key=key,
        source_files=extract.files,
    )  # fmt: skip
    package = read_package(summary.path)
    assert package.records.num_rows == 2 and package.events.num_rows == 0


def test_a_path_that_does_not_exist_or_a_file_of_another_kind(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="not found"):
        read_mapped_extract([tmp_path / "nope.csv"], MAPPING)
    xml = tmp_path / "cin.xml"
    xml.write_text("<Message/>")
    extract = read_mapped_extract([xml], MAPPING)
    [problem] = extract.problems
    assert "CSV or Parquet" in problem.message


def test_files_whose_columns_are_all_identity_fields_map_onto_themselves(tmp_path: Path) -> None:
    named = write_csv(tmp_path / "a.csv", [], ["record_id", "Given_Name", "date_of_birth"])
    again = tmp_path / "b.parquet"
    pq.write_table(
        pa.table({n: ["x"] for n in ("record_id", "given_name", "date_of_birth")}), again
    )
    assert standard_mapping([named, again]) == {
        "record_id": "record_id",
        "given_name": "given_name",
        "date_of_birth": "date_of_birth",
    }
    fewer = write_csv(tmp_path / "c.csv", [], ["record_id", "given_name"])
    other = write_csv(tmp_path / "d.csv", [], ["record_id", "given_name", "Notes"])
    no_id = write_csv(tmp_path / "e.csv", [], ["given_name", "family_name"])
    xml = tmp_path / "f.xml"
    xml.write_text("<Message/>")
    for paths in ([named, fewer], [other], [no_id], [xml], [tmp_path / "missing.csv"]):
        assert standard_mapping(paths) is None, paths
