"""Police incidents and missing person reports.

Recorded contact is higher in more deprived areas by `police_deprivation_ratio`: a recording
bias (more patrols, more calls), not a difference in what children do. Exploitation shows as
incidents (suspect in drugs and weapons offences, victim of sexual offences) and missing reports.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

import numpy as np

from seen.synth.dates import NO_DATE, add_years
from seen.synth.needs import CSE, exploitation_segments
from seen.synth.rates import Ints, gradient, normalised, poisson_events
from seen.synth.records import make_records, split_records, unique_ids
from seen.synth.world import World
from seen.synth.writers import Output

AGENCY = "northshire-police"
INCIDENTS = "police_incidents.csv"
MISSING = "police_missing.csv"
INCIDENT_HEADER = (
    "IncidentID",
    "IncidentDate",
    "PersonID",
    "Forename",
    "Surname",
    "DOB",
    "Sex",
    "Ethnicity",
    "Postcode",
    "Role",
    "IncidentType",
)
MISSING_HEADER = (
    "ReportID",
    "PersonID",
    "Forename",
    "Surname",
    "DOB",
    "Sex",
    "Postcode",
    "ReportedDate",
    "FoundDate",
    "RiskLevel",
)

# (incident type, role) and weight, per kind of contact
_W = MappingProxyType
DOMESTIC: Final = _W(
    {("DOMESTIC", "WITNESS"): 45, ("DOMESTIC", "CONCERN"): 35, ("DOMESTIC", "VICTIM"): 20}
)
YOUNG: Final = _W(
    {
        ("WELFARE", "CONCERN"): 60,
        ("VIOLENCE", "VICTIM"): 15,
        ("ASB", "WITNESS"): 10,
        ("THEFT", "VICTIM"): 10,
        ("SEXUAL", "VICTIM"): 5,
    }
)
OLDER: Final = _W(
    {
        ("ASB", "SUSPECT"): 18,
        ("ASB", "WITNESS"): 6,
        ("ASB", "VICTIM"): 6,
        ("THEFT", "SUSPECT"): 10,
        ("THEFT", "VICTIM"): 10,
        ("VIOLENCE", "SUSPECT"): 8,
        ("VIOLENCE", "VICTIM"): 10,
        ("VIOLENCE", "WITNESS"): 2,
        ("WELFARE", "CONCERN"): 15,
        ("DRUGS", "SUSPECT"): 5,
        ("SEXUAL", "VICTIM"): 3,
        ("WEAPONS", "SUSPECT"): 2,
        ("DOMESTIC", "WITNESS"): 5,
    }
)
CRIMINAL_EXPLOITATION: Final = _W(
    {
        ("DRUGS", "SUSPECT"): 35,
        ("WEAPONS", "SUSPECT"): 15,
        ("VIOLENCE", "SUSPECT"): 15,
        ("VIOLENCE", "VICTIM"): 15,
        ("THEFT", "SUSPECT"): 10,
        ("WELFARE", "CONCERN"): 10,
    }
)
SEXUAL_EXPLOITATION: Final = _W(
    {
        ("SEXUAL", "VICTIM"): 35,
        ("WELFARE", "CONCERN"): 35,
        ("VIOLENCE", "VICTIM"): 10,
        ("ASB", "SUSPECT"): 10,
        ("DRUGS", "SUSPECT"): 10,
    }
)


def _draw(
    rng: np.random.Generator, table: MappingProxyType[tuple[str, str], int], n: int
) -> tuple[np.ndarray, np.ndarray]:
    keys = list(table)
    p = np.array(list(table.values()), dtype=np.float64)
    i = rng.choice(len(keys), size=n, p=p / p.sum())
    kinds = np.array([k[0] for k in keys], dtype=object)
    roles = np.array([k[1] for k in keys], dtype=object)
    return kinds[i], roles[i]


def _incidents(
    world: World, rng: np.random.Generator
) -> tuple[Ints, Ints, Ints, np.ndarray, np.ndarray]:
    """(child, day, incident number, type, role): a domestic incident has a row per child."""
    cfg, kids, hh, needs = world.cfg, world.kids, world.hh, world.needs
    ref, start = world.ref, world.start
    parts: list[tuple[Ints, Ints, Ints, np.ndarray, np.ndarray]] = []

    risk = normalised(
        gradient(hh.decile, cfg.police_deprivation_ratio)
        * (1.0 + 3.0 * hh.substance_misuse + 1.0 * hh.mental_ill_health)
    )
    h_idx, h_day = poisson_events(
        rng, np.full(hh.n, start), np.full(hh.n, ref), cfg.domestic_incident_rate * risk
    )
    # Every child of the household already born is recorded at a domestic incident.
    counts = hh.size[h_idx]
    first = (np.cumsum(hh.size) - hh.size)[h_idx]
    child = np.repeat(first, counts) + (
        np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    )
    day = np.repeat(h_day, counts)
    number = np.repeat(np.arange(len(h_idx)), counts)
    born = kids.dob[child] <= day
    kinds, roles = _draw(rng, DOMESTIC, int(born.sum()))
    parts.append((child[born], day[born], number[born], kinds, roles))

    child_risk = gradient(hh.decile[kids.household], cfg.police_deprivation_ratio)
    child_risk = child_risk * np.where(hh.substance_misuse[kids.household], 1.5, 1.0)
    from_birth = np.maximum(kids.dob, start)
    at10 = np.clip(add_years(kids.dob, 10), start, ref)
    for lo, hi, rate, table in (
        (from_birth, at10, cfg.police_incident_rate_0_9, YOUNG),
        (np.maximum(at10, from_birth), np.full(kids.n, ref), cfg.police_incident_rate_10_17, OLDER),
    ):
        owner, d = poisson_events(rng, lo, hi, rate * child_risk)
        kinds, roles = _draw(rng, table, len(owner))
        parts.append((owner, d, np.full(len(owner), -1), kinds, roles))

    seg_child, seg_start, seg_end, seg_rate = exploitation_segments(
        needs,
        ref,
        cfg.exploitation_police_per_year_emerging,
        cfg.exploitation_police_per_year_escalating,
    )
    idx, d = poisson_events(rng, seg_start, seg_end, seg_rate)
    owner = seg_child[idx]
    cse = needs.kind[owner] == CSE
    k1, r1 = _draw(rng, SEXUAL_EXPLOITATION, len(owner))
    k2, r2 = _draw(rng, CRIMINAL_EXPLOITATION, len(owner))
    parts.append((owner, d, np.full(len(owner), -1), np.where(cse, k1, k2), np.where(cse, r1, r2)))

    child = np.concatenate([p[0] for p in parts])
    day = np.concatenate([p[1] for p in parts])
    shared = np.concatenate([p[2] for p in parts])
    # Incidents with one child get numbers after the shared (domestic) ones.
    solo = shared < 0
    base = int(shared.max()) + 1 if len(shared) and (~solo).any() else 0
    shared[solo] = base + np.arange(int(solo.sum()))
    return (
        child,
        day,
        shared,
        np.concatenate([p[3] for p in parts]),
        np.concatenate([p[4] for p in parts]),
    )


def record_police(
    world: World,
    out: Output,
    rng: np.random.Generator,
    id_rng: np.random.Generator,
    err_rng: np.random.Generator,
) -> int:
    cfg, kids, hh = world.cfg, world.kids, world.hh
    child, day, number, kinds, roles = _incidents(world, rng)
    miss = world.missing
    reported = np.flatnonzero(miss.reported)
    m_child, m_day = miss.child[reported], miss.start[reported]

    # One person index across incidents and missing reports, so both files share PersonIDs.
    all_child = np.concatenate([child, m_child])
    all_day = np.concatenate([day, m_day])
    record, person, registered = split_records(rng, all_child, all_day, cfg.police_duplicate_rate)
    ids = unique_ids(id_rng, len(person), "NP", 8)
    records = make_records(
        err_rng, cfg.police_errors, kids, hh, world.names, person, registered, ids
    )
    ident = records.identity
    uk = world.fmt.uk
    dob_text = np.array(uk(ident.dob), dtype=object)
    incident_ids = unique_ids(id_rng, int(number.max()) + 1 if len(number) else 0, "INC", 8)

    n_inc = len(child)
    r_inc = record[:n_inc]
    order = np.lexsort((ids[r_inc].astype(str), incident_ids[number].astype(str), day))
    r = r_inc[order]
    incident_columns = [
        incident_ids[number[order]].tolist(),
        uk(day[order]),
        ids[r].tolist(),
        ident.forename[r].tolist(),
        ident.surname[r].tolist(),
        dob_text[r].tolist(),
        ident.sex[r].tolist(),
        ident.ethnicity[r].tolist(),
        records.postcodes(kids, hh, r, day[order]).tolist(),
        roles[order].tolist(),
        kinds[order].tolist(),
    ]
    rows = out.csv(f"agencies/{AGENCY}/{INCIDENTS}", INCIDENT_HEADER, incident_columns)
    out.register(AGENCY, INCIDENTS, ids[r].tolist(), records.person[r])

    r_miss = record[n_inc:]
    report_ids = unique_ids(id_rng, len(r_miss), "MIS", 8)
    order = np.lexsort((report_ids.astype(str), m_day))
    r = r_miss[order]
    found = miss.end[reported][order]
    missing_columns = [
        report_ids[order].tolist(),
        ids[r].tolist(),
        ident.forename[r].tolist(),
        ident.surname[r].tolist(),
        dob_text[r].tolist(),
        ident.sex[r].tolist(),
        records.postcodes(kids, hh, r, m_day[order]).tolist(),
        uk(m_day[order]),
        uk(np.where(found == NO_DATE, NO_DATE, found)),
        miss.risk[reported][order].tolist(),
    ]
    rows += out.csv(f"agencies/{AGENCY}/{MISSING}", MISSING_HEADER, missing_columns)
    out.register(AGENCY, MISSING, ids[r].tolist(), records.person[r])
    return rows
