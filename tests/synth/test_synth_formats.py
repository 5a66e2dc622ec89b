"""Every file is written exactly as docs/formats.md says: layout, columns and their order, date
formats, code lists. The expected columns are read from formats.md itself, the contract."""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from seen.domain import codes
from seen.domain.demographics import DFE_ETHNICITY, NHS_ETHNIC_CATEGORY_TO_DFE
from seen.domain.identifiers import is_valid_nhs_number, is_valid_upn
from synth.built import Built

FORMATS = Path(__file__).resolve().parents[2] / "docs" / "formats.md"
LAYOUT = {
    "manifest.json",
    "agencies/northshire-council/persons.csv",
    "agencies/northshire-council/ssda903_header.csv",
    "agencies/northshire-council/ssda903_episodes.csv",
    "agencies/northshire-council/ssda903_missing.csv",
    "agencies/northshire-council/cin_census.xml",
    "agencies/northshire-schools/school_census.csv",
    "agencies/northshire-police/police_incidents.csv",
    "agencies/northshire-police/police_missing.csv",
    "agencies/northshire-health/ed_attendances.csv",
    "reference/postcode_deprivation.csv",
    "truth/people.csv",
    "truth/households.csv",
    "truth/records.csv",
}
POSTCODE = re.compile(r"^Z[XY][0-9]{1,2} [0-9][ABD-HJLNP-UW-Z]{2}$")
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
UK = re.compile(r"^\d{2}/\d{2}/\d{4}$")
DATE_COLUMNS = {
    "DOB",
    "CensusDate",
    "PermanentExclusionDate",
    "IncidentDate",
    "ReportedDate",
    "FoundDate",
    "ArrivalDate",
    "DECOM",
    "DEC",
    "MIS_START",
    "MIS_END",
}
CIN_ELEMENTS = {
    "Child",
    "ChildIdentifiers",
    "LAchildID",
    "UPN",
    "PersonBirthDate",
    "Sex",
    "ChildCharacteristics",
    "Ethnicity",
    "CINdetails",
    "CINreferralDate",
    "ReferralSource",
    "PrimaryNeedCode",
    "CINclosureDate",
    "ReasonForClosure",
    "Assessments",
    "AssessmentActualStartDate",
    "AssessmentAuthorisationDate",
    "FactorsIdentifiedAtAssessment",
    "AssessmentFactors",
    "Section47",
    "S47ActualStartDate",
    "ChildProtectionPlans",
    "CPPstartDate",
    "CPPendDate",
}


