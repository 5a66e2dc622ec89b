"""Models learn from what agencies recorded, never from the synthetic hidden truth: with the
truth's need columns poisoned (every flag, onset and light date turned upside down), or with
`truth/` deleted altogether, the linked history, the trained models and every score are
exactly the same."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pytest

from identify.conftest import KEY
from seen.identify.indicators import Indicators
from seen.identify.labels import Need
from seen.identify.model import NeedModel, train
from seen.identify.partnership import LinkedPartnership, load_partnership

pytestmark = pytest.mark.slow

HIDDEN = (
    "young_carer",
    "young_carer_onset",
    "young_carer_light_date",
    "exploitation_risk",
    "exploitation_onset",
    "exploitation_light_date",
    "exploitation_type",
    "exploitation_escalation_date",
    "cin",
    "looked_after",
    "cin_ever",
    "looked_after_ever",
)
CUTOFF = dt.date(2024, 3, 1).toordinal()


def poison(people_csv: Path) -> None:
    with people_csv.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
        fields = list(rows[0])
    for row in rows:
        for column in HIDDEN:
            value = row[column]
            if column.endswith(("_onset", "_date")):
                row[column] = "" if value else "2022-06-15"
            elif column == "exploitation_risk":
                row[column] = "none" if value != "none" else "escalating"
            elif column == "exploitation_type":
                row[column] = "" if value else "CCE"
            else:
                row[column] = "0" if value == "1" else "1"
    with people_csv.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def scores(linked: LinkedPartnership, model: NeedModel) -> np.ndarray:
    return model.probability(Indicators(linked.history, model.indicators).at(CUTOFF))


def test_poisoned_or_missing_truth_changes_no_model_and_no_score(
    partnership_dir: Path, linked: LinkedPartnership, tmp_path: Path
) -> None:
    poisoned = tmp_path / "poisoned"
    shutil.copytree(partnership_dir, poisoned)
    poison(poisoned / "truth" / "people.csv")
    (poisoned / "truth" / "households.csv").write_text("garbage\n", encoding="utf-8")
    without = tmp_path / "without"
    shutil.copytree(partnership_dir, without, ignore=shutil.ignore_patterns("truth"))

    for other_dir in (poisoned, without):
        other = load_partnership(other_dir, key=KEY)
        assert np.array_equal(other.history.person_ids, linked.history.person_ids)
        assert np.array_equal(other.history.start, linked.history.start)
        for need in Need:
            clean_model = train(linked.history, need, CUTOFF)
            other_model = train(other.history, need, CUTOFF)
            assert clean_model.names == other_model.names
            assert np.array_equal(clean_model.weights, other_model.weights)
            assert np.array_equal(scores(linked, clean_model), scores(other, other_model))


def test_no_module_a_model_runs_on_imports_the_truth() -> None:
    source = Path(__file__).resolve().parents[2] / "src" / "seen" / "identify"
    for module in ("history", "indicators", "labels", "model", "explain", "prompts", "partnership"):
        text = (source / f"{module}.py").read_text(encoding="utf-8")
        assert "seen.identify.truth" not in text, module
        assert "truth/" not in text.replace("Nothing here opens `truth/`", ""), module
