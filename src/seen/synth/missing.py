"""Episodes of going missing, and which agency hears of each.

A child missing from care is recorded by the council (SSDA903, M or A) and, if missing rather
than away, usually reported to the police; a child missing from home reaches the police only
if someone reports it. Exploitation shows up here first, months before any referral.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seen.synth.care import Timeline
from seen.synth.config import SynthConfig
from seen.synth.dates import NO_DATE, Days, add_years, ordinal
from seen.synth.needs import ESCALATING, Needs, exploitation_segments
from seen.synth.population import Children
from seen.synth.rates import Bools, Ints, exp_days, poisson_events

BACKGROUND, IN_CARE, EXPLOITED = 0, 1, 2
RISK_LEVELS = np.array(["LOW", "MEDIUM", "HIGH"], dtype=object)


@dataclass
class MissingEpisodes:
    child: Ints
    start: Days
    end: Days  # NO_DATE when not found by the reference date
    period: Ints  # the period of care it happened in, or -1
    away: Bools  # SSDA903 "A" rather than "M" (in care only)
    reported: Bools  # reported to the police
    risk: np.ndarray  # police risk level

    @property
    def in_care(self) -> Bools:
        return self.period >= 0


def _period_at(timeline: Timeline, child: Ints, day: Days, ref: int) -> Ints:
    periods = timeline.periods
    if not periods:
        return np.full(len(child), -1, dtype=np.int64)
    p_child = np.array([p.child for p in periods], dtype=np.int64)
    p_start = np.array([p.start for p in periods], dtype=np.int64)
    p_end = np.array([ref + 1 if p.end == NO_DATE else p.end for p in periods], dtype=np.int64)
    key = p_child * (1 << 24) + (p_start - 600_000)
    i = np.searchsorted(key, child * (1 << 24) + (day - 600_000), side="right") - 1
    j = np.maximum(i, 0)
    inside = (i >= 0) & (p_child[j] == child) & (p_start[j] <= day) & (day < p_end[j])
    return np.where(inside, i, -1)


def build_missing(
    rng: np.random.Generator, cfg: SynthConfig, kids: Children, needs: Needs, timeline: Timeline
) -> MissingEpisodes:
    ref = ordinal(cfg.reference_date)
    start = ordinal(cfg.window_start)
    from10 = np.maximum(add_years(kids.dob, 10), start)
    a_child, a_day = poisson_events(
        rng, from10, np.full(kids.n, ref), np.full(kids.n, cfg.police_missing_rate)
    )

    periods = timeline.periods
    p_child = np.array([p.child for p in periods], dtype=np.int64)
    p_from = np.array([p.start for p in periods], dtype=np.int64)
    p_to = np.array([ref if p.end == NO_DATE else p.end for p in periods], dtype=np.int64)
    if len(periods):
        p_from = np.maximum(p_from, add_years(kids.dob[p_child], 11))
    b_idx, b_day = poisson_events(
        rng, p_from, p_to, np.full(len(periods), cfg.lac_missing_per_year)
    )
    b_child = p_child[b_idx]

    seg_child, seg_start, seg_end, seg_rate = exploitation_segments(
        needs,
        ref,
        cfg.exploitation_missing_per_year_emerging,
        cfg.exploitation_missing_per_year_escalating,
    )
    c_idx, c_day = poisson_events(rng, seg_start, seg_end, seg_rate)
    c_child = seg_child[c_idx]

    child = np.concatenate([a_child, b_child, c_child])
    day = np.concatenate([a_day, b_day, c_day])
    source = np.concatenate(
        [
            np.full(len(a_child), BACKGROUND),
            np.full(len(b_child), IN_CARE),
            np.full(len(c_child), EXPLOITED),
        ]
    )
    order = np.lexsort((source, day, child))
    child, day, source = child[order], day[order], source[order]
    period = _period_at(timeline, child, day, ref)
    n = len(child)
    away = (period >= 0) & (rng.random(n) < cfg.missing_away_share)
    u = rng.random(n)
    reported = np.where(
        period >= 0,
        ~away & (u < cfg.lac_missing_police_report_rate),
        (source == BACKGROUND) | (u < cfg.home_missing_report_rate),
    )
    end = day + exp_days(rng, 1.5, n)
    end = np.where(end >= ref, NO_DATE, end)
    escalated = (source == EXPLOITED) & (needs.risk[child] == ESCALATING)
    emerging = (source == EXPLOITED) & ~escalated
    r = rng.random(n)
    level = np.where(
        escalated,
        np.digitize(r, [0.1, 0.5]),
        np.where(emerging, np.digitize(r, [0.2, 0.8]), np.digitize(r, [0.4, 0.9])),
    )
    return MissingEpisodes(child, day, end, period, away, reported, RISK_LEVELS[level])
