"""Every kind of bad input gives a clear problem, and nothing escapes as an exception."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from formats.samples import PERSON, SCHOOL, SSDA903_HEADER, cin_child, cin_message, csv_text
from seen.errors import InvalidInput
from seen.formats import problems, read_extract


def only_problem(path: Path) -> str:
    extract = read_extract([path])
    assert len(extract.problems) == 1, extract.problems
    return extract.problems[0].message


def test_an_empty_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "persons.csv"
    path.write_bytes(b"")
    extract = read_extract([path])
    assert [p.message for p in extract.problems] == ["the file is empty"]
    assert extract.files[0].format == "unrecognised"


def test_a_header_without_rows_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "persons.csv"
    path.write_text(",".join(PERSON) + "\n")
    assert only_problem(path) == "the file has a header row but no data rows"


def test_a_missing_column_is_one_problem_naming_it_and_the_columns_found(tmp_path: Path) -> None:
    columns = [c for c in SSDA903_HEADER if c != "UPN"]
    path = tmp_path / "h.csv"
    path.write_text(csv_text([SSDA903_HEADER] * 50, columns))
    extract = read_extract([path])
    [problem] = extract.problems
    assert (problem.location, problem.field) == ("row 1", "UPN")
    assert problem.message == (
        "the column UPN is missing; the header row has CHILD, SEX, DOB, ETHNIC, MOTHER, MC_DOB"
    )
    assert extract.records == {}


def test_columns_match_regardless_of_case_and_spaces(tmp_path: Path) -> None:
    text = csv_text([PERSON]).replace("LAchildID,Forename", " lachildid , FORENAME")
    path = tmp_path / "p.csv"
    path.write_text(text)
    extract = read_extract([path])
    assert extract.ok and extract.records["LA0001"].identity.given_name == "Zephyrine"


def test_an_unrecognised_header_lists_what_was_expected_and_how_to_map_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("When,What\n2024-01-01,visit\n")
    message = only_problem(path)
    assert message.startswith("not a recognised extract: the header row has When, What.")
    assert "SSDA903 header table, SSDA903 episodes table" in message
    assert "it shares no column with any of them" in message
    assert "--map source_column=field" in message
    near = tmp_path / "census.csv"
    near.write_text("PupilID,Forename,Notes\nP1,Ann,x\n")
    message = only_problem(near)
    assert "the nearest is school census, with the columns CensusDate, SchoolURN" in message
    assert len(message) < 800


def test_an_unrecognised_xml_root_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_text("<Invoice><Line/></Invoice>")
    message = only_problem(path)
    assert message.startswith("not a recognised extract: the root element is <Invoice>")
    assert "<Message> (Children in Need census return (XML))" in message


def test_latin_1_bytes_reject_that_row_and_the_rest_are_read(tmp_path: Path) -> None:
    rows = [
        {**PERSON, "LAchildID": "A1"},
        {**PERSON, "LAchildID": "A2", "Forename": "Zoë"},
        {**PERSON, "LAchildID": "A3"},
    ]
    path = tmp_path / "p.csv"
    path.write_bytes(csv_text(rows).encode("latin-1"))
    extract = read_extract([path])
    [problem] = extract.problems
    assert (problem.location, problem.field) == ("row 3", "Forename")
    assert problem.message.startswith("row 3 is not valid UTF-8")
    assert "save the file as UTF-8" in problem.message and "byte 0xEB" in problem.message
    assert "Zo" not in problem.message  # a name is never echoed back
    assert sorted(extract.records) == ["A1", "A3"]
    assert extract.rejected[0].record_id == "A2"


def test_latin_1_in_the_header_row_is_reported_as_row_1(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes("Prénom,Nom\nA,B\n".encode("latin-1"))
    extract = read_extract([path])
    [problem] = extract.problems
    assert problem.location == "row 1" and "not valid UTF-8" in problem.message


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_text([{**PERSON, "Forename": "Zoë"}]).encode())
    extract = read_extract([path])
    assert extract.ok
    assert extract.records["LA0001"].identity.given_name == "Zoë"


def test_utf16_is_reported_as_the_wrong_encoding(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(csv_text([PERSON]).encode("utf-16"))
    assert "saved as UTF-16; save it as UTF-8" in only_problem(path)


def test_fifty_megabytes_of_garbage_are_turned_away_with_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "extract.csv"
    with path.open("wb") as handle:
        for _ in range(50):
            handle.write(os.urandom(1 << 20))
    extract = read_extract([path])
    [problem] = extract.problems
    assert "NUL bytes" in problem.message
    assert extract.problems_not_listed == 0 and extract.rejected == []


def test_garbage_text_without_nul_bytes_stops_at_the_first_line(tmp_path: Path) -> None:
    path = tmp_path / "blob.csv"
    path.write_bytes(b"x" * (5 << 20))
    assert "first line is longer than 64 KiB" in only_problem(path)


def test_malformed_xml_gives_the_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "cin.xml"
    path.write_text("<Message>\n<Children>\n<Child></Chlid>\n</Children></Message>")
    message = only_problem(path)
    assert message.startswith("the XML is not well-formed at line 3, column ")
    assert "mismatched tag" in message


def test_xml_truncated_after_good_children_keeps_them_and_reports(tmp_path: Path) -> None:
    xml = cin_message(cin_child("A1"), cin_child("A2"))
    path = tmp_path / "cin.xml"
    path.write_text(xml[: xml.index("</Children>")])
    extract = read_extract([path])
    assert sorted(extract.records) == ["A1", "A2"]
    [problem] = extract.problems
    assert "not well-formed" in problem.message


def test_xml_entity_declarations_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "cin.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY lol "lol">]>'
        "<Message><Children><Child>&lol;</Child></Children></Message>"
    )
    message = only_problem(path)
    assert "declares XML entities" in message and "without a DTD" in message


def test_xml_external_entities_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "cin.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<Message><Children><Child>&x;</Child></Children></Message>"
    )
    assert "refused" in only_problem(path)


def test_a_very_long_value_is_reported_without_quoting_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(csv_text([{**PERSON, "Surname": "B" * 5000, "Postcode": "Z" * 5000}]))
    extract = read_extract([path])
    messages = {p.field: p.message for p in extract.problems}
    assert messages["Surname"] == "Surname is 5,000 characters long; at most 200 are allowed"
    assert len(messages["Postcode"]) < 200


def test_a_value_beyond_the_csv_field_limit_rejects_only_its_row(tmp_path: Path) -> None:
    rows = [{**PERSON, "LAchildID": "A1", "Surname": "B" * 200_000}, {**PERSON, "LAchildID": "A2"}]
    path = tmp_path / "p.csv"
    path.write_text(csv_text(rows))
    extract = read_extract([path])
    [problem] = extract.problems
    assert problem.location == "row 2" and "longer than 131,072 characters" in problem.message
    assert list(extract.records) == ["A2"]


def test_an_unclosed_quote_is_reported(tmp_path: Path) -> None:
    text = csv_text([PERSON]) + 'LA0002,"Zeph,,Blax,2012-03-04,F,WBRI,,,\n'
    path = tmp_path / "p.csv"
    path.write_text(text)
    extract = read_extract([path])
    assert extract.problems and extract.problems[0].location == "row 3"
    assert list(extract.records) == ["LA0001"]


def test_problems_beyond_the_cap_are_counted_not_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(problems, "MAX_PROBLEMS_PER_FILE", 1000)
    rows = [{**PERSON, "LAchildID": f"A{n}", "DOB": "bad"} for n in range(1500)]
    path = tmp_path / "p.csv"
    path.write_text(csv_text(rows))
    extract = read_extract([path])
    assert len(extract.problems) == 1000
    assert extract.problems_not_listed == 500
    assert extract.files[0].rejected_rows == 1500 and not extract.ok


def test_a_name_that_looks_like_sql_is_carried_verbatim(tmp_path: Path) -> None:
    name = "O'Brien); DROP TABLE events;--"
    path = tmp_path / "p.csv"
    path.write_text(csv_text([{**PERSON, "Surname": name, "Forename": "  Zeph "}]))
    identity = read_extract([path]).records["LA0001"].identity
    assert identity.family_name == name
    assert identity.given_name == "  Zeph "


def test_a_control_character_in_a_value_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(csv_text([{**PERSON, "Surname": "Blax\x07hall"}]))
    message = only_problem(path)
    assert "Surname contains a control character (U+0007)" in message


def test_rows_of_the_wrong_width_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    trailing_blanks = csv_text([{**PERSON, "LAchildID": "LA0003"}]).split("\n")[1] + ",,"
    path.write_text(csv_text([PERSON]) + "LA0002,Zeph\n" + trailing_blanks + "\n")
    extract = read_extract([path])
    assert sorted(extract.records) == ["LA0001", "LA0003"]
    [problem] = extract.problems
    assert problem.message == "row 3 has 2 values but the header row has 10 columns"
    assert problem.location == "row 3"


def test_blank_lines_are_skipped_but_counted_in_row_numbers(tmp_path: Path) -> None:
    lines = csv_text([PERSON, {**PERSON, "LAchildID": "LA0002", "DOB": "x"}]).split("\n")
    path = tmp_path / "p.csv"
    path.write_text("\n".join([lines[0], lines[1], "", ",,,,,,,,,", lines[2]]) + "\n")
    extract = read_extract([path])
    assert [p.location for p in extract.problems] == ["row 5"]
    assert extract.files[0].rows == 2


def test_a_wrong_date_format_in_the_school_census(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(csv_text([{**SCHOOL, "DOB": "30/09/2011"}]))
    assert only_problem(path) == "DOB is not a date in the form YYYY-MM-DD"


def test_paths_that_do_not_exist_are_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="not found"):
        read_extract([tmp_path / "nowhere.csv"])
    with pytest.raises(InvalidInput, match="at least one"):
        read_extract([])


def test_a_folder_without_extract_files_is_reported(tmp_path: Path) -> None:
    (tmp_path / "README").write_text("hello")
    extract = read_extract([tmp_path])
    [problem] = extract.problems
    assert problem.message == "the folder has no .csv or .xml files"
    assert [f.format for f in extract.files] == ["skipped"]
