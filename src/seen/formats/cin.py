"""The Children in Need census return (XML root `Message`, one `Child` per child).

Returns from 2024 write `Sex` (M/F/U); older ones `GenderCurrent` (1/2/9/0). Both are read,
and a `Sex` holding a GenderCurrent code is reported. Everything in a `CINdetails` block
happens on or after its referral date, and an assessment is authorised on or after it starts.
"""

from __future__ import annotations

import datetime as dt
from xml.etree.ElementTree import Element

from seen.domain import codes
from seen.domain.agencies import AgencyKind
from seen.domain.demographics import Sex
from seen.domain.events import Event, EventKind
from seen.domain.records import Identity
from seen.formats.dates import DateFormat
from seen.formats.spec import RowOutput, XmlFormat
from seen.formats.validate import SEX_MFU, SEX_NHS, UPN_UNKNOWN_CODES, RowCheck
from seen.formats.xmlfile import blocks, text

ISO = DateFormat.ISO
REPEATABLE = frozenset(
    {
        "Child",
        "CINdetails",
        "Assessments",
        "AssessmentFactors",
        "Section47",
        "ChildProtectionPlans",
        "CINPlanDates",
        "Reviews",
        "CPPreviewDate",
        "Disability",
    }
)
_AFTER_REFERRAL = "it cannot come before the referral it belongs to"


def read_child(child: Element, path: str, ck: RowCheck) -> RowOutput | None:
    identifiers = child.find("ChildIdentifiers")
    if identifiers is None:
        ck.fail(
            "ChildIdentifiers", "the child has no <ChildIdentifiers>, so it cannot be identified"
        )
        return None
    ck.location = f"{path}/ChildIdentifiers"
    identity = _identity(identifiers, ck)
    ck.location = f"{path}/ChildCharacteristics"
    ethnicity = ck.ethnicity("Ethnicity", child.findtext("ChildCharacteristics/Ethnicity"))
    events: list[Event] = []
    for details, where in blocks(child, "CINdetails", path, REPEATABLE):
        events.extend(_details(details, where, ck))
    if ck.record_id is None or ck.problems:
        return None
    return RowOutput(ck.record_id, identity, ethnicity, events)


def _identity(ids: Element, ck: RowCheck) -> Identity:
    ck.record_id_value("LAchildID", text(ids, "LAchildID"))
    upn_text = text(ids, "UPN")
    upn = ck.upn("UPN", upn_text, unknown_codes=True)
    unknown = text(ids, "UPNunknown")
    if unknown and unknown.strip():
        ck.code("UPNunknown", unknown, UPN_UNKNOWN_CODES)
        if upn_text and upn_text.strip():
            ck.fail("UPNunknown", "both UPN and UPNunknown are given: give one or the other")
    # An unborn child has an expected date of birth instead.
    expected = text(ids, "ExpectedPersonBirthDate")
    dob = ck.date(
        "PersonBirthDate",
        text(ids, "PersonBirthDate"),
        ISO,
        required=not (expected and expected.strip()),
        birth=True,
    )
    return Identity(date_of_birth=dob, sex=_sex(ids, ck), upn=upn)


def _sex(ids: Element, ck: RowCheck) -> Sex:
    if ids.find("Sex") is not None:
        return ck.sex(
            "Sex",
            text(ids, "Sex"),
            SEX_MFU,
            required=True,
            hint=" (1, 2, 9 and 0 are GenderCurrent codes, from returns before 2024)",
        )
    if ids.find("GenderCurrent") is not None:
        return ck.sex(
            "GenderCurrent",
            text(ids, "GenderCurrent"),
            SEX_NHS,
            required=True,
            hint=" (1 male, 2 female, 9 indeterminate, 0 not known)",
        )
    ck.fail("Sex", "Sex is missing: give <Sex> (M, F or U)")
    return Sex.UNKNOWN


