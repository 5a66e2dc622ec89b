from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seen.domain import codes
from seen.domain.demographics import Demographics, EthnicGroup, Sex, birth_month, ethnic_group
from seen.domain.events import EVENT_SPECS, Event, EventKind, event_problems

day = dt.date(2025, 1, 6)


def test_every_event_kind_has_a_spec() -> None:
    assert set(EVENT_SPECS) == set(EventKind)


def test_the_code_lists_hold_the_codes_the_partnership_relies_on() -> None:
    assert codes.YOUNG_CARER_FACTOR in codes.CIN_ASSESSMENT_FACTORS
    assert codes.PARENTAL_NEED_FACTORS <= set(codes.CIN_ASSESSMENT_FACTORS)
    assert codes.EXPLOITATION_FACTORS <= set(codes.CIN_ASSESSMENT_FACTORS)
    assert {"2A", "3A", "3F", "5D", "6"} <= set(codes.CIN_REFERRAL_SOURCES)
    assert set(codes.CIN_PRIMARY_NEED) == {f"N{i}" for i in range(10)}
    assert set(codes.SSDA903_MISSING) == {"M", "A"}
    assert set(codes.CS118_YOUNG_CARER) == {"N", "P", "S"}


def test_an_event_with_an_unknown_code_names_the_code_and_the_allowed_ones() -> None:
    problems = event_problems(EventKind.CIN_ASSESSMENT_FACTOR, day, code="RB")
    assert problems and problems[0][0] == "code"
    assert "'RB'" in problems[0][1] and "7A" in problems[0][1]
    with pytest.raises(ValueError, match="RB"):
        Event(EventKind.CIN_ASSESSMENT_FACTOR, day, code="RB")


def test_events_cannot_end_before_they_start() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        Event(EventKind.MISSING_EPISODE, day, end=day - dt.timedelta(days=1), code="M")


def test_a_coded_event_needs_its_code_and_an_uncoded_one_refuses_one() -> None:
    assert event_problems(EventKind.CIN_REFERRAL, day)
    assert event_problems(EventKind.SECTION_47_ENQUIRY, day, code="X")
    assert not event_problems(EventKind.SECTION_47_ENQUIRY, day)


def test_police_roles_are_qualifiers_of_incidents_only() -> None:
    assert not event_problems(EventKind.POLICE_INCIDENT, day, code="ASB", qualifier="VICTIM")
    assert event_problems(EventKind.POLICE_INCIDENT, day, code="ASB", qualifier="BYSTANDER")
    assert event_problems(EventKind.EMERGENCY_ATTENDANCE, day, code="INJURY", qualifier="VICTIM")


def test_event_description_reads_the_code_list() -> None:
    event = Event(EventKind.CIN_ASSESSMENT_FACTOR, day, code="7A")
    assert event.description == "Factor identified at assessment: Young carer"


@given(st.text(max_size=30), st.text(max_size=30))
def test_event_keys_are_stable_and_separate_agencies_and_records(agency: str, record: str) -> None:
    event = Event(EventKind.SUSPENSION, day, value=2.0)
    assert event.identity_key(agency, record) == event.identity_key(agency, record)
    assert event.identity_key(agency, record) != event.identity_key(agency + "x", record)
    assert event.identity_key(agency, record) != event.identity_key(agency, record + "x")


def test_demographics_keep_only_degraded_values() -> None:
    demo = Demographics(Sex.FEMALE, "BAFR", birth_month(dt.date(2011, 9, 9)), 3)
    assert demo.birth_month == "2011-09"
    assert demo.ethnic_group is EthnicGroup.BLACK
    with pytest.raises(ValueError):
        Demographics(birth_month="2011-09-09")
    with pytest.raises(ValueError):
        Demographics(deprivation_decile=11)
    with pytest.raises(ValueError):
        Demographics(ethnicity="XXXX")
    assert ethnic_group(None) is EthnicGroup.UNKNOWN