def _split_outside_brackets(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    return [*parts, current]


def contract_columns() -> dict[str, list[str]]:
    """file name -> column names, from the files-and-columns table in formats.md."""
    found: dict[str, list[str]] = {}
    for line in FORMATS.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| `([a-z0-9_]+\.csv)` \|[^|]*\| `([^`]+)` \|$", line)
        if match:
            columns = _split_outside_brackets(match.group(2))
            found[match.group(1)] = [re.sub(r"\s*\(.*\)$", "", c).strip() for c in columns]
    return found


def _csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def test_output_layout_is_the_documented_one(small: Built) -> None:
    written = {p.relative_to(small.root).as_posix() for p in small.root.rglob("*") if p.is_file()}
    assert written == LAYOUT


def test_every_csv_has_exactly_the_contract_columns_and_nothing_else(moderate: Built) -> None:
    contract = contract_columns()
    assert len(contract) == 9
    for path in sorted(moderate.root.glob("*/*/*.csv")) + sorted(
        moderate.root.glob("reference/*.csv")
    ):
        header, rows = _csv(path)
        assert header == contract[path.name], path.name
        assert all(len(row) == len(header) for row in rows), path.name


def test_dates_are_written_in_each_agencys_format(moderate: Built) -> None:
    for path in sorted(moderate.root.glob("agencies/*/*.csv")):
        pattern = UK if path.name.startswith(("ssda903", "police")) else ISO
        header, rows = _csv(path)
        for i, name in enumerate(header):
            if name in DATE_COLUMNS:
                values = {row[i] for row in rows} - {""}
                assert values or name == "PermanentExclusionDate", (path.name, name)
                assert all(pattern.match(v) for v in values), (path.name, name)


def _column(built: Built, relative: str, name: str) -> Counter[str]:
    return Counter(row[name] for row in built.rows(relative))


@pytest.mark.parametrize(
    ("relative", "column", "allowed"),
    [
        ("northshire-council/persons.csv", "Sex", {"M", "F", "U"}),
        ("northshire-council/persons.csv", "Ethnicity", set(DFE_ETHNICITY) | {""}),
        ("northshire-council/ssda903_header.csv", "SEX", {"1", "2"}),
        ("northshire-council/ssda903_header.csv", "ETHNIC", set(DFE_ETHNICITY)),
        ("northshire-council/ssda903_missing.csv", "MISSING", set(codes.SSDA903_MISSING)),
        ("northshire-council/ssda903_episodes.csv", "RNE", {"S", "P", "L", "T"}),
        ("northshire-schools/school_census.csv", "Sex", {"M", "F"}),
        ("northshire-schools/school_census.csv", "Ethnicity", set(DFE_ETHNICITY) | {""}),
        ("northshire-schools/school_census.csv", "YoungCarer", set(codes.CS118_YOUNG_CARER)),
        ("northshire-police/police_incidents.csv", "Sex", {"M", "F", "U"}),
        ("northshire-police/police_incidents.csv", "Role", set(codes.POLICE_ROLES)),
        (
            "northshire-police/police_incidents.csv",
            "IncidentType",
            set(codes.POLICE_INCIDENT_TYPES),
        ),
        ("northshire-police/police_missing.csv", "RiskLevel", set(codes.MISSING_RISK_LEVELS)),
        ("northshire-health/ed_attendances.csv", "Sex", {"1", "2", "9", "0"}),
        (
            "northshire-health/ed_attendances.csv",
            "EthnicCategory",
            set(NHS_ETHNIC_CATEGORY_TO_DFE) | {""},
        ),
        ("northshire-health/ed_attendances.csv", "Reason", set(codes.HEALTH_ATTENDANCE_REASONS)),
    ],
)
def test_codes_come_from_the_published_lists(
    moderate: Built, relative: str, column: str, allowed: set[str]
) -> None:
    seen = _column(moderate, f"agencies/{relative}", column)
    assert set(seen) <= allowed
    assert len(set(seen) - {""}) >= 1


def test_ssda903_upn_is_a_upn_or_an_unknown_code(moderate: Built) -> None:
    values = _column(moderate, "agencies/northshire-council/ssda903_header.csv", "UPN")
    for value in values:
        assert re.match(r"^UN([1-9]|10)$", value) or len(value) == 13


def test_postcodes_are_valid_in_format_and_fictional_and_in_the_sector_map(moderate: Built) -> None:
    sectors = {r["PostcodeSector"] for r in moderate.rows("reference/postcode_deprivation.csv")}
    deciles = {
        int(r["DeprivationDecile"]) for r in moderate.rows("reference/postcode_deprivation.csv")
    }
    assert deciles <= set(range(1, 11)) and len(deciles) >= 5
    for path in sorted(moderate.root.glob("agencies/*/*.csv")):
        header, rows = _csv(path)
        for i, name in enumerate(header):
            if name in {"Postcode", "HOME_POST", "PL_POST"}:
                for value in {row[i] for row in rows} - {""}:
                    assert POSTCODE.match(value), (path.name, value)
                    assert value[:-2] in sectors, (path.name, value)


def test_cin_census_is_a_well_formed_message_with_only_documented_elements(moderate: Built) -> None:
    root = ET.parse(moderate.root / "agencies/northshire-council/cin_census.xml").getroot()
    assert root.tag == "Message"
    assert [child.tag for child in root] == ["Header", "Children"]
    children = root.find("Children")
    assert children is not None and len(children) > 100
    tags = {element.tag for element in children.iter()} - {"Children"}
    assert tags <= CIN_ELEMENTS
    sources = {e.text for e in children.iter("ReferralSource")}
    needs = {e.text for e in children.iter("PrimaryNeedCode")}
    factors = {e.text for e in children.iter("AssessmentFactors")}
    assert sources <= set(codes.CIN_REFERRAL_SOURCES)
    assert needs <= set(codes.CIN_PRIMARY_NEED)
    assert factors <= set(codes.CIN_ASSESSMENT_FACTORS)
    assert {e.text for e in children.iter("Sex")} <= {"M", "F", "U"}
    for name in ("CINreferralDate", "PersonBirthDate", "AssessmentActualStartDate"):
        assert all(ISO.match(e.text or "") for e in children.iter(name))


def test_identifier_numbers_are_mostly_valid(moderate: Built) -> None:
    nhs = _column(moderate, "agencies/northshire-health/ed_attendances.csv", "NHSNumber")
    upn = _column(moderate, "agencies/northshire-schools/school_census.csv", "UPN")
    valid_nhs = sum(n for v, n in nhs.items() if v and is_valid_nhs_number(v))
    valid_upn = sum(n for v, n in upn.items() if v and is_valid_upn(v))
    assert valid_nhs / sum(nhs.values()) > 0.9
    assert valid_upn / sum(upn.values()) > 0.97
