"""Periods of care broken into SSDA903 episodes: a new episode at each change of placement
or legal status, with the codes the SSDA903 guide uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

import numpy as np

from seen.synth.care import Timeline
from seen.synth.cin_details import EpisodeDetail
from seen.synth.config import SynthConfig
from seen.synth.dates import NO_DATE, age_on, ordinal
from seen.synth.population import Children, Households
from seen.synth.rates import Uniforms

_W = MappingProxyType
LEGAL_STATUS: Final = _W({"C2": 25, "C1": 30, "V2": 35, "L1": 5})
PLACE_UNDER_12: Final = _W({"U3": 40, "U6": 20, "U1": 15, "U4": 10, "U5": 5, "P1": 5, "K2": 5})
PLACE_12_PLUS: Final = _W({"U3": 30, "U6": 15, "U1": 10, "U4": 10, "K2": 20, "P1": 5})
PROVIDER: Final = {
    "K2": _W({"PR4": 70, "PR1": 20, "PR5": 10}),
    "H5": _W({"PR4": 60, "PR1": 40}),
    "P1": _W({"PR0": 1}),
}
FOSTER_PROVIDER: Final = _W({"PR1": 70, "PR4": 30})
ENDED: Final = _W({"E4A": 40, "E41": 15, "E45": 15, "E13": 15, "E8": 15})
PLACEMENT_CHANGE: Final = _W(
    {"CARPL": 25, "CHILD": 15, "LAREQ": 25, "PLACE": 10, "STAND": 5, "ALLEG": 5, "OTHER": 15}
)


@dataclass
class PlacementEpisodes:
    """SSDA903 episode rows (one list per column), each naming its child and period."""

    child: list[int] = field(default_factory=list)
    period: list[int] = field(default_factory=list)
    decom: list[int] = field(default_factory=list)
    rne: list[str] = field(default_factory=list)
    ls: list[str] = field(default_factory=list)
    cin: list[str] = field(default_factory=list)
    place: list[str] = field(default_factory=list)
    provider: list[str] = field(default_factory=list)
    dec: list[int] = field(default_factory=list)
    rec: list[str] = field(default_factory=list)
    reason: list[str] = field(default_factory=list)
    home_post: list[str] = field(default_factory=list)
    pl_post: list[str] = field(default_factory=list)
    urn: list[str] = field(default_factory=list)


def _placement(u: Uniforms, age: int) -> tuple[str, str, str]:
    if age >= 16 and u.below(0.3):
        place = "H5"
    else:
        place = u.pick(PLACE_UNDER_12 if age < 12 else PLACE_12_PLUS)
    provider = u.pick(PROVIDER.get(place, FOSTER_PROVIDER))
    urn = f"SC{u.days(100000, 999999):06d}" if place in ("K2", "H5") else "XXXXXXX"
    return place, provider, urn


def build_placements(
    rng: np.random.Generator,
    cfg: SynthConfig,
    kids: Children,
    hh: Households,
    timeline: Timeline,
    details: list[EpisodeDetail],
) -> PlacementEpisodes:
    ref = ordinal(cfg.reference_date)
    u = Uniforms(rng)
    out = PlacementEpisodes()
    n_addresses = len(hh.addr_postcode)
    for pi, p in enumerate(timeline.periods):
        last = p.end if p.end != NO_DATE else ref
        years = (last - p.start) / 365.25
        n_changes = int(rng.poisson(cfg.placement_changes_per_year * years))
        boundaries: dict[int, str] = {}
        for _ in range(n_changes):
            day = u.days(p.start + 1, last - 1)
            if p.start < day < last:
                boundaries[day] = "P"
        status = u.pick(LEGAL_STATUS)
        legal_day = p.start + u.days(120, 300)
        if status == "C1" and legal_day < last:
            boundaries[legal_day] = "T" if legal_day in boundaries else "L"
        starts = [p.start, *sorted(boundaries)]
        need = details[p.episode].need
        home = hh.address_at(kids.household[[p.child]], np.array([p.start]))
        home_post = str(hh.addr_postcode[int(home[0])])
        place, provider, urn = "", "", ""
        for i, day in enumerate(starts):
            rne = "S" if i == 0 else boundaries[day]
            if rne == "L" or rne == "T":
                status = "C2"
            if rne != "L":
                age = int(age_on(kids.dob[p.child : p.child + 1], day)[0])
                place, provider, urn = _placement(u, age)
                pl_post = (
                    home_post
                    if place == "P1"
                    else str(hh.addr_postcode[u.days(0, n_addresses - 1)])
                )
            final = i == len(starts) - 1
            out.child.append(p.child)
            out.period.append(pi)
            out.decom.append(day)
            out.rne.append(rne)
            out.ls.append(status)
            out.cin.append(need)
            out.place.append(place)
            out.provider.append(provider)
            out.dec.append(p.end if final else starts[i + 1])
            out.rec.append(("" if p.end == NO_DATE else u.pick(ENDED)) if final else "X1")
            next_rne = "" if final else boundaries[starts[i + 1]]
            out.reason.append(u.pick(PLACEMENT_CHANGE) if next_rne in ("P", "T") else "")
            out.home_post.append(home_post)
            out.pl_post.append(pl_post)
            out.urn.append(urn)
    return out
