"""The Children in Need census return as XML (the 2024 `Message` layout), built as text so
that the bytes depend on nothing but the data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from seen.synth.cin_details import EpisodeDetail
from seen.synth.dates import NO_DATE, DayFormatter


@dataclass(frozen=True)
class CinChild:
    la_child_id: str
    upn: str
    birth_date: int
    sex: str  # M, F or U
    ethnicity: str
    episodes: Sequence[tuple[int, int, EpisodeDetail]]  # (referral, closure, detail)


def _element(lines: list[str], depth: int, name: str, value: str) -> None:
    if value:
        lines.append(f"{'  ' * depth}<{name}>{escape(value)}</{name}>")


def cin_census_xml(
    children: Sequence[CinChild],
    fmt: DayFormatter,
    year: int,
    reference_day: int,
    la_code: int,
    release: str,
) -> str:
    iso = fmt.iso_day
    ref = iso(reference_day)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<Message>",
        "  <Header>",
        "    <CollectionDetails>",
        "      <Collection>CIN</Collection>",
        f"      <Year>{year}</Year>",
        f"      <ReferenceDate>{ref}</ReferenceDate>",
        "    </CollectionDetails>",
        "    <Source>",
        "      <SourceLevel>L</SourceLevel>",
        f"      <LEA>{la_code}</LEA>",
        "      <SoftwareCode>seen.synth</SoftwareCode>",
        f"      <Release>{escape(release)}</Release>",
        "      <SerialNo>001</SerialNo>",
        f"      <DateTime>{ref}T00:00:00</DateTime>",
        "    </Source>",
        "  </Header>",
        "  <Children>",
    ]
    for child in children:
        lines.append("    <Child>")
        lines.append("      <ChildIdentifiers>")
        _element(lines, 4, "LAchildID", child.la_child_id)
        _element(lines, 4, "UPN", child.upn)
        _element(lines, 4, "PersonBirthDate", iso(child.birth_date))
        _element(lines, 4, "Sex", child.sex)
        lines.append("      </ChildIdentifiers>")
        lines.append("      <ChildCharacteristics>")
        _element(lines, 4, "Ethnicity", child.ethnicity)
        lines.append("      </ChildCharacteristics>")
        for referral, closure, detail in child.episodes:
            _episode(lines, fmt, referral, closure, detail)
        lines.append("    </Child>")
    lines.append("  </Children>")
    lines.append("</Message>")
    return "\n".join(lines) + "\n"


def _episode(
    lines: list[str], fmt: DayFormatter, referral: int, closure: int, d: EpisodeDetail
) -> None:
    day = fmt.iso_day
    lines.append("      <CINdetails>")
    _element(lines, 4, "CINreferralDate", day(referral))
    _element(lines, 4, "ReferralSource", d.source)
    _element(lines, 4, "PrimaryNeedCode", d.need)
    _element(lines, 4, "CINclosureDate", day(closure))
    _element(lines, 4, "ReasonForClosure", d.closure_reason)
    for a in d.assessments:
        lines.append("        <Assessments>")
        _element(lines, 5, "AssessmentActualStartDate", day(a.start))
        _element(lines, 5, "AssessmentAuthorisationDate", day(a.authorised))
        lines.append("          <FactorsIdentifiedAtAssessment>")
        for factor in a.factors:
            _element(lines, 6, "AssessmentFactors", factor)
        lines.append("          </FactorsIdentifiedAtAssessment>")
        lines.append("        </Assessments>")
    if d.s47 != NO_DATE:
        lines.append("        <Section47>")
        _element(lines, 5, "S47ActualStartDate", day(d.s47))
        lines.append("        </Section47>")
    if d.cpp_start != NO_DATE:
        lines.append("        <ChildProtectionPlans>")
        _element(lines, 5, "CPPstartDate", day(d.cpp_start))
        _element(lines, 5, "CPPendDate", day(d.cpp_end))
        lines.append("        </ChildProtectionPlans>")
    lines.append("      </CINdetails>")
