"""Hidden truths: which children are young carers and which are being exploited, and since when.

No agency sees these directly. They shape what agencies record (absence, missing episodes,
police contact, ED attendances, referrals), usually late and often never.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seen.synth.config import SynthConfig
from seen.synth.dates import NO_DATE, Days, add_years, age_on, ordinal
from seen.synth.population import Children, Households
from seen.synth.rates import Bools, Ints, gradient, uniform_days

NONE, EMERGING, ESCALATING = 0, 1, 2
RISK_NAMES = ("none", "emerging", "escalating")
CSE, CCE = 1, 2
TYPE_NAMES = ("", "CSE", "CCE")


@dataclass
class Needs:
    young_carer: Bools
    young_carer_onset: Days
    risk: Ints  # NONE, EMERGING or ESCALATING
    kind: Ints  # 0, CSE or CCE
    onset: Days  # exploitation onset
    escalation: Days  # escalating only


def _young_carers(
    rng: np.random.Generator, cfg: SynthConfig, kids: Children, hh: Households, age: Ints
) -> tuple[Bools, Days]:
    ref = ordinal(cfg.reference_date)
    eligible = hh.needs_care[kids.household]
    chosen = np.zeros(kids.n, dtype=bool)
    onset = np.full(kids.n, NO_DATE, dtype=np.int64)
    u = rng.random(kids.n)
    for lo, hi, share, from_age in (
        (11, 17, cfg.young_carer_rate, 8),
        (5, 10, cfg.young_carer_rate_5_to_10, 5),
    ):
        group = (age >= lo) & (age <= hi)
        pool = group & eligible
        if not pool.any():
            continue
        # Scale up so that the share of the whole age group, not just the eligible, is met.
        p = min(1.0, share * group.sum() / pool.sum())
        pick = pool & (u < p)
        chosen |= pick
        earliest = np.maximum(hh.care_onset[kids.household], add_years(kids.dob, from_age))
        # Caring starts between the later of the parent's need and the birthday, and a month
        # before the reference date (or at once, when that later date is more recent).
        start = np.minimum(earliest, ref)
        onset = np.where(pick, uniform_days(rng, start, np.maximum(start, ref - 30)), onset)
    return chosen, onset


def build_needs(
    rng: np.random.Generator, cfg: SynthConfig, kids: Children, hh: Households
) -> Needs:
    ref = ordinal(cfg.reference_date)
    start = ordinal(cfg.window_start)
    age = age_on(kids.dob, ref)
    young_carer, yc_onset = _young_carers(rng, cfg, kids, hh, age)

    eligible = (age >= 10) & (age <= 17)
    weight = gradient(hh.decile[kids.household], cfg.exploitation_deprivation_ratio)
    weight = weight * np.where(hh.substance_misuse[kids.household], 1.5, 1.0)
    weight = weight / weight[eligible].mean() if eligible.any() else weight
    u = rng.random(kids.n)
    p_esc = np.minimum(1.0, cfg.exploitation_escalating_rate * weight)
    p_any = np.minimum(1.0, p_esc + cfg.exploitation_emerging_rate * weight)
    risk = np.where(
        eligible & (u < p_esc), ESCALATING, np.where(eligible & (u < p_any), EMERGING, NONE)
    )
    cse_share = np.where(
        kids.female, cfg.exploitation_cse_share_female, cfg.exploitation_cse_share_male
    )
    kind = np.where(risk == NONE, 0, np.where(rng.random(kids.n) < cse_share, CSE, CCE))
    earliest = np.maximum(add_years(kids.dob, 10), start)
    onset_any = uniform_days(rng, earliest, np.maximum(earliest, ref - 90))
    onset = np.where(risk != NONE, np.minimum(onset_any, ref - 1), NO_DATE)
    frac = 0.15 + 0.55 * rng.random(kids.n)
    escalation = np.where(
        risk == ESCALATING, onset + np.floor(frac * (ref - onset)).astype(np.int64), NO_DATE
    )
    return Needs(
        young_carer,
        yc_onset,
        risk.astype(np.int64),
        kind.astype(np.int64),
        onset.astype(np.int64),
        escalation.astype(np.int64),
    )


def exploitation_segments(
    needs: Needs, ref: int, emerging_rate: float, escalating_rate: float
) -> tuple[Ints, Days, Days, np.ndarray]:
    """Intervals of each exploited child's exploitation with the event rate on each:
    emerging from onset (to escalation, or the reference date), escalated after that."""
    exploited = np.flatnonzero(needs.risk != NONE)
    esc = needs.risk[exploited] == ESCALATING
    first_end = np.where(esc, needs.escalation[exploited], ref)
    child = np.concatenate([exploited, exploited[esc]])
    seg_start = np.concatenate([needs.onset[exploited], needs.escalation[exploited][esc]])
    seg_end = np.concatenate([first_end, np.full(int(esc.sum()), ref)])
    rate = np.concatenate(
        [np.full(len(exploited), emerging_rate), np.full(int(esc.sum()), escalating_rate)]
    )
    return child, seg_start, seg_end, rate
