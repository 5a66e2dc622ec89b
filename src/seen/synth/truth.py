"""Ground truth, for measuring linkage and identification: never given to the hub.

`truth/people.csv` holds each child's true identity and hidden needs, including the day each
need first appears in an agency's records through established channels (CS118 or factor 7A
for young caring; an exploitation factor at assessment for exploitation), blank if never.
"""

from __future__ import annotations

import numpy as np

from seen.synth.dates import NO_DATE
from seen.synth.needs import RISK_NAMES, TYPE_NAMES
from seen.synth.world import World
from seen.synth.writers import Output

PEOPLE_HEADER = (
    "person_id",
    "household_id",
    "area",
    "sex",
    "ethnicity",
    "date_of_birth",
    "deprivation_decile",
    "young_carer",
    "young_carer_onset",
    "young_carer_light_date",
    "exploitation_risk",
    "exploitation_onset",
    "exploitation_light_date",
    "cin",
    "looked_after",
    "exploitation_type",
    "exploitation_escalation_date",
    "cin_ever",
    "looked_after_ever",
    "given_name",
    "middle_names",
    "family_name",
    "former_family_name",
    "family_name_change_date",
    "nhs_number",
    "upn",
    "postcode",
)
HOUSEHOLD_HEADER = (
    "household_id",
    "area",
    "deprivation_decile",
    "parent_physical_illness",
    "parent_disability",
    "parent_mental_ill_health",
    "parent_substance_misuse",
    "parent_needs_care",
    "parent_care_need_onset",
    "postcode",
    "moves",
    "children",
)
RECORDS_HEADER = ("agency", "file", "record_id", "person_id")


def person_ids(n: int) -> np.ndarray:
    return np.array([f"P{i + 1:07d}" for i in range(n)], dtype=object)


def household_ids(n: int) -> np.ndarray:
    return np.array([f"H{i + 1:07d}" for i in range(n)], dtype=object)


def _flag(values: np.ndarray) -> list[int]:
    return [int(v) for v in values.tolist()]


def write_truth(
    world: World, out: Output, young_carer_light: np.ndarray, exploitation_light: np.ndarray
) -> None:
    kids, hh, needs, iso = world.kids, world.hh, world.needs, world.fmt.iso
    h = kids.household
    area_names = np.array(world.geo.area_names, dtype=object)
    cin_ever = np.zeros(kids.n, dtype=bool)
    cin_ever[[e.child for e in world.timeline.episodes]] = True
    lac_ever = np.zeros(kids.n, dtype=bool)
    lac_ever[[p.child for p in world.timeline.periods]] = True
    pid = person_ids(kids.n)
    hid = household_ids(hh.n)
    people = [
        pid.tolist(),
        hid[h].tolist(),
        area_names[hh.area[h]].tolist(),
        np.where(kids.female, "F", "M").tolist(),
        kids.ethnicity.tolist(),
        iso(kids.dob),
        hh.decile[h].tolist(),
        _flag(needs.young_carer),
        iso(needs.young_carer_onset),
        iso(young_carer_light),
        np.array(RISK_NAMES, dtype=object)[needs.risk].tolist(),
        iso(needs.onset),
        iso(exploitation_light),
        _flag(world.timeline.cin_open),
        _flag(world.timeline.lac_open),
        np.array(TYPE_NAMES, dtype=object)[needs.kind].tolist(),
        iso(needs.escalation),
        _flag(cin_ever),
        _flag(lac_ever),
        kids.given.tolist(),
        kids.middle.tolist(),
        hh.surname[h].tolist(),
        hh.former_surname[h].tolist(),
        iso(hh.surname_change_day[h]),
        kids.nhs.tolist(),
        kids.upn.tolist(),
        hh.postcode[h].tolist(),
    ]
    out.csv("truth/people.csv", PEOPLE_HEADER, people)
    households = [
        hid.tolist(),
        area_names[hh.area].tolist(),
        hh.decile.tolist(),
        _flag(hh.physical_illness),
        _flag(hh.disability),
        _flag(hh.mental_ill_health),
        _flag(hh.substance_misuse),
        _flag(hh.needs_care),
        iso(hh.care_onset),
        hh.postcode.tolist(),
        hh.moves.tolist(),
        hh.size.tolist(),
    ]
    out.csv("truth/households.csv", HOUSEHOLD_HEADER, households)

    rows: list[tuple[str, str, str, str]] = []
    for agency, file, ids, persons in out.records:
        rows.extend((agency, file, i, str(pid[p])) for i, p in zip(ids, persons, strict=True))
    rows.sort()
    out.csv(
        "truth/records.csv",
        RECORDS_HEADER,
        list(zip(*rows, strict=True)) if rows else [[], [], [], []],
    )


def write_reference(world: World, out: Output) -> None:
    geo = world.geo
    order = sorted(range(len(geo.sector_code)), key=lambda i: geo.sector_code[i])
    out.csv(
        "reference/postcode_deprivation.csv",
        ("PostcodeSector", "Area", "DeprivationDecile"),
        [
            [geo.sector_code[i] for i in order],
            [geo.area_names[int(geo.sector_area[i])] for i in order],
            [int(geo.sector_decile[i]) for i in order],
        ],
    )


def earliest(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The earlier of two day arrays where NO_DATE means never."""
    big = np.iinfo(np.int64).max
    x = np.where(a == NO_DATE, big, a)
    y = np.where(b == NO_DATE, big, b)
    m = np.minimum(x, y)
    return np.where(m == big, NO_DATE, m)
