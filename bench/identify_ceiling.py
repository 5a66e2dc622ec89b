"""Benchmark companion: how far a household link could take young-carer prompts, in the
synthetic partnerships that `bench/identify.py` evaluates on.

In `seen.synth` every young carer lives with a parent who needs care, and only some of the
children in those households are young carers. The hub holds no household, and no agency
records every parent's need. This bench asks what knowing it perfectly would give:

1. **Ceiling**: prompting every child of an age in a household that needs care would find
   young carers among them at the printed rate, and no better, without more signs to pick the
   carer out within the household.
2. **Model + perfect household flag**: Seen's young-carer model, as `bench/identify.py`
   trains and runs it (the same partnership read, encoded and linked; the same months,
   capacity and expiry), with every child whose household's parent needs care by the
   prompt's day ranked first, in the model's order. Beside it, the model alone, in the same run.
3. **Model + recorded household flag**: what a household link could really give, from what
   agencies record: every child with a brother or sister (households read from the truth, so
   a perfect link) whose children-in-need assessment recorded a parent's circumstance (the
   `parental_need_factor` codes) by the prompt's day ranked first.

    PYTHONPATH=src .venv/bin/python bench/identify_ceiling.py --children 20000

It reads the hidden truth, which is what it is for: it measures what a household indicator
could be worth before anyone builds one. Models never read the truth
(tests/identify/test_models_never_read_hidden_truth.py).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import tempfile
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from seen.domain.codes import PARENTAL_NEED_FACTORS
from seen.domain.events import EventKind
from seen.identify.evaluate import (
    Scorer,
    measure,
    model_scorer,
    month_starts,
    simulate,
    window_before,
)
from seen.identify.history import History
from seen.identify.labels import Need
from seen.identify.model import train
from seen.identify.partnership import load_partnership
from seen.identify.truth import Truth, read_truth
from seen.synth import generate, load_config
from seen.synth.dates import ordinal
from seen.synth.generate import build_world

HERE = Path(__file__).resolve().parent
SETTINGS = ("light", "default", "strong")
AGES = ((5, 17), (11, 17))
NEVER = 10**9
FIRST = 10.0  # added to a flagged child's probability: flagged children come first


def ceiling(setting: str, children: int) -> None:
    config = load_config(HERE / "identify" / f"{setting}.yaml", children=children)
    world = build_world(config)
    age = (ordinal(config.reference_date) - world.kids.dob) // 365
    young_carer = world.needs.young_carer
    needs_care = world.hh.needs_care[world.kids.household]
    for low, high in AGES:
        group = (age >= low) & (age <= high)
        households = group & needs_care
        print(
            f"| {setting} | {low}-{high} | {int(group.sum()):,} | "
            f"{int(young_carer[group].sum()):,} ({young_carer[group].mean():.3f}) | "
            f"{int(households.sum()):,} ({households.sum() / group.sum():.3f}) | "
            f"**{young_carer[households].mean():.3f}** |"
        )


def care_onset_by_child(root: Path) -> NDArray[np.int64]:
    """Per truth child (people.csv's order, as `read_truth` indexes them): the day their
    household's parent came to need care, or NEVER."""
    with (root / "truth" / "households.csv").open(encoding="utf-8", newline="") as f:
        households = {row["household_id"]: row for row in csv.DictReader(f)}
    with (root / "truth" / "people.csv").open(encoding="utf-8", newline="") as f:
        people = list(csv.DictReader(f))
    onsets = []
    for person in people:
        household = households[person["household_id"]]
        if household["parent_needs_care"] == "1":
            onsets.append(dt.date.fromisoformat(household["parent_care_need_onset"]).toordinal())
        else:
            onsets.append(NEVER)
    return np.array(onsets, dtype=np.int64)


def household_by_child(root: Path) -> NDArray[np.int64]:
    """Per truth child (people.csv's order): a number for their household."""
    with (root / "truth" / "people.csv").open(encoding="utf-8", newline="") as f:
        households = [row["household_id"] for row in csv.DictReader(f)]
    number = {h: n for n, h in enumerate(sorted(set(households)))}
    return np.array([number[h] for h in households], dtype=np.int64)


def sibling_recorded(
    history: History, truth: Truth, household: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Per linked person: the first day a brother or sister (another linked person of the same
    truth household) had a parent's circumstance recorded at an assessment, or NEVER."""
    parental = (history.kind == EventKind.CIN_ASSESSMENT_FACTOR.value) & np.isin(
        history.code, sorted(PARENTAL_NEED_FACTORS)
    )
    own = np.full(history.people, NEVER, dtype=np.int64)
    np.minimum.at(own, history.person[parental], history.start[parental])
    known = truth.child_of >= 0
    home = np.full(history.people, -1, dtype=np.int64)
    home[known] = household[truth.child_of[known]]
    result = np.full(history.people, NEVER, dtype=np.int64)
    members: dict[int, list[int]] = {}
    for person in np.flatnonzero(known).tolist():
        members.setdefault(int(home[person]), []).append(person)
    for people in members.values():
        for person in people:
            others = [own[q] for q in people if q != person]
            if others:
                result[person] = min(others)
    return result


def flagged_by_day(base: Scorer, flagged_from: NDArray[np.int64]) -> Scorer:
    """`base`, with the people whose `flagged_from` day has come ranked first."""

    def score(day: int) -> NDArray[np.float64]:
        flag = flagged_from <= day
        return np.asarray(base(day), dtype=np.float64) + np.where(flag, FIRST, 0.0)

    return score


def flagged_first(base: Scorer, truth: Truth, onset: NDArray[np.int64]) -> Scorer:
    known = truth.child_of >= 0

    def score(day: int) -> NDArray[np.float64]:
        flag = np.zeros(len(truth.child_of), dtype=bool)
        flag[known] = onset[truth.child_of[known]] <= day
        return np.asarray(base(day), dtype=np.float64) + np.where(flag, FIRST, 0.0)

    return score


def simulated(setting: str, children: int, capacities: list[float], bootstrap: int) -> None:
    with tempfile.TemporaryDirectory() as work:
        root = Path(work) / setting
        generate(load_config(HERE / "identify" / f"{setting}.yaml", children=children), root)
        linked = load_partnership(root)
        truth = read_truth(root, linked.history, linked.person_of)
        onset = care_onset_by_child(root)
        household = household_by_child(root)
    start, end = window_before(linked.reference_date, 24)
    days = month_starts(start, end)
    span = (start.toordinal(), end.toordinal())
    need = Need.YOUNG_CARER
    model = train(linked.history, need, start.toordinal())
    alone = model_scorer(linked.history, model)
    recorded = sibling_recorded(linked.history, truth, household)
    print(
        f"<!-- {setting}: {int((recorded < NEVER).sum()):,} of {linked.history.people:,} people "
        "have a brother or sister with a parent's circumstance recorded -->",
        flush=True,
    )
    for share in capacities:
        capacity = max(1, round(share * linked.history.people))
        for name, scorer in (
            ("model", alone),
            ("model + perfect household flag", flagged_first(alone, truth, onset)),
            ("model + recorded household flag", flagged_by_day(alone, recorded)),
        ):
            prompts = simulate(linked.history, need, scorer, days, capacity)
            r = measure(name, prompts, truth, need, span, bootstrap=bootstrap)
            print(
                f"| {setting} | {share:.1%} ({capacity}) | {name} | {r.prompts:,} | "
                f"{r.precision} | {r.recall} |",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--children", type=int, default=20_000)
    parser.add_argument("--setting", action="append", choices=SETTINGS)
    parser.add_argument("--bootstrap", type=int, default=200)
    args = parser.parse_args()
    settings = args.setting or list(SETTINGS)
    print(
        "| setting | ages | children | young carers | in a household needing care "
        "| young carers among them (perfect household knowledge) |"
    )
    print("|---|---|---:|---:|---:|---:|")
    for setting in settings:
        ceiling(setting, args.children)
    print("\nThe settings change what agencies record, not the truth, so their rows agree.\n")
    print(
        "| setting | capacity/month | young-carer prompts ranked by | prompts "
        "| precision (95% CI) | recall (95% CI) |"
    )
    print("|---|---:|---|---:|---:|---:|")
    for setting in settings:
        simulated(setting, args.children, [0.01, 0.002], args.bootstrap)
    print("\nThe issue's targets: precision 0.5; recall twice the best single agency's.")


if __name__ == "__main__":
    main()
