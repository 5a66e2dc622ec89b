"""On a small synthetic partnership, models are calibrated on held-out proxy labels (Brier
score no worse than a little above the base rate's, a reliability table covering every
held-out child) and evaluation gives measures in range, with intervals around them, at the
stated capacity, beside single-agency peers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from seen.identify.evaluate import evaluate_need, month_starts, window_before
from seen.identify.labels import Need
from seen.identify.model import train
from seen.identify.partnership import LinkedPartnership
from seen.identify.truth import read_truth

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("need", list(Need))
def test_models_are_calibrated_on_held_out_proxy_labels(
    linked: LinkedPartnership, need: Need
) -> None:
    model = train(linked.history, need, dt.date(2024, 3, 1).toordinal())
    cal = model.calibration
    assert cal is not None
    assert model.positives >= 2
    assert 0.0 <= cal.brier <= 0.25
    assert cal.brier <= cal.brier_base_rate * 4
    assert sum(b.children for b in cal.bins) == cal.held_out_rows
    for b in cal.bins:
        assert 0.0 <= b.predicted <= 1.0 and 0.0 <= b.observed <= 1.0
    # every constrained indicator kept raises concern
    for indicator, weight in zip(model.indicators, model.weights, strict=True):
        assert indicator.direction == 0 or weight >= 0


def test_evaluation_measures_are_in_range_with_intervals(
    partnership_dir: Path, linked: LinkedPartnership
) -> None:
    truth = read_truth(partnership_dir, linked.history, linked.person_of)
    window = window_before(linked.reference_date, 12)
    assert window == (dt.date(2025, 3, 1), dt.date(2026, 3, 1))
    ev = evaluate_need(
        linked.history, truth, Need.EXPLOITATION, window, capacity_share=0.005, bootstrap=50
    )
    assert ev.months == len(month_starts(*window)) == 12
    assert ev.capacity == round(0.005 * linked.history.people)
    methods = [ev.multi_agency, *ev.single_agency]
    assert {r.method for r in ev.single_agency} <= {
        "childrens_services",
        "school",
        "police",
        "health",
    }
    for r in methods:
        assert 0 < r.prompts <= ev.capacity * ev.months
        assert r.children_prompted <= r.prompts
        for e in (r.precision, r.recall):
            assert 0.0 <= e.value <= 1.0
            assert e.low <= e.value <= e.high
        if r.came_to_light:
            assert r.lead_months.value >= 0
    # Far better than prompting at random: hidden exploitation is a few per cent of children.
    hidden_share = ev.multi_agency.hidden_children / linked.history.people
    assert ev.multi_agency.precision.value > 3 * hidden_share
