"""Rates land near their configured values in a moderate partnership (20,000 children, a fixed
seed), and each agency's biases point the documented way. Tolerances are a few standard errors
wide, so the checks are stable rather than flaky."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict

from seen.synth import SynthConfig
from synth.built import MODERATE, Build, Built

DEFAULT = SynthConfig()
REF = dt.date(2026, 3, 31)


def _age(dob: str) -> int:
    born = dt.date.fromisoformat(dob)
    return REF.year - born.year - ((REF.month, REF.day) < (born.month, born.day))


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags)


def test_children_in_need_and_looked_after_match_the_base_rates(moderate: Built) -> None:
    people = list(moderate.people.values())
    assert len(people) == MODERATE
    assert abs(_share([p["cin"] == "1" for p in people]) - DEFAULT.cin_rate) < 0.005
    assert abs(_share([p["looked_after"] == "1" for p in people]) - DEFAULT.lac_rate) < 0.002


def test_young_carers_are_about_the_configured_share_of_11_to_17_year_olds(moderate: Built) -> None:
    secondary = [p for p in moderate.people.values() if 11 <= _age(p["date_of_birth"]) <= 17]
    assert (
        abs(_share([p["young_carer"] == "1" for p in secondary]) - DEFAULT.young_carer_rate) < 0.015
    )


def test_most_young_carers_never_come_to_light(moderate: Built) -> None:
    carers = [p for p in moderate.people.values() if p["young_carer"] == "1"]
    assert _share([p["young_carer_light_date"] != "" for p in carers]) < 0.4


def test_exploitation_trajectories_are_near_their_rates(moderate: Built) -> None:
    older = [p for p in moderate.people.values() if 10 <= _age(p["date_of_birth"]) <= 17]
    risk = Counter(p["exploitation_risk"] for p in older)
    assert abs(risk["emerging"] / len(older) - DEFAULT.exploitation_emerging_rate) < 0.01
    assert abs(risk["escalating"] / len(older) - DEFAULT.exploitation_escalating_rate) < 0.006


def _school(moderate: Built) -> list[tuple[dict[str, str], dict[str, str]]]:
    return [
        (row, moderate.person_of("school_census.csv", row["PupilID"]))
        for row in moderate.rows("agencies/northshire-schools/school_census.csv")
    ]


def _caring(row: dict[str, str], person: dict[str, str]) -> bool:
    return person["young_carer"] == "1" and person["young_carer_onset"] <= row["CensusDate"]


def test_persistent_absence_is_near_its_rate_and_twice_as_common_for_young_carers(
    moderate: Built,
) -> None:
    carers: list[bool] = []
    others: list[bool] = []
    for row, person in _school(moderate):
        absent = int(row["SessionsMissed"]) * 10 >= int(row["SessionsPossible"])
        (carers if _caring(row, person) else others).append(absent)
    overall = _share(carers + others)
    assert abs(overall - DEFAULT.persistent_absence_rate) < 0.01
    ratio = _share(carers) / _share(others)
    assert abs(ratio - DEFAULT.young_carer_absence_ratio) < 0.25


def test_suspensions_are_near_their_rate_and_higher_for_young_carers(moderate: Built) -> None:
    carers: list[int] = []
    others: list[int] = []
    for row, person in _school(moderate):
        (carers if _caring(row, person) else others).append(int(row["Suspensions"]))
    total = sum(carers) + sum(others)
    per_100_a_year = total / ((len(carers) + len(others)) / 3) * 100
    assert abs(per_100_a_year - DEFAULT.suspensions_per_100) < 1.0
    assert sum(carers) / len(carers) > 1.2 * sum(others) / len(others)


def test_schools_rarely_record_young_carers_and_most_never_do(moderate: Built) -> None:
    rows = moderate.rows("agencies/northshire-schools/school_census.csv")
    flagged = [row["YoungCarer"] in ("P", "S") for row in rows]
    assert 0.001 < _share(flagged) < 0.012
    any_by_school: dict[str, bool] = defaultdict(bool)
    for row, flag in zip(rows, flagged, strict=True):
        any_by_school[row["SchoolURN"]] |= flag
    assert _share([not v for v in any_by_school.values()]) >= 0.6


def test_police_contact_is_recorded_more_in_deprived_areas(moderate: Built) -> None:
    per_person = Counter(
        moderate.record_person[("police_incidents.csv", r["PersonID"])]
        for r in moderate.rows("agencies/northshire-police/police_incidents.csv")
    )

    def rate(deciles: range) -> float:
        group = [
            pid for pid, p in moderate.people.items() if int(p["deprivation_decile"]) in deciles
        ]
        return sum(per_person[pid] for pid in group) / len(group)

    assert rate(range(1, 4)) > 1.5 * rate(range(7, 11))


def _assessments(moderate: Built) -> list[tuple[dict[str, str], str, list[str]]]:
    root = ET.parse(moderate.root / "agencies/northshire-council/cin_census.xml").getroot()
    found = []
    for child in root.iter("Child"):
        person = moderate.person_of(
            "cin_census.xml", child.findtext("ChildIdentifiers/LAchildID") or ""
        )
        for a in child.iter("Assessments"):
            start = a.findtext("AssessmentActualStartDate") or ""
            found.append((person, start, [f.text or "" for f in a.iter("AssessmentFactors")]))
    return found


def test_7a_is_rare_for_young_carers_while_parental_factors_are_common(moderate: Built) -> None:
    of_carers = [
        factors
        for person, start, factors in _assessments(moderate)
        if person["young_carer"] == "1" and person["young_carer_onset"] <= start
    ]
    assert len(of_carers) > 50
    with_7a = _share(["7A" in f for f in of_carers])
    parental_only = _share(
        [bool({"1B", "2B", "4B", "5B", "6B"} & set(f)) and "7A" not in f for f in of_carers]
    )
    assert with_7a < 0.25
    assert parental_only > 2 * with_7a


def test_exploitation_shows_in_missing_reports_before_it_comes_to_light(moderate: Built) -> None:
    first_missing: dict[str, str] = {}
    for r in moderate.rows("agencies/northshire-police/police_missing.csv"):
        pid = moderate.record_person[("police_missing.csv", r["PersonID"])]
        day = dt.datetime.strptime(r["ReportedDate"], "%d/%m/%Y").date().isoformat()
        first_missing[pid] = min(first_missing.get(pid, day), day)
    lit = [(pid, p) for pid, p in moderate.people.items() if p["exploitation_light_date"]]
    assert len(lit) > 20
    earlier = [
        pid in first_missing and first_missing[pid] < p["exploitation_light_date"] for pid, p in lit
    ]
    assert _share(earlier) > 0.5


def test_a_configured_rate_changes_the_partnership(build: Build) -> None:
    low = build(children=4000, seed=8, young_carer_rate=0.05)
    high = build(children=4000, seed=8, young_carer_rate=0.2)

    def share(built: Built) -> float:
        older = [p for p in built.people.values() if 11 <= _age(p["date_of_birth"]) <= 17]
        return _share([p["young_carer"] == "1" for p in older])

    assert share(low) < 0.08 < 0.15 < share(high)
