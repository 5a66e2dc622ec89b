"""When each child is in need and when looked after: the dates of CIN episodes and periods of care.

The base rates are stocks on the reference date (children in need 3.3%, looked after 0.7%), so
the rates of referral and of entering care are solved for: given each child's relative risk and
the episode lengths, the expected number open on the reference date meets the target.
Exploitation leads to referrals of its own, at a date that follows from its trajectory.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from seen.synth.config import SynthConfig
from seen.synth.dates import NO_DATE, YEAR, Days, age_on, ordinal
from seen.synth.needs import ESCALATING, NONE, Needs
from seen.synth.population import Children, Households
from seen.synth.rates import (
    Bools,
    Floats,
    Ints,
    bisect,
    exp_days,
    gradient,
    poisson_events,
    uniform_days,
)

BACKGROUND, EXPLOITATION, LOOKED_AFTER = 0, 1, 2
NFA_MEAN_DAYS = 30.0
_OPEN = 1 << 40


@dataclass
class Component:
    """One referral inside a (possibly merged) episode."""

    referral: int
    kind: int
    nfa: bool


@dataclass
class Episode:
    child: int
    referral: int
    closure: int  # NO_DATE while open on the reference date
    components: list[Component] = field(default_factory=list)

    @property
    def kinds(self) -> set[int]:
        return {c.kind for c in self.components}

    @property
    def nfa(self) -> bool:
        return all(c.nfa for c in self.components)


@dataclass
class CarePeriod:
    child: int
    start: int
    end: int  # NO_DATE while looked after on the reference date
    episode: int = -1  # index of the CIN episode it sits in


@dataclass
class Timeline:
    episodes: list[Episode]
    periods: list[CarePeriod]
    cin_open: Bools  # per child, in need on the reference date
    lac_open: Bools


def _age_factor(age: Ints, table: tuple[float, float, float, float, float]) -> Floats:
    bands = np.digitize(age, [1, 5, 10, 16])
    return np.array(table)[bands]


def _expected_open(
    rate_scale: float, risk: Floats, exposure: Floats, means: list[tuple[float, float]]
) -> float:
    """Expected children with an episode open at the end of their exposure, for Poisson
    starts at `rate_scale * risk` a year and exponential lengths (weight, mean days)."""
    k = sum(w * m * (1.0 - np.exp(-exposure / m)) for w, m in means)
    return float(np.sum(1.0 - np.exp(-rate_scale * risk * k / YEAR)))


def _merge_periods(child: Ints, start: Days, end: Days) -> list[CarePeriod]:
    order = np.lexsort((start, child))
    merged: list[CarePeriod] = []
    for c, s, e in zip(
        child[order].tolist(), start[order].tolist(), end[order].tolist(), strict=True
    ):
        if merged and merged[-1].child == c and s <= merged[-1].end:
            merged[-1].end = max(merged[-1].end, e)
        else:
            merged.append(CarePeriod(c, s, e))
    return merged


def build_timeline(
    rng: np.random.Generator, cfg: SynthConfig, kids: Children, hh: Households, needs: Needs
) -> Timeline:
    ref = ordinal(cfg.reference_date)
    exposure_start = np.maximum(ordinal(cfg.window_start), kids.dob)
    exposure = (ref - exposure_start).astype(np.float64)
    age = age_on(kids.dob, ref)
    h = kids.household
    decile = hh.decile[h]

    # Periods of care.
    lac_risk = (
        gradient(decile, cfg.cin_deprivation_ratio)
        * (1.0 + 1.0 * hh.substance_misuse[h] + 0.5 * hh.mental_ill_health[h])
        * _age_factor(age, (2.0, 1.0, 0.8, 1.2, 1.0))
        * np.where(needs.risk == ESCALATING, 3.0, 1.0)
    )
    mu_lac = cfg.lac_episode_mean_days
    q = bisect(
        lambda s: _expected_open(s, lac_risk, exposure, [(1.0, mu_lac)]), cfg.lac_rate * kids.n
    )
    owner, start = poisson_events(rng, exposure_start, np.full(kids.n, ref), q * lac_risk)
    end = start + 1 + exp_days(rng, mu_lac, len(owner))
    end = np.where(end >= ref, _OPEN, end)
    periods = _merge_periods(owner, start, end)

    raw: list[tuple[int, int, int, int, bool]] = []  # child, referral, closure, kind, nfa
    for p in periods:
        start_day = int(uniform_days(rng, max(int(kids.dob[p.child]), p.start - 60), p.start))
        closure = _OPEN if p.end == _OPEN else p.end + int(rng.integers(0, 31))
        raw.append((p.child, start_day, _OPEN if closure >= ref else closure, LOOKED_AFTER, False))

    # Referrals that follow from exploitation.
    exploited = np.flatnonzero(needs.risk != NONE)
    esc = needs.risk[exploited] == ESCALATING
    p_ref = np.where(
        esc, cfg.exploitation_referral_rate_escalating, cfg.exploitation_referral_rate_emerging
    )
    base = np.where(esc, needs.escalation[exploited], needs.onset[exploited])
    day = base + exp_days(rng, cfg.exploitation_referral_delay_days, len(exploited))
    length = 1 + exp_days(rng, cfg.cin_episode_mean_days, len(exploited))
    keep = (rng.random(len(exploited)) < p_ref) & (day < ref)
    for c, d, n in zip(
        exploited[keep].tolist(), day[keep].tolist(), length[keep].tolist(), strict=True
    ):
        raw.append((c, d, _OPEN if d + n >= ref else d + n, EXPLOITATION, False))

    # Background referrals, scaled so that the children in need on the reference date meet
    # the target once those already open (care, exploitation) are counted.
    already = np.zeros(kids.n, dtype=bool)
    for c, _, closure, _, _ in raw:
        already[c] |= closure == _OPEN
    cin_risk = (
        gradient(decile, cfg.cin_deprivation_ratio)
        * np.where(hh.any_parental[h], cfg.cin_parental_risk_ratio, 1.0)
        * _age_factor(age, (1.6, 1.0, 0.9, 1.1, 1.0))
    )
    means = [
        (cfg.cin_nfa_share, NFA_MEAN_DAYS),
        (1.0 - cfg.cin_nfa_share, cfg.cin_episode_mean_days),
    ]
    free = ~already
    target = cfg.cin_rate * kids.n - already.sum()
    c_scale = bisect(lambda s: _expected_open(s, cin_risk[free], exposure[free], means), target)
    owner, referral = poisson_events(rng, exposure_start, np.full(kids.n, ref), c_scale * cin_risk)
    nfa = rng.random(len(owner)) < cfg.cin_nfa_share
    length = np.where(
        nfa,
        5 + exp_days(rng, NFA_MEAN_DAYS - 5, len(owner)),
        1 + exp_days(rng, cfg.cin_episode_mean_days, len(owner)),
    )
    closes = np.where(referral + length >= ref, _OPEN, referral + length)
    for row in zip(owner.tolist(), referral.tolist(), closes.tolist(), nfa.tolist(), strict=True):
        raw.append((row[0], row[1], row[2], BACKGROUND, row[3]))

    episodes = _merge_episodes(raw)
    _attach_periods(episodes, periods)
    cin_open = np.zeros(kids.n, dtype=bool)
    for e in episodes:
        if e.closure == _OPEN:
            cin_open[e.child] = True
            e.closure = NO_DATE
    lac_open = np.zeros(kids.n, dtype=bool)
    for p in periods:
        if p.end == _OPEN:
            lac_open[p.child] = True
            p.end = NO_DATE
    return Timeline(episodes, periods, cin_open, lac_open)


def _merge_episodes(raw: list[tuple[int, int, int, int, bool]]) -> list[Episode]:
    """One episode per run of overlapping referrals: a child has one open episode at a time."""
    merged: list[Episode] = []
    for child, referral, closure, kind, nfa in sorted(raw):
        last = merged[-1] if merged else None
        if last is not None and last.child == child and referral <= last.closure:
            last.closure = max(last.closure, closure)
        else:
            last = Episode(child, referral, closure)
            merged.append(last)
        last.components.append(Component(referral, kind, nfa))
    return merged


def _attach_periods(episodes: list[Episode], periods: list[CarePeriod]) -> None:
    keys = np.array(
        [e.child * (1 << 24) + (e.referral - 600_000) for e in episodes], dtype=np.int64
    )
    for p in periods:
        i = int(np.searchsorted(keys, p.child * (1 << 24) + (p.start - 600_000), side="right")) - 1
        p.episode = i
