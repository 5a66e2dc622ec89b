"""Benchmark companion: how precise young-carer prompts could be with perfect knowledge of
households, in the synthetic partnerships that `bench/identify.py` evaluates on.

In `seen.synth` every young carer lives with a parent who needs care, and only some of the
children in those households are young carers. A method that knew, without error, which
households need care (more than any agency records, and more than the hub can know, holding
no household) and prompted their children of an age would find young carers among them at
the rate printed here. Where that rate is under the issue's 0.5, reaching 0.5 needs both
that knowledge and further signs that pick the carers out within the household (absence,
say), so a household indicator is necessary for the target but not enough on its own.

    PYTHONPATH=src .venv/bin/python bench/identify_ceiling.py --children 20000

This reads the hidden truth, which is what it is for: it measures the synthetic world, not
a model (models never read the truth: tests/identify/test_models_never_read_hidden_truth.py).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from seen.synth import load_config
from seen.synth.dates import ordinal
from seen.synth.generate import build_world

HERE = Path(__file__).resolve().parent
SETTINGS = ("light", "default", "strong")
AGES = ((5, 17), (11, 17))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--children", type=int, default=20_000)
    args = parser.parse_args()
    print(
        "| setting | ages | children | young carers | in a household needing care "
        "| young carers among them (perfect household knowledge) |"
    )
    print("|---|---|---:|---:|---:|---:|")
    for setting in SETTINGS:
        config = load_config(HERE / "identify" / f"{setting}.yaml", children=args.children)
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
    print(
        "\nThe settings change what agencies record, not the truth, so their rows agree. "
        "The issue's precision target is 0.5."
    )


if __name__ == "__main__":
    np.seterr(all="raise")
    main()
