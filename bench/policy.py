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

from host import describe

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
SINGLES = 20_000


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


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    return tuple(ordered[int(len(ordered) * q)] for q in (0.5, 0.95, 0.99))  # type: ignore[return-value]


def singles(engine: PolicyEngine, requests: list[AccessRequest], *, cold: bool) -> dict[str, float]:
    """SINGLES decisions one at a time, cycling through `requests`: wall time per decision
    (p50, p95, p99) and CPU time per decision (process_time over the run, which other work
    on the machine does not inflate). Cold: the engine's kept answers are dropped before each
    decision, so each asks Cedar (its entities stay parsed, as in a running hub)."""
    wall = []
    cpu = 0.0
    for n in range(SINGLES):
        request = requests[n % len(requests)]
        if cold:
            engine._answers.clear()  # the bench's business only: the cost of asking Cedar
        started, started_cpu = time.perf_counter(), time.process_time()
        engine.decide(request)
        wall.append(time.perf_counter() - started)
        cpu += time.process_time() - started_cpu
    p50, p95, p99 = percentiles(wall)
    return {"p50": p50, "p95": p95, "p99": p99, "cpu": cpu / SINGLES}


def main() -> int:
    world = partnership()
    engine = PolicyEngine(world)
    chronology = [
        AccessRequest(
            Principal("practitioner", "council-0"), record, "safeguarding", "uk-gdpr-6-1-e", NOW
        )
        for record in world.records
    ]
    load_before = os.getloadavg()
    engine.decide_many(chronology)  # entities for this time, parsed once and kept
    batches = []
    for _ in range(20):
        engine._answers.clear()  # each chronology asks Cedar afresh
        started = time.perf_counter()
        decided = engine.decide_many(chronology)
        batches.append(time.perf_counter() - started)
    batch = statistics.median(batches)
    started = time.perf_counter()
    for request in chronology:
        reference.decide(world, request)
    peer = time.perf_counter() - started

    cold = singles(engine, chronology, cold=True)
    warm = singles(engine, chronology, cold=False)
    load_after = os.getloadavg()
    outcomes = statistics.multimode(d.decision for d in decided)

    print(f"seen.policy benchmark: {describe()}")
    print(
        f"{len(world.records)} records, {len(world.practitioners)} practitioners, "
        f"{len(world.agreements)} agreements; most common outcome {outcomes}"
    )
    print(
        f"load average (1, 5, 15 min) before {', '.join(f'{x:.2f}' for x in load_before)}; "
        f"after {', '.join(f'{x:.2f}' for x in load_after)}"
    )
    print()
    print("| measure | Cedar (`PolicyEngine`) | plain-Python reference | ratio | target | met |")
    print("|---|---:|---:|---:|---:|:---:|")
    rate = CHRONOLOGY / batch
    print(
        f"| chronology of {CHRONOLOGY} records, ms (median of 20, Cedar asked) | "
        f"{batch * 1e3:.1f} | {peer * 1e3:.1f} | {batch / peer:.1f}x | 100 | "
        f"{'yes' if batch <= 0.1 else 'NO'} |"
    )
    print(
        f"| decisions per second in batch | {rate:,.0f} | {CHRONOLOGY / peer:,.0f} | | 5,000 | "
        f"{'yes' if rate >= 5000 else 'NO'} |"
    )
    for name, measured in (("Cedar asked", cold), ("answer kept", warm)):
        print(
            f"| single decision ({name}) p50 / p95, ms | "
            f"{measured['p50'] * 1e3:.3f} / {measured['p95'] * 1e3:.3f} | | | | |"
        )
        print(
            f"| single decision ({name}) p99, ms ({SINGLES:,} decisions) | "
            f"{measured['p99'] * 1e3:.3f} | | | 1 | {'yes' if measured['p99'] <= 0.001 else 'NO'} |"
        )
        print(f"| single decision ({name}) CPU time, ms | {measured['cpu'] * 1e3:.3f} | | | | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
