"""SSDA903 (the looked-after children return) as CSV tables, dates written dd/mm/YYYY.

The header table says who each child is; episodes and missing yield events. The uasc, oc2,
oc3 and reviews tables are validated (CHILD, SEX, DOB and their dates) but yield no events:
nothing in them is on Seen's event list, and their dates of birth must agree with the header.
The field checks here are shared with the XML form (`ssda903_xml`).
"""

from __future__ import annotations

from seen.domain.agencies import AgencyKind
from seen.domain.events import Event, EventKind
from seen.domain.records import Identity
from seen.formats.dates import DateFormat
from seen.formats.spec import CsvFormat, Getter, RowOutput, RowReader
from seen.formats.validate import SEX_SSDA903, RowCheck

DMY = DateFormat.DMY
MISSING_CODES = ("M", "A")
MOTHER_CODES = ("1", "0")
_CS = AgencyKind.CHILDRENS_SERVICES
HEADER_FORMAT = "ssda903-header"


def header_fields(get: Getter, ck: RowCheck, id_field: str = "CHILD") -> RowOutput | None:
    record_id = ck.record_id_value(id_field, get(id_field))
    identity = Identity(
        date_of_birth=ck.date("DOB", get("DOB"), DMY, required=True, birth=True),
        sex=ck.sex("SEX", get("SEX"), SEX_SSDA903, required=True, hint=" (1 male, 2 female)"),
        upn=ck.upn("UPN", get("UPN"), unknown_codes=True),
    )
    ethnicity = ck.ethnicity("ETHNIC", get("ETHNIC"))
    ck.code("MOTHER", get("MOTHER"), MOTHER_CODES, hint=" (1 if the child is a mother)")
    ck.date("MC_DOB", get("MC_DOB"), DMY)
    if record_id is None or ck.problems:
        return None
    return RowOutput(record_id, identity, ethnicity)


def episode_event(get: Getter, ck: RowCheck) -> Event | None:
    start = ck.date("DECOM", get("DECOM"), DMY, required=True)
    end = ck.date("DEC", get("DEC"), DMY)
    ck.not_before("DEC", end, "DECOM", start, DMY, "an episode cannot end before it starts")
    # Checked because a bad postcode is a data-quality signal; never kept or turned into events.
    ck.postcode("HOME_POST", get("HOME_POST"))
    ck.postcode("PL_POST", get("PL_POST"))
    return ck.event(EventKind.LOOKED_AFTER_EPISODE, start, end=end)


def missing_event(get: Getter, ck: RowCheck) -> Event | None:
    code = ck.code(
        "MISSING",
        get("MISSING"),
        MISSING_CODES,
        required=True,
        hint=" (M missing, A away without authorisation)",
    )
    start = ck.date("MIS_START", get("MIS_START"), DMY, required=True)
    end = ck.date("MIS_END", get("MIS_END"), DMY)
    ck.not_before("MIS_END", end, "MIS_START", start, DMY, "an absence cannot end before it starts")
    return ck.event(EventKind.MISSING_EPISODE, start, end=end, code=code)


def _read_header(get: Getter, ck: RowCheck) -> RowOutput | None:
    return header_fields(get, ck)


def _read_episode(get: Getter, ck: RowCheck) -> RowOutput | None:
    record_id = ck.record_id_value("CHILD", get("CHILD"))
    event = episode_event(get, ck)
    if record_id is None or event is None or ck.problems:
        return None
    return RowOutput(record_id, events=[event])


def _read_missing(get: Getter, ck: RowCheck) -> RowOutput | None:
    record_id = ck.record_id_value("CHILD", get("CHILD"))
    dob = ck.date("DOB", get("DOB"), DMY, birth=True)
    event = missing_event(get, ck)
    if record_id is None or event is None or ck.problems:
        return None
    return RowOutput(record_id, Identity(date_of_birth=dob), events=[event])


def _validated_only(*dates: str, sex: bool = False) -> RowReader:
    """A reader for a table that is checked but yields nothing (see the module docstring)."""

    def read(get: Getter, ck: RowCheck) -> RowOutput | None:
        record_id = ck.record_id_value("CHILD", get("CHILD"))
        dob = ck.date("DOB", get("DOB"), DMY, required=True, birth=True)
        if sex:
            ck.sex("SEX", get("SEX"), SEX_SSDA903, required=True, hint=" (1 male, 2 female)")
        for name in dates:
            ck.date(name, get(name), DMY)
        if record_id is None or ck.problems:
            return None
        return RowOutput(record_id, Identity(date_of_birth=dob), creates_record=False)

    return read


HEADER = CsvFormat(
    name=HEADER_FORMAT,
    id_field="CHILD",
    dates=DMY,
    label="SSDA903 header table",
    agency_kind=_CS,
    identity_index=True,
    columns=("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    read_row=_read_header,
)
EPISODES = CsvFormat(
    name="ssda903-episodes",
    id_field="CHILD",
    dates=DMY,
    label="SSDA903 episodes table",
    agency_kind=_CS,
    columns=(
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    ),
    read_row=_read_episode,
    index_format=HEADER_FORMAT,
)
MISSING = CsvFormat(
    name="ssda903-missing",
    id_field="CHILD",
    dates=DMY,
    label="SSDA903 missing table",
    agency_kind=_CS,
    columns=("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    read_row=_read_missing,
    index_format=HEADER_FORMAT,
)
UASC = CsvFormat(
    name="ssda903-uasc",
    id_field="CHILD",
    dates=DMY,
    label="SSDA903 UASC table",
    agency_kind=_CS,
    columns=("CHILD", "SEX", "DOB", "DUC"),
    read_row=_validated_only("DUC", sex=True),
    index_format=HEADER_FORMAT,
)
OC2 = CsvFormat(
    name="ssda903-oc2",
    id_field="CHILD",
    dates=DMY,
    label="SSDA903 OC2 table",
    agency_kind=_CS,
    columns=(
        "CHILD",
        "DOB",
        "SDQ_SCORE",
        "SDQ_REASON",
        "CONVICTED",
        "HEALTH_CHECK",
        "IMMUNISATIONS",
        "TEETH_CHECK",
        "HEALTH_ASSESSMENT",
        "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED",
        "INTERVENTION_OFFERED",
    ),
    read_row=_validated_only(),
    index_format=HEADER_FORMAT,
)
OC3 = CsvFormat(
    name="ssda903-oc3",
    id_field="CHILD",
    dates=DMY,
    label="SSDA903 OC3 table",
    agency_kind=_CS,
    columns=("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    read_row=_validated_only(),
    index_format=HEADER_FORMAT,
)
REVIEWS = CsvFormat(
    name="ssda903-reviews",
    id_field="CHILD",
    dates=DMY,
    label="SSDA903 reviews table",
    agency_kind=_CS,
    columns=("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    read_row=_validated_only("REVIEW"),
    index_format=HEADER_FORMAT,
)
TABLES = (HEADER, EPISODES, MISSING, UASC, OC2, OC3, REVIEWS)
