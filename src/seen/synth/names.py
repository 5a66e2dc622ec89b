"""Name lists by naming tradition, nicknames, and drawing names to match a family's ethnicity.

The lists live in `seen/synth/data/*.txt` (common public names only). Within a list, earlier
names are drawn more often, so common names collide as they do in real records.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Final

import numpy as np
import numpy.typing as npt

Strings = npt.NDArray[np.object_]

TRADITIONS: Final = (
    "english",
    "irish",
    "european",
    "south_asian",
    "muslim",
    "african",
    "chinese",
    "hispanic",
)

# Which naming traditions each DfE ethnicity draws from, with weights.
ETHNICITY_TRADITIONS: Final = MappingProxyType(
    {
        "WBRI": {"english": 0.93, "irish": 0.05, "european": 0.02},
        "WIRI": {"irish": 0.8, "english": 0.2},
        "WIRT": {"irish": 0.7, "english": 0.3},
        "WOTH": {"european": 0.75, "english": 0.15, "hispanic": 0.1},
        "WROM": {"european": 0.7, "english": 0.3},
        "MWBC": {"english": 0.85, "african": 0.15},
        "MWBA": {"english": 0.5, "african": 0.5},
        "MWAS": {"english": 0.5, "south_asian": 0.25, "muslim": 0.25},
        "MOTH": {"english": 0.5, "hispanic": 0.2, "muslim": 0.15, "european": 0.15},
        "AIND": {"south_asian": 0.85, "muslim": 0.15},
        "APKN": {"muslim": 1.0},
        "ABAN": {"muslim": 1.0},
        "AOTH": {"south_asian": 0.5, "muslim": 0.3, "chinese": 0.2},
        "CHNE": {"chinese": 0.85, "english": 0.15},
        "BCRB": {"english": 0.9, "african": 0.1},
        "BAFR": {"african": 0.75, "muslim": 0.15, "english": 0.1},
        "BOTH": {"african": 0.5, "english": 0.5},
        "OOTH": {"muslim": 0.5, "hispanic": 0.3, "european": 0.2},
        "REFU": {"english": 0.7, "european": 0.1, "muslim": 0.1, "african": 0.1},
        "NOBT": {"english": 0.7, "european": 0.1, "muslim": 0.1, "african": 0.1},
    }
)


@dataclass(frozen=True)
class NameData:
    given: dict[tuple[str, str], tuple[str, ...]]  # (tradition, "F"/"M") -> names
    surnames: dict[str, tuple[str, ...]]
    nicknames: dict[str, tuple[str, ...]]


def _read(name: str) -> str:
    return resources.files("seen.synth").joinpath("data", name).read_text(encoding="utf-8")


def _sections(text: str) -> dict[str, list[str]]:
    """`[header]` sections of comma-separated names, in file order."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = found.setdefault(line[1:-1].strip(), [])
            continue
        if current is None:
            raise ValueError(f"name list line outside a [section]: {line!r}")
        current.extend(part.strip() for part in line.split(",") if part.strip())
    return found


@cache
def load_names() -> NameData:
    given: dict[tuple[str, str], tuple[str, ...]] = {}
    for header, names in _sections(_read("given_names.txt")).items():
        tradition, sex = header.split()
        given[(tradition, sex)] = tuple(names)
    surnames = {k: tuple(v) for k, v in _sections(_read("surnames.txt")).items()}
    nicknames: dict[str, tuple[str, ...]] = {}
    for raw in _read("nicknames.txt").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            name, _, rest = line.partition(":")
            nicknames[name.strip()] = tuple(n.strip() for n in rest.split(",") if n.strip())
    for tradition in TRADITIONS:
        if tradition not in surnames or (tradition, "F") not in given:
            raise ValueError(f"name lists lack the {tradition!r} tradition")
    return NameData(given, surnames, nicknames)


def _weights(n: int) -> npt.NDArray[np.float64]:
    w: npt.NDArray[np.float64] = 1.0 / (np.arange(n, dtype=np.float64) + 8.0)
    w /= w.sum()
    return w


def traditions_for(rng: np.random.Generator, ethnicity: Strings) -> npt.NDArray[np.int64]:
    """A naming tradition (index into TRADITIONS) for each ethnicity code."""
    out = np.zeros(len(ethnicity), dtype=np.int64)
    for code, mix in ETHNICITY_TRADITIONS.items():
        mask = ethnicity == code
        n = int(mask.sum())
        if n:
            idx = [TRADITIONS.index(t) for t in mix]
            p = np.array(list(mix.values()), dtype=np.float64)
            out[mask] = np.array(idx)[rng.choice(len(idx), size=n, p=p / p.sum())]
    return out


def draw_given(
    rng: np.random.Generator,
    names: NameData,
    tradition: npt.NDArray[np.int64],
    female: npt.NDArray[np.bool_],
) -> Strings:
    out = np.empty(len(tradition), dtype=object)
    for t, tname in enumerate(TRADITIONS):
        for sex, is_female in (("F", True), ("M", False)):
            mask = (tradition == t) & (female == is_female)
            n = int(mask.sum())
            if n:
                pool = np.array(names.given[(tname, sex)], dtype=object)
                out[mask] = pool[rng.choice(len(pool), size=n, p=_weights(len(pool)))]
    return out


def draw_surname(
    rng: np.random.Generator, names: NameData, tradition: npt.NDArray[np.int64]
) -> Strings:
    out = np.empty(len(tradition), dtype=object)
    for t, tname in enumerate(TRADITIONS):
        mask = tradition == t
        n = int(mask.sum())
        if n:
            pool = np.array(names.surnames[tname], dtype=object)
            out[mask] = pool[rng.choice(len(pool), size=n, p=_weights(len(pool)))]
    return out
