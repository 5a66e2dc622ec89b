"""What the council writes about each CIN episode: who referred, the primary need, assessments
and the factors they identify, section 47 enquiries and child protection plans.

This is where the bias the hub must see past is put in: a young carer's own factor (7A) is
rarely recorded, while the parent's circumstance (1B, 2B, 4B, 5B, 6B) often is, and an
exploited child's factors (10A, 11A, 13A, 24A) appear only once someone has assessed them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

import numpy as np

from seen.domain.codes import CIN_ASSESSMENT_FACTORS, EXPLOITATION_FACTORS, YOUNG_CARER_FACTOR
from seen.synth.care import BACKGROUND, EXPLOITATION, LOOKED_AFTER, Episode, Timeline
from seen.synth.config import SynthConfig
from seen.synth.dates import NO_DATE, ordinal
from seen.synth.needs import CSE, Needs
from seen.synth.population import Children, Households
from seen.synth.rates import Uniforms

_W = MappingProxyType
SOURCES: Final = {
    BACKGROUND: _W(
        {
            "6": 28,
            "2A": 20,
            "1A": 7,
            "1C": 1,
            "3A": 4,
            "3B": 3,
            "3E": 4,
            "3F": 4,
            "4": 3,
            "5A": 5,
            "5C": 3,
            "5D": 7,
            "7": 3,
            "8": 5,
            "9": 1,
            "10": 2,
        }
    ),
    EXPLOITATION: _W({"6": 50, "2A": 20, "3E": 10, "5D": 10, "1A": 5, "8": 5}),
    LOOKED_AFTER: _W({"6": 35, "2A": 15, "3A": 5, "3E": 10, "5A": 15, "1A": 10, "8": 10}),
}
NEEDS: Final = {
    BACKGROUND: _W({"N1": 45, "N2": 8, "N4": 12, "N5": 12, "N6": 5, "N7": 2, "N8": 3, "N9": 8}),
    EXPLOITATION: _W({"N6": 40, "N1": 30, "N4": 20, "N5": 10}),
    LOOKED_AFTER: _W({"N1": 60, "N4": 10, "N5": 10, "N8": 10, "N2": 5, "N6": 5}),
}
CLOSED_NFA: Final = _W({"RC8": 70, "RC9": 30})
CLOSED_CARE: Final = _W({"RC7": 65, "RC3": 15, "RC4": 20})
CLOSED_OTHER: Final = _W({"RC7": 85, "RC9": 10, "RC5": 5})
# Factors seen in any assessment, whatever the child's hidden needs: (code, chance, from age).
BACKGROUND_FACTORS: Final = (
    ("3B", 0.25, 0),
    ("16A", 0.2, 0),
    ("17A", 0.15, 0),
    ("4A", 0.15, 11),
    ("15A", 0.04, 11),
    ("18B", 0.05, 0),
    ("19B", 0.02, 0),
    ("6A", 0.03, 0),
    ("5A", 0.03, 0),
)
_FACTOR_ORDER: Final = {code: i for i, code in enumerate(CIN_ASSESSMENT_FACTORS)}


@dataclass
class Assessment:
    start: int
    authorised: int  # NO_DATE while the assessment is still open
    factors: tuple[str, ...]

    @property
    def day(self) -> int:
        return self.authorised if self.authorised != NO_DATE else self.start


@dataclass
class EpisodeDetail:
    source: str
    need: str
    closure_reason: str  # '' while open
    assessments: list[Assessment] = field(default_factory=list)
    s47: int = NO_DATE
    cpp_start: int = NO_DATE
    cpp_end: int = NO_DATE


class _Factors:
    def __init__(self, cfg: SynthConfig, kids: Children, hh: Households, needs: Needs) -> None:
        self.cfg, self.kids, self.hh, self.needs = cfg, kids, hh, needs

    def at(self, u: Uniforms, child: int, day: int, kind: int) -> tuple[str, ...]:
        cfg, needs = self.cfg, self.needs
        h = int(self.kids.household[child])
        hh = self.hh
        rate = cfg.parental_factor_rate
        found: list[str] = []
        if hh.physical_illness[h] and u.below(rate):
            found.append("6B")
        if hh.disability[h] and u.below(rate):
            found.append("5B" if u.below(0.5) else "6B")
        if hh.mental_ill_health[h] and u.below(rate):
            found.append("4B")
        if hh.substance_misuse[h] and u.below(rate):
            found.extend(("1B",) if u.below(0.4) else ("2B",) if u.below(0.7) else ("1B", "2B"))
        caring = needs.young_carer[child] and needs.young_carer_onset[child] <= day
        if caring and u.below(cfg.young_carer_7a_rate):
            found.append(YOUNG_CARER_FACTOR)
        exploited = needs.risk[child] != 0 and needs.onset[child] <= day
        if exploited and (kind == EXPLOITATION or u.below(0.5)):
            if not u.below(cfg.exploitation_factor_rate):
                found.append("14A")
            elif needs.kind[child] == CSE:
                found.extend(("11A", "10A") if u.below(0.6) else ("11A",))
            else:
                found.append("24A")
                found.extend(code for code in ("13A", "10A") if u.below(0.5))
        born = dt.date.fromordinal(int(self.kids.dob[child]))
        on = dt.date.fromordinal(day)
        age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
        for code, chance, from_age in BACKGROUND_FACTORS:
            if age >= from_age and u.below(chance):
                found.append(code)
        if not found:
            found.append("21")
        return tuple(sorted(set(found), key=_FACTOR_ORDER.__getitem__))


def _main_kind(e: Episode) -> int:
    kinds = e.kinds
    return (
        LOOKED_AFTER
        if LOOKED_AFTER in kinds
        else EXPLOITATION
        if EXPLOITATION in kinds
        else BACKGROUND
    )


def build_details(
    rng: np.random.Generator,
    cfg: SynthConfig,
    kids: Children,
    hh: Households,
    needs: Needs,
    timeline: Timeline,
) -> list[EpisodeDetail]:
    ref = ordinal(cfg.reference_date)
    u = Uniforms(rng)
    factors = _Factors(cfg, kids, hh, needs)
    details: list[EpisodeDetail] = []
    for e in timeline.episodes:
        kind = _main_kind(e)
        first = e.components[0].kind
        last_day = e.closure if e.closure != NO_DATE else ref - 1
        detail = EpisodeDetail(u.pick(SOURCES[first]), u.pick(NEEDS[kind]), "")
        if e.nfa and e.closure != NO_DATE:
            detail.need = "N9" if u.below(0.3) else detail.need
        for comp in e.components:
            if comp.kind == BACKGROUND and not u.below(cfg.assessment_rate):
                continue
            start = min(comp.referral + u.days(0, 10), last_day)
            authorised = start + u.days(5, 45)
            if e.closure != NO_DATE:
                authorised = min(authorised, e.closure)
            if authorised >= ref:
                authorised = NO_DATE
            detail.assessments.append(
                Assessment(start, authorised, factors.at(u, e.child, start, comp.kind))
            )
        p47 = cfg.s47_rate * (1.5 if kind == LOOKED_AFTER else 0.5 if e.nfa else 1.0)
        if u.below(min(1.0, p47)):
            s47 = e.referral + u.days(1, 20)
            if s47 <= last_day:
                detail.s47 = s47
                start = s47 + u.days(10, 15)
                if u.below(cfg.cpp_rate_given_s47) and start <= last_day:
                    end = start + 30 + u.exp(270.0)
                    if e.closure != NO_DATE:
                        end = min(end, e.closure)
                    detail.cpp_start = start
                    detail.cpp_end = NO_DATE if end >= ref else end
        if e.closure != NO_DATE:
            table = CLOSED_NFA if e.nfa else CLOSED_CARE if kind == LOOKED_AFTER else CLOSED_OTHER
            detail.closure_reason = u.pick(table)
        details.append(detail)
    return details


def light_days(
    timeline: Timeline, details: list[EpisodeDetail], needs: Needs, n: int
) -> tuple[dict[int, int], dict[int, int]]:
    """The first day each child's young caring (7A) and exploitation (10A, 11A, 12A, 13A, 24A)
    appear in an authorised or started assessment."""
    caring: dict[int, int] = {}
    exploited: dict[int, int] = {}
    for e, d in zip(timeline.episodes, details, strict=True):
        for a in d.assessments:
            if YOUNG_CARER_FACTOR in a.factors and needs.young_carer[e.child]:
                caring[e.child] = min(caring.get(e.child, a.day), a.day)
            exploitation = EXPLOITATION_FACTORS.intersection(a.factors)
            if exploitation and needs.risk[e.child] != 0 and a.day >= needs.onset[e.child]:
                exploited[e.child] = min(exploited.get(e.child, a.day), a.day)
    return caring, exploited
