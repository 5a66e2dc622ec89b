"""Emergency department attendances: common for infants and teenagers, more so in deprived
areas, and for exploited children assaults, intoxication, overdoses and self-harm."""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

import numpy as np

from seen.domain.demographics import NHS_ETHNIC_CATEGORY_TO_DFE
from seen.synth.dates import add_years
from seen.synth.needs import exploitation_segments
from seen.synth.rates import gradient, pick, poisson_events
from seen.synth.records import make_records, split_records, unique_ids
from seen.synth.world import World
from seen.synth.writers import Output

AGENCY = "northshire-health"
FILE = "ed_attendances.csv"
HEADER = (
    "AttendanceID",
    "PatientID",
    "NHSNumber",
    "Forename",
    "Surname",
    "DOB",
    "Sex",
    "EthnicCategory",
    "Postcode",
    "ArrivalDate",
    "Reason",
)
# Attendance rate by age band relative to `ed_attendance_rate` (about 1 on average).
AGE_BANDS: Final = ((0, 1, 2.0), (1, 5, 1.2), (5, 10, 0.7), (10, 16, 0.9), (16, 18, 1.2))
_W = MappingProxyType
REASONS_UNDER_10: Final = _W({"ILLNESS": 60, "INJURY": 38, "OVERDOSE": 2})
REASONS_10_PLUS: Final = _W(
    {
        "ILLNESS": 45,
        "INJURY": 42,
        "SELF_HARM": 4,
        "MENTAL_HEALTH": 3,
        "ALCOHOL": 2,
        "ASSAULT": 3,
        "OVERDOSE": 1,
    }
)
REASONS_EXPLOITED: Final = _W(
    {
        "ASSAULT": 35,
        "INJURY": 25,
        "ALCOHOL": 15,
        "OVERDOSE": 10,
        "SELF_HARM": 10,
        "MENTAL_HEALTH": 5,
    }
)
# The nearest NHS ethnic category for each DfE code; '' where the NHS would hold "not known".
DFE_TO_NHS: Final = {dfe: nhs for nhs, dfe in NHS_ETHNIC_CATEGORY_TO_DFE.items()}
DFE_TO_NHS.update({"WIRT": "C", "WROM": "C", "NOBT": "", "": ""})
NHS_SEX: Final = {"M": "1", "F": "2", "U": "0"}


def record_health(
    world: World,
    out: Output,
    rng: np.random.Generator,
    id_rng: np.random.Generator,
    err_rng: np.random.Generator,
) -> int:
    cfg, kids, hh, needs = world.cfg, world.kids, world.hh, world.needs
    ref, start = world.ref, world.start
    risk = gradient(hh.decile[kids.household], cfg.ed_deprivation_ratio)
    children: list[np.ndarray] = []
    days: list[np.ndarray] = []
    reasons: list[np.ndarray] = []
    for lo, hi, factor in AGE_BANDS:
        a = np.clip(add_years(kids.dob, lo), start, ref)
        b = np.clip(add_years(kids.dob, hi), start, ref)
        owner, d = poisson_events(rng, a, b, cfg.ed_attendance_rate * factor * risk)
        children.append(owner)
        days.append(d)
        reasons.append(pick(rng, REASONS_UNDER_10 if lo < 10 else REASONS_10_PLUS, len(owner)))
    seg_child, seg_start, seg_end, seg_rate = exploitation_segments(
        needs, ref, cfg.exploitation_ed_per_year_emerging, cfg.exploitation_ed_per_year_escalating
    )
    idx, d = poisson_events(rng, seg_start, seg_end, seg_rate)
    children.append(seg_child[idx])
    days.append(d)
    reasons.append(pick(rng, REASONS_EXPLOITED, len(idx)))
    child = np.concatenate(children)
    day = np.concatenate(days)
    reason = np.concatenate(reasons)

    record, person, registered = split_records(rng, child, day, cfg.health_duplicate_rate)
    ids = unique_ids(id_rng, len(person), "RX", 8)
    records = make_records(
        err_rng, cfg.health_errors, kids, hh, world.names, person, registered, ids
    )
    ident = records.identity
    sex = np.array([NHS_SEX[s] for s in ident.sex.tolist()], dtype=object)
    ethnic = np.array([DFE_TO_NHS.get(e, "") for e in ident.ethnicity.tolist()], dtype=object)
    dob_text = np.array(world.fmt.iso(ident.dob), dtype=object)
    attendance_ids = unique_ids(id_rng, len(child), "ED", 9)
    order = np.lexsort((attendance_ids.astype(str), day))
    r = record[order]
    columns = [
        attendance_ids[order].tolist(),
        ids[r].tolist(),
        ident.nhs[r].tolist(),
        ident.forename[r].tolist(),
        ident.surname[r].tolist(),
        dob_text[r].tolist(),
        sex[r].tolist(),
        ethnic[r].tolist(),
        records.postcodes(kids, hh, r, day[order]).tolist(),
        world.fmt.iso(day[order]),
        reason[order].tolist(),
    ]
    rows = out.csv(f"agencies/{AGENCY}/{FILE}", HEADER, columns)
    out.register(AGENCY, FILE, ids[r].tolist(), records.person[r])
    return rows
