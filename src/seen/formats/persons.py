"""The local authority's case-management person index (`persons.csv`): identity only."""

from __future__ import annotations

from seen.domain.agencies import AgencyKind
from seen.domain.records import Identity
from seen.formats.dates import DateFormat
from seen.formats.spec import CsvFormat, Getter, RowOutput
from seen.formats.validate import SEX_MFU, RowCheck


def read_person(get: Getter, ck: RowCheck) -> RowOutput | None:
    record_id = ck.record_id_value("LAchildID", get("LAchildID"))
    identity = Identity(
        given_name=ck.name("Forename", get("Forename")),
        middle_names=ck.name("MiddleNames", get("MiddleNames")),
        family_name=ck.name("Surname", get("Surname")),
        date_of_birth=ck.date("DOB", get("DOB"), DateFormat.ISO, required=True, birth=True),
        sex=ck.sex("Sex", get("Sex"), SEX_MFU),
        postcode=ck.postcode("Postcode", get("Postcode")),
        nhs_number=ck.nhs_number("NHSNumber", get("NHSNumber")),
        upn=ck.upn("UPN", get("UPN")),
    )
    ethnicity = ck.ethnicity("Ethnicity", get("Ethnicity"))
    if record_id is None or ck.problems:
        return None
    return RowOutput(record_id, identity, ethnicity)


PERSONS = CsvFormat(
    name="persons",
    id_field="LAchildID",
    label="person index (persons.csv)",
    agency_kind=AgencyKind.CHILDRENS_SERVICES,
    identity_index=True,
    columns=(
        "LAchildID",
        "Forename",
        "MiddleNames",
        "Surname",
        "DOB",
        "Sex",
        "Ethnicity",
        "Postcode",
        "NHSNumber",
        "UPN",
    ),
    read_row=read_person,
)
