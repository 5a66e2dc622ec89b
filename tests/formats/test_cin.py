from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from formats.samples import REFERRAL, UPN, cin_child, cin_message
from seen.domain.demographics import Sex
from seen.domain.events import EventKind
from seen.formats import read_extract

CHILD_1 = "Message/Children/Child[1]"
CHILD_2 = "Message/Children/Child[2]"
ASSESSMENT_1 = f"{CHILD_1}/CINdetails[1]/Assessments[1]"


def write(tmp_path: Path, xml: str, name: str = "cin.xml") -> Path:
    path = tmp_path / name
    path.write_text(xml, encoding="utf-8")
    return path


def test_fake_cin_data_reads_the_gender_current_variant(testdata: Path) -> None:
    extract = read_extract([testdata / "cin" / "fake_CIN_data.xml"])
    report = extract.files[0]
    assert (report.format, report.rows) == ("cin-census-xml", 332)
    assert extract.records
    record = extract.records["RND000445703743"]
    assert record.identity.date_of_birth == dt.date(2017, 3, 2)
    assert record.demographics.ethnicity == "BOTH"
    kinds = [event.kind for event in record.events]
    assert kinds == [EventKind.CIN_REFERRAL, EventKind.CIN_PRIMARY_NEED]
    assert record.events[0].code == "5A"
    # Most of the public fake UPNs fail their check letter; each is reported where it stands.
    assert {p.field for p in extract.problems} == {"UPN"}
    assert extract.problems[0].location == "Message/Children/Child[1]/ChildIdentifiers"


def test_gender_current_codes_map_to_sex(tmp_path: Path) -> None:
    children = [
        cin_child(
            f"C{code}",
            identifiers=f"<LAchildID>C{code}</LAchildID><PersonBirthDate>2012-03-04"
            f"</PersonBirthDate><GenderCurrent>{code}</GenderCurrent>",
        )
        for code in "1290"
    ]
    extract = read_extract([write(tmp_path, cin_message(*children))])
    sexes = [extract.records[f"C{code}"].identity.sex for code in "1290"]
    assert sexes == [Sex.MALE, Sex.FEMALE, Sex.UNKNOWN, Sex.UNKNOWN]


@pytest.mark.parametrize(
    ("location", "field", "fragment"),
    [
        (f"{CHILD_1}/ChildIdentifiers", "UPNunknown", "stray text 'PersonBirthDate'"),
        (f"{CHILD_1}/ChildIdentifiers", "UPN", "UPN is not valid: the UPN check letter"),
        (f"{CHILD_1}/ChildIdentifiers", "UPNunknown", "both UPN and UPNunknown"),
        (f"{CHILD_1}/ChildIdentifiers", "Sex", "Sex '1' is not a known code; expected one of M"),
        (ASSESSMENT_1, "AssessmentAuthorisationDate", "cannot be authorised before it starts"),
        (
            f"{ASSESSMENT_1}/FactorsIdentifiedAtAssessment/AssessmentFactors[2]",
            "AssessmentFactors",
            "AssessmentFactors 'RB' is not a known code; expected one of 1A, 1B",
        ),
        (f"{CHILD_1}/CINdetails[1]/Section47[1]", "S47ActualStartDate", "before CINreferralDate"),
        (f"{CHILD_1}/CINdetails[1]/ChildProtectionPlans[1]", "CPPstartDate", "before CINreferral"),
        (
            f"{CHILD_2}/CINdetails[1]/Assessments[1]",
            "AssessmentActualStartDate",
            "2023-12-25 is before CINreferralDate 2024-10-24",
        ),
    ],
)
def test_cin_census_2024_defects_are_reported_at_their_xml_paths(
    testdata: Path, location: str, field: str, fragment: str
) -> None:
    extract = read_extract([testdata / "cin" / "CIN_Census_2024.xml"])
    matches = [
        p
        for p in extract.problems
        if p.location == location and p.field == field and fragment in p.message
    ]
    assert len(matches) == 1, extract.problems


def test_cin_census_2024_rejects_both_children(testdata: Path) -> None:
    extract = read_extract([testdata / "cin" / "CIN_Census_2024.xml"])
    assert extract.records == {}
    assert [(r.location, r.record_id) for r in extract.rejected] == [
        (CHILD_1, "DfEX0000001"),
        (CHILD_2, "child_fails_assessments"),
    ]


