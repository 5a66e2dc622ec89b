"""Benchmark: the audit log (`seen.audit`) on a SQLite file database.

Targets (issue 4): at least 10,000 durable appends/s in batches; `seen audit verify` over
1,000,000 entries in at most 30 s; an inclusion proof generated and checked in at most 1 ms.

    .venv/bin/python bench/audit.py                 # 1,000,000 entries
    .venv/bin/python bench/audit.py --entries 50000 # a smoke test

Each measurement has a peer measured in the same run, on the same entries:
- appends: the same rows (index, canonical bytes, leaf hash) inserted with the standard
  library's sqlite3 `executemany`, one commit per batch, no validation or serialisation;
- verify: a plain hashlib loop over the same entry bytes (SHA-256 of 0x00 || entry), the
  least any recomputation of the leaves can cost;
- proofs: checking a proof alone (generation excluded).
Appends commit with SQLite's default durability here (WAL, synchronous=FULL: an fsync per
commit). The machine is shared and noisy; each timing is the best of `--repeat` runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

APPEND_TARGET = 10_000
VERIFY_TARGET_S = 30.0
PROOF_TARGET_MS = 1.0
ORIGIN = "seen.example/bench/audit"
CHECKPOINT_EVERY = 250_000


def entries(count: int, start: int = 0) -> list[object]:
    from seen.audit import AuditEntry, EntryKind, Outcome, PendingOn

    at = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
    outcomes = (Outcome.ALLOW, Outcome.DENY, Outcome.PENDING)
    made = []
    for n in range(start, start + count):
        outcome = outcomes[n % 3]
        made.append(
            AuditEntry(
                kind=EntryKind.DECISION,
                at=at + dt.timedelta(milliseconds=n),
                actor=f"pr-{n % 997:04d}",
                actor_agency="northshire-police",
                person=f"PX{n % 50_000:011d}",
                request=f"req-{n}",
                record_agency="northshire-council",
                record_ref=f"CIN-{n % 200_000:06d}",
                category="cin_assessment",
                purpose="dpv:ProtectionOfVitalInterests",
                lawful_basis="uk-dpa2018:sch1-para18",
                decision=outcome,
                pending_on=PendingOn.ORIGINATOR if outcome == Outcome.PENDING else None,
                policies=("permit-agreement-share",),
                reasons=("agreement_in_force", "legitimate_relationship"),
            )
        )
    return made


def bench_appends(folder: Path, count: int, batch: int, repeat: int) -> tuple[float, float, float]:
    """(Seen's appends/s, the sqlite3 floor's rows/s, entries built and validated per s),
    best of `repeat` fresh databases. The entries are built (and validated) before the
    appends are timed, as a caller builds its decisions' entries."""
    from seen.audit import append
    from seen.audit.hashing import leaf_hash
    from seen.settings import load_settings
    from seen.store import open_store

    started = time.perf_counter()
    made = entries(count)
    built_rate = count / (time.perf_counter() - started)
    best_seen = best_floor = 0.0
    for run in range(repeat):
        settings = load_settings(_env_file=None, data_dir=folder / f"append-{run}")
        with open_store(settings) as store:
            started = time.perf_counter()
            for first in range(0, count, batch):
                append(store, made[first : first + batch])  # type: ignore[arg-type]
            best_seen = max(best_seen, count / (time.perf_counter() - started))
        rows = [
            (i, data, leaf_hash(data), "2026-11-22 09:00:00.000000")
            for i, data in ((i, e.canonical(i)) for i, e in enumerate(made))  # type: ignore[attr-defined]
        ]
        floor_db = folder / f"floor-{run}.db"
        conn = sqlite3.connect(floor_db, isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute(
            "CREATE TABLE t (i INTEGER PRIMARY KEY, e BLOB NOT NULL, h BLOB NOT NULL, a TEXT)"
        )
        started = time.perf_counter()
        for first in range(0, count, batch):
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", rows[first : first + batch])
            conn.execute("COMMIT")
        best_floor = max(best_floor, count / (time.perf_counter() - started))
        conn.close()
    return best_seen, best_floor, built_rate


def build_log(folder: Path, count: int, checkpoint_every: int) -> dict[str, str]:
    """A SQLite hub with `count` entries and a checkpoint every `checkpoint_every`."""
    from seen.audit import NoteSigner, append, make_checkpoint
    from seen.audit.keys import write_log_key
    from seen.settings import load_settings
    from seen.store import open_store

    data = folder / "big"
    settings = load_settings(_env_file=None, data_dir=data)
    signer = NoteSigner.generate(ORIGIN)
    write_log_key(settings.resolved_audit_key(), signer)
    with open_store(settings) as store:
        for first in range(0, count, 10_000):
            append(store, entries(min(10_000, count - first), first))  # type: ignore[arg-type]
            if (first + 10_000) % checkpoint_every == 0 or first + 10_000 >= count:
                make_checkpoint(store, signer)
    return {
        **os.environ,
        "SEEN_DATA_DIR": str(data),
        "SEEN_DATABASE_URL": settings.resolved_database_url(),
        "SEEN_AUDIT_KEY": str(settings.resolved_audit_key()),
    }


def bench_verify(env: dict[str, str], repeat: int) -> tuple[float, float, str]:
    """(seconds for `seen audit verify`, seconds for the hashlib floor, its last line)."""
    from seen.audit.log import stream_entries
    from seen.settings import load_settings
    from seen.store import open_store

    seen = Path(sys.executable).with_name("seen")
    best = float("inf")
    last = ""
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run(
            [str(seen), "audit", "verify"], env=env, capture_output=True, text=True, check=False
        )
        best = min(best, time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"seen audit verify failed: {done.stderr}")
        last = " ".join(done.stdout.split())
    settings = load_settings(_env_file=None, data_dir=Path(env["SEEN_DATA_DIR"]))
    with open_store(settings) as store:
        stored = [entry for _, entry, _ in stream_entries(store)]
    floor = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for entry in stored:
            hashlib.sha256(b"\x00" + entry).digest()
        floor = min(floor, time.perf_counter() - started)
    return best, floor, last


def bench_proofs(env: dict[str, str], samples: int) -> tuple[float, float, float, float, int]:
    """Inclusion proofs over the whole log: (median ms and p99 ms generate+check, median ms
    check only, consistency median ms generate+check, tree size)."""
    from seen.audit import verify_consistency, verify_inclusion
    from seen.audit.log import checked_tree, tree_size
    from seen.settings import load_settings
    from seen.store import open_store

    settings = load_settings(_env_file=None, data_dir=Path(env["SEEN_DATA_DIR"]))
    with open_store(settings) as store:
        size = tree_size(store)
        tree = checked_tree(store, size)
    root = tree.root()
    rng = random.Random(7)
    both, check_only, consistency = [], [], []
    for _ in range(samples):
        index = rng.randrange(size)
        started = time.perf_counter()
        proof = tree.inclusion_proof(index)
        verify_inclusion(tree.leaf_hash(index), index, size, proof, root)
        middle = time.perf_counter()
        verify_inclusion(tree.leaf_hash(index), index, size, proof, root)
        ended = time.perf_counter()
        both.append((middle - started) * 1000)
        check_only.append((ended - middle) * 1000)
        old = rng.randrange(1, size)
        started = time.perf_counter()
        proof = tree.consistency_proof(old, size)
        verify_consistency(old, size, tree.root(old), root, proof)
        consistency.append((time.perf_counter() - started) * 1000)
    both.sort()
    return (
        statistics.median(both),
        both[int(len(both) * 0.99) - 1],
        statistics.median(check_only),
        statistics.median(consistency),
        size,
    )


def bench_prove_command(env: dict[str, str], index: int) -> float:
    seen = Path(sys.executable).with_name("seen")
    started = time.perf_counter()
    done = subprocess.run(
        [str(seen), "audit", "prove", str(index)], env=env, capture_output=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"seen audit prove failed: {done.stderr!r}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--append-entries", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--samples", type=int, default=2_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="seen-audit-bench-") as scratch:
        folder = Path(scratch)
        seen_rate, floor_rate, built_rate = bench_appends(
            folder, args.append_entries, args.batch, args.repeat
        )
        print(f"appends: {seen_rate:,.0f}/s (sqlite3 floor {floor_rate:,.0f}/s)", flush=True)
        started = time.perf_counter()
        env = build_log(folder, args.entries, checkpoint_every=CHECKPOINT_EVERY)
        build_s = time.perf_counter() - started
        print(f"built {args.entries:,} entries in {build_s:.1f} s", flush=True)
        verify_s, floor_s, verify_line = bench_verify(env, args.repeat)
        print(f"verify: {verify_s:.1f} s (hashlib floor {floor_s:.2f} s): {verify_line}")
        median, p99, check, consistency, size = bench_proofs(env, args.samples)
        prove_s = bench_prove_command(env, size // 2)
        db_mib = (folder / "big" / "seen.db").stat().st_size / 2**20

    rows = [
        (
            f"durable appends, batches of {args.batch:,} ({args.append_entries:,} entries)",
            f"{seen_rate:,.0f}/s",
            f"{floor_rate:,.0f}/s (sqlite3 executemany)",
            f"{floor_rate / seen_rate:.1f}x",
            f">= {APPEND_TARGET:,}/s",
            "yes" if seen_rate >= APPEND_TARGET else "**no**",
        ),
        (
            f"`seen audit verify`, {args.entries:,} entries, "
            f"{max(1, args.entries // CHECKPOINT_EVERY)} checkpoints ({db_mib:,.0f} MiB)",
            f"{verify_s:.1f} s",
            f"{floor_s:.2f} s (hashlib leaf loop)",
            f"{verify_s / floor_s:.1f}x",
            f"<= {VERIFY_TARGET_S:.0f} s",
            "yes" if verify_s <= VERIFY_TARGET_S else "**no**",
        ),
        (
            f"inclusion proof generated + checked, tree of {size:,} (median; p99)",
            f"{median * 1000:.0f} µs; {p99 * 1000:.0f} µs",
            f"{check * 1000:.0f} µs (check only)",
            f"{median / check:.1f}x",
            f"<= {PROOF_TARGET_MS:.0f} ms",
            "yes" if p99 <= PROOF_TARGET_MS else "**no**",
        ),
        (
            "entries built and validated (`AuditEntry`, before appending)",
            f"{built_rate:,.0f}/s",
            "-",
            "-",
            "-",
            "-",
        ),
        (
            "consistency proof generated + checked (median)",
            f"{consistency * 1000:.0f} µs",
            "-",
            "-",
            "-",
            "-",
        ),
        (
            "`seen audit prove INDEX` end to end (loads and rechecks every leaf)",
            f"{prove_s:.1f} s",
            "-",
            "-",
            "-",
            "-",
        ),
    ]
    print()
    print("| measurement | Seen | peer | ratio to peer | target | met |")
    print("|---|---:|---:|---:|---:|:---:|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
