from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from formats.samples import EPISODE, MISSING, SSDA903_HEADER, UPN, write_csv
from seen.domain.agencies import AgencyKind
from seen.domain.demographics import Sex
from seen.domain.events import EventKind
from seen.formats import Extract, read_extract


@pytest.fixture(scope="module")
def folder(testdata: Path) -> Extract:
    """The whole public SSDA903 folder, read once for the tests that only look."""
    return read_extract([testdata / "ssda903"])


def test_real_ssda903_folder_yields_records_and_episodes(folder: Extract) -> None:
    extract = folder
    assert extract.agency_kind is AgencyKind.CHILDRENS_SERVICES
    assert len(extract.records) > 100
    kinds = {event.kind for record in extract.records.values() for event in record.events}
    assert EventKind.LOOKED_AFTER_EPISODE in kinds
    formats = {report.format for report in extract.files}
    assert {"ssda903-header", "ssda903-episodes", "ssda903-missing", "ssda903-xml"} <= formats
    assert {"ssda903-uasc", "ssda903-oc2", "ssda903-oc3", "ssda903-reviews"} <= formats


def test_real_ssda903_upn_failures_are_reported_with_file_row_and_field(testdata: Path) -> None:
    extract = read_extract([testdata / "ssda903" / "header.csv"])
    first = extract.problems[0]
    assert first.file.endswith("header.csv")
    assert (first.location, first.field) == ("row 2", "UPN")
    assert "D051910639385" not in first.message and "check letter" in first.message
    header = extract.files[0]
    # About 96% of the fake UPNs fail their check letter; each one is a rejected row.
    assert header.rows == 2675
    assert 0.9 < header.rejected_rows / header.rows < 1
    # Every problem is listed: a real extract stays well under the per-file cap.
    assert extract.problems_not_listed == 0
    assert len(extract.problems) >= header.rejected_rows  # a row may have several


def test_licence_in_a_folder_is_listed_as_skipped_not_a_problem(folder: Extract) -> None:
    extract = folder
    licence = [report for report in extract.files if report.path.endswith("LICENSE")]
    assert [report.format for report in licence] == ["skipped"]
    assert not any(problem.file.endswith("LICENSE") for problem in extract.problems)


def test_a_valid_real_child_has_identity_demographics_and_episodes(testdata: Path) -> None:
    extract = read_extract([testdata / "ssda903" / "header.csv", testdata / "ssda903"])
    record = extract.records["978711"]
    assert record.identity.date_of_birth == dt.date(2001, 5, 19)
    assert record.identity.sex is Sex.MALE
    assert record.identity.upn == "Q074493851935"
    assert record.demographics.birth_month == "2001-05"
    assert record.demographics.ethnicity == "MWBC"
    assert any(e.kind is EventKind.LOOKED_AFTER_EPISODE for e in record.events)


def test_episodes_of_a_child_rejected_in_the_header_are_rejected_too(folder: Extract) -> None:
    extract = folder
    assert "566910" not in extract.records
    episodes = [r for r in extract.rejected if r.file.endswith("episodes.csv")]
    assert episodes[0].record_id == "566910"
    assert episodes[0].reasons == ("record 566910 was rejected in header.csv",)


def test_validation_only_tables_yield_no_records(testdata: Path) -> None:
    for name in ("uasc.csv", "oc2.csv", "oc3.csv", "reviews.csv"):
        extract = read_extract([testdata / "ssda903" / name])
        assert extract.records == {}
        assert extract.files[0].rows > 0
        assert extract.problems == []


def test_ssda903_xml_form_reads_headers_episodes_and_missing(testdata: Path) -> None:
    extract = read_extract([testdata / "ssda903" / "fake_903.xml"])
    assert extract.files[0].format == "ssda903-xml"
    assert extract.files[0].rows == 253
    assert extract.records and extract.event_count > 0
    problem = extract.problems[0]
    assert problem.location == "EXPSSDA903/CHILD[1]/HEADER"
    assert problem.field == "UPN"


def test_ssda903_xml_missing_episodes_become_events(tmp_path: Path) -> None:
    xml = (
        "<EXPSSDA903><CHILD><HEADER><CHILDID>77</CHILDID><UPN>UN2</UPN><SEX>1</SEX>"
        "<DOB>01/02/2010</DOB><ETHNIC>WBRI</ETHNIC><AMISSING><MISSING>A</MISSING>"
        "<MIS_START>03/03/2020</MIS_START><MIS_END>04/03/2020</MIS_END></AMISSING></HEADER>"
        "<EPISODE><DECOM>01/01/2020</DECOM><DEC /></EPISODE></CHILD></EXPSSDA903>"
    )
    path = tmp_path / "return.xml"
    path.write_text(xml)
    extract = read_extract([path])
    assert extract.problems == []
    events = extract.records["77"].events
    assert [(e.kind, e.code) for e in events] == [
        (EventKind.LOOKED_AFTER_EPISODE, None),
        (EventKind.MISSING_EPISODE, "A"),
    ]
    assert extract.records["77"].identity.upn is None


