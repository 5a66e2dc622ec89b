"""Benchmark: how fast `seen.synth` writes a synthetic partnership.

Target: one million agency records (data rows across the agency files) in at most 60 seconds
on a 2-core machine. Each size runs in a fresh process, so its peak memory is its own.

    .venv/bin/python bench/synth.py                   # 92,000 children, about 1M rows
    .venv/bin/python bench/synth.py --children 20000 --children 92000
    .venv/bin/python bench/synth.py --quick           # 10,000 children, a smoke test

Prints a markdown table.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from host import describe

TARGET_ROWS = 1_000_000
TARGET_SECONDS = 60.0
DEFAULT_CHILDREN = 92_000


def _measure(children: int, seed: int, out: str, results: Any) -> None:
    from seen.synth import SynthConfig, generate

    started = time.perf_counter()
    summary = generate(SynthConfig(children=children, seed=seed), Path(out))
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    floor = _csv_floor(Path(out))
    results.put(
        (summary.total_agency_records, seconds, floor, peak_kib / 1024.0, summary.records_by_file)
    )


def _csv_floor(out: Path) -> float:
    """The peer, measured in the same run: seconds to push the same agency CSV rows through
    Python's csv module (read, then write again) with no generation at all. The machine is
    shared and noisy, so the ratio to this floor says more than the seconds alone."""
    started = time.perf_counter()
    for path in sorted((out / "agencies").rglob("*.csv")):
        with (
            path.open(newline="", encoding="utf-8") as source,
            open(os.devnull, "w", newline="", encoding="utf-8") as sink,
        ):
            csv.writer(sink).writerows(csv.reader(source))
    return time.perf_counter() - started


def run(
    children: int, seed: int, keep: Path | None
) -> tuple[int, float, float, float, dict[str, int]]:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    with tempfile.TemporaryDirectory(prefix="seen-synth-bench-") as scratch:
        out = str(keep if keep is not None else scratch)
        process = context.Process(target=_measure, args=(children, seed, out, results))
        process.start()
        measured = results.get()
        process.join()
    if process.exitcode != 0:
        raise SystemExit(f"generation of {children} children failed")
    return measured  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--children",
        type=int,
        action="append",
        help=f"children to generate (repeatable; default {DEFAULT_CHILDREN:,})",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="10,000 children only")
    parser.add_argument("--out", type=Path, help="keep the files of the last run here")
    parser.add_argument("--files", action="store_true", help="also list rows per agency file")
    args = parser.parse_args(argv)
    sizes = [10_000] if args.quick else (args.children or [DEFAULT_CHILDREN])

    print(f"seen.synth benchmark: {describe()}")
    print()
    print(
        "| children | agency rows | seconds | rows/s | csv floor (s) | ratio to floor "
        "| peak memory (MiB) | 1M rows in 60 s |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|:---:|")
    last_files: dict[str, int] = {}
    for i, children in enumerate(sizes):
        keep = args.out if (args.out is not None and i == len(sizes) - 1) else None
        rows, seconds, floor, peak, last_files = run(children, args.seed, keep)
        if rows >= TARGET_ROWS:
            verdict = "yes" if seconds <= TARGET_SECONDS else "NO"
        else:
            verdict = "n/a (under 1M rows)"
        print(
            f"| {children:,} | {rows:,} | {seconds:.1f} | {rows / seconds:,.0f} | "
            f"{floor:.1f} | {seconds / floor:.1f}x | {peak:,.0f} | {verdict} |"
        )
    if args.files:
        print()
        print("| file | rows |")
        print("|---|---:|")
        for path, count in last_files.items():
            print(f"| `{path}` | {count:,} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
