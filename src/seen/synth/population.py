"""Households and the children in them: where they live (and move), who their parents are,
and each child's true identity.

Everything here is truth. Agencies see it only through `corruption` and their own recording.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

import numpy as np

from seen.synth.config import SynthConfig
from seen.synth.dates import NO_DATE, YEAR, Days, add_years, ordinal
from seen.synth.geography import Geography, draw_postcodes, draw_sectors
from seen.synth.names import NameData, Strings, draw_given, draw_surname, traditions_for
from seen.synth.rates import Bools, Ints, gradient, uniform_days

# England's under-18 ethnicity mix (school census, rounded), scaled by an area's diversity.
ENGLAND_MIX: Final = MappingProxyType(
    {
        "WBRI": 0.64,
        "WIRI": 0.003,
        "WIRT": 0.002,
        "WOTH": 0.075,
        "WROM": 0.004,
        "MWBC": 0.015,
        "MWBA": 0.009,
        "MWAS": 0.016,
        "MOTH": 0.021,
        "AIND": 0.035,
        "APKN": 0.045,
        "ABAN": 0.02,
        "AOTH": 0.02,
        "CHNE": 0.005,
        "BCRB": 0.01,
        "BAFR": 0.04,
        "BOTH": 0.01,
        "OOTH": 0.022,
        "REFU": 0.004,
        "NOBT": 0.004,
    }
)
MIXED: Final = ("MWBC", "MWBA", "MWAS", "MOTH")
_KEY = 1 << 22  # day offsets fit well inside this


@dataclass
class Households:
    n: int
    size: Ints
    ethnicity: Strings
    tradition: Ints
    physical_illness: Bools
    disability: Bools
    mental_ill_health: Bools
    substance_misuse: Bools
    needs_care: Bools
    care_onset: Days
    surname: Strings  # current, in full
    surname_parts: tuple[Strings, Strings]  # second part '' unless compound
    former_surname: Strings  # '' unless the surname changed in the window
    former_parts: tuple[Strings, Strings]
    surname_change_day: Days
    moves: Ints
    # Address history: one entry per address, sorted by (household, from day).
    addr_key: Ints
    addr_sector: Ints
    addr_postcode: Strings
    area: Ints  # at the reference date
    sector: Ints
    decile: Ints
    postcode: Strings
    base_day: int

    def address_at(self, household: Ints, day: Days) -> Ints:
        """Index of the address each household lived at on each day."""
        key = household * _KEY + (np.asarray(day) - self.base_day)
        return np.searchsorted(self.addr_key, key, side="right") - 1

    @property
    def any_parental(self) -> Bools:
        return (
            self.physical_illness | self.disability | self.mental_ill_health | self.substance_misuse
        )


@dataclass
class Children:
    n: int
    household: Ints
    female: Bools
    dob: Days
    ethnicity: Strings
    given: Strings
    middle: Strings
    nhs: Strings
    upn: Strings  # filled in when schools allocate them; '' for none


def _ethnic_mix(diversity: float) -> tuple[list[str], np.ndarray]:
    codes = list(ENGLAND_MIX)
    w = np.array([ENGLAND_MIX[c] * (1.0 if c == "WBRI" else diversity) for c in codes])
    return codes, w / w.sum()


def _surnames(
    rng: np.random.Generator, names: NameData, tradition: Ints, cfg: SynthConfig
) -> tuple[Strings, tuple[Strings, Strings]]:
    first = draw_surname(rng, names, tradition)
    compound = rng.random(len(tradition)) < cfg.double_barrelled_rate
    other = draw_surname(rng, names, np.where(rng.random(len(tradition)) < 0.7, tradition, 0))
    second = np.where(compound & (other != first), other, "").astype(object)
    hyphen = rng.random(len(tradition)) < cfg.hyphenated_share
    joined = np.array(
        [
            a if not b else f"{a}{'-' if h else ' '}{b}"
            for a, b, h in zip(first, second, hyphen, strict=True)
        ],
        dtype=object,
    )
    return joined, (first, second)


def build_households(
    rng: np.random.Generator, cfg: SynthConfig, geo: Geography, names: NameData
) -> Households:
    sizes = 1 + np.minimum(rng.poisson(cfg.children_per_household_mean - 1.0, cfg.children), 5)
    total = np.cumsum(sizes)
    n = int(np.searchsorted(total, cfg.children) + 1)
    sizes = sizes[:n].copy()
    sizes[-1] -= int(total[n - 1] - cfg.children)

    ref = ordinal(cfg.reference_date)
    start = ordinal(cfg.window_start)
    p_area = geo.area_weight / geo.area_weight.sum()
    area0 = rng.choice(len(p_area), size=n, p=p_area)
    sector0 = draw_sectors(rng, geo, area0)

    ethnicity = np.empty(n, dtype=object)
    for a in range(len(geo.area_names)):
        mask = area0 == a
        codes, p = _ethnic_mix(float(geo.area_diversity[a]))
        ethnicity[mask] = np.array(codes, dtype=object)[
            rng.choice(len(codes), int(mask.sum()), p=p)
        ]
    tradition = traditions_for(rng, ethnicity)

    # Moves: each household's addresses from the start of time, then its moves in the window.
    moves = rng.poisson(cfg.household_move_rate * cfg.history_years, n)
    mv_hh = np.repeat(np.arange(n), moves)
    mv_day = uniform_days(rng, np.full(len(mv_hh), start), ref - 1)
    order = np.lexsort((mv_day, mv_hh))
    mv_hh, mv_day = mv_hh[order], mv_day[order]
    out_of_area = rng.random(len(mv_hh)) < cfg.move_out_of_area_share
    # Within-area moves stay in the area the household lives in at that time; to keep this
    # vectorised we take the area of the original address, which is the same for most.
    mv_area = np.where(
        out_of_area, rng.choice(len(p_area), size=len(mv_hh), p=p_area), area0[mv_hh]
    )
    mv_sector = draw_sectors(rng, geo, mv_area)
    hh_all = np.concatenate([np.arange(n), mv_hh])
    # The first address dates from well before any child was born.
    day_all = np.concatenate([np.full(n, start - 50 * 366), mv_day])
    sector_all = np.concatenate([sector0, mv_sector])
    order = np.lexsort((day_all, hh_all))
    hh_all, day_all, sector_all = hh_all[order], day_all[order], sector_all[order]
    base = int(day_all.min())
    addr_key = hh_all * _KEY + (day_all - base)
    addr_postcode = np.array(draw_postcodes(rng, geo, sector_all), dtype=object)
    last = np.searchsorted(addr_key, np.arange(n) * _KEY + (ref - base), side="right") - 1
    sector = sector_all[last]
    decile = geo.sector_decile[sector]

    dep = gradient(decile, cfg.parent_deprivation_ratio)
    flags = [
        rng.random(n) < np.minimum(1.0, rate * dep)
        for rate in (
            cfg.parent_physical_illness_rate,
            cfg.parent_disability_rate,
            cfg.parent_mental_ill_health_rate,
            cfg.parent_substance_misuse_rate,
        )
    ]
    phys, dis, mh, sub = flags
    needs_care = (
        phys
        | dis
        | (mh & (rng.random(n) < cfg.care_need_mental_ill_health))
        | (sub & (rng.random(n) < cfg.care_need_substance_misuse))
    )
    care_onset = np.where(
        needs_care, ref - np.floor(rng.random(n) * 15 * YEAR).astype(np.int64), NO_DATE
    )

    current, current_parts = _surnames(rng, names, tradition, cfg)
    changes = rng.random(n) < cfg.surname_change_rate
    change_day = np.where(changes, uniform_days(rng, np.full(n, start), ref - 1), NO_DATE)
    new_tradition = np.where(rng.random(n) < 0.7, tradition, 0)
    new_name = draw_surname(rng, names, new_tradition)
    empty = np.full(n, "", dtype=object)
    former = np.where(changes, current, empty)
    former_parts = (
        np.where(changes, current_parts[0], empty),
        np.where(changes, current_parts[1], empty),
    )
    surname = np.where(changes, new_name, current)
    parts = (
        np.where(changes, new_name, current_parts[0]),
        np.where(changes, empty, current_parts[1]),
    )

    return Households(
        n=n,
        size=sizes,
        ethnicity=ethnicity,
        tradition=tradition,
        physical_illness=phys,
        disability=dis,
        mental_ill_health=mh,
        substance_misuse=sub,
        needs_care=needs_care,
        care_onset=care_onset,
        surname=surname,
        surname_parts=parts,
        former_surname=former,
        former_parts=former_parts,
        surname_change_day=change_day,
        moves=moves,
        addr_key=addr_key,
        addr_sector=sector_all,
        addr_postcode=addr_postcode,
        area=geo.sector_area[sector],
        sector=sector,
        decile=decile,
        postcode=addr_postcode[last],
        base_day=base,
    )


def _nhs_numbers(rng: np.random.Generator, n: int) -> Strings:
    """Unique valid NHS numbers from the 999 range NHS England keeps for testing."""
    stems = rng.choice(1_000_000, size=min(1_000_000, int(n * 1.15) + 50), replace=False)
    digits = np.stack(
        [np.full(len(stems), 9), np.full(len(stems), 9), np.full(len(stems), 9)]
        + [(stems // 10**k) % 10 for k in range(5, -1, -1)],
        axis=1,
    )
    total = (digits * np.arange(10, 1, -1)).sum(axis=1)
    check = (11 - total % 11) % 11
    valid = check != 10
    stems, check = stems[valid][:n], check[valid][:n]
    if len(stems) < n:
        raise ValueError("too many children for the NHS test number range")
    return np.array([f"999{s:06d}{c}" for s, c in zip(stems, check, strict=True)], dtype=object)


def build_children(
    rng: np.random.Generator, cfg: SynthConfig, hh: Households, names: NameData
) -> Children:
    n = cfg.children
    household = np.repeat(np.arange(hh.n), hh.size)
    position = np.arange(n) - np.repeat(np.cumsum(hh.size) - hh.size, hh.size)
    ref = ordinal(cfg.reference_date)
    earliest = int(add_years(np.array([ref]), -18)[0]) + 1
    dob = uniform_days(rng, np.full(n, earliest), ref)
    twin = (position > 0) & (rng.random(n) < cfg.twin_rate / 2)
    dob = np.where(twin, np.roll(dob, 1), dob)  # the previous child is a sibling when twin
    female = rng.random(n) < 0.49
    ethnicity = hh.ethnicity[household].copy()
    mixed = rng.random(n) < 0.05
    ethnicity[mixed] = np.array(MIXED, dtype=object)[rng.integers(0, len(MIXED), int(mixed.sum()))]
    tradition = np.where(
        rng.random(n) < 0.8, hh.tradition[household], traditions_for(rng, ethnicity)
    )
    given = draw_given(rng, names, tradition, female)
    first = draw_given(rng, names, tradition, female)
    second = draw_given(rng, names, tradition, female)
    has = rng.random(n) < cfg.middle_name_rate
    two = has & (rng.random(n) < cfg.two_middle_names_share) & (second != first)
    middle = np.array(
        [
            "" if not h or f == g else (f"{f} {s}" if t and s != g else f)
            for h, t, f, s, g in zip(has, two, first, second, given, strict=True)
        ],
        dtype=object,
    )
    return Children(
        n=n,
        household=household,
        female=female,
        dob=dob,
        ethnicity=ethnicity,
        given=given,
        middle=middle,
        nhs=_nhs_numbers(rng, n),
        upn=np.full(n, "", dtype=object),
    )
