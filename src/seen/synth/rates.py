"""Random streams and the few vectorised draws every stage uses.

Each stage draws from its own stream, seeded from (seed, stage), so that changing how one
stage draws leaves every other stage's output as it was.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import numpy as np
import numpy.typing as npt

from seen.synth.dates import YEAR, Days

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

# A stage's stream is keyed by its position here: add new stages at the end, or every seed's
# output changes.
_STAGES = (
    "geography",
    "households",
    "children",
    "needs",
    "social_care",
    "missing",
    "schools",
    "police",
    "health",
    "council",
    "ids_school",
    "ids_police",
    "ids_health",
    "ids_council",
    "errors_council",
    "errors_school",
    "errors_police",
    "errors_health",
)


def stream(seed: int, stage: str) -> np.random.Generator:
    return np.random.Generator(
        np.random.PCG64(np.random.SeedSequence([seed, _STAGES.index(stage)]))
    )


def gradient(decile: Ints, ratio: float) -> Floats:
    """Multipliers running from `ratio` (decile 1) down to 1 (decile 10), mean 1 overall."""
    m = ratio ** ((10.0 - decile.astype(np.float64)) / 9.0)
    mean = m.mean() if len(m) else 1.0
    return m / mean


def normalised(weights: Floats) -> Floats:
    mean = weights.mean() if len(weights) else 1.0
    return weights / mean if mean > 0 else weights


def pick(
    rng: np.random.Generator, choices: Mapping[str, float], size: int
) -> npt.NDArray[np.object_]:
    """`size` codes drawn from a {code: weight} mapping."""
    codes = np.array(list(choices), dtype=object)
    p = np.array(list(choices.values()), dtype=np.float64)
    return codes[rng.choice(len(codes), size=size, p=p / p.sum())]


def poisson_events(
    rng: np.random.Generator, start: Days, end: Days, per_year: Floats
) -> tuple[Ints, Days]:
    """Events of a Poisson process on each interval [start, end): (owner index, day)."""
    span = np.maximum(end - start, 0)
    counts = rng.poisson(np.maximum(per_year, 0.0) * span / YEAR)
    owner = np.repeat(np.arange(len(span), dtype=np.int64), counts)
    days = start[owner] + np.floor(rng.random(len(owner)) * span[owner]).astype(np.int64)
    return owner, days


def bisect(expected: Callable[[float], float], target: float, hi: float = 1.0) -> float:
    """The scale s >= 0 at which the increasing function `expected(s)` reaches `target`."""
    if target <= 0:
        return 0.0
    lo = 0.0
    while expected(hi) < target and hi < 1e9:
        hi *= 2.0
    for _ in range(60):
        mid = (lo + hi) / 2.0
        if expected(mid) < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2.0


def exp_days(rng: np.random.Generator, mean: float, size: int) -> Ints:
    return np.floor(rng.exponential(mean, size)).astype(np.int64)


def uniform_days(rng: np.random.Generator, lo: Ints | int, hi: Ints | int) -> Ints:
    """A day in [lo, hi] for each pair (hi < lo gives lo)."""
    lo_a = np.asarray(lo, dtype=np.int64)
    hi_a = np.maximum(np.asarray(hi, dtype=np.int64), lo_a)
    size = np.broadcast(lo_a, hi_a).shape
    return (lo_a + np.floor(rng.random(size) * (hi_a - lo_a + 1))).astype(np.int64)


class Uniforms:
    """Scalar uniforms for the few loops that build one record at a time, drawn in chunks."""

    def __init__(self, rng: np.random.Generator, chunk: int = 65536) -> None:
        self._rng = rng
        self._chunk = chunk
        self._buf: list[float] = []
        self._i = 0

    def __call__(self) -> float:
        if self._i >= len(self._buf):
            self._buf = self._rng.random(self._chunk).tolist()
            self._i = 0
        self._i += 1
        return self._buf[self._i - 1]

    def below(self, p: float) -> bool:
        return self() < p

    def days(self, lo: int, hi: int) -> int:
        """A day in [lo, hi]."""
        return lo + int(self() * (hi - lo + 1)) if hi > lo else lo

    def pick(self, choices: Mapping[str, float]) -> str:
        total = sum(choices.values())
        x = self() * total
        for code, weight in choices.items():
            x -= weight
            if x < 0:
                return code
        return list(choices)[-1]

    def exp(self, mean: float) -> int:
        return int(-mean * math.log1p(-self()))
