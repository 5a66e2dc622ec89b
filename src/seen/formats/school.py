"""The school census (`school_census.csv`): one row per pupil per termly census.

Each row carries the pupil's identity as the school held it that term, and yields the term's
attendance, a young carer event when CS118 says P or S, suspensions and any exclusion.
"""

from __future__ import annotations

from seen.domain import codes
from seen.domain.agencies import AgencyKind
from seen.domain.events import Event, EventKind
from seen.domain.records import Identity
from seen.formats.dates import DateFormat
from seen.formats.problems import quote
from seen.formats.spec import CsvFormat, Getter, RowOutput
from seen.formats.validate import SEX_MF, RowCheck

ISO = DateFormat.ISO


def read_pupil(get: Getter, ck: RowCheck) -> RowOutput | None:
    census = ck.date("CensusDate", get("CensusDate"), ISO, required=True)
    urn = ck.value("SchoolURN", get("SchoolURN"))
    if urn is not None and not (urn.isascii() and urn.isdigit()):
        ck.fail("SchoolURN", f"SchoolURN {quote(urn)} is not a school URN: it must be digits only")
    record_id = ck.record_id_value("PupilID", get("PupilID"))
    identity = Identity(
        given_name=ck.name("Forename", get("Forename")),
        middle_names=ck.name("MiddleNames", get("MiddleNames")),
        family_name=ck.name("Surname", get("Surname")),
        date_of_birth=ck.date("DOB", get("DOB"), ISO, birth=True),
        sex=ck.sex("Sex", get("Sex"), SEX_MF),
        postcode=ck.postcode("Postcode", get("Postcode")),
        upn=ck.upn("UPN", get("UPN")),
    )
    ethnicity = ck.ethnicity("Ethnicity", get("Ethnicity"))
    carer = ck.code(
        "YoungCarer",
        get("YoungCarer"),
        codes.CS118_YOUNG_CARER,
        hint=" (CS118: N not known, P by a parent, S by the school)",
    )
    possible = ck.count("SessionsPossible", get("SessionsPossible"))
    missed = ck.count("SessionsMissed", get("SessionsMissed"))
    if possible is not None and missed is not None and missed > possible:
        ck.fail(
            "SessionsMissed",
            f"SessionsMissed {missed} is more than SessionsPossible "
            f"{possible}: a pupil cannot miss more sessions than were possible",
        )
    suspensions = ck.count("Suspensions", get("Suspensions"))
    excluded = ck.date("PermanentExclusionDate", get("PermanentExclusionDate"), ISO)
    if record_id is None or census is None or ck.problems:
        return None
    found: list[Event | None] = []
    if carer in ("P", "S"):
        found.append(ck.event(EventKind.SCHOOL_YOUNG_CARER, census, code=carer))
    if possible and missed is not None:
        percent = round(100.0 * missed / possible, 2)
        found.append(ck.event(EventKind.SCHOOL_ATTENDANCE, census, value=percent))
    if suspensions:
        found.append(ck.event(EventKind.SUSPENSION, census, value=float(suspensions)))
    if excluded is not None:
        found.append(ck.event(EventKind.PERMANENT_EXCLUSION, excluded))
    events = [event for event in found if event is not None]
    return RowOutput(record_id, identity, ethnicity, events)


SCHOOL_CENSUS = CsvFormat(
    name="school-census",
    id_field="PupilID",
    label="school census",
    agency_kind=AgencyKind.SCHOOL,
    columns=(
        "CensusDate",
        "SchoolURN",
        "PupilID",
        "UPN",
        "Forename",
        "MiddleNames",
        "Surname",
        "DOB",
        "Sex",
        "Ethnicity",
        "Postcode",
        "YoungCarer",
        "SessionsPossible",
        "SessionsMissed",
        "Suspensions",
        "PermanentExclusionDate",
    ),
    read_row=read_pupil,
)
