"""Northshire: its areas, postcode sectors and their deprivation deciles.

Postcodes use the outward letters ZX and ZY, which no real UK postcode area uses, so a
synthetic postcode can never be mistaken for a real address. They are format-valid: outward
code AA9 or AA99, inward code a digit then two letters from the 20 the Royal Mail uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from seen.synth.rates import Floats, Ints

# name, typical deprivation decile, ethnic diversity (1 = England's mix), relative population
AREAS: Final = (
    ("Northgate", 3, 2.2, 1.6),
    ("Saltcote", 2, 0.6, 0.8),
    ("Riverside", 4, 1.6, 1.3),
    ("Eastmoor", 5, 1.0, 1.0),
    ("Hollinsgate", 4, 1.3, 1.1),
    ("Brackenfield", 6, 0.8, 0.9),
    ("Kirkholme", 7, 0.6, 0.8),
    ("Stanmoor", 6, 0.4, 0.7),
    ("Fellside", 8, 0.3, 0.6),
    ("Westerby", 9, 0.5, 0.8),
)
UNIT_LETTERS: Final = "ABDEFGHJLNPQRSTUWXYZ"
POSTCODE_PATTERN: Final = r"^Z[XY][0-9]{1,2} [0-9][ABD-HJLNP-UW-Z]{2}$"


@dataclass(frozen=True)
class Geography:
    area_names: tuple[str, ...]
    area_weight: Floats
    area_diversity: Floats
    sector_code: tuple[str, ...]  # "ZX3 7"
    sector_area: Ints
    sector_decile: Ints
    sector_weight: Floats  # share of its area's households

    def sectors_of(self, area: int) -> Ints:
        return np.flatnonzero(self.sector_area == area)


def _outward_codes() -> list[str]:
    return [f"Z{letter}{n}" for letter in "XY" for n in range(1, 100)]


def build_geography(rng: np.random.Generator, n_areas: int) -> Geography:
    outward = iter(_outward_codes())
    codes: list[str] = []
    areas: list[int] = []
    deciles: list[int] = []
    weights: list[float] = []
    for a, (_, centre, _, size) in enumerate(AREAS[:n_areas]):
        for _ in range(max(2, round(size * 2.5))):
            district = next(outward)
            n_sectors = int(rng.integers(5, 10))
            for sector in sorted(rng.choice(10, size=n_sectors, replace=False).tolist()):
                codes.append(f"{district} {sector}")
                areas.append(a)
                decile = round(centre + rng.normal(0.0, 1.6))
                deciles.append(min(10, max(1, decile)))
                weights.append(float(rng.lognormal(0.0, 0.4)))
    sector_area = np.array(areas, dtype=np.int64)
    sector_weight = np.array(weights, dtype=np.float64)
    for a in range(n_areas):
        mask = sector_area == a
        sector_weight[mask] /= sector_weight[mask].sum()
    return Geography(
        area_names=tuple(name for name, *_ in AREAS[:n_areas]),
        area_weight=np.array([s for *_, s in AREAS[:n_areas]], dtype=np.float64),
        area_diversity=np.array([d for _, _, d, _ in AREAS[:n_areas]], dtype=np.float64),
        sector_code=tuple(codes),
        sector_area=sector_area,
        sector_decile=np.array(deciles, dtype=np.int64),
        sector_weight=sector_weight,
    )


def draw_sectors(rng: np.random.Generator, geo: Geography, area: Ints) -> Ints:
    """A postcode sector in each given area, weighted by the sectors' sizes."""
    out = np.zeros(len(area), dtype=np.int64)
    for a in range(len(geo.area_names)):
        mask = area == a
        n = int(mask.sum())
        if n:
            sectors = geo.sectors_of(a)
            out[mask] = sectors[rng.choice(len(sectors), size=n, p=geo.sector_weight[sectors])]
    return out


def draw_postcodes(rng: np.random.Generator, geo: Geography, sector: Ints) -> list[str]:
    """A full postcode (a unit) in each given sector."""
    letters = np.array(list(UNIT_LETTERS), dtype=object)
    first = letters[rng.integers(0, len(UNIT_LETTERS), len(sector))]
    second = letters[rng.integers(0, len(UNIT_LETTERS), len(sector))]
    codes = np.array(geo.sector_code, dtype=object)[sector]
    return [f"{c}{a}{b}" for c, a, b in zip(codes, first, second, strict=True)]
