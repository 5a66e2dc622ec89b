"""The school census: one row per pupil per termly census, with attendance, suspensions,
permanent exclusions and the CS118 young carer indicator.

Persistent absence is calibrated on the rows themselves: a pupil-term's share of sessions
missed is a logistic of a pupil trait plus term noise plus known pressures, and the intercept
is set so the configured share of pupil-terms reaches 10% missed, with young carers reaching
it `young_carer_absence_ratio` times as often.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from seen.synth.dates import NO_DATE, ymd
from seen.synth.rates import Floats, Ints, gradient
from seen.synth.recording.school_estate import Enrolment, Roll, build_roll, enrol
from seen.synth.records import make_records, unique_ids
from seen.synth.world import World
from seen.synth.writers import Fragment, Output

AGENCY = "northshire-schools"
FILE = "school_census.csv"
HEADER = (
    "CensusDate",
    "SchoolURN",
    "PupilID",
    "UPN",
    "Forename",
    "MiddleNames",
    "Surname",
    "DOB",
    "Sex",
    "Ethnicity",
    "Postcode",
    "YoungCarer",
    "SessionsPossible",
    "SessionsMissed",
    "Suspensions",
    "PermanentExclusionDate",
)
SESSIONS_BY_MONTH = {1: 120, 5: 130, 10: 140}  # multiples of 10, so 10% is a whole session
_PA = math.log(0.1 / 0.9)  # logit of the 10% persistent absence threshold


@dataclass
class SchoolResult:
    rows: int
    first_cs118: Ints  # per child, the first census day flagged P or S (NO_DATE for none)


def _exclusions(world: World, rng: np.random.Generator, roll: Roll, weight: Floats) -> Ints:
    """The census index of each child's permanent exclusion (-1 for none): a chance per
    pupil-term in proportion to the pupil's suspension weight."""
    per_term = world.cfg.permanent_exclusions_per_100 / 100.0 / 3.0
    mean = weight[roll.on_roll].mean() if roll.on_roll.any() else 1.0
    hit = roll.on_roll & (rng.random(weight.shape) < per_term * weight / mean)
    return np.where(hit.any(axis=1), hit.argmax(axis=1), -1)


def _absence_logits(world: World, base: Floats, caring: np.ndarray) -> Floats:
    """Logits of the share of sessions missed, shifted so that the configured shares of
    pupil-terms (young carers' and others') reach the 10% threshold."""
    cfg = world.cfg
    target = cfg.persistent_absence_rate
    ratio = cfg.young_carer_absence_ratio
    share = float(caring.mean()) if len(caring) else 0.0
    others = target / (1.0 + (ratio - 1.0) * share)
    logits = base.copy()
    if (~caring).any():
        logits += _PA - np.quantile(base[~caring], 1.0 - others)
    if caring.any():
        shift = _PA - np.quantile(logits[caring], 1.0 - min(0.95, ratio * others))
        logits[caring] += shift
    return logits


