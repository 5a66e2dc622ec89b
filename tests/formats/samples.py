"""Small hand-written extract files for the reader tests. Every person is synthetic."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

from seen.domain.identifiers import make_nhs_number, make_upn

UPN = make_upn(201, 1234, 12, 5)
UPN_2 = make_upn(201, 1234, 12, 6)
_NHS = make_nhs_number("943476591")
assert _NHS is not None
NHS: str = _NHS

PERSON = {
    "LAchildID": "LA0001",
    "Forename": "Zephyrine",
    "MiddleNames": "Oriel",
    "Surname": "Blaxhall",
    "DOB": "2012-03-04",
    "Sex": "F",
    "Ethnicity": "WBRI",
    "Postcode": "ZX3 7AB",
    "NHSNumber": NHS,
    "UPN": UPN,
}
SSDA903_HEADER = {
    "CHILD": "LA0001",
    "SEX": "2",
    "DOB": "04/03/2012",
    "ETHNIC": "WBRI",
    "UPN": UPN,
    "MOTHER": "",
    "MC_DOB": "",
}
EPISODE = {
    "CHILD": "LA0001",
    "DECOM": "01/02/2020",
    "RNE": "S",
    "LS": "C2",
    "CIN": "N1",
    "PLACE": "U1",
    "PLACE_PROVIDER": "PR1",
    "DEC": "01/08/2020",
    "REC": "E11",
    "REASON_PLACE_CHANGE": "",
    "HOME_POST": "ZX3 7AB",
    "PL_POST": "ZX4 1CD",
    "URN": "1234567",
}
MISSING = {
    "CHILD": "LA0001",
    "DOB": "04/03/2012",
    "MISSING": "M",
    "MIS_START": "10/03/2020",
    "MIS_END": "12/03/2020",
}
SCHOOL = {
    "CensusDate": "2024-10-03",
    "SchoolURN": "123456",
    "PupilID": "PUP1",
    "UPN": UPN,
    "Forename": "Quillon",
    "MiddleNames": "",
    "Surname": "Okonkwo-Fairweather",
    "DOB": "2011-09-30",
    "Sex": "M",
    "Ethnicity": "BAFR",
    "Postcode": "ZX3 7AB",
    "YoungCarer": "S",
    "SessionsPossible": "120",
    "SessionsMissed": "30",
    "Suspensions": "2",
    "PermanentExclusionDate": "",
}
INCIDENT = {
    "IncidentID": "INC-1",
    "IncidentDate": "05/06/2024",
    "PersonID": "POL1",
    "Forename": "Marisabel",
    "Surname": "Quennell",
    "DOB": "15/01/2009",
    "Sex": "F",
    "Ethnicity": "MWBC",
    "Postcode": "ZX9 2EF",
    "Role": "VICTIM",
    "IncidentType": "DOMESTIC",
}
POLICE_MISSING = {
    "ReportID": "MIS-1",
    "PersonID": "POL1",
    "Forename": "Marisabel",
    "Surname": "Quennell",
    "DOB": "15/01/2009",
    "Sex": "F",
    "Postcode": "ZX9 2EF",
    "ReportedDate": "07/06/2024",
    "FoundDate": "08/06/2024",
    "RiskLevel": "HIGH",
}
ED = {
    "AttendanceID": "ED-1",
    "PatientID": "PAT1",
    "NHSNumber": NHS,
    "Forename": "Thaddeus",
    "Surname": "Strudwick",
    "DOB": "2010-12-01",
    "Sex": "1",
    "EthnicCategory": "H",
    "Postcode": "ZX3 7AB",
    "ArrivalDate": "2024-02-29",
    "Reason": "SELF_HARM",
}


def csv_text(rows: Sequence[Mapping[str, str]], columns: Sequence[str] | None = None) -> str:
    columns = list(columns if columns is not None else rows[0])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return out.getvalue()


def write_csv(
    path: Path, rows: Sequence[Mapping[str, str]], columns: Sequence[str] | None = None
) -> Path:
    path.write_text(csv_text(rows, columns), encoding="utf-8")
    return path


def cin_child(
    child_id: str = "LA0001",
    *,
    identifiers: str | None = None,
    details: str = "",
) -> str:
    identifiers = identifiers or (
        f"<LAchildID>{child_id}</LAchildID><UPN>{UPN}</UPN>"
        "<PersonBirthDate>2012-03-04</PersonBirthDate><Sex>F</Sex>"
    )
    return (
        f"<Child><ChildIdentifiers>{identifiers}</ChildIdentifiers>"
        "<ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>"
        f"{details}</Child>"
    )


REFERRAL = (
    "<CINreferralDate>2023-01-10</CINreferralDate><ReferralSource>2A</ReferralSource>"
    "<PrimaryNeedCode>N1</PrimaryNeedCode>"
)


def cin_message(*children: str) -> str:
    return (
        "<?xml version='1.0' encoding='utf-8'?><Message><Header><CollectionDetails>"
        "<Collection>CIN</Collection></CollectionDetails></Header>"
        f"<Children>{''.join(children)}</Children></Message>"
    )
