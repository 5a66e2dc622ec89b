"""Police extracts (dates dd/mm/YYYY): incidents involving a person, and missing reports."""

from __future__ import annotations

from seen.domain import codes
from seen.domain.agencies import AgencyKind
from seen.domain.events import EventKind
from seen.domain.records import Identity
from seen.formats.dates import DateFormat
from seen.formats.spec import CsvFormat, Getter, RowOutput
from seen.formats.validate import SEX_MFU, RowCheck

DMY = DateFormat.DMY


def _person(get: Getter, ck: RowCheck) -> Identity:
    return Identity(
        given_name=ck.name("Forename", get("Forename")),
        family_name=ck.name("Surname", get("Surname")),
        date_of_birth=ck.date("DOB", get("DOB"), DMY, birth=True),
        sex=ck.sex("Sex", get("Sex"), SEX_MFU),
        postcode=ck.postcode("Postcode", get("Postcode")),
    )


def read_incident(get: Getter, ck: RowCheck) -> RowOutput | None:
    incident = ck.value("IncidentID", get("IncidentID"), required=True)
    date = ck.date("IncidentDate", get("IncidentDate"), DMY, required=True)
    record_id = ck.record_id_value("PersonID", get("PersonID"))
    identity = _person(get, ck)
    ethnicity = ck.ethnicity("Ethnicity", get("Ethnicity"))
    role = ck.code("Role", get("Role"), codes.POLICE_ROLES, required=True)
    kind = ck.code("IncidentType", get("IncidentType"), codes.POLICE_INCIDENT_TYPES, required=True)
    event = ck.event(
        EventKind.POLICE_INCIDENT, date, code=kind, qualifier=role, source_ref=incident
    )
    if record_id is None or event is None:
        return None
    return RowOutput(record_id, identity, ethnicity, [event])


def read_missing_report(get: Getter, ck: RowCheck) -> RowOutput | None:
    report = ck.value("ReportID", get("ReportID"), required=True)
    record_id = ck.record_id_value("PersonID", get("PersonID"))
    identity = _person(get, ck)
    reported = ck.date("ReportedDate", get("ReportedDate"), DMY, required=True)
    found = ck.date("FoundDate", get("FoundDate"), DMY)
    ck.not_before(
        "FoundDate",
        found,
        "ReportedDate",
        reported,
        DMY,
        "a person cannot be found before they are reported missing",
    )
    risk = ck.code("RiskLevel", get("RiskLevel"), codes.MISSING_RISK_LEVELS)
    event = ck.event(
        EventKind.POLICE_MISSING_REPORT, reported, end=found, code=risk, source_ref=report
    )
    if record_id is None or event is None:
        return None
    return RowOutput(record_id, identity, events=[event])


POLICE_INCIDENTS = CsvFormat(
    name="police-incidents",
    id_field="PersonID",
    dates=DMY,
    label="police incidents",
    agency_kind=AgencyKind.POLICE,
    columns=(
        "IncidentID",
        "IncidentDate",
        "PersonID",
        "Forename",
        "Surname",
        "DOB",
        "Sex",
        "Ethnicity",
        "Postcode",
        "Role",
        "IncidentType",
    ),
    read_row=read_incident,
)
POLICE_MISSING = CsvFormat(
    name="police-missing",
    id_field="PersonID",
    dates=DMY,
    label="police missing reports",
    agency_kind=AgencyKind.POLICE,
    columns=(
        "ReportID",
        "PersonID",
        "Forename",
        "Surname",
        "DOB",
        "Sex",
        "Postcode",
        "ReportedDate",
        "FoundDate",
        "RiskLevel",
    ),
    read_row=read_missing_report,
)
