"""Benchmark: `link_incremental`, 1,000 new records against a million already linked.

Target (linkage issue): 1,000 new records linked against 1,000,000 already linked, people
updated, in at most 2 s, with the person ids of untouched people unchanged.

The existing records are a synthetic *encoded* population made directly in the encoded form:
people with Zipf-like given and family names, births over 18 years and 30,000 postcodes,
seen by five agencies (two of them duplicate-free) with about two records per person and
some recording errors (a wrong given name, postcode or day of birth); tokens are random
32-hex values per value, filters random fixed-weight filters per name and birth year. Encoding a
million identities with the real encoder would take minutes and changes nothing about how
the hub side is timed; building them this way takes about a minute. The existing people are
the population's own people (as if a full run had found them exactly).

The 1,000 new records come from a sixth agency: 700 of existing people (with the same
recording errors) and 300 of people no agency has seen before, so the run both joins new
records to existing people and makes new people.

Each timed run is `link_incremental` with the default model (no training), twice: cold
(the run hashes the existing records' keys itself) and with a kept `IncrementalIndex` (built
once, as a hub linking package after package would keep it; its build time is reported
apart). The bench checks that every person none of the new records joined keeps exactly
its records and id.
The peer in the same run is a floor: the time DuckDB takes to hash seven blocking keys of
every existing record once (a scan that any run reading the existing records in full must
pay, and that a kept index avoids). The machine is shared, so each run also reports its
CPU time (all threads): a run whose CPU time is within the target would be within it in
wall time on an idle machine.

    .venv/bin/python bench/link_incremental.py                      # 1,000,000 existing
    .venv/bin/python bench/link_incremental.py --existing 100000 --runs 5
    .venv/bin/python bench/link_incremental.py --profile            # cProfile the last run
"""

# ruff: noqa: S608 - the SQL here is the bench's own, over its own synthetic tables.

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from host import describe

NEW_RECORDS = 1000
NEW_OF_EXISTING = 700
TARGET_SECONDS = 2.0

AGENCIES = (  # name, duplicate-free, share of records, holds NHS numbers
    ("council", False, 0.10, True),
    ("schools", True, 0.45, False),
    ("police", False, 0.15, False),
    ("health", True, 0.20, True),
    ("voluntary", False, 0.10, False),
)


# --------------------------------------------------------------------------- population


class Population:
    """People's identity codes (integers standing for values), one row per person."""

    def __init__(self, n: int, rng: np.random.Generator, first: int = 0) -> None:
        def zipf(k: int, shift: int) -> np.ndarray:
            weights = 1.0 / (np.arange(1, k + 1) + shift)
            return rng.choice(k, n, p=weights / weights.sum())

        self.ids = np.arange(first, first + n, dtype=np.int64)
        self.given = zipf(6000, 3)
        self.family = zipf(40000, 60)
        self.year = rng.integers(2006, 2024, n)
        self.month = rng.integers(1, 13, n)
        self.day = rng.integers(1, 29, n)
        self.sex = rng.integers(0, 2, n)
        self.postcode = rng.integers(0, 30000, n)
        self.nhs = first + np.arange(n, dtype=np.int64)

    def records(self, people: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """One record per index in `people`, with recording errors."""
        n = len(people)
        out = {
            name: getattr(self, name)[people].copy()
            for name in ("given", "family", "year", "month", "day", "sex", "postcode", "nhs")
        }
        error = rng.random(n)
        wrong_given = error < 0.04
        out["given"][wrong_given] = rng.integers(0, 6000, int(wrong_given.sum()))
        wrong_postcode = (error >= 0.04) & (error < 0.12)  # moved house
        out["postcode"][wrong_postcode] = rng.integers(0, 30000, int(wrong_postcode.sum()))
        wrong_day = (error >= 0.12) & (error < 0.15)
        out["day"][wrong_day] = rng.integers(1, 29, int(wrong_day.sum()))
        return out


def _tokens(name: str, codes: np.ndarray, present: np.ndarray | None = None) -> pa.Array:
    values, inverse = np.unique(codes, return_inverse=True)
    salt = hash(name) & 0xFFFFFFFF
    hexes = np.array([f"{salt:08x}{int(v) & (2**96 - 1):024x}" for v in values])
    mask = None if present is None else ~present
    return pa.array(hexes[inverse], pa.string(), mask=mask)


def _splitmix(x: np.ndarray) -> np.ndarray:
    x = (x + np.uint64(0x9E3779B97F4A7C15)).astype(np.uint64)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _filters(codes: np.ndarray) -> pa.Array:
    """A pseudo-random fixed-weight filter (128 of 1,024 bits set) per value (the same in every
    table)."""
    from seen.domain.encoding import BLOOM_BYTES, BLOOM_WEIGHT

    values, inverse = np.unique(codes, return_inverse=True)
    bits_total = 8 * BLOOM_BYTES
    positions = np.arange(bits_total, dtype=np.uint64)
    packed = np.zeros((len(values), BLOOM_BYTES), dtype=np.uint8)
    for start in range(0, len(values), 4096):
        chunk = values[start : start + 4096].astype(np.uint64)
        with np.errstate(over="ignore"):
            keys = _splitmix(chunk[:, None] * np.uint64(bits_total) + positions)
        chosen = np.argpartition(keys, BLOOM_WEIGHT, axis=1)[:, :BLOOM_WEIGHT]
        bits = np.zeros((len(chunk), bits_total), dtype=bool)
        np.put_along_axis(bits, chosen, True, axis=1)
        packed[start : start + len(chunk)] = np.packbits(bits, axis=1)
    return pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(BLOOM_BYTES), len(codes), [None, pa.py_buffer(packed[inverse].tobytes())]
    )


