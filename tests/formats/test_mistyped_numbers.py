"""An NHS number or UPN failing its check digit: a problem by default, and with
`keep_mistyped` a row kept, its number kept for comparison within one typo, and listed."""

from __future__ import annotations

from pathlib import Path

from formats.samples import ED, NHS, PERSON, SCHOOL, SSDA903_HEADER, UPN, write_csv
from seen.domain.identifiers import UPN_ALPHABET
from seen.encode.mapped import read_mapped_extract
from seen.formats import read_extract


def mistyped_upn() -> str:
    """UPN with another check letter: shaped right, failing its check."""
    return next(letter for letter in UPN_ALPHABET if letter != UPN[0]) + UPN[1:]


def mistyped_nhs() -> str:
    return NHS[:9] + str((int(NHS[9]) + 1) % 10)


def test_a_mistyped_upn_rejects_its_row_by_default_and_is_counted_as_keepable(
    tmp_path: Path,
) -> None:
    school = write_csv(tmp_path / "school.csv", [{**SCHOOL, "UPN": mistyped_upn()}])
    extract = read_extract([school])
    assert not extract.ok and extract.records == {}
    assert [p.field for p in extract.problems] == ["UPN"]
    assert extract.rejected_mistyped == 1 and extract.kept == []


def test_keeping_mistyped_numbers_keeps_the_row_its_number_and_events(tmp_path: Path) -> None:
    school = write_csv(tmp_path / "school.csv", [{**SCHOOL, "UPN": mistyped_upn()}])
    extract = read_extract([school], keep_mistyped=True)
    assert extract.ok and extract.rejected == []
    record = extract.records["PUP1"]
    assert record.identity.upn == mistyped_upn()
    assert record.events  # the attendance and suspensions are not lost
    (kept,) = extract.kept
    assert (kept.location, kept.record_id) == ("row 2", "PUP1")
    assert "check letter" in kept.reasons[0] and mistyped_upn() not in kept.reasons[0]


def test_a_mistyped_nhs_number_is_kept_like_a_upn(tmp_path: Path) -> None:
    health = write_csv(tmp_path / "ed.csv", [{**ED, "NHSNumber": mistyped_nhs()}])
    assert not read_extract([health]).ok
    extract = read_extract([health], keep_mistyped=True)
    assert extract.ok and extract.records["PAT1"].identity.nhs_number == mistyped_nhs()
    assert [row.record_id for row in extract.kept] == ["PAT1"]


def test_a_row_with_another_problem_is_rejected_and_not_counted_as_keepable(
    tmp_path: Path,
) -> None:
    row = {**SCHOOL, "UPN": mistyped_upn(), "DOB": "30/09/2011"}
    school = write_csv(tmp_path / "school.csv", [row])
    for keep in (False, True):
        extract = read_extract([school], keep_mistyped=keep)
        assert extract.records == {} and extract.kept == []
        assert extract.rejected_mistyped == 0


def test_a_value_not_shaped_like_a_number_is_a_problem_even_when_keeping(
    tmp_path: Path,
) -> None:
    rows = [{**SCHOOL, "UPN": UPN[:12]}, {**SCHOOL, "PupilID": "PUP2", "UPN": "I" + UPN[1:]}]
    health = write_csv(tmp_path / "ed.csv", [{**ED, "NHSNumber": NHS[:9]}])
    extract = read_extract([write_csv(tmp_path / "school.csv", rows)], keep_mistyped=True)
    assert extract.records == {} and len(extract.problems) == 2
    assert read_extract([health], keep_mistyped=True).records == {}


def test_a_number_passing_its_check_wins_over_a_mistyped_one_of_the_same_record(
    tmp_path: Path,
) -> None:
    autumn = {**SCHOOL, "UPN": mistyped_upn()}
    spring = {**SCHOOL, "CensusDate": "2025-01-16", "UPN": UPN}
    for rows in ([autumn, spring], [spring, autumn]):
        school = write_csv(tmp_path / "school.csv", rows)
        extract = read_extract([school], keep_mistyped=True)
        assert extract.records["PUP1"].identity.upn == UPN


def test_a_kept_row_whose_record_is_rejected_elsewhere_is_listed_as_rejected(
    tmp_path: Path,
) -> None:
    persons = write_csv(tmp_path / "persons.csv", [{**PERSON, "NHSNumber": mistyped_nhs()}])
    header = write_csv(tmp_path / "header.csv", [{**SSDA903_HEADER, "DOB": "not a date"}])
    extract = read_extract([persons, header], keep_mistyped=True)
    assert extract.records == {} and extract.kept == []
    assert any(row.file.endswith("persons.csv") for row in extract.rejected)


def test_a_mapped_file_keeps_mistyped_numbers_too(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(f"record_id,family_name,nhs_number\nP1,Okafor,{mistyped_nhs()}\n")
    mapping = {"record_id": "record_id", "family_name": "family_name", "nhs_number": "nhs_number"}
    refused = read_mapped_extract([path], mapping)
    assert not refused.ok and refused.rejected_mistyped == 1
    extract = read_mapped_extract([path], mapping, keep_mistyped=True)
    assert extract.ok and extract.records["P1"].identity.nhs_number == mistyped_nhs()
    assert [row.record_id for row in extract.kept] == ["P1"]
