"""One extract, many files: records merged by the agency's reference, and the rejection rules."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from formats.samples import (
    EPISODE,
    INCIDENT,
    PERSON,
    REFERRAL,
    SCHOOL,
    SSDA903_HEADER,
    cin_child,
    cin_message,
    write_csv,
)
from seen.domain.agencies import AgencyKind
from seen.domain.events import EventKind
from seen.formats import read_extract


def write_cin(path: Path, *children: str) -> Path:
    path.write_text(cin_message(*children))
    return path


def test_persons_ssda903_and_cin_merge_under_one_reference(tmp_path: Path) -> None:
    files = [
        write_csv(tmp_path / "persons.csv", [PERSON]),
        write_csv(tmp_path / "header.csv", [{**SSDA903_HEADER, "ETHNIC": "WIRI"}]),
        write_csv(tmp_path / "episodes.csv", [EPISODE]),
        write_cin(tmp_path / "cin.xml", cin_child(details=f"<CINdetails>{REFERRAL}</CINdetails>")),
    ]
    extract = read_extract(files)
    assert extract.ok, extract.problems
    assert list(extract.records) == ["LA0001"]
    record = extract.records["LA0001"]
    assert record.identity.given_name == "Zephyrine"  # only persons.csv has names
    assert record.demographics.ethnicity == "WBRI"  # the first file to give one wins
    kinds = sorted(e.kind.value for e in record.events)
    assert kinds == ["cin_primary_need", "cin_referral", "looked_after_episode"]


def test_identity_gaps_are_filled_from_later_files(tmp_path: Path) -> None:
    files = [
        write_csv(tmp_path / "a.csv", [{**SCHOOL, "Postcode": "", "Sex": ""}]),
        write_csv(tmp_path / "b.csv", [{**SCHOOL, "CensusDate": "2025-01-16", "Sex": "M"}]),
    ]
    identity = read_extract(files).records["PUP1"].identity
    assert identity.postcode == "ZX3 7AB"
    assert identity.sex.value == "M"


def test_a_rejected_identity_rejects_the_persons_rows_in_other_files(tmp_path: Path) -> None:
    persons = write_csv(tmp_path / "persons.csv", [{**PERSON, "DOB": "04/03/2012"}])
    episodes = write_csv(tmp_path / "episodes.csv", [EPISODE])
    cin = write_cin(tmp_path / "cin.xml", cin_child(details=f"<CINdetails>{REFERRAL}</CINdetails>"))
    extract = read_extract([episodes, cin, persons])
    assert extract.records == {}
    assert len(extract.problems) == 1  # the one real mistake, in persons.csv
    reasons = {(Path(r.file).name, r.reasons) for r in extract.rejected}
    cascade = ("record LA0001 was rejected in persons.csv",)
    assert reasons == {
        ("persons.csv", (extract.problems[0].message,)),
        ("episodes.csv", cascade),
        ("cin.xml", cascade),  # read before persons.csv, then withdrawn
    }
    report = {Path(f.path).name: (f.rows, f.rejected_rows) for f in extract.files}
    assert report == {"episodes.csv": (1, 1), "cin.xml": (1, 1), "persons.csv": (1, 1)}


def test_other_people_are_unaffected_by_a_rejection(tmp_path: Path) -> None:
    persons = write_csv(
        tmp_path / "persons.csv",
        [{**PERSON, "DOB": "bad"}, {**PERSON, "LAchildID": "LA0002"}],
    )
    episodes = write_csv(tmp_path / "episodes.csv", [EPISODE, {**EPISODE, "CHILD": "LA0002"}])
    extract = read_extract([persons, episodes])
    assert list(extract.records) == ["LA0002"]
    assert extract.records["LA0002"].events[0].kind is EventKind.LOOKED_AFTER_EPISODE


def test_files_from_two_kinds_of_agency_are_a_problem(tmp_path: Path) -> None:
    school = write_csv(tmp_path / "school.csv", [SCHOOL])
    police = write_csv(tmp_path / "police.csv", [INCIDENT])
    extract = read_extract([school, police])
    assert extract.agency_kind is AgencyKind.SCHOOL
    [problem] = extract.problems
    assert problem.file == str(police)
    assert problem.message.startswith("this is a police incidents file (Police), but this extract")
    assert list(extract.records) == ["PUP1"]
    assert [f.rows for f in extract.files] == [1, 0]


def test_agency_kind_follows_the_formats(tmp_path: Path) -> None:
    expected = {
        "persons.csv": ([PERSON], AgencyKind.CHILDRENS_SERVICES),
        "school.csv": ([SCHOOL], AgencyKind.SCHOOL),
        "police.csv": ([INCIDENT], AgencyKind.POLICE),
    }
    for name, (rows, kind) in expected.items():
        assert read_extract([write_csv(tmp_path / name, rows)]).agency_kind is kind


def test_folders_are_read_sorted_and_not_recursively(tmp_path: Path) -> None:
    folder = tmp_path / "extract"
    (folder / "old").mkdir(parents=True)
    write_csv(folder / "b_persons.csv", [{**PERSON, "LAchildID": "B"}])
    write_csv(folder / "a_persons.CSV", [{**PERSON, "LAchildID": "A"}])
    write_csv(folder / "old" / "c_persons.csv", [{**PERSON, "LAchildID": "C"}])
    (folder / "notes.txt").write_text("not read")
    extract = read_extract([folder, folder / "b_persons.csv"])
    names = [(Path(f.path).name, f.format) for f in extract.files]
    assert names == [
        ("a_persons.CSV", "persons"),
        ("b_persons.csv", "persons"),
        ("notes.txt", "skipped"),
    ]
    assert sorted(extract.records) == ["A", "B"]


def test_file_reports_carry_the_sha256_of_the_bytes(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "persons.csv", [PERSON])
    [report] = read_extract([path]).files
    assert report.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (report.path, report.rows, report.rejected_rows) == (str(path), 1, 0)


def test_a_file_is_recognised_by_content_not_name(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ssda903_header.csv", [SCHOOL])
    extract = read_extract([path])
    assert extract.files[0].format == "school-census"
    assert extract.records["PUP1"].events[0].start == dt.date(2024, 10, 3)
