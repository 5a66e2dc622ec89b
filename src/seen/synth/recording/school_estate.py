"""Northshire's schools, who is on which roll at each termly census, and UPNs.

A pupil's record (PupilID) belongs to one school: moving area, changing phase, a managed move
or a permanent exclusion starts a new record at another school. The UPN follows the child.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seen.domain.identifiers import make_upn
from seen.synth.dates import Days, add_years, age_on, census_days, from_ymd, school_year_start, ymd
from seen.synth.names import Strings
from seen.synth.rates import Bools, Ints
from seen.synth.world import NORTHSHIRE_LA_CODE, World

PRIMARY, SECONDARY = 0, 1
_PHASE_BASE = (2000, 4000)  # establishment numbers: 2xxx-3xxx primary, 4xxx-5xxx secondary


@dataclass
class Roll:
    censuses: Days
    age: Ints  # (children, censuses): age on the 31 August before each census
    on_roll: Bools  # (children, censuses)
    phase: Ints
    area: Ints


@dataclass
class Enrolment:
    cell_child: Ints  # one entry per pupil-census on a roll
    cell_census: Ints
    cell_stint: Ints
    stint_child: Ints  # one entry per school record (PupilID)
    stint_school: Ints
    stint_first: Ints  # census index of the record's first row
    stint_registered: Days
    urn: Strings  # one entry per school
    school_phase: Ints
    school_cs118: Bools


def build_roll(world: World, rng: np.random.Generator) -> Roll:
    cfg, kids, hh, geo = world.cfg, world.kids, world.hh, world.geo
    censuses = np.array(census_days(cfg.window_start, cfg.reference_date), dtype=np.int64)
    n = kids.n
    age = np.stack([age_on(kids.dob, school_year_start(int(c))) for c in censuses], axis=1)
    on_any_roll = rng.random(n) >= cfg.not_on_roll_rate
    sixth = rng.random(n) < cfg.sixth_form_rate
    on_roll = on_any_roll[:, None] & (
        ((age >= 4) & (age <= 15)) | ((age >= 16) & (age <= 17) & sixth[:, None])
    )
    area = np.stack(
        [
            geo.sector_area[hh.addr_sector[hh.address_at(kids.household, np.full(n, c))]]
            for c in censuses.tolist()
        ],
        axis=1,
    )
    return Roll(censuses, age, on_roll, (age >= 11).astype(np.int64), area)


def _schools(
    world: World, rng: np.random.Generator, roll: Roll
) -> tuple[Ints, Ints, Strings, Bools, Ints]:
    """Schools per (area, phase), sized from the pupils there: (area, phase, URN, records
    CS118, establishment number) per school."""
    cfg = world.cfg
    n_areas = len(world.geo.area_names)
    census_count = max(1, roll.on_roll.shape[1])
    areas: list[int] = []
    phases: list[int] = []
    for phase, size in ((PRIMARY, cfg.primary_school_size), (SECONDARY, cfg.secondary_school_size)):
        for a in range(n_areas):
            pupils = np.sum(roll.on_roll & (roll.phase == phase) & (roll.area == a)) / census_count
            count = max(1, round(float(pupils) / size))
            areas.extend([a] * count)
            phases.extend([phase] * count)
    area = np.array(areas, dtype=np.int64)
    phase_arr = np.array(phases, dtype=np.int64)
    estab = np.zeros(len(area), dtype=np.int64)
    for phase in (PRIMARY, SECONDARY):
        idx = np.flatnonzero(phase_arr == phase)
        # Up to 2,000 establishment numbers per phase; beyond that, schools share a number.
        estab[idx] = _PHASE_BASE[phase] + np.arange(len(idx)) % 2000
    urn = np.array(
        [str(v) for v in (rng.choice(100_000, len(area), replace=False) + 800_000).tolist()],
        dtype=object,
    )
    # Secondary schools, where most young carers are, record CS118 twice as often as primaries.
    weight = np.where(phase_arr == SECONDARY, 2.0, 1.0)
    cs118 = rng.random(len(area)) < np.minimum(1.0, cfg.cs118_school_share * weight / weight.mean())
    return area, phase_arr, urn, cs118, estab


def enrol(world: World, rng: np.random.Generator, roll: Roll, leaves_after: Ints) -> Enrolment:
    """School records for every pupil-census on a roll. A pupil starts a new record after a
    managed move, or after the census index in `leaves_after` (a permanent exclusion)."""
    cfg = world.cfg
    n, n_census = roll.on_roll.shape
    moved = rng.random((n, n_census)) < cfg.school_move_rate / 3.0
    excluded = np.zeros((n, n_census), dtype=bool)
    rows = np.flatnonzero((leaves_after >= 0) & (leaves_after + 1 < n_census))
    excluded[rows, leaves_after[rows] + 1] = True
    counter = np.minimum(np.cumsum(moved | excluded, axis=1), 63)
    key = ((np.arange(n)[:, None] * 2 + roll.phase) * 16 + roll.area) * 64 + counter
    cell_child, cell_census = np.nonzero(roll.on_roll)
    keys, cell_stint = np.unique(key[cell_child, cell_census], return_inverse=True)
    stint_child = keys // (2 * 16 * 64)
    stint_area = (keys // 64) % 16
    stint_phase = (keys // (16 * 64)) % 2
    stint_first = np.full(len(keys), n_census, dtype=np.int64)
    np.minimum.at(stint_first, cell_stint, cell_census)

    area, phase, urn, cs118, estab = _schools(world, rng, roll)
    stint_school = np.zeros(len(keys), dtype=np.int64)
    for a in range(len(world.geo.area_names)):
        for p in (PRIMARY, SECONDARY):
            options = np.flatnonzero((area == a) & (phase == p))
            mask = (stint_area == a) & (stint_phase == p)
            stint_school[mask] = options[rng.integers(0, len(options), int(mask.sum()))]

    # A record made before the window began dates from joining the phase (age 4 or 11).
    entry_age = np.where(stint_phase == SECONDARY, 11, 4)
    turned = add_years(world.kids.dob[stint_child], entry_age)
    y, m, _ = ymd(turned)
    entry = from_ymd(
        np.where(m >= 9, y + 1, y), np.full(len(y), 9), np.ones(len(y), dtype=np.int64)
    )
    first_day = roll.censuses[stint_first]
    registered = np.where(
        stint_first == 0,
        np.minimum(entry, first_day),
        first_day - np.floor(rng.random(len(keys)) * 100).astype(np.int64),
    )
    _allocate_upns(world, stint_child, stint_first, stint_school, estab)
    return Enrolment(
        cell_child,
        cell_census,
        cell_stint,
        stint_child,
        stint_school,
        stint_first,
        registered,
        urn,
        phase,
        cs118,
    )


def _allocate_upns(
    world: World, stint_child: Ints, stint_first: Ints, stint_school: Ints, estab: Ints
) -> None:
    """A UPN for every child ever on a roll, from the first school's establishment number and
    the year they started school, with a serial unique within that pair."""
    kids = world.kids
    order = np.lexsort((stint_first, stint_child))
    first_of_child = np.ones(len(order), dtype=bool)
    first_of_child[1:] = stint_child[order][1:] != stint_child[order][:-1]
    chosen = order[first_of_child]
    child = stint_child[chosen]
    school_estab = estab[stint_school[chosen]]
    fourth_y, fourth_m, _ = ymd(add_years(kids.dob[child], 4))
    start_year = np.where(fourth_m >= 9, fourth_y + 1, fourth_y)
    group = school_estab * 100 + start_year % 100
    by_group = np.lexsort((child, group))
    g = group[by_group]
    new_group = np.ones(len(g), dtype=bool)
    new_group[1:] = g[1:] != g[:-1]
    group_start = np.maximum.accumulate(np.where(new_group, np.arange(len(g)), 0))
    serial = np.empty(len(g), dtype=np.int64)
    serial[by_group] = np.arange(len(g)) - group_start
    if len(serial) and serial.max() >= 1000:
        raise ValueError("more than 1,000 pupils share a school and start year: enlarge the estate")
    for c, e, yr, s in zip(
        child.tolist(), school_estab.tolist(), start_year.tolist(), serial.tolist(), strict=True
    ):
        kids.upn[c] = make_upn(NORTHSHIRE_LA_CODE, e, yr, s)
