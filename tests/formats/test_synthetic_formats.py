"""The formats the synthetic partnership writes, from small hand-written files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from formats.samples import ED, INCIDENT, NHS, PERSON, POLICE_MISSING, SCHOOL, UPN, write_csv
from seen.domain.agencies import AgencyKind
from seen.domain.demographics import Sex
from seen.domain.events import EventKind
from seen.domain.records import Identity
from seen.formats import read_extract


def test_persons_rows_give_identity_and_demographics(tmp_path: Path) -> None:
    spaced_nhs = f"{NHS[:3]} {NHS[3:6]} {NHS[6:]}"
    path = write_csv(tmp_path / "persons.csv", [{**PERSON, "NHSNumber": spaced_nhs}])
    extract = read_extract([path])
    assert extract.ok and extract.agency_kind is AgencyKind.CHILDRENS_SERVICES
    assert extract.files[0].format == "persons"
    record = extract.records["LA0001"]
    assert record.identity == Identity(
        given_name="Zephyrine",
        middle_names="Oriel",
        family_name="Blaxhall",
        date_of_birth=dt.date(2012, 3, 4),
        sex=Sex.FEMALE,
        postcode="ZX3 7AB",
        nhs_number=NHS,
        upn=UPN,
    )
    assert record.events == []
    assert (record.demographics.sex, record.demographics.ethnicity) == (Sex.FEMALE, "WBRI")
    assert record.demographics.birth_month == "2012-03"
    assert record.demographics.deprivation_decile is None


def test_persons_blank_optional_fields_are_not_recorded(tmp_path: Path) -> None:
    row = {**PERSON, "MiddleNames": "", "Postcode": "", "NHSNumber": "", "UPN": "", "Sex": ""}
    extract = read_extract([write_csv(tmp_path / "p.csv", [row])])
    identity = extract.records["LA0001"].identity
    assert (identity.middle_names, identity.postcode, identity.nhs_number, identity.upn) == (
        None,
        None,
        None,
        None,
    )
    assert identity.sex is Sex.UNKNOWN


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("NHSNumber", "9434765918", "check digit is wrong"),
        ("NHSNumber", "94347659", "must have 10 digits"),
        ("Postcode", "NOT A POSTCODE", "is not a UK postcode"),
        ("UPN", "A12345678901", "has 13 characters"),
        ("Ethnicity", "WHITE", "expected one of WBRI"),
        ("DOB", "04/03/2012", "not a date in the form YYYY-MM-DD"),
        ("LAchildID", "", "LAchildID is blank"),
        ("LAchildID", "X" * 65, "a reference has at most 64"),
    ],
)
def test_persons_field_checks(tmp_path: Path, field: str, value: str, fragment: str) -> None:
    extract = read_extract([write_csv(tmp_path / "p.csv", [{**PERSON, field: value}])])
    [problem] = extract.problems
    assert (problem.location, problem.field) == ("row 2", field)
    assert fragment in problem.message
    assert extract.records == {}


def test_school_census_yields_carer_attendance_suspension_and_exclusion(tmp_path: Path) -> None:
    rows = [
        SCHOOL,
        {
            **SCHOOL,
            "CensusDate": "2025-01-16",
            "YoungCarer": "N",
            "SessionsMissed": "0",
            "Suspensions": "0",
            "PermanentExclusionDate": "2025-02-03",
        },
    ]
    extract = read_extract([write_csv(tmp_path / "school.csv", rows)])
    assert extract.ok and extract.agency_kind is AgencyKind.SCHOOL
    events = [(e.kind, e.code, e.start, e.value) for e in extract.records["PUP1"].events]
    autumn, spring = dt.date(2024, 10, 3), dt.date(2025, 1, 16)
    assert events == [
        (EventKind.SCHOOL_YOUNG_CARER, "S", autumn, None),
        (EventKind.SCHOOL_ATTENDANCE, None, autumn, 25.0),
        (EventKind.SUSPENSION, None, autumn, 2.0),
        (EventKind.SCHOOL_ATTENDANCE, None, spring, 0.0),
        (EventKind.PERMANENT_EXCLUSION, None, dt.date(2025, 2, 3), None),
    ]
    assert extract.records["PUP1"].identity.family_name == "Okonkwo-Fairweather"


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"SessionsMissed": "130"}, "SessionsMissed", "more than SessionsPossible 120"),
        ({"SessionsPossible": "lots"}, "SessionsPossible", "not a whole number"),
        ({"Suspensions": "-1"}, "Suspensions", "not a whole number"),
        ({"YoungCarer": "Y"}, "YoungCarer", "'Y' is not a known code; expected one of N, P, S"),
        ({"Sex": "U"}, "Sex", "expected one of M, F"),
        ({"SchoolURN": "12A456"}, "SchoolURN", "digits only"),
        ({"CensusDate": ""}, "CensusDate", "CensusDate is blank"),
    ],
)
def test_school_census_field_checks(
    tmp_path: Path, changes: dict[str, str], field: str, fragment: str
) -> None:
    extract = read_extract([write_csv(tmp_path / "s.csv", [{**SCHOOL, **changes}])])
    [problem] = extract.problems
    assert problem.field == field and fragment in problem.message


def test_school_census_with_no_possible_sessions_yields_no_attendance(tmp_path: Path) -> None:
    row = {
        **SCHOOL,
        "SessionsPossible": "0",
        "SessionsMissed": "0",
        "YoungCarer": "",
        "Suspensions": "",
    }
    extract = read_extract([write_csv(tmp_path / "s.csv", [row])])
    assert extract.ok and extract.records["PUP1"].events == []


def test_police_incidents_carry_type_role_and_reference(tmp_path: Path) -> None:
    extract = read_extract([write_csv(tmp_path / "incidents.csv", [INCIDENT])])
    assert extract.ok and extract.agency_kind is AgencyKind.POLICE
    [event] = extract.records["POL1"].events
    assert (event.kind, event.code, event.qualifier, event.source_ref, event.start) == (
        EventKind.POLICE_INCIDENT,
        "DOMESTIC",
        "VICTIM",
        "INC-1",
        dt.date(2024, 6, 5),
    )
    assert extract.records["POL1"].identity.date_of_birth == dt.date(2009, 1, 15)


def test_police_incident_with_an_unknown_role_is_rejected(tmp_path: Path) -> None:
    extract = read_extract([write_csv(tmp_path / "i.csv", [{**INCIDENT, "Role": "BYSTANDER"}])])
    [problem] = extract.problems
    assert problem.field == "Role"
    assert "'BYSTANDER'" in problem.message and "VICTIM, SUSPECT, WITNESS, CONCERN" in (
        problem.message
    )
    assert extract.rejected[0].record_id == "POL1"


def test_police_missing_reports_run_from_report_to_found(tmp_path: Path) -> None:
    extract = read_extract([write_csv(tmp_path / "missing.csv", [POLICE_MISSING])])
    [event] = extract.records["POL1"].events
    assert (event.kind, event.code, event.start, event.end, event.source_ref) == (
        EventKind.POLICE_MISSING_REPORT,
        "HIGH",
        dt.date(2024, 6, 7),
        dt.date(2024, 6, 8),
        "MIS-1",
    )


def test_police_missing_found_before_reported_is_reported(tmp_path: Path) -> None:
    row = {**POLICE_MISSING, "FoundDate": "06/06/2024"}
    [problem] = read_extract([write_csv(tmp_path / "m.csv", [row])]).problems
    assert problem.field == "FoundDate" and "is before ReportedDate 07/06/2024" in problem.message


def test_police_files_merge_into_one_record(tmp_path: Path) -> None:
    files = [
        write_csv(tmp_path / "a.csv", [INCIDENT]),
        write_csv(tmp_path / "b.csv", [POLICE_MISSING]),
    ]
    extract = read_extract(files)
    assert list(extract.records) == ["POL1"]
    assert [e.kind for e in extract.records["POL1"].events] == [
        EventKind.POLICE_INCIDENT,
        EventKind.POLICE_MISSING_REPORT,
    ]


def test_ed_attendances_map_nhs_codes(tmp_path: Path) -> None:
    extract = read_extract([write_csv(tmp_path / "ed.csv", [ED])])
    assert extract.ok and extract.agency_kind is AgencyKind.HEALTH
    record = extract.records["PAT1"]
    assert record.identity.sex is Sex.MALE and record.identity.nhs_number == NHS
    assert record.demographics.ethnicity == "AIND"  # NHS category H
    [event] = record.events
    assert (event.kind, event.code, event.source_ref) == (
        EventKind.EMERGENCY_ATTENDANCE,
        "SELF_HARM",
        "ED-1",
    )


@pytest.mark.parametrize(("sex", "expected"), [("2", Sex.FEMALE), ("9", Sex.UNKNOWN)])
def test_ed_sex_uses_nhs_codes(tmp_path: Path, sex: str, expected: Sex) -> None:
    extract = read_extract([write_csv(tmp_path / "ed.csv", [{**ED, "Sex": sex}])])
    assert extract.records["PAT1"].identity.sex is expected


def test_ed_ethnic_category_99_is_not_known(tmp_path: Path) -> None:
    extract = read_extract([write_csv(tmp_path / "ed.csv", [{**ED, "EthnicCategory": "99"}])])
    assert extract.ok and extract.records["PAT1"].demographics.ethnicity is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"Reason": "BORED"}, "Reason"),
        ({"EthnicCategory": "Q"}, "EthnicCategory"),
        ({"NHSNumber": "1234567890"}, "NHSNumber"),
        ({"ArrivalDate": "29/02/2024"}, "ArrivalDate"),
    ],
)
def test_ed_field_checks(tmp_path: Path, changes: dict[str, str], field: str) -> None:
    extract = read_extract([write_csv(tmp_path / "ed.csv", [{**ED, **changes}])])
    assert [p.field for p in extract.problems] == [field]