def _near_sets(codes: np.ndarray, size: int, present: np.ndarray | None = None) -> pa.Array:
    """A pseudo-random near set per value (`size` distinct elements in increasing order, the
    same in every table): equal values share every element, others none (no typos here)."""
    from seen.domain.encoding import NEAR_ELEMENT_BYTES

    slots = np.arange(size, dtype=np.uint64)
    with np.errstate(over="ignore"):
        elements = _splitmix(codes.astype(np.uint64)[:, None] * np.uint64(size) + slots)
    ordered = np.sort(elements, axis=1).astype(">u8")
    width = size * NEAR_ELEMENT_BYTES
    mask = None if present is None else pa.array(~present)
    sets = pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(width), len(codes), [None, pa.py_buffer(ordered.tobytes())]
    )
    return sets if mask is None else pc.if_else(mask, pa.nulls(len(codes), sets.type), sets)


def encoded(fields: dict[str, np.ndarray], record_ids: list[str], nhs: bool) -> pa.Table:
    """The encoded records table for these identity codes (columns per the contract;
    columns this synthetic form has no values for are empty)."""
    from seen.domain.encoding import BLOOM_BYTES, BLOOM_COLUMNS, NEAR_SIZES, TOKEN_COLUMNS

    g, f, y, m, d = (fields[k] for k in ("given", "family", "year", "month", "day"))
    s, pc_ = fields["sex"], fields["postcode"]
    dob = y * 10000 + m * 100 + d
    made: dict[str, Callable[[], pa.Array]] = {
        "tok_nhs": lambda: _tokens("nhs", fields["nhs"], None if nhs else np.zeros(len(g), bool)),
        "tok_given_dob": lambda: _tokens("gdob", g * 10**8 + dob),
        "tok_family_dob": lambda: _tokens("fdob", f * 10**8 + dob),
        "tok_dob_transposed": lambda: _tokens("dobt", y * 10000 + d * 100 + m),
        "tok_dob_year": lambda: _tokens("year", y),
        "tok_dob_month": lambda: _tokens("month", m),
        "tok_dob_day": lambda: _tokens("day", d),
        "tok_sex": lambda: _tokens("sex", s),
        "tok_postcode": lambda: _tokens("pc", pc_),
        "tok_postcode_sector": lambda: _tokens("sector", pc_ // 10),
        "tok_postcode_district": lambda: _tokens("district", pc_ // 500),
        "tok_given": lambda: _tokens("given", g * 10000 + y),
        "tok_family": lambda: _tokens("family", f * 10000 + y),
        "tok_name_sex_dob": lambda: _tokens("nsd", (f * 2 + s) * 10**8 + dob),
        "tok_names_sorted": lambda: _tokens("sorted", (g * 10**5 + f) * 10000 + y),
        "tok_soundex_dob": lambda: _tokens("sdx", (f % 3000) * 10**8 + dob),
    }
    blooms: dict[str, Callable[[], pa.Array]] = {
        "bf_given": lambda: _filters(g * 10000 + y + 1),
        "bf_family": lambda: _filters((f + 10**4) * 10000 + y),
    }
    n = len(record_ids)
    columns: dict[str, pa.Array] = {"record_id": pa.array(record_ids, pa.string())}
    for name in TOKEN_COLUMNS:
        columns[name] = made[name]() if name in made else pa.nulls(n, pa.string())
    for name in BLOOM_COLUMNS:
        columns[name] = blooms[name]() if name in blooms else pa.nulls(n, pa.binary(BLOOM_BYTES))
    columns["near_nhs"] = _near_sets(
        fields["nhs"], NEAR_SIZES["near_nhs"], None if nhs else np.zeros(len(g), bool)
    )
    columns["near_postcode"] = _near_sets(pc_ + 10**9, NEAR_SIZES["near_postcode"])
    columns["near_upn"] = pa.nulls(n, pa.binary(NEAR_SIZES["near_upn"] * 8))
    return pa.table(columns)


def build(existing: int, seed: int) -> tuple[list, object, pa.Table]:
    """(existing sources, new source, existing people)."""
    from seen.link import Source

    rng = np.random.default_rng(seed)
    population = Population(existing // 2, rng)
    sources, people = [], []
    for name, free, share, nhs in AGENCIES:
        n = round(existing * share)
        if free:  # at most one record per person
            who = rng.choice(len(population.ids), min(n, len(population.ids)), replace=False)
        else:
            who = rng.integers(0, len(population.ids), n)
        ids = [f"{name[:2]}{i}" for i in range(len(who))]
        sources.append(Source(name, encoded(population.records(who, rng), ids, nhs), free))
        people.append(
            pa.table(
                {
                    "source": pa.array([name] * len(who), pa.string()),
                    "record_id": pa.array(ids, pa.string()),
                    "person_id": pa.array([f"P{p:012d}" for p in who], pa.string()),
                }
            )
        )
    newcomers = Population(NEW_RECORDS - NEW_OF_EXISTING, rng, first=len(population.ids))
    old = rng.choice(len(population.ids), NEW_OF_EXISTING, replace=False)
    fields = population.records(old, rng)
    fresh = newcomers.records(np.arange(len(newcomers.ids)), rng)
    merged = {k: np.concatenate([fields[k], fresh[k]]) for k in fields}
    new = Source("new-agency", encoded(merged, [f"n{i}" for i in range(NEW_RECORDS)], True), True)
    return sources, new, pa.concat_tables(people)


# ------------------------------------------------------------------------------- measure


class StageClock:
    """A progress callback noting when each stage starts."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.at: dict[str, float] = {}

    def __call__(self, stage: str, step: int, steps: int) -> None:
        self.at[stage] = time.perf_counter() - self.started

    def durations(self, total: float) -> dict[str, float]:
        names = list(self.at)
        ends = [self.at[n] for n in names[1:]] + [total]
        return {n: end - self.at[n] for n, end in zip(names, ends, strict=True)}


def _cpu_seconds() -> float:
    """User and system CPU time of this process, all threads (DuckDB runs several)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def key_hash_floor(sources: list) -> float:
    """Seconds for DuckDB to hash every existing record's blocking keys once."""
    import duckdb

    con = duckdb.connect()
    selects = []
    for i, source in enumerate(sources):
        con.register(f"s{i}", source.records)
        selects.append(f"SELECT * FROM s{i}")
    started = time.perf_counter()
    con.execute(
        "SELECT count(*), sum(hash(tok_nhs)), sum(hash(tok_given_dob)), sum(hash(tok_given, "
        "tok_postcode)), sum(hash(tok_family, tok_postcode)), sum(hash(tok_name_sex_dob)), "
        "sum(hash(tok_soundex_dob)), sum(hash(tok_names_sorted)) FROM ("
        + " UNION ALL ".join(selects)
        + ")"
    ).fetchall()
    seconds = time.perf_counter() - started
    con.close()
    return seconds


def untouched_kept(before: pa.Table, after: pa.Table, new_source: str) -> tuple[int, int, bool]:
    """(people before, people a new record joined, whether every other person kept
    exactly its records and its id)."""
    import duckdb

    con = duckdb.connect()
    con.register("before_people", before)
    con.register("after_people", after)
    row = con.execute(
        f"""WITH joined AS (SELECT DISTINCT person_id FROM after_people
                            WHERE source = '{new_source}'),
        touched AS (SELECT DISTINCT b.person_id FROM after_people a
                    JOIN before_people b USING (source, record_id)
                    WHERE a.person_id IN (SELECT person_id FROM joined)),
        kept AS (SELECT b.person_id, count(*) AS n,
                        count(*) FILTER (WHERE a.person_id = b.person_id) AS same
                 FROM before_people b LEFT JOIN after_people a USING (source, record_id)
                 WHERE b.person_id NOT IN (SELECT person_id FROM touched) GROUP BY 1),
        now AS (SELECT person_id, count(*) AS n FROM after_people GROUP BY 1)
        SELECT (SELECT count(DISTINCT person_id) FROM before_people),
               (SELECT count(*) FROM touched),
               (SELECT count(*) FROM kept k LEFT JOIN now USING (person_id)
                WHERE k.same <> k.n OR now.n IS DISTINCT FROM k.n)"""
    ).fetchone()
    con.close()
    assert row is not None
    return int(row[0]), int(row[1]), row[2] == 0


def main() -> None:
    import logging

    from seen.link import default_model, link_incremental

    try:
        from seen.link import IncrementalIndex
    except ImportError:  # an older seen.link: cold runs only
        IncrementalIndex = None  # type: ignore[assignment,misc]

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--existing", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", action="store_true", help="cProfile the last run")
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    started = time.perf_counter()
    sources, new, people = build(args.existing, args.seed)
    total = sum(s.records.num_rows for s in sources)
    print(
        f"Synthetic encoded population: {total:,} existing records in {len(sources)} agencies, "
        f"{people.num_rows:,} linked to {pc.count_distinct(people['person_id']).as_py():,} "
        f"people, made in {time.perf_counter() - started:.0f} s.",
        file=sys.stderr,
    )
    model = default_model()
    link_incremental(people, sources, new, model)  # warm up imports and Splink
    modes: list[tuple[str, object]] = [("cold (no index)", None)]
    build_seconds = extend_seconds = None
    if IncrementalIndex is not None:
        begun = time.perf_counter()
        index = IncrementalIndex.build(sources)
        build_seconds = time.perf_counter() - begun
        begun = time.perf_counter()
        index.extended(new)
        extend_seconds = time.perf_counter() - begun
        modes.append(("kept index", index))
    rows = []
    seconds: dict[str, list[float]] = {}
    stage_names: list[str] = []
    for attempt in range(1, args.runs + 1):
        for mode, index in modes:
            clock = StageClock()
            last = attempt == args.runs and mode == modes[-1][0]
            profiler = cProfile.Profile() if args.profile and last else None
            extra = {"index": index} if index is not None else {}
            begun, cpu = time.perf_counter(), _cpu_seconds()
            if profiler:
                profiler.enable()
            result = link_incremental(people, sources, new, model, progress=clock, **extra)
            if profiler:
                profiler.disable()
            took, cpu = time.perf_counter() - begun, _cpu_seconds() - cpu
            seconds.setdefault(mode, []).append(took)
            stages = clock.durations(took)
            stage_names = list(stages)
            _, touched, kept = untouched_kept(people, result.people, new.name)
            rows.append((mode, attempt, took, cpu, stages, result, touched, kept))
            if profiler:
                pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
    floor = key_hash_floor(sources)
    print(
        f"\n| mode | run | existing | new | {' | '.join(f'{s} s' for s in stage_names)} "
        "| total s | CPU s | pairs kept | people joined | untouched ids kept |"
    )
    print("|---|---:|---:|---:|" + "---:|" * len(stage_names) + "---:|---:|---:|---:|:---:|")
    for mode, attempt, took, cpu, stages, result, touched, kept in rows:
        print(
            f"| {mode} | {attempt} | {total:,} | {new.records.num_rows:,} | "
            + " | ".join(f"{stages[s]:.2f}" for s in stage_names)
            + f" | {took:.2f} | {cpu:.2f} | {result.pairs.num_rows:,} | {touched:,} | "
            f"{'yes' if kept else 'NO'} |"
        )
    print()
    for mode, values in seconds.items():
        median = statistics.median(values)
        print(
            f"{mode}: median {median:.2f} s (target {TARGET_SECONDS:.0f} s: "
            f"{'met' if median <= TARGET_SECONDS else 'missed'}), "
            f"{median / floor:.1f}x the key-hash floor"
        )
    if build_seconds is not None:
        print(
            f"Index: built (hashed and sorted) in {build_seconds:.2f} s, extended with the "
            f"new records in {extend_seconds:.2f} s."
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    load = Path("/proc/loadavg").read_text(encoding="ascii").split()[:3]
    print(
        f"Key-hash floor {floor:.2f} s; process peak {peak:,.0f} MiB; "
        f"load average {', '.join(load)} on {describe()}."
    )


if __name__ == "__main__":
    main()
