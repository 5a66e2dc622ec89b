"""On a partnership where police, social care and emergency departments record deprived
families far more than others, the fairness report raises its alert: Seen's young-carer
prompts fall far more often on children without the need in the most deprived areas. Its
numbers agree with the evaluation's (the false negative rate is one minus recall); and
groups drawn at random, which can differ only by chance, rarely do."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from seen.identify.evaluate import NeedEvaluation
from seen.identify.fairness import (
    Attribute,
    GapStatus,
    Metric,
    Outcomes,
    fairness_report,
    outcomes,
    report_from_outcomes,
)
from seen.identify.partnership import LinkedPartnership
from seen.identify.truth import Truth

pytestmark = pytest.mark.slow


@pytest.fixture
def truth(strong_bias_truth: Truth) -> Truth:
    return strong_bias_truth


@pytest.fixture
def young_carers(strong_bias_young_carers: NeedEvaluation) -> NeedEvaluation:
    return strong_bias_young_carers


def test_strong_recording_bias_raises_the_alert(
    strong_bias: LinkedPartnership, truth: Truth, young_carers: NeedEvaluation
) -> None:
    report = fairness_report(strong_bias.history, truth, young_carers, bootstrap=300)
    fired = [a for a in report.alerts if a.attribute is Attribute.DEPRIVATION]
    assert fired, [str(a) for a in report.possible]
    alert = fired[0]
    assert alert.gap.metric is Metric.FALSE_POSITIVE_RATE
    assert alert.gap.highest == "Quintile 1 (most deprived)"
    assert alert.gap.difference.low > report.threshold
    assert alert.highest_rate - alert.lowest_rate == pytest.approx(alert.gap.difference.value)
    # The same partnership's gap stays visible, but no longer alerts, above a higher bar.
    relaxed = fairness_report(
        strong_bias.history, truth, young_carers, bootstrap=300, threshold=0.5
    )
    assert not relaxed.alerts


def test_the_report_agrees_with_the_evaluation(
    strong_bias: LinkedPartnership, truth: Truth, young_carers: NeedEvaluation
) -> None:
    report = fairness_report(strong_bias.history, truth, young_carers, bootstrap=50)
    seen = young_carers.multi_agency
    overall = report.overall
    assert overall.positives == seen.hidden_children
    assert overall.rates[Metric.FALSE_NEGATIVE_RATE].value == pytest.approx(1 - seen.recall.value)
    assert overall.rates[Metric.SELECTION_RATE].value * overall.children <= seen.children_prompted
    for b in report.breakdowns:
        assert sum(g.children for g in b.groups) == overall.children
        assert sum(g.positives for g in b.groups) == overall.positives
    # Calibration: the model predicts the agency-proxy label, and on the population it was
    # fitted to it predicts about as many as agencies recorded.
    predicted = overall.rates[Metric.MEAN_PREDICTED].value
    observed = overall.rates[Metric.OBSERVED_PROXY].value
    assert 0 < predicted < 0.1 and 0 <= observed < 0.1
    assert overall.child_months > overall.children  # many eligible months per child


def shuffled(o: Outcomes, seed: int) -> Outcomes:
    rng = np.random.default_rng(seed)
    return dataclasses.replace(o, groups={a: rng.permutation(v) for a, v in o.groups.items()})


def test_groups_drawn_at_random_rarely_alert(
    strong_bias: LinkedPartnership, truth: Truth, young_carers: NeedEvaluation
) -> None:
    """Shuffled group labels can differ only by chance: an alert then is a false alarm, which
    a 95% interval (widened for picking the most different pair) allows at most 5% of the
    time for each of the two rates that alert, so at most 10% of breakdowns. The gap
    intervals need no resampling, so 20 shufflings are affordable."""
    o = outcomes(strong_bias.history, truth, young_carers)
    breakdowns = alerted = 0
    for seed in range(20):
        report = report_from_outcomes("young_carer", shuffled(o, seed), bootstrap=0)
        for b in report.breakdowns:
            breakdowns += 1
            alerted += any(g.status is GapStatus.ALERT for g in b.gaps)
    assert breakdowns == 40
    assert alerted <= 4, f"{alerted} of 40 random breakdowns alerted"