def test_header_episode_and_missing_rows_build_one_record(tmp_path: Path) -> None:
    files = [
        write_csv(tmp_path / "h.csv", [SSDA903_HEADER]),
        write_csv(tmp_path / "e.csv", [EPISODE]),
        write_csv(tmp_path / "m.csv", [MISSING]),
    ]
    extract = read_extract(files)
    assert extract.ok, extract.problems
    record = extract.records["LA0001"]
    assert record.identity.sex is Sex.FEMALE and record.identity.upn == UPN
    episode, missing = record.events
    assert (episode.start, episode.end) == (dt.date(2020, 2, 1), dt.date(2020, 8, 1))
    assert (missing.kind, missing.code, missing.end) == (
        EventKind.MISSING_EPISODE,
        "M",
        dt.date(2020, 3, 12),
    )


def test_ssda903_dates_must_be_written_dd_mm_yyyy(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "h.csv", [{**SSDA903_HEADER, "DOB": "1999-02-30"}])
    extract = read_extract([path])
    [problem] = extract.problems
    assert (problem.location, problem.field) == ("row 2", "DOB")
    assert problem.message == "DOB is not a date in the form dd/mm/YYYY"
    assert extract.records == {}
    assert extract.rejected[0].reasons == (problem.message,)


def test_a_date_of_birth_in_the_future_is_reported(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "h.csv", [{**SSDA903_HEADER, "DOB": "02/01/2030"}])
    extract = read_extract([path], today=dt.date(2030, 1, 1))
    assert [p.message for p in extract.problems] == ["DOB is in the future"]


def test_sex_outside_the_ssda903_codes_names_the_code_and_the_allowed_ones(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "h.csv", [{**SSDA903_HEADER, "SEX": "F"}])
    [problem] = read_extract([path]).problems
    assert problem.field == "SEX"
    assert "'F'" in problem.message and "1, 2" in problem.message


def test_un_codes_stand_for_an_unknown_upn(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "h.csv", [{**SSDA903_HEADER, "UPN": "UN4"}])
    extract = read_extract([path])
    assert extract.ok
    assert extract.records["LA0001"].identity.upn is None


def test_mother_must_be_1_or_0(tmp_path: Path) -> None:
    # As in the public fake data, where a spreadsheet turned 1 into 1.0.
    path = write_csv(tmp_path / "h.csv", [{**SSDA903_HEADER, "MOTHER": "1.0"}])
    [problem] = read_extract([path]).problems
    assert problem.field == "MOTHER" and "'1.0'" in problem.message


def test_an_episode_ending_before_it_starts_is_reported(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [{**EPISODE, "DEC": "01/01/2020"}])
    [problem] = read_extract([path]).problems
    assert problem.field == "DEC"
    assert problem.message.startswith("DEC 01/01/2020 is before DECOM 01/02/2020")


def test_an_episode_for_a_child_not_in_the_header_is_reported(tmp_path: Path) -> None:
    header = write_csv(tmp_path / "h.csv", [SSDA903_HEADER])
    episodes = write_csv(tmp_path / "e.csv", [{**EPISODE, "CHILD": "LA0002"}])
    extract = read_extract([episodes, header])
    [problem] = extract.problems
    assert problem.file == str(episodes) and problem.field == "CHILD"
    assert "LA0002 has no row in the header table (h.csv)" in problem.message


def test_missing_table_dob_must_agree_with_the_header(tmp_path: Path) -> None:
    header = write_csv(tmp_path / "h.csv", [SSDA903_HEADER])
    missing = write_csv(tmp_path / "m.csv", [{**MISSING, "DOB": "05/03/2012"}])
    [problem] = read_extract([header, missing]).problems
    assert problem.field == "DOB"
    assert "05/03/2012 differs from the date of birth 04/03/2012" in problem.message


def test_a_child_twice_in_the_header_rejects_both_rows(tmp_path: Path) -> None:
    header = write_csv(tmp_path / "h.csv", [SSDA903_HEADER, SSDA903_HEADER])
    extract = read_extract([header])
    [problem] = extract.problems
    assert problem.location == "row 3"
    assert "appears more than once in this file (first at row 2)" in problem.message
    assert extract.records == {}
    assert [r.location for r in extract.rejected] == ["row 3", "row 2"]
