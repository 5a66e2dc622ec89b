"""The fairness report's definitions on children built by hand: selection, false negative and
false positive rates and calibration by group are exactly the counts they are defined as;
fairlearn's point estimates and the NumPy resampling agree for every input; every interval
contains its estimate; and a gap alerts only when the groups are large enough and its whole
interval is above the threshold."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seen.identify.fairness import (
    ALL_CHILDREN,
    Attribute,
    GapStatus,
    Metric,
    Outcomes,
    breakdown,
    child_columns,
    deprivation_quintile,
    group_sums,
    metric_frame,
    rates_from_sums,
    report_from_outcomes,
)

Q1, Q5 = "Quintile 1 (most deprived)", "Quintile 5 (least deprived)"


def outcomes(
    rows: list[tuple[str, str, bool, bool]],
    calibration: list[tuple[float, float, float, float]] | None = None,
) -> Outcomes:
    """Children as (ethnic group, quintile, positive, selected), and optionally each one's
    (months, predicted, proxy, hidden) calibration sums."""
    cal = np.array(calibration or [(0.0, 0.0, 0.0, 0.0)] * len(rows), dtype=np.float64)
    return Outcomes(
        np.array([r[2] for r in rows]),
        np.array([r[3] for r in rows]),
        cal[:, 0],
        cal[:, 1],
        cal[:, 2],
        cal[:, 3],
        {
            Attribute.ETHNICITY: np.array([r[0] for r in rows], dtype=np.str_),
            Attribute.DEPRIVATION: np.array([r[1] for r in rows], dtype=np.str_),
        },
    )


TINY = [
    # White, most deprived: two with the need (one found), two without (one prompted)
    ("White", Q1, True, True),
    ("White", Q1, True, False),
    ("White", Q1, False, True),
    ("White", Q1, False, False),
    # Black, least deprived: one with the need (found), four without (one prompted)
    ("Black", Q5, True, True),
    ("Black", Q5, False, False),
    ("Black", Q5, False, False),
    ("Black", Q5, False, False),
    ("Black", Q5, False, True),
    ("Unknown", "Unknown", False, False),
]
TINY_CALIBRATION = [
    (12, 1.2, 1, 12),
    (12, 0.6, 0, 6),
    (0, 0, 0, 0),
    (6, 0.3, 0, 0),
    (12, 0.24, 0, 12),
    (12, 0.12, 0, 0),
    (12, 0.12, 1, 0),
    (0, 0, 0, 0),
    (12, 0.12, 0, 0),
    (6, 0.06, 0, 0),
]


def test_rates_by_group_are_exactly_their_definitions() -> None:
    o = outcomes(TINY, TINY_CALIBRATION)
    b, overall = breakdown(o, Attribute.ETHNICITY, bootstrap=50, min_group=1)
    got = {g.group: {m: g.rates[m].value for m in Metric} for g in (*b.groups, overall)}
    assert [g.group for g in b.groups] == ["White", "Black", "Unknown"]  # the DfE's order
    white, black, unknown, everyone = (
        got["White"],
        got["Black"],
        got["Unknown"],
        got[ALL_CHILDREN],
    )
    assert white[Metric.SELECTION_RATE] == pytest.approx(2 / 4)
    assert white[Metric.FALSE_NEGATIVE_RATE] == pytest.approx(1 / 2)
    assert white[Metric.FALSE_POSITIVE_RATE] == pytest.approx(1 / 2)
    assert black[Metric.SELECTION_RATE] == pytest.approx(2 / 5)
    assert black[Metric.FALSE_NEGATIVE_RATE] == pytest.approx(0.0)
    assert black[Metric.FALSE_POSITIVE_RATE] == pytest.approx(1 / 4)
    assert everyone[Metric.SELECTION_RATE] == pytest.approx(4 / 10)
    assert everyone[Metric.FALSE_NEGATIVE_RATE] == pytest.approx(1 / 3)
    assert everyone[Metric.FALSE_POSITIVE_RATE] == pytest.approx(2 / 7)
    # No one in the Unknown group had the need: its false negative rate is not 0 but n/a.
    assert np.isnan(unknown[Metric.FALSE_NEGATIVE_RATE])
    assert unknown[Metric.FALSE_POSITIVE_RATE] == 0.0
    # Calibration is over child-months: sums of probabilities and of months recorded.
    assert white[Metric.MEAN_PREDICTED] == pytest.approx(2.1 / 30)
    assert white[Metric.OBSERVED_PROXY] == pytest.approx(1 / 30)
    assert white[Metric.OBSERVED_TRUTH] == pytest.approx(18 / 30)
    assert black[Metric.MEAN_PREDICTED] == pytest.approx(0.6 / 48)
    assert black[Metric.OBSERVED_PROXY] == pytest.approx(1 / 48)
    assert black[Metric.OBSERVED_TRUTH] == pytest.approx(12 / 48)
    counts = {g.group: (g.children, g.positives, g.negatives, g.child_months) for g in b.groups}
    assert counts == {"White": (4, 2, 2, 30), "Black": (5, 1, 4, 48), "Unknown": (1, 0, 1, 6)}


def test_deprivation_is_grouped_by_quintile_of_the_decile() -> None:
    assert [deprivation_quintile(d) for d in (1, 2, 3, 4, 9, 10)] == [
        Q1,
        Q1,
        "Quintile 2",
        "Quintile 2",
        Q5,
        Q5,
    ]
    assert deprivation_quintile(0) == "Unknown"


children = st.lists(
    st.tuples(
        st.sampled_from(["White", "Black", "Asian", "Unknown"]),
        st.sampled_from([Q1, "Quintile 3", Q5]),
        st.booleans(),
        st.booleans(),
        st.integers(0, 12),
        st.floats(0.0, 1.0),
        st.integers(0, 12),
    ),
    min_size=1,
    max_size=80,
)


def _outcomes(rows: list[tuple[str, str, bool, bool, int, float, int]]) -> Outcomes:
    return outcomes(
        [r[:4] for r in rows],
        [(r[4], r[4] * r[5], min(r[6], r[4]), min(r[6], r[4])) for r in rows],
    )


@settings(max_examples=60, deadline=None)
@given(children)
def test_numpy_rates_at_unit_weights_are_fairlearns(
    rows: list[tuple[str, str, bool, bool, int, float, int]],
) -> None:
    o = _outcomes(rows)
    labels = o.groups[Attribute.ETHNICITY]
    names = sorted(set(labels.tolist()))
    codes = np.array([names.index(x) for x in labels.tolist()], dtype=np.int64)
    ours = rates_from_sums(group_sums(child_columns(o), codes, len(names), np.ones(len(labels))))
    frame = metric_frame(o, labels)
    for metric in Metric:
        theirs = frame.by_group[metric.value].reindex(names).to_numpy(dtype=np.float64)
        mine = ours[metric][: len(names)]
        known = ~np.isnan(mine)  # fairlearn says 0 where a denominator is empty
        np.testing.assert_allclose(mine[known], theirs[known], rtol=1e-9, atol=1e-12)
        assert np.isclose(ours[metric][-1], frame.overall[metric.value]) or np.isnan(
            ours[metric][-1]
        )


@settings(max_examples=40, deadline=None)
@given(children)
def test_every_interval_contains_its_estimate(
    rows: list[tuple[str, str, bool, bool, int, float, int]],
) -> None:
    report = report_from_outcomes("exploitation", _outcomes(rows), bootstrap=60, min_group=1)
    for b in report.breakdowns:
        for g in (*b.groups, report.overall):
            for metric, e in g.rates.items():
                if not np.isnan(e.value) and not np.isnan(e.low):
                    assert e.low - 1e-12 <= e.value <= e.high + 1e-12, (g.group, metric)
        for gap in b.gaps:
            e = gap.difference
            if not np.isnan(e.low):
                assert e.low <= e.value <= e.high


def large_groups(fpr_a: float, fpr_b: float, negatives: int) -> list[tuple[str, str, bool, bool]]:
    """Two ethnic groups, each with 40 children with the need (half found) and `negatives`
    without, of whom the given share were prompted; a small group and an Unknown group that
    were all prompted."""
    rows = []
    for group, fpr, quintile in (("White", fpr_a, Q1), ("Asian", fpr_b, Q5)):
        rows += [(group, quintile, True, i % 2 == 0) for i in range(40)]
        rows += [(group, quintile, False, i < fpr * negatives) for i in range(negatives)]
    rows += [("Other", "Quintile 3", False, True) for _ in range(10)]
    rows += [("Unknown", "Quintile 3", False, True) for _ in range(100)]
    return rows


def test_a_large_gap_in_false_positive_rate_alerts_naming_the_groups() -> None:
    report = report_from_outcomes("exploitation", outcomes(large_groups(0.5, 0.1, 200)))
    ethnicity = report.breakdowns[0]
    gaps = {g.metric: g for g in ethnicity.gaps}
    fpr = gaps[Metric.FALSE_POSITIVE_RATE]
    assert fpr.status is GapStatus.ALERT
    assert (fpr.highest, fpr.lowest) == ("White", "Asian")
    assert fpr.difference.value == pytest.approx(0.4)
    assert fpr.difference.low > 0.05
    # Other (10 children) and Unknown are reported, not compared, though their rate is 1.
    assert fpr.compared == ("White", "Asian")
    assert gaps[Metric.FALSE_NEGATIVE_RATE].status is GapStatus.WITHIN
    assert gaps[Metric.SELECTION_RATE].status is GapStatus.REPORTED
    (alert,) = [a for a in report.alerts if a.attribute is Attribute.ETHNICITY]
    assert alert.highest_rate == pytest.approx(0.5) and alert.lowest_rate == pytest.approx(0.1)
    assert "false positive rate by ethnic group differs by 0.40" in str(alert)
    assert "between White (0.50) and Asian (0.10)" in str(alert)


def test_a_gap_above_the_threshold_on_small_groups_is_possible_not_an_alert() -> None:
    report = report_from_outcomes("exploitation", outcomes(large_groups(0.3, 0.2, 40)))
    gap = {g.metric: g for g in report.breakdowns[0].gaps}[Metric.FALSE_POSITIVE_RATE]
    assert gap.difference.value == pytest.approx(0.1)
    assert gap.status is GapStatus.POSSIBLE
    assert gap.difference.low < 0.05 < gap.difference.value
    assert not [a for a in report.alerts if a.attribute is Attribute.ETHNICITY]
    assert [a.gap for a in report.possible if a.attribute is Attribute.ETHNICITY] == [gap]


def test_groups_below_the_minimum_are_not_compared() -> None:
    report = report_from_outcomes(
        "exploitation", outcomes(large_groups(0.5, 0.1, 200)), min_group=41
    )
    gap = {g.metric: g for g in report.breakdowns[0].gaps}[Metric.FALSE_NEGATIVE_RATE]
    assert gap.status is GapStatus.NOT_COMPARED  # 40 children with the need in each group
    assert gap.compared == ()
    threshold_raised = report_from_outcomes(
        "exploitation", outcomes(large_groups(0.5, 0.1, 200)), threshold=0.45
    )
    assert not [a for a in threshold_raised.alerts if a.attribute is Attribute.ETHNICITY]