def record_schools(
    world: World,
    out: Output,
    rng: np.random.Generator,
    id_rng: np.random.Generator,
    err_rng: np.random.Generator,
) -> SchoolResult:
    cfg, kids, hh, needs = world.cfg, world.kids, world.hh, world.needs
    roll = build_roll(world, rng)
    days = roll.censuses
    h = kids.household
    decile = hh.decile[h]
    caring_m = needs.young_carer[:, None] & (needs.young_carer_onset[:, None] <= days[None, :])
    exploited_m = (needs.risk != 0)[:, None] & (needs.onset[:, None] <= days[None, :])
    trait = rng.gamma(0.4, 1.0 / 0.4, kids.n)
    weight = (
        trait[:, None]
        * np.where(roll.phase == 1, 3.0, 0.3)
        * gradient(decile, 2.0)[:, None]
        * np.where(caring_m, cfg.young_carer_suspension_ratio, 1.0)
        * np.where(exploited_m, 3.0, 1.0)
    )
    excluded_at = _exclusions(world, rng, roll, weight)
    e: Enrolment = enrol(world, rng, roll, excluded_at)
    c, t, s = e.cell_child, e.cell_census, e.cell_stint
    n_rows = len(c)

    records = make_records(
        err_rng,
        cfg.school_errors,
        kids,
        hh,
        world.names,
        e.stint_child,
        e.stint_registered,
        unique_ids(id_rng, len(e.stint_child), "", 8),
    )
    ident = records.identity

    caring = caring_m[c, t]
    pupil = rng.normal(0.0, 0.9, kids.n)
    base = (
        pupil[c]
        + rng.normal(0.0, 0.5, n_rows)
        + 0.1 * (5.5 - decile[c])
        + 0.3 * roll.phase[c, t]
        + 1.2 * exploited_m[c, t]
    )
    share_missed = 1.0 / (1.0 + np.exp(-_absence_logits(world, base, caring)))
    months = ymd(days)[1]
    full = np.array([SESSIONS_BY_MONTH.get(int(mo), 120) for mo in months.tolist()])[t]
    joined_late = (t == e.stint_first[s]) & (t > 0)
    partial = 10 * rng.integers(4, full // 10 + 1)
    possible = np.where(joined_late, partial, full)
    missed = np.floor(share_missed * possible).astype(np.int64)

    w = weight[c, t]
    per_term = cfg.suspensions_per_100 / 100.0 / 3.0
    suspensions = rng.poisson(per_term * w / (w.mean() if n_rows else 1.0))
    excluded_row = excluded_at[c] == t
    exclusion_day = np.where(
        excluded_row, days[t] - 1 - np.floor(rng.random(n_rows) * 60).astype(np.int64), NO_DATE
    )

    school = e.stint_school[s]
    known = np.maximum(needs.young_carer_onset[e.stint_child], e.stint_registered) + np.floor(
        rng.exponential(cfg.cs118_delay_days, len(e.stint_child))
    ).astype(np.int64)
    code = np.where(rng.random(kids.n) < cfg.cs118_parent_share, "P", "S").astype(object)
    flagged = e.school_cs118[school] & needs.young_carer[c] & (days[t] >= known[s])
    young_carer = np.where(flagged, code[c], "N")
    first_cs118 = np.full(kids.n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_cs118, c[flagged], days[t][flagged])
    first_cs118 = np.where(first_cs118 == np.iinfo(np.int64).max, NO_DATE, first_cs118)

    order = np.lexsort((ident_order(records.ids, s), school, t))
    c, t, s = c[order], t[order], s[order]
    iso = world.fmt.iso
    census_text = np.array(iso(days), dtype=object)
    dob_text = np.array(iso(ident.dob), dtype=object)
    sex = np.where(kids.female[e.stint_child], "F", "M").astype(object)  # the census has M/F only
    pupil_fields = Fragment.of(
        [
            records.ids.tolist(),
            ident.upn.tolist(),
            ident.forename.tolist(),
            ident.middle.tolist(),
            ident.surname.tolist(),
            dob_text.tolist(),
            sex.tolist(),
            ident.ethnicity.tolist(),
        ]
    )
    columns = [
        census_text[t].tolist(),
        e.urn[school[order]].tolist(),
        pupil_fields.take(s),
        records.postcodes(kids, hh, s, days[t]).tolist(),
        young_carer[order].tolist(),
        possible[order].tolist(),
        missed[order].tolist(),
        suspensions[order].tolist(),
        iso(exclusion_day[order]),
    ]
    rows = out.csv(f"agencies/{AGENCY}/{FILE}", HEADER, columns)
    out.register(AGENCY, FILE, records.ids.tolist(), e.stint_child)
    return SchoolResult(rows, first_cs118)


def ident_order(ids: np.ndarray, stint: Ints) -> np.ndarray:
    """Each row's rank by PupilID, for sorting rows without comparing strings per row."""
    rank = np.argsort(np.argsort(ids.astype(str), kind="stable"), kind="stable")
    return rank[stint]