def _details(details: Element, path: str, ck: RowCheck) -> list[Event]:
    ck.location = path
    referral = ck.date("CINreferralDate", text(details, "CINreferralDate"), ISO, required=True)
    source = ck.code(
        "ReferralSource", text(details, "ReferralSource"), codes.CIN_REFERRAL_SOURCES, required=True
    )
    need = ck.code(
        "PrimaryNeedCode", text(details, "PrimaryNeedCode"), codes.CIN_PRIMARY_NEED, required=True
    )
    closure = ck.date("CINclosureDate", text(details, "CINclosureDate"), ISO)
    ck.not_before(
        "CINclosureDate",
        closure,
        "CINreferralDate",
        referral,
        ISO,
        "a case cannot close before it is referred",
    )
    found: list[Event | None] = [
        ck.event(EventKind.CIN_REFERRAL, referral, end=closure, code=source),
        ck.event(EventKind.CIN_PRIMARY_NEED, referral, code=need),
    ]
    for block, where in blocks(details, "Assessments", path, REPEATABLE):
        found.extend(_assessment(block, where, referral, ck))
    for block, where in blocks(details, "Section47", path, REPEATABLE):
        ck.location = where
        start = ck.date("S47ActualStartDate", text(block, "S47ActualStartDate"), ISO, required=True)
        ck.not_before(
            "S47ActualStartDate", start, "CINreferralDate", referral, ISO, _AFTER_REFERRAL
        )
        found.append(ck.event(EventKind.SECTION_47_ENQUIRY, start))
    for block, where in blocks(details, "ChildProtectionPlans", path, REPEATABLE):
        ck.location = where
        start = ck.date("CPPstartDate", text(block, "CPPstartDate"), ISO, required=True)
        end = ck.date("CPPendDate", text(block, "CPPendDate"), ISO)
        ck.not_before("CPPstartDate", start, "CINreferralDate", referral, ISO, _AFTER_REFERRAL)
        ck.not_before(
            "CPPendDate", end, "CPPstartDate", start, ISO, "a plan cannot end before it starts"
        )
        found.append(ck.event(EventKind.CHILD_PROTECTION_PLAN, start, end=end))
    return [event for event in found if event is not None]


def _assessment(
    block: Element, path: str, referral: dt.date | None, ck: RowCheck
) -> list[Event | None]:
    ck.location = path
    start = ck.date(
        "AssessmentActualStartDate", text(block, "AssessmentActualStartDate"), ISO, required=True
    )
    authorised = ck.date(
        "AssessmentAuthorisationDate", text(block, "AssessmentAuthorisationDate"), ISO
    )
    ck.not_before(
        "AssessmentActualStartDate", start, "CINreferralDate", referral, ISO, _AFTER_REFERRAL
    )
    ck.not_before(
        "AssessmentAuthorisationDate",
        authorised,
        "AssessmentActualStartDate",
        start,
        ISO,
        "an assessment cannot be authorised before it starts",
    )
    factors = block.find("FactorsIdentifiedAtAssessment")
    if factors is None:
        return []
    found: list[str] = []
    factor_path = f"{path}/FactorsIdentifiedAtAssessment"
    for factor, where in blocks(factors, "AssessmentFactors", factor_path, REPEATABLE):
        ck.location = where
        code = ck.code(
            "AssessmentFactors", factor.text, codes.CIN_ASSESSMENT_FACTORS, required=True
        )
        if code is not None:
            found.append(code)
    date = authorised or start
    return [ck.event(EventKind.CIN_ASSESSMENT_FACTOR, date, code=code) for code in found]


CIN_CENSUS = XmlFormat(
    name="cin-census-xml",
    id_field="LAchildID",
    label="Children in Need census return (XML)",
    agency_kind=AgencyKind.CHILDRENS_SERVICES,
    identity_index=True,
    root="Message",
    container=("Message", "Children"),
    unit="Child",
    repeatable=REPEATABLE,
    read_unit=read_child,
)
