"""Northshire Council children's services: its person index, the SSDA903 tables for looked
after children and the Children in Need census.

A child's first contact or referral makes the council record (LAchildID, which is also the
SSDA903 CHILD); a later referral sometimes opens a second record instead of finding the first.
"""

from __future__ import annotations

import numpy as np

from seen.synth.care import Timeline
from seen.synth.config import GENERATOR_VERSION
from seen.synth.dates import NO_DATE, age_on
from seen.synth.rates import gradient, poisson_events
from seen.synth.recording.cin_census import CinChild, cin_census_xml
from seen.synth.records import RecordSet, make_records, split_records, unique_ids
from seen.synth.world import NORTHSHIRE_LA_CODE, World
from seen.synth.writers import Output

AGENCY = "northshire-council"
PERSONS_HEADER = (
    "LAchildID",
    "Forename",
    "MiddleNames",
    "Surname",
    "DOB",
    "Sex",
    "Ethnicity",
    "Postcode",
    "NHSNumber",
    "UPN",
)
HEADER_903 = ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
EPISODES_903 = (
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
    "HOME_POST",
    "PL_POST",
    "URN",
)
MISSING_903 = ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END")


def _touches(
    world: World, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Every contact and referral (child, day, duplicate chance); the first n are episodes."""
    cfg, kids, hh = world.cfg, world.kids, world.hh
    episodes = world.timeline.episodes
    e_child = np.array([e.child for e in episodes], dtype=np.int64)
    e_day = np.array([e.referral for e in episodes], dtype=np.int64)
    risk = gradient(hh.decile[kids.household], cfg.cin_deprivation_ratio)
    c_child, c_day = poisson_events(
        rng,
        np.maximum(kids.dob, world.start),
        np.full(kids.n, world.ref),
        cfg.council_contact_rate * risk,
    )
    child = np.concatenate([e_child, c_child])
    day = np.concatenate([e_day, c_day])
    dup = np.concatenate(
        [np.full(len(e_child), cfg.council_duplicate_rate), np.zeros(len(c_child))]
    )
    return child, day, dup, len(episodes)


def record_council(
    world: World,
    out: Output,
    rng: np.random.Generator,
    id_rng: np.random.Generator,
    err_rng: np.random.Generator,
) -> int:
    cfg, kids, hh = world.cfg, world.kids, world.hh
    child, day, dup, n_episodes = _touches(world, rng)
    record, person, registered = split_records(rng, child, day, dup)
    ids = unique_ids(id_rng, len(person), "", 7)
    records = make_records(
        err_rng, cfg.council_errors, kids, hh, world.names, person, registered, ids
    )
    episode_record = record[:n_episodes]
    last_touch = np.full(len(person), NO_DATE, dtype=np.int64)
    np.maximum.at(last_touch, record, day)
    rows = _persons(world, out, records, last_touch)
    period_record = np.array(
        [episode_record[p.episode] for p in world.timeline.periods], dtype=np.int64
    )
    rows += _ssda903(world, out, records, period_record)
    rows += _cin(world, out, records, episode_record, world.timeline)
    return rows


def _persons(world: World, out: Output, records: RecordSet, last_touch: np.ndarray) -> int:
    ident = records.identity
    order = np.argsort(records.ids.astype(str), kind="stable")
    columns = [
        records.ids[order].tolist(),
        ident.forename[order].tolist(),
        ident.middle[order].tolist(),
        ident.surname[order].tolist(),
        world.fmt.iso(ident.dob[order]),
        ident.sex[order].tolist(),
        ident.ethnicity[order].tolist(),
        records.postcodes(world.kids, world.hh, order, last_touch[order]).tolist(),
        ident.nhs[order].tolist(),
        ident.upn[order].tolist(),
    ]
    rows = out.csv(f"agencies/{AGENCY}/persons.csv", PERSONS_HEADER, columns)
    out.register(AGENCY, "persons.csv", records.ids[order].tolist(), records.person[order])
    return rows


def _ssda903(world: World, out: Output, records: RecordSet, period_record: np.ndarray) -> int:
    kids, ident, fmt = world.kids, records.identity, world.fmt
    looked_after = np.unique(period_record) if len(period_record) else np.zeros(0, dtype=np.int64)
    looked_after = looked_after[np.argsort(records.ids[looked_after].astype(str), kind="stable")]
    person = records.person[looked_after]
    age = age_on(kids.dob[person], world.ref)
    upn = ident.upn[looked_after]
    unknown = np.where(kids.upn[person] == "", np.where(age < 6, "UN1", "UN2"), "UN4")
    female = kids.female[person]
    header = [
        records.ids[looked_after].tolist(),
        np.where(female, "2", "1").tolist(),
        fmt.uk(ident.dob[looked_after]),
        np.where(
            ident.ethnicity[looked_after] == "", "NOBT", ident.ethnicity[looked_after]
        ).tolist(),
        np.where(upn == "", unknown, upn).tolist(),
        np.where(female & (age >= 12), "0", "").tolist(),
        [""] * len(looked_after),
    ]
    rows = out.csv(f"agencies/{AGENCY}/ssda903_header.csv", HEADER_903, header)
    out.register(AGENCY, "ssda903_header.csv", records.ids[looked_after].tolist(), person)

    pl = world.placements
    rec = (
        period_record[np.array(pl.period, dtype=np.int64)]
        if pl.period
        else np.zeros(0, dtype=np.int64)
    )
    decom = np.array(pl.decom, dtype=np.int64)
    order = (
        np.lexsort((decom, records.ids[rec].astype(str)))
        if len(rec)
        else np.zeros(0, dtype=np.int64)
    )
    dec = np.array(pl.dec, dtype=np.int64)

    def col(values: list[str]) -> list[str]:
        return [values[i] for i in order.tolist()]

    episodes = [
        records.ids[rec[order]].tolist(),
        fmt.uk(decom[order]),
        col(pl.rne),
        col(pl.ls),
        col(pl.cin),
        col(pl.place),
        col(pl.provider),
        fmt.uk(dec[order]),
        col(pl.rec),
        col(pl.reason),
        col(pl.home_post),
        col(pl.pl_post),
        col(pl.urn),
    ]
    rows += out.csv(f"agencies/{AGENCY}/ssda903_episodes.csv", EPISODES_903, episodes)
    out.register(AGENCY, "ssda903_episodes.csv", records.ids[rec].tolist(), records.person[rec])

    miss = world.missing
    in_care = np.flatnonzero(miss.in_care)
    m_rec = period_record[miss.period[in_care]] if len(in_care) else np.zeros(0, dtype=np.int64)
    start = miss.start[in_care]
    order = (
        np.lexsort((start, records.ids[m_rec].astype(str)))
        if len(m_rec)
        else np.zeros(0, dtype=np.int64)
    )
    m_rec = m_rec[order]
    missing = [
        records.ids[m_rec].tolist(),
        fmt.uk(ident.dob[m_rec]),
        np.where(miss.away[in_care][order], "A", "M").tolist(),
        fmt.uk(start[order]),
        fmt.uk(miss.end[in_care][order]),
    ]
    rows += out.csv(f"agencies/{AGENCY}/ssda903_missing.csv", MISSING_903, missing)
    out.register(AGENCY, "ssda903_missing.csv", records.ids[m_rec].tolist(), records.person[m_rec])
    return rows


def _cin(
    world: World, out: Output, records: RecordSet, episode_record: np.ndarray, timeline: Timeline
) -> int:
    ident = records.identity
    by_record: dict[int, list[int]] = {}
    for i, r in enumerate(episode_record.tolist()):
        by_record.setdefault(r, []).append(i)
    chosen = sorted(by_record, key=lambda r: str(records.ids[r]))
    children = []
    for r in chosen:
        eps = sorted(by_record[r], key=lambda i: timeline.episodes[i].referral)
        children.append(
            CinChild(
                la_child_id=str(records.ids[r]),
                upn=str(ident.upn[r]),
                birth_date=int(ident.dob[r]),
                sex=str(ident.sex[r]),
                ethnicity=str(ident.ethnicity[r]),
                episodes=[
                    (timeline.episodes[i].referral, timeline.episodes[i].closure, world.details[i])
                    for i in eps
                ],
            )
        )
    text = cin_census_xml(
        children,
        world.fmt,
        world.cfg.reference_date.year,
        world.ref,
        NORTHSHIRE_LA_CODE,
        GENERATOR_VERSION,
    )
    out.text(f"agencies/{AGENCY}/cin_census.xml", text, len(children))
    out.register(
        AGENCY,
        "cin_census.xml",
        [str(records.ids[r]) for r in chosen],
        records.person[np.array(chosen, dtype=np.int64)],
    )
    return len(children)
