"""Benchmark: early identification of hidden needs against a synthetic partnership's truth.

Targets (issue 6), under at least three recording-bias settings, monthly, at a fixed review
capacity, against the hidden truth and against the best single-agency peer at the same
capacity:

- precision (share of prompts that are true hidden needs) at least 0.5;
- recall of hidden needs at least twice the best single-agency peer's;
- median lead time at least 3 months before the need comes to light through established
  channels, for those who do;
- gaps in false negative rate and in false positive rate between ethnic groups, and between
  deprivation quintiles, at most 0.05, or surfaced by the fairness alert;
- all with 95% bootstrap intervals, and the number of prompts.

What is run, single process, for each config in `bench/identify/*.yaml` (recording-bias
settings: `light`, `default`, `strong`; see their comments):

1. `seen.synth` writes the partnership (`--children`, the config's other values).
2. `seen.identify.partnership.load_partnership`: every agency's extract is read, encoded
   with a throwaway key and linked by `seen.link`, as the hub would (linkage errors
   included).
3. For each need and each capacity (`--capacity`, repeatable; a share of the linked people
   prompted per need per month), `seen.identify.evaluate.evaluate_need` over the last
   `--months` whole months before the reference date: the model is trained with its cutoff
   at the window's start; prompts expire after 182 days.
4. `seen.identify.fairness.fairness_report` on Seen's prompts: selection, false negative and
   false positive rates and calibration by ethnic group and deprivation quintile, the gaps
   between groups of at least `--min-group` children with their intervals, and whether the
   alert (a gap's whole 95% interval above `--threshold`) fired.

    .venv/bin/python bench/identify.py                         # 20,000 children
    .venv/bin/python bench/identify.py --children 5000 --bootstrap 100   # quick

Prints markdown tables: every method's measures, then the targets for Seen's model.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from seen.identify.evaluate import NeedEvaluation, evaluate_need, targets, window_before
from seen.identify.fairness import (
    MIN_GROUP,
    THRESHOLD,
    Attribute,
    FairnessReport,
    Metric,
    fairness_report,
    interval,
)
from seen.identify.labels import Need
from seen.identify.partnership import load_partnership
from seen.identify.truth import read_truth
from seen.synth import generate, load_config

HERE = Path(__file__).resolve().parent

SETTINGS = ("light", "default", "strong")


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f}/{five:.1f}/{fifteen:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=20_000)
    parser.add_argument("--capacity", type=float, action="append")
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--bootstrap", type=int, default=500)
    parser.add_argument("--setting", action="append", choices=SETTINGS)
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--min-group", type=int, default=MIN_GROUP)
    args = parser.parse_args()
    capacities = args.capacity or [0.01, 0.002]
    rows: list[tuple[str, float, NeedEvaluation, FairnessReport]] = []
    notes = []
    with tempfile.TemporaryDirectory() as work:
        for setting in args.setting or SETTINGS:
            print(f"[{setting}] load average {_load()}", file=sys.stderr)
            root = Path(work) / setting
            started = time.perf_counter()
            config = load_config(HERE / "identify" / f"{setting}.yaml", children=args.children)
            generate(config, root)
            synth_s = time.perf_counter() - started
            started = time.perf_counter()
            linked = load_partnership(root)
            link_s = time.perf_counter() - started
            truth = read_truth(root, linked.history, linked.person_of)
            window = window_before(linked.reference_date, args.months)
            started = time.perf_counter()
            for capacity in capacities:
                for need in Need:
                    ev = evaluate_need(
                        linked.history,
                        truth,
                        need,
                        window,
                        capacity_share=capacity,
                        bootstrap=args.bootstrap,
                    )
                    fairness = fairness_report(
                        linked.history,
                        truth,
                        ev,
                        threshold=args.threshold,
                        min_group=args.min_group,
                        bootstrap=args.bootstrap,
                    )
                    rows.append((setting, capacity, ev, fairness))
            notes.append(
                f"{setting}: {args.children:,} children, {linked.records:,} records linked into "
                f"{linked.history.people:,} people, {linked.history.events:,} events; window "
                f"{window[0]} to {window[1]}; synth {synth_s:.0f} s, read+encode+link "
                f"{link_s:.0f} s, evaluation {time.perf_counter() - started:.0f} s; load "
                f"average after {_load()}"
            )
    print()
    for note in notes:
        print(f"- {note}")
    print()
    print(
        "| setting | need | capacity/month | method | prompts | children prompted | "
        "precision (95% CI) | recall (95% CI) | median lead, months (95% CI) | lead n |"
    )
    print("|---|---|---:|---|---:|---:|---:|---:|---:|---:|")
    for setting, capacity, ev, _ in rows:
        for r in (ev.multi_agency, *ev.single_agency):
            name = "**Seen (multi-agency)**" if r is ev.multi_agency else r.method
            print(
                f"| {setting} | {ev.need.value} | {capacity:.1%} ({ev.capacity}) | {name} | "
                f"{r.prompts:,} | {r.children_prompted:,} | {r.precision} | {r.recall} | "
                f"{r.lead_months} | {r.came_to_light} |"
            )
    print()
    print(
        "| setting | need | capacity/month | hidden children | precision >= 0.5 | "
        "recall >= 2x best single agency | median lead >= 3 months | Brier (base rate) |"
    )
    print("|---|---|---:|---:|---|---|---|---:|")
    for setting, capacity, ev, _ in rows:
        cells = []
        for t in targets(ev):
            verdict = {True: "**met**", False: "not met", None: "n/a"}[t.met]
            cells.append(f"{t.measured}: {verdict}")
        cal = ev.model.calibration
        brier = "n/a" if cal is None else f"{cal.brier:.4f} ({cal.brier_base_rate:.4f})"
        print(
            f"| {setting} | {ev.need.value} | {capacity:.1%} | "
            f"{ev.multi_agency.hidden_children:,} | " + " | ".join(cells) + f" | {brier} |"
        )
    print()
    print(
        "| setting | need | capacity/month | by | false negative rate gap (95% CI) | "
        "false positive rate gap (95% CI) | selection rate lowest/highest | alert |"
    )
    print("|---|---|---:|---|---|---|---:|---|")
    for setting, capacity, ev, fairness in rows:
        for b in fairness.breakdowns:
            gaps = {g.metric: g for g in b.gaps}
            cells = []
            for metric in (Metric.FALSE_NEGATIVE_RATE, Metric.FALSE_POSITIVE_RATE):
                g = gaps[metric]
                pair = f" {g.highest} vs {g.lowest}" if g.highest else ""
                cells.append(f"{interval(g.difference)}{pair}: {g.status}")
            selection = gaps[Metric.SELECTION_RATE]
            ratio = "n/a" if selection.ratio != selection.ratio else f"{selection.ratio:.2f}"
            fired = [g for g in b.gaps if g.status == "alert"]
            alert = "**yes**: " + ", ".join(g.metric.label for g in fired) if fired else "no"
            by = "ethnic group" if b.attribute is Attribute.ETHNICITY else "deprivation quintile"
            print(
                f"| {setting} | {ev.need.value} | {capacity:.1%} | {by} | "
                + " | ".join(cells)
                + f" | {ratio} | {alert} |"
            )
    print()
    weights = []
    for setting, capacity, ev, _ in rows:
        if capacity == capacities[0]:
            parts = ", ".join(
                f"{n} {w:+.2f}" for n, w in zip(ev.model.names, ev.model.weights, strict=True)
            )
            dropped = ", ".join(ev.model.dropped) or "none"
            weights.append(
                f"- {setting}, {ev.need.value}: {parts} (intercept {ev.model.intercept:+.2f}; "
                f"{ev.model.positives:,} positives in {ev.model.rows:,} rows; dropped for a "
                f"negative weight: {dropped})"
            )
    print("Model weights (log-odds per unit; counts on a log(1 + x) scale):")
    print("\n".join(weights))


if __name__ == "__main__":
    main()
