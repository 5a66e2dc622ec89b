"""Benchmark: sharing decisions (`seen.policy.PolicyEngine`).

Targets (policy issue): at least 5,000 decisions per second in batch, a chronology of 500
records decided in at most 100 ms, and p99 of a single decision at most 1 ms. The world is a
partnership of five agencies with agreements, relationships and wishes, and one child's
chronology of 500 records from every agency; each decision asks Cedar its three questions
(docs/policy.md, "How Cedar answers"). The peer in the same run is the plain-Python reading
of docs/policy.md that the tests compare Cedar with (tests/policy/reference.py).

    .venv/bin/python bench/policy.py
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.policy import reference

from seen.domain.agencies import AgencyKind
from seen.domain.sharing import (
    AgreementStatus,
    Choice,
    LawfulBasis,
    Purpose,
    Release,
    Role,
    Sensitivity,
)
from seen.policy import AccessRequest, PolicyEngine, World
from seen.policy.world import (
    Agreement,
    Child,
    Flow,
    Practitioner,
    Preference,
    Principal,
    Record,
)

NOW = dt.datetime(2026, 11, 22, 10, tzinfo=dt.UTC)
AGENCIES = {
    "council": AgencyKind.CHILDRENS_SERVICES,
    "schools": AgencyKind.SCHOOL,
    "health": AgencyKind.HEALTH,
    "police": AgencyKind.POLICE,
    "carers": AgencyKind.YOUNG_CARERS_SERVICE,
}
CATEGORIES = ["attendance", "health", "police_contact", "social_care", "young_carer", "adoption"]
CHRONOLOGY = 500
SINGLES = 5_000


def partnership() -> World:
    practitioners = {
        f"{agency}-{i}": Practitioner(f"{agency}-{i}", agency, frozenset({Role.SOCIAL_WORKER}))
        for agency in AGENCIES
        for i in range(20)
    }
    children = {
        f"c{i}": Child(f"c{i}", frozenset(p for p in practitioners if p.endswith(f"-{i % 20}")))
        for i in range(200)
    }
    records = {}
    for n in range(CHRONOLOGY):
        agency = list(AGENCIES)[n % len(AGENCIES)]
        category = CATEGORIES[n % len(CATEGORIES)]
        sensitivity = Sensitivity.RESTRICTED if category == "adoption" else Sensitivity.NORMAL
        records[f"r{n}"] = Record(f"r{n}", "c0", agency, category, sensitivity)
    agreements = tuple(
        Agreement(
            f"ISA-{source}",
            AgreementStatus.ACTIVE,
            NOW - dt.timedelta(days=300),
            NOW + dt.timedelta(days=300),
            frozenset({Purpose.SAFEGUARDING, Purpose.EARLY_HELP}),
            frozenset(LawfulBasis),
            Release.ORIGINATOR_APPROVAL if source == "police" else Release.AUTOMATIC,
            tuple(
                Flow(source, recipient, frozenset({"*"}))
                for recipient in AGENCIES
                if recipient != source
            ),
        )
        for source in AGENCIES
    )
    preferences = (
        Preference("c0", "health", "*", Choice.ASK_FIRST, NOW - dt.timedelta(days=3), "c0"),
        Preference("c0", "young_carer", "police", Choice.DO_NOT_SHARE, NOW, "c0"),
    )
    return World(AGENCIES, practitioners, children, records, agreements, preferences)


def main() -> int:
    world = partnership()
    engine = PolicyEngine(world)
    chronology = [
        AccessRequest(
            Principal("practitioner", "council-0"), record, "safeguarding", "uk-gdpr-6-1-e", NOW
        )
        for record in world.records
    ]
    engine.decide_many(chronology)  # entities for this time, parsed once and kept
    batches = []
    for _ in range(20):
        started = time.perf_counter()
        decided = engine.decide_many(chronology)
        batches.append(time.perf_counter() - started)
    batch = statistics.median(batches)
    started = time.perf_counter()
    for request in chronology:
        reference.decide(world, request)
    peer = time.perf_counter() - started

    singles = []
    for n in range(SINGLES):
        request = chronology[n % CHRONOLOGY]
        started = time.perf_counter()
        engine.decide(request)
        singles.append(time.perf_counter() - started)
    singles.sort()
    p50, p99 = singles[len(singles) // 2], singles[int(len(singles) * 0.99)]
    outcomes = statistics.multimode(d.decision for d in decided)

    print(f"seen.policy benchmark: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print(
        f"{len(world.records)} records, {len(world.practitioners)} practitioners, "
        f"{len(world.agreements)} agreements; most common outcome {outcomes}"
    )
    print()
    print("| measure | Cedar (`PolicyEngine`) | plain-Python reference | ratio | target | met |")
    print("|---|---:|---:|---:|---:|:---:|")
    rate = CHRONOLOGY / batch
    print(
        f"| chronology of {CHRONOLOGY} records, ms (median of 20) | {batch * 1e3:.1f} | "
        f"{peer * 1e3:.1f} | {batch / peer:.1f}x | 100 | {'yes' if batch <= 0.1 else 'NO'} |"
    )
    print(
        f"| decisions per second in batch | {rate:,.0f} | {CHRONOLOGY / peer:,.0f} | | 5,000 | "
        f"{'yes' if rate >= 5000 else 'NO'} |"
    )
    print(f"| single decision p50, ms | {p50 * 1e3:.3f} | | | | |")
    print(
        f"| single decision p99, ms ({SINGLES:,} decisions) | {p99 * 1e3:.3f} | | | 1 | "
        f"{'yes' if p99 <= 0.001 else 'NO'} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
