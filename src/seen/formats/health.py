"""Emergency department attendances (`ed_attendances.csv`), NHS codes for sex and ethnicity."""

from __future__ import annotations

from seen.domain import codes
from seen.domain.agencies import AgencyKind
from seen.domain.events import EventKind
from seen.domain.records import Identity
from seen.formats.dates import DateFormat
from seen.formats.spec import CsvFormat, Getter, RowOutput
from seen.formats.validate import SEX_NHS, RowCheck

ISO = DateFormat.ISO


def read_attendance(get: Getter, ck: RowCheck) -> RowOutput | None:
    attendance = ck.value("AttendanceID", get("AttendanceID"), required=True)
    record_id = ck.record_id_value("PatientID", get("PatientID"))
    identity = Identity(
        given_name=ck.name("Forename", get("Forename")),
        family_name=ck.name("Surname", get("Surname")),
        date_of_birth=ck.date("DOB", get("DOB"), ISO, birth=True),
        sex=ck.sex(
            "Sex",
            get("Sex"),
            SEX_NHS,
            hint=" (NHS: 1 male, 2 female, 9 indeterminate, 0 not known)",
        ),
        postcode=ck.postcode("Postcode", get("Postcode")),
        nhs_number=ck.nhs_number("NHSNumber", get("NHSNumber")),
    )
    ethnicity = ck.nhs_ethnicity("EthnicCategory", get("EthnicCategory"))
    arrived = ck.date("ArrivalDate", get("ArrivalDate"), ISO, required=True)
    reason = ck.code("Reason", get("Reason"), codes.HEALTH_ATTENDANCE_REASONS, required=True)
    event = ck.event(EventKind.EMERGENCY_ATTENDANCE, arrived, code=reason, source_ref=attendance)
    if record_id is None or event is None:
        return None
    return RowOutput(record_id, identity, ethnicity, [event])


ED_ATTENDANCES = CsvFormat(
    name="ed-attendances",
    id_field="PatientID",
    label="emergency department attendances",
    agency_kind=AgencyKind.HEALTH,
    columns=(
        "AttendanceID",
        "PatientID",
        "NHSNumber",
        "Forename",
        "Surname",
        "DOB",
        "Sex",
        "EthnicCategory",
        "Postcode",
        "ArrivalDate",
        "Reason",
    ),
    read_row=read_attendance,
)
