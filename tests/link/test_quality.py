from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from seen.link.quality import pairwise_quality


def test_perfect_linkage_scores_one() -> None:
    truth = {("a", "1"): "T1", ("b", "1"): "T1", ("a", "2"): "T2"}
    quality = pairwise_quality([(k, "P" + v) for k, v in truth.items()], truth)
    assert (quality.precision, quality.recall, quality.f1) == (1.0, 1.0, 1.0)


def test_a_wrong_merge_costs_precision_and_a_missed_link_costs_recall() -> None:
    truth = {("a", "1"): "T1", ("b", "1"): "T1", ("a", "2"): "T2", ("b", "2"): "T3"}
    merged = [(("a", "1"), "P"), (("b", "1"), "P"), (("a", "2"), "Q"), (("b", "2"), "Q")]
    assert pairwise_quality(merged, truth).precision == 0.5
    split = [(("a", "1"), "P"), (("b", "1"), "Q"), (("a", "2"), "R"), (("b", "2"), "S")]
    quality = pairwise_quality(split, truth)
    assert quality.recall == 0.0 and quality.correct_pairs == 0


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=40))
def test_scores_stay_between_zero_and_one(assignments: list[tuple[int, int]]) -> None:
    truth = {("s", str(i)): f"T{t}" for i, (t, _) in enumerate(assignments)}
    predicted = [(("s", str(i)), f"P{p}") for i, (_, p) in enumerate(assignments)]
    quality = pairwise_quality(predicted, truth)
    assert 0.0 <= quality.precision <= 1.0 and 0.0 <= quality.recall <= 1.0
    assert quality.correct_pairs <= min(quality.true_pairs, quality.predicted_pairs)
