"""The ground truth accounts for every agency record, and agrees with what the agencies wrote."""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from synth.built import SMALL, Build, Built

RECORD_ID = {
    "persons.csv": "LAchildID",
    "ssda903_header.csv": "CHILD",
    "ssda903_episodes.csv": "CHILD",
    "ssda903_missing.csv": "CHILD",
    "school_census.csv": "PupilID",
    "police_incidents.csv": "PersonID",
    "police_missing.csv": "PersonID",
    "ed_attendances.csv": "PatientID",
}


def _ids_in(path: Path) -> set[str]:
    if path.suffix == ".xml":
        root = ET.parse(path).getroot()
        return {e.text or "" for e in root.iter("LAchildID")}
    with path.open(encoding="utf-8", newline="") as fh:
        return {row[RECORD_ID[path.name]] for row in csv.DictReader(fh)}


def test_every_agency_record_appears_in_truth_records_exactly_once(moderate: Built) -> None:
    truth = moderate.rows("truth/records.csv")
    keys = Counter((r["agency"], r["file"], r["record_id"]) for r in truth)
    assert max(keys.values()) == 1
    for path in sorted(moderate.root.glob("agencies/*/*")):
        agency = path.parent.name
        listed = {r["record_id"] for r in truth if (r["agency"], r["file"]) == (agency, path.name)}
        assert listed == _ids_in(path), path.name
    assert {r["person_id"] for r in truth} <= set(moderate.people)


def test_record_ids_are_local_to_their_agency(moderate: Built) -> None:
    by_agency: dict[str, set[str]] = {}
    for r in moderate.rows("truth/records.csv"):
        by_agency.setdefault(r["agency"], set()).add(r["record_id"])
    agencies = sorted(by_agency)
    assert len(agencies) == 4
    for i, a in enumerate(agencies):
        for b in agencies[i + 1 :]:
            assert not by_agency[a] & by_agency[b]


def test_a_council_record_keeps_one_id_across_its_files(moderate: Built) -> None:
    council = [r for r in moderate.rows("truth/records.csv") if r["agency"] == "northshire-council"]
    persons = {r["record_id"] for r in council if r["file"] == "persons.csv"}
    for r in council:
        assert r["record_id"] in persons


def test_some_children_have_more_than_one_record_in_an_agency(moderate: Built) -> None:
    truth = moderate.rows("truth/records.csv")
    for agency, file in (
        ("northshire-schools", "school_census.csv"),
        ("northshire-police", "police_incidents.csv"),
        ("northshire-health", "ed_attendances.csv"),
        ("northshire-council", "persons.csv"),
    ):
        per_person = Counter(
            r["person_id"] for r in truth if (r["agency"], r["file"]) == (agency, file)
        )
        assert any(n > 1 for n in per_person.values()), agency


def test_truth_describes_every_child_and_household(small: Built) -> None:
    people = small.rows("truth/people.csv")
    households = {h["household_id"]: h for h in small.rows("truth/households.csv")}
    assert len(people) == SMALL
    assert {p["household_id"] for p in people} == set(households)
    sizes = Counter(p["household_id"] for p in people)
    assert all(int(households[h]["children"]) == n for h, n in sizes.items())
    for p in people:
        assert households[p["household_id"]]["area"] == p["area"]
        assert p["date_of_birth"] <= "2026-03-31" and p["date_of_birth"] > "2008-03-31"


def test_young_carers_live_with_a_parent_who_needs_care(moderate: Built) -> None:
    households = {h["household_id"]: h for h in moderate.rows("truth/households.csv")}
    carers = [p for p in moderate.people.values() if p["young_carer"] == "1"]
    assert carers
    assert all(households[p["household_id"]]["parent_needs_care"] == "1" for p in carers)


def test_hidden_needs_come_to_light_after_onset_or_not_at_all(moderate: Built) -> None:
    people = list(moderate.people.values())
    for p in people:
        if p["young_carer"] == "0":
            assert p["young_carer_onset"] == p["young_carer_light_date"] == ""
        elif p["young_carer_light_date"]:
            assert p["young_carer_onset"] <= p["young_carer_light_date"] <= "2026-03-31"
        if p["exploitation_risk"] == "none":
            assert p["exploitation_onset"] == p["exploitation_light_date"] == ""
        elif p["exploitation_light_date"]:
            assert p["exploitation_onset"] <= p["exploitation_light_date"]
        if p["exploitation_risk"] == "escalating":
            assert p["exploitation_onset"] <= p["exploitation_escalation_date"]


def test_young_carer_light_date_is_the_first_cs118_or_7a_record(moderate: Built) -> None:
    first: dict[str, str] = {}
    for row in moderate.rows("agencies/northshire-schools/school_census.csv"):
        if row["YoungCarer"] in ("P", "S"):
            person = moderate.record_person[("school_census.csv", row["PupilID"])]
            first[person] = min(first.get(person, row["CensusDate"]), row["CensusDate"])
    root = ET.parse(moderate.root / "agencies/northshire-council/cin_census.xml").getroot()
    for child in root.iter("Child"):
        person = moderate.record_person[
            ("cin_census.xml", child.findtext("ChildIdentifiers/LAchildID") or "")
        ]
        for a in child.iter("Assessments"):
            if "7A" in [f.text for f in a.iter("AssessmentFactors")]:
                day = (
                    a.findtext("AssessmentAuthorisationDate")
                    or a.findtext("AssessmentActualStartDate")
                    or ""
                )
                first[person] = min(first.get(person, day), day)
    light = {
        pid: p["young_carer_light_date"]
        for pid, p in moderate.people.items()
        if p["young_carer_light_date"]
    }
    assert light == first


def test_status_flags_agree_with_the_council_files(moderate: Built) -> None:
    looked_after = {pid for pid, p in moderate.people.items() if p["looked_after_ever"] == "1"}
    in_903 = {
        moderate.record_person[("ssda903_header.csv", r["CHILD"])]
        for r in moderate.rows("agencies/northshire-council/ssda903_header.csv")
    }
    assert in_903 == looked_after
    open_now = {pid for pid, p in moderate.people.items() if p["looked_after"] == "1"}
    open_903 = {
        moderate.record_person[("ssda903_episodes.csv", r["CHILD"])]
        for r in moderate.rows("agencies/northshire-council/ssda903_episodes.csv")
        if r["DEC"] == ""
    }
    assert open_903 == open_now
    assert all(moderate.people[p]["cin"] == "1" for p in open_now)


DOCS = Path(__file__).resolve().parents[2] / "docs" / "synthetic.md"


def test_truth_files_have_exactly_the_documented_columns(small: Built) -> None:
    text = DOCS.read_text(encoding="utf-8")
    for name in ("people.csv", "households.csv", "records.csv"):
        match = re.search(rf"`{re.escape(name)}`: `([^`]+)`", text)
        assert match is not None, name
        documented = [c.strip() for c in match.group(1).replace("\n", " ").split(",")]
        with (small.root / "truth" / name).open(encoding="utf-8", newline="") as fh:
            assert next(csv.reader(fh)) == documented, name


@pytest.mark.parametrize("children", [1, 7])
def test_tiny_partnerships_are_complete(build: Build, children: int) -> None:
    built = build(children=children, seed=2)
    assert len(built.rows("truth/people.csv")) == children
    assert built.summary.records_by_file.keys() == {
        f"agencies/{p.parent.name}/{p.name}" for p in built.root.glob("agencies/*/*")
    }