def test_each_assessment_factor_is_an_event_on_the_authorisation_date(tmp_path: Path) -> None:
    details = (
        f"<CINdetails>{REFERRAL}<Assessments>"
        "<AssessmentActualStartDate>2023-01-12</AssessmentActualStartDate>"
        "<AssessmentAuthorisationDate>2023-02-20</AssessmentAuthorisationDate>"
        "<FactorsIdentifiedAtAssessment><AssessmentFactors>7A</AssessmentFactors>"
        "<AssessmentFactors>4B</AssessmentFactors></FactorsIdentifiedAtAssessment>"
        "</Assessments><Assessments>"
        "<AssessmentActualStartDate>2023-05-01</AssessmentActualStartDate>"
        "<FactorsIdentifiedAtAssessment><AssessmentFactors>11A</AssessmentFactors>"
        "</FactorsIdentifiedAtAssessment></Assessments></CINdetails>"
    )
    extract = read_extract([write(tmp_path, cin_message(cin_child(details=details)))])
    assert extract.ok, extract.problems
    factors = [
        (e.code, e.start)
        for e in extract.records["LA0001"].events
        if e.kind is EventKind.CIN_ASSESSMENT_FACTOR
    ]
    assert factors == [
        ("7A", dt.date(2023, 2, 20)),
        ("4B", dt.date(2023, 2, 20)),
        ("11A", dt.date(2023, 5, 1)),  # not authorised yet: its start date
    ]


def test_referral_section_47_and_protection_plan_events(tmp_path: Path) -> None:
    details = (
        f"<CINdetails>{REFERRAL}<CINclosureDate>2023-12-01</CINclosureDate>"
        "<Section47><S47ActualStartDate>2023-01-11</S47ActualStartDate></Section47>"
        "<ChildProtectionPlans><CPPstartDate>2023-02-01</CPPstartDate>"
        "<CPPendDate>2023-08-01</CPPendDate></ChildProtectionPlans></CINdetails>"
    )
    extract = read_extract([write(tmp_path, cin_message(cin_child(details=details)))])
    record = extract.records["LA0001"]
    found = {(e.kind, e.code, e.start, e.end) for e in record.events}
    assert found == {
        (EventKind.CIN_REFERRAL, "2A", dt.date(2023, 1, 10), dt.date(2023, 12, 1)),
        (EventKind.CIN_PRIMARY_NEED, "N1", dt.date(2023, 1, 10), None),
        (EventKind.SECTION_47_ENQUIRY, None, dt.date(2023, 1, 11), None),
        (EventKind.CHILD_PROTECTION_PLAN, None, dt.date(2023, 2, 1), dt.date(2023, 8, 1)),
    }
    assert record.identity.upn == UPN and record.identity.sex is Sex.FEMALE


def test_an_unknown_referral_source_names_the_allowed_codes(tmp_path: Path) -> None:
    details = (
        "<CINdetails><CINreferralDate>2023-01-10</CINreferralDate>"
        "<ReferralSource>2Z</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode></CINdetails>"
    )
    extract = read_extract([write(tmp_path, cin_message(cin_child(details=details)))])
    [problem] = extract.problems
    assert problem.location == f"{CHILD_1}/CINdetails[1]"
    assert problem.message.startswith("ReferralSource '2Z' is not a known code; expected one of")
    assert "5D" in problem.message


def test_unknown_elements_are_ignored(tmp_path: Path) -> None:
    details = f"<CINdetails>{REFERRAL}<NewThing><Deep>1</Deep></NewThing></CINdetails><Extra/>"
    extract = read_extract([write(tmp_path, cin_message(cin_child(details=details)))])
    assert extract.ok


def test_a_namespaced_return_is_read(tmp_path: Path) -> None:
    xml = cin_message(cin_child(details=f"<CINdetails>{REFERRAL}</CINdetails>")).replace(
        "<Message>", "<Message xmlns='http://www.dcsf.gov.uk/schemas/cbds'>"
    )
    extract = read_extract([write(tmp_path, xml)])
    assert extract.ok and extract.records["LA0001"].events


def test_a_child_without_identifiers_is_rejected(tmp_path: Path) -> None:
    xml = cin_message("<Child><ChildCharacteristics/></Child>")
    extract = read_extract([write(tmp_path, xml)])
    [problem] = extract.problems
    assert (problem.location, problem.field) == (CHILD_1, "ChildIdentifiers")
    assert extract.rejected[0].record_id is None


def test_a_child_with_neither_sex_nor_gender_current_is_reported(tmp_path: Path) -> None:
    identifiers = "<LAchildID>X1</LAchildID><PersonBirthDate>2012-03-04</PersonBirthDate>"
    xml = cin_message(cin_child(identifiers=identifiers))
    [problem] = read_extract([write(tmp_path, xml)]).problems
    assert problem.field == "Sex" and "missing" in problem.message


def test_a_return_without_children_is_reported(tmp_path: Path) -> None:
    extract = read_extract([write(tmp_path, cin_message())])
    [problem] = extract.problems
    assert "no <Child> elements" in problem.message
