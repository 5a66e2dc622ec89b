"""Benchmark: how much an honest-but-curious hub, without the key, learns from a package.

Runs every attack of `seen.attack` (frequency attacks on tokens, with and without the name
lengths the Bloom filters give away, and on the filters; the pattern-mining attack with and
without pooling filters through the name tokens; the date-of-birth attack; the best name attack
combined with the dates) on one agency's package from a synthetic partnership, encoded as Seen
encodes it (`seen-encoding-5`) and as other variants (`seen-encoding-4`, `-3`, `-2` and `-1`,
the previous versions; the control: unsalted, unbalanced filters; seen-encoding-2 with its
filters salted by year only; and, on request, seen-encoding-3 with its fixed-weight filters
salted by year only, or seen-encoding-4 with the postcode sector in `tok_names_postcode`),
and prints a markdown table per variant and a summary. The date-of-birth attack, and the
attacks on `tok_names_postcode`, are also run on every agency's package at once, as the hub
holds them: transposed dates meet, and a child's names with its postcode repeat, mostly
across agencies.
Target (issue: linkage, item 5): at most 1% of records re-identified, and likewise for dates
of birth.

    .venv/bin/python bench/attack.py                      # 40,000 children, ~46,000 records
                                                          # (about 20 minutes on 2 cores)
    .venv/bin/python bench/attack.py --children 2000      # the size the tests use
    .venv/bin/python bench/attack.py --public partnership # attacker knows the exact counts
    .venv/bin/python bench/attack.py --children 200000 --variants seen --no-hub \
        --attacks "token frequency,token frequency + name lengths,pattern mining"

The attacker's public name list is a separate synthetic population of `--public-children`
drawn from the same distributions (the attacker knows how common names are, not who is in the
partnership), unless `--public partnership`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from host import describe

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
        default="seen,seen-3,seen-2,seen-1,control,year-salted",
        help="comma-separated: seen (seen-encoding-5), seen-4, seen-3, seen-2, seen-1 (the "
        "earlier versions), control, unsalted, year-salted (seen-encoding-2's filters), "
        "year-salted-3 (seen-encoding-3's), names-sector (tok_names_postcode with the sector)",
    )
    parser.add_argument(
        "--no-hub", action="store_true", help="skip the date-of-birth attack on every package"
    )
    parser.add_argument(
        "--attacks",
        default="",
        help="comma-separated attack names to run (default: all; the baseline always runs)",
    )
    args = parser.parse_args(argv)

    from seen.attack import (
        ATTACKS,
        CONTROL,
        NAMES_SECTOR,
        SEEN,
        SEEN_1,
        SEEN_2,
        SEEN_3,
        SEEN_4,
        UNSALTED,
        YEAR_SALTED,
        YEAR_SALTED_3,
        dob_attack,
        run_attacks,
        score,
        synthetic_scenario,
    )

    variants = {
        "seen": SEEN,
        "seen-4": SEEN_4,
        "seen-3": SEEN_3,
        "names-sector": NAMES_SECTOR,
        "seen-2": SEEN_2,
        "seen-1": SEEN_1,
        "control": CONTROL,
        "unsalted": UNSALTED,
        "year-salted": YEAR_SALTED,
        "year-salted-3": YEAR_SALTED_3,
    }
    chosen = [variants[name.strip()] for name in args.variants.split(",") if name.strip()]
    wanted = {name.strip() for name in args.attacks.split(",") if name.strip()}
    unknown = wanted - set(ATTACKS)
    if unknown:
        parser.error(f"unknown attacks: {', '.join(sorted(unknown))}; known: {', '.join(ATTACKS)}")
    attacks = {
        name: attack
        for i, (name, attack) in enumerate(ATTACKS.items())
        if i == 0 or not wanted or name in wanted
    }

    print(f"seen.attack benchmark: {describe()}")
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
        # label -> records, exact DOB, seconds, and the attacks on tok_names_postcode
        hub: dict[str, tuple[int, float, float, dict[str, float]]] = {}
        hub_by_tokens: dict[tuple[int, str], tuple[int, float, float, dict[str, float]]] = {}
        for variant in chosen:
            began = time.perf_counter()
            view = scenario.view(variant)
            truth = scenario.truth(view)
            encoded = time.perf_counter() - began
            rows = run_attacks(view, scenario.public, truth, attacks)
            results[variant.label] = rows
            if not args.no_hub:
                # Only the date tokens and tok_names_postcode matter here: variants that share
                # them share the result.
                tokens = (variant.dates, variant.names_postcode)
                if tokens not in hub_by_tokens:
                    began = time.perf_counter()
                    hub_view, hub_truth = scenario.hub(variant)
                    dob = score(dob_attack(hub_view), hub_truth).dob
                    names: dict[str, float] = {}
                    if variant.names_postcode != "none":
                        for label in (
                            "names with postcode frequency",
                            "token frequency + names merged through tok_names_postcode",
                        ):
                            guesses = ATTACKS[label]
                            found = score(guesses(hub_view, scenario.public), hub_truth)
                            names[label] = found.reidentified
                    seconds = time.perf_counter() - began
                    hub_by_tokens[tokens] = (hub_view.size, dob, seconds, names)
                hub[variant.label] = hub_by_tokens[tokens]
            print()
            print(f"### {variant.label} (encoded in {encoded:.0f} s)")
            print()
            print(
                "| attack | records | re-identified (%) | given right (%) | family right (%) "
                "| exact DOB (%) | names + exact DOB (%) | seconds |"
            )
            print("|---|---:|---:|---:|---:|---:|---:|---:|")
            for found in rows:
                s = found.score
                label = f"{found.attack} ({found.note})" if found.note else found.attack
                print(
                    f"| {label} | {s.records:,} | {percent(s.reidentified)} | "
                    f"{percent(s.given)} | {percent(s.family)} | {percent(s.dob)} | "
                    f"{percent(s.reidentified_with_dob)} | {found.seconds:.1f} |"
                )
            if variant.label in hub:
                records, dob, seconds, names = hub[variant.label]
                print(
                    f"| date of birth from tokens, every agency's package | {records:,} | | | "
                    f"| {percent(dob)} | | {seconds:.1f} (with encoding and the below) |"
                )
                for label, found in names.items():
                    print(f"| {label}, every agency's package | {records:,} | {percent(found)} |")
            sys.stdout.flush()
    print()
    print("### Summary: re-identified (%) by attack and encoding")
    print()
    print("(the date-of-birth attack guesses no names: its cells are records with an exact date)")
    print()
    labels = list(results)
    print("| attack | records | baseline | " + " | ".join(labels) + " |")
    print("|---|---:|---:|" + "---:|" * len(labels))
    first = results[labels[0]]
    base = first[0].score
    worst: dict[str, float] = {}
    for i, found in enumerate(first):
        if i == 0:
            continue
        cells = []
        for label in labels:
            s = results[label][i].score
            dates_only = found.attack.startswith("date of birth")
            cells.append(f"DOB {percent(s.dob)}" if dates_only else percent(s.reidentified))
            worst[label] = max(worst.get(label, 0.0), s.reidentified, s.dob)
        print(
            f"| {found.attack} | {found.score.records:,} | {percent(base.reidentified)} | "
            + " | ".join(cells)
            + " |"
        )
    if hub:
        records = next(iter(hub.values()))[0]
        cells = [f"DOB {percent(hub[label][1])}" if label in hub else "" for label in labels]
        for label in labels:
            if label in hub:
                worst[label] = max(worst[label], hub[label][1], *hub[label][3].values())
        print(
            f"| date of birth from tokens, every agency's package | {records:,} | | "
            + " | ".join(cells)
            + " |"
        )
        for attack in ATTACKS:
            cells = [
                percent(hub[label][3][attack]) if label in hub and attack in hub[label][3] else ""
                for label in labels
            ]
            if any(cells):
                print(
                    f"| {attack}, every agency's package | {records:,} | | "
                    + " | ".join(cells)
                    + " |"
                )
    if SEEN.label in worst:
        verdict = "met" if worst[SEEN.label] <= TARGET else "NOT met"
        print()
        print(
            f"Target (at most {percent(TARGET)}% of records re-identified, or their exact date "
            f"of birth learnt, on Seen's encoding, {SEEN.label}): {verdict} "
            f"(worst {percent(worst[SEEN.label])}%)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
