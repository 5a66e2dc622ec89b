"""Benchmark: how much an honest-but-curious hub, without the key, learns from a package.

Runs every attack of `seen.attack` (frequency attacks on tokens and Bloom filters, the
pattern-mining attack with and without tying filters together through the name tokens, the
date-of-birth attack) on one agency's package from a synthetic partnership, encoded as Seen
encodes it and as weakened variants (the control: unsalted, unbalanced filters; Seen with its
name tokens salted by year of birth), and prints a markdown table per variant and a summary.
Target (issue: linkage, item 5): at most 1% of records re-identified.

    .venv/bin/python bench/attack.py                      # 40,000 children, ~46,000 records
                                                          # (about 7 minutes on 2 cores)
    .venv/bin/python bench/attack.py --children 3000      # the size the tests use
    .venv/bin/python bench/attack.py --public partnership # attacker knows the exact counts

The attacker's public name list is a separate synthetic population of `--public-children`
drawn from the same distributions (the attacker knows how common names are, not who is in the
partnership), unless `--public partnership`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

TARGET = 0.01
DEFAULT_CHILDREN = 40_000


def percent(value: float) -> str:
    return f"{100 * value:.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--children", type=int, default=DEFAULT_CHILDREN)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--agency", default="northshire-schools")
    parser.add_argument("--public", choices=("population", "partnership"), default="population")
    parser.add_argument("--public-children", type=int, default=100_000)
    parser.add_argument(
        "--variants",
        default="seen,control,salted-tokens",
        help="comma-separated: seen, control, unsalted, unbalanced, salted-tokens",
    )
    args = parser.parse_args(argv)

    from seen.attack import (
        ATTACKS,
        CONTROL,
        SALTED_NAME_TOKENS,
        SEEN,
        UNBALANCED,
        UNSALTED,
        run_attacks,
        synthetic_scenario,
    )

    variants = {
        "seen": SEEN,
        "control": CONTROL,
        "unsalted": UNSALTED,
        "unbalanced": UNBALANCED,
        "salted-tokens": SALTED_NAME_TOKENS,
    }
    chosen = [variants[name.strip()] for name in args.variants.split(",") if name.strip()]

    print(f"seen.attack benchmark: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="seen-attack-bench-") as scratch:
        started = time.perf_counter()
        scenario = synthetic_scenario(
            Path(scratch),
            children=args.children,
            seed=args.seed,
            agency=args.agency,
            public=args.public,
            public_children=args.public_children,
        )
        print(
            f"{len(scenario.records):,} records of {args.agency} from {args.children:,} "
            f"synthetic children; public name list: {args.public}"
            + (f" of {args.public_children:,}" if args.public == "population" else "")
            + f" ({time.perf_counter() - started:.0f} s to make)"
        )
        results = {}
        for variant in chosen:
            view = scenario.view(variant)
            truth = scenario.truth(view)
            rows = []
            for name, attack in ATTACKS.items():
                began = time.perf_counter()
                found = run_attacks(view, scenario.public, truth, {name: attack})[0]
                rows.append((found, time.perf_counter() - began))
            results[variant.label] = rows
            print()
            print(f"### {variant.label}")
            print()
            print(
                "| attack | records | re-identified (%) | given right (%) | family right (%) "
                "| exact DOB (%) | names + exact DOB (%) | seconds |"
            )
            print("|---|---:|---:|---:|---:|---:|---:|---:|")
            for found, seconds in rows:
                s = found.score
                print(
                    f"| {found.attack} | {s.records:,} | {percent(s.reidentified)} | "
                    f"{percent(s.given)} | {percent(s.family)} | {percent(s.dob)} | "
                    f"{percent(s.reidentified_with_dob)} | {seconds:.1f} |"
                )
    print()
    print("### Summary: re-identified (%) by attack and encoding")
    print()
    print("(the date-of-birth attack guesses no names: its cells are records with an exact date)")
    print()
    labels = list(results)
    print("| attack | records | baseline | " + " | ".join(labels) + " |")
    print("|---|---:|---:|" + "---:|" * len(labels))
    first = results[labels[0]]
    base = first[0][0].score
    for i, (found, _) in enumerate(first):
        if i == 0:
            continue
        cells = []
        for label in labels:
            s = results[label][i][0].score
            names = s.given > 0 or s.family > 0
            cells.append(percent(s.reidentified) if names else f"DOB {percent(s.dob)}")
        print(
            f"| {found.attack} | {found.score.records:,} | {percent(base.reidentified)} | "
            + " | ".join(cells)
            + " |"
        )
    seen_rows = results.get(SEEN.label)
    if seen_rows is not None:
        worst = max(found.score.reidentified for found, _ in seen_rows)
        verdict = "met" if worst <= TARGET else "NOT met"
        print()
        print(f"Target (at most {percent(TARGET)}% re-identified on Seen's encoding): {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
