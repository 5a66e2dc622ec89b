"""Who Seen misses and whom it over-selects: its prompts' error rates and calibration by
ethnic group and by deprivation quintile, against a synthetic partnership's hidden truth.

**Definitions** (one need, Seen's model, the monthly simulation of `seen.identify.evaluate`
over its window; every count is of the truth's children, so a child Seen split into two
people counts once):

- *population*: children some agency recorded who were eligible for a prompt (in the need's
  age range, not yet recorded with the need) on the first day of at least one month of the
  window, and every *positive* child, eligible or not;
- *positive*: the need was hidden at some point in the window (onset before its end, not yet
  come to light at its start): exactly the denominator of `evaluate`'s recall;
- *selected*: the child got a prompt in the window; for a positive child, a prompt while the
  need was hidden (onset on or before the prompt's day, come to light after it), which is
  what recall counts (a prompt before the need began says nothing about it);
- *selection rate* = selected / population; *false negative rate* = positives not selected /
  positives (one minus recall); *false positive rate* = negatives selected / negatives;
- *calibration*, within each group, over child-months: on the first day of each month of the
  window whose 12-month label window closes by the window's end, every eligible child's
  predicted probability. The model predicts the agency-proxy label (an agency records the
  need within 12 months), so *observed (proxy)* is the rate it is calibrated to; *observed
  (truth)* is the share of those child-months on which the need was hidden, which shows how
  far the proxy under-counts the need in each group.

**Groups**: the child's own ethnicity as the truth holds it, by DfE major group
(`seen.domain.demographics.ethnic_group`), and the deprivation quintile of their home's
decile (quintile 1 = deciles 1-2, the most deprived). In live use there is no truth: the hub
can compute selection rates by group from its own degraded demographics, but error rates
need outcomes; the synthetic evaluation is what this measures.

**Intervals**: fairlearn's `MetricFrame` computes every point estimate, by group and overall,
from its standard `selection_rate`, `false_negative_rate` and `false_positive_rate`. Each
group's 95% intervals come from resampling the population's children with replacement (as
`evaluate` resamples the truth's), in NumPy: MetricFrame's own bootstrap (`n_boot`,
`ci_quantiles`)
recomputes a pandas group-by per metric per resample, which took 18 s for 100 resamples of
2,000 children on the standard machine, and a bench run needs thousands of resamples of
20,000. A test checks that the NumPy rates at unit weights are MetricFrame's.

**Gaps and the alert**: for each rate, the gap is the highest group's rate minus the lowest
group's, among groups with at least `min_group` children in that rate's denominator
(positives for the false negative rate, negatives for the false positive rate, the
population for the selection rate) and a known group (not "Unknown"). Smaller groups are
reported, not compared. Its 95% interval is Agresti and Caffo's for a difference of two
proportions, widened (Bonferroni) for having picked the most different of all the pairs: a
bootstrap interval collapses when a group's rate is 0 or 1, which in a group of 40 happens by
chance. A gap in the false negative rate or the false positive rate raises an **alert** when
its whole interval lies above the threshold (0.05 by default): the data show a disparity that
large. A gap whose estimate is above the threshold but whose interval reaches below it is a
**possible** disparity: not established, worth watching. (On groups drawn at random, an
estimate above 0.05 is the rule in a partnership of a few thousand children; an alert is
rare: tests/identify/test_fairness_alert.py.) Selection rates are reported with the ratio of
the lowest to the highest (the "four-fifths" reading) but never alert: when needs are more
common in a group, selecting it more often is what finding them takes (docs/identify.md,
"Fairness").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from statistics import NormalDist

import numpy as np
import pandas as pd
from fairlearn.metrics import (
    MetricFrame,
    false_negative_rate,
    false_positive_rate,
    selection_rate,
)
from numpy.typing import NDArray

from seen.domain.demographics import EthnicGroup, ethnic_group
from seen.identify.evaluate import (
    Estimate,
    NeedEvaluation,
    child_counts,
    known_children,
    month_starts,
)
from seen.identify.history import History
from seen.identify.indicators import Indicators
from seen.identify.labels import HORIZON, Need, eligible, first_recorded, proxy_labels
from seen.identify.truth import Truth

THRESHOLD = 0.05
MIN_GROUP = 30
BOOTSTRAP = 500
CONFIDENCE_MISS = 0.05  # 95% intervals
UNKNOWN = "Unknown"
ALL_CHILDREN = "All children"


class Metric(StrEnum):
    SELECTION_RATE = "selection_rate"
    FALSE_NEGATIVE_RATE = "false_negative_rate"
    FALSE_POSITIVE_RATE = "false_positive_rate"
    MEAN_PREDICTED = "mean_predicted"
    OBSERVED_PROXY = "observed_proxy"
    OBSERVED_TRUTH = "observed_truth"

    @property
    def label(self) -> str:
        return METRIC_LABELS[self]


METRIC_LABELS: Mapping[Metric, str] = {
    Metric.SELECTION_RATE: "selection rate",
    Metric.FALSE_NEGATIVE_RATE: "false negative rate",
    Metric.FALSE_POSITIVE_RATE: "false positive rate",
    Metric.MEAN_PREDICTED: "mean predicted probability",
    Metric.OBSERVED_PROXY: "observed rate (agency-proxy label)",
    Metric.OBSERVED_TRUTH: "observed rate (hidden need, truth)",
}
ALERTING = (Metric.FALSE_NEGATIVE_RATE, Metric.FALSE_POSITIVE_RATE)
COMPARED = (Metric.SELECTION_RATE, Metric.FALSE_NEGATIVE_RATE, Metric.FALSE_POSITIVE_RATE)


class Attribute(StrEnum):
    ETHNICITY = "ethnicity"
    DEPRIVATION = "deprivation"

    @property
    def label(self) -> str:
        return {"ethnicity": "ethnic group", "deprivation": "deprivation quintile"}[self.value]


def deprivation_quintile(decile: int) -> str:
    """Quintile 1 is deciles 1 and 2 (the most deprived); decile 0 means unknown."""
    if not 1 <= decile <= 10:
        return UNKNOWN
    q = (decile + 1) // 2
    suffix = " (most deprived)" if q == 1 else " (least deprived)" if q == 5 else ""
    return f"Quintile {q}{suffix}"


@dataclass(frozen=True)
class Outcomes:
    """Per child of the population (rows), what the definitions above need."""

    positive: NDArray[np.bool_]
    selected: NDArray[np.bool_]
    months: NDArray[np.float64]  # eligible child-months used for calibration
    predicted: NDArray[np.float64]  # sum over those months of the predicted probability
    proxy: NDArray[np.float64]  # of those months, those an agency recorded within 12 months
    hidden: NDArray[np.float64]  # of those months, those on which the need was hidden
    groups: Mapping[Attribute, NDArray[np.str_]]


def outcomes(history: History, truth: Truth, ev: NeedEvaluation) -> Outcomes:
    """The population's outcomes for Seen's prompts in `ev` (its window and model)."""
    need, (start, end) = ev.need, ev.window
    counts = child_counts(ev.prompts, truth, need, ev.window)
    t = truth.needs[need]
    first = first_recorded(history, need)
    indicators = Indicators(history, ev.model.indicators)
    m = truth.children
    ever_eligible = np.zeros(m, dtype=bool)
    months = np.zeros(m)
    predicted = np.zeros(m)
    proxy = np.zeros(m)
    hidden = np.zeros(m)
    days = month_starts(dt.date.fromordinal(start), dt.date.fromordinal(end))
    for d in days:
        people = np.flatnonzero(eligible(history, need, d, first))
        child = truth.child_of[people]
        people, child = people[child >= 0], child[child >= 0]
        ever_eligible[child] = True
        if d + HORIZON > end:
            continue  # its label window is still open at the window's end
        # A child Seen split into two eligible people counts once a month: their mean
        # probability, recorded if either person was.
        per_child = np.bincount(child, minlength=m)
        p = ev.model.probability(indicators.at(d)[people])
        recorded = proxy_labels(first, d)[people].astype(np.float64)
        here = per_child > 0
        months += here
        predicted[here] += np.bincount(child, p, minlength=m)[here] / per_child[here]
        proxy += np.bincount(child, recorded, minlength=m) > 0
        hidden += here & t.has_need & (t.onset <= d) & (d < t.light)
    positive = counts.hidden
    population = (ever_eligible & known_children(truth)) | positive
    selected = np.where(positive, counts.found, counts.prompted > 0)
    ethnicity = np.array([str(ethnic_group(code)) for code in truth.ethnicity], dtype=np.str_)
    quintile = np.array([deprivation_quintile(int(d)) for d in truth.decile], dtype=np.str_)
    return Outcomes(
        positive[population],
        selected[population],
        months[population],
        predicted[population],
        proxy[population],
        hidden[population],
        {Attribute.ETHNICITY: ethnicity[population], Attribute.DEPRIVATION: quintile[population]},
    )


@dataclass(frozen=True)
class GroupRates:
    group: str
    children: int
    positives: int
    negatives: int
    child_months: int  # calibration's denominator
    rates: Mapping[Metric, Estimate]

    def denominator(self, metric: Metric) -> int:
        if metric is Metric.FALSE_NEGATIVE_RATE:
            return self.positives
        if metric is Metric.FALSE_POSITIVE_RATE:
            return self.negatives
        if metric in (Metric.MEAN_PREDICTED, Metric.OBSERVED_PROXY, Metric.OBSERVED_TRUTH):
            return self.child_months
        return self.children


class GapStatus(StrEnum):
    ALERT = "alert"  # the whole 95% interval is above the threshold
    POSSIBLE = "possible"  # the estimate is above it, the interval reaches below
    WITHIN = "within"  # the estimate is at or below the threshold
    REPORTED = "reported"  # a rate that never alerts (selection)
    NOT_COMPARED = "not compared"  # fewer than two groups large enough


@dataclass(frozen=True)
class Gap:
    metric: Metric
    highest: str | None
    lowest: str | None
    difference: Estimate  # highest minus lowest, with the interval of that difference
    ratio: float  # lowest over highest
    compared: tuple[str, ...]
    status: GapStatus

    @property
    def alerting(self) -> bool:
        return self.metric in ALERTING


@dataclass(frozen=True)
class Breakdown:
    attribute: Attribute
    groups: tuple[GroupRates, ...]
    gaps: tuple[Gap, ...]


def interval(e: Estimate) -> str:
    """An estimate as "0.18 (0.12 to 0.25)": "to", because a gap's interval can start below
    zero."""
    if np.isnan(e.value):
        return "n/a"
    if np.isnan(e.low):
        return f"{e.value:.2f}"
    return f"{e.value:.2f} ({e.low:.2f} to {e.high:.2f})"


@dataclass(frozen=True)
class Alert:
    need: str
    attribute: Attribute
    gap: Gap
    threshold: float
    highest_rate: float
    lowest_rate: float

    def __str__(self) -> str:
        g = self.gap
        return (
            f"{Need(self.need).spec.title}: {g.metric.label} by {self.attribute.label} "
            f"differs by {interval(g.difference)} between {g.highest} "
            f"({self.highest_rate:.2f}) and {g.lowest} ({self.lowest_rate:.2f}), above "
            f"{self.threshold:g}"
        )


@dataclass(frozen=True)
class FairnessReport:
    need: str
    threshold: float
    min_group: int
    bootstrap: int
    overall: GroupRates
    breakdowns: tuple[Breakdown, ...]

    def flagged(self, status: GapStatus) -> list[Alert]:
        found = []
        for b in self.breakdowns:
            rates = {g.group: g.rates for g in b.groups}
            for gap in b.gaps:
                if gap.status is status and gap.highest and gap.lowest:
                    found.append(
                        Alert(
                            self.need,
                            b.attribute,
                            gap,
                            self.threshold,
                            rates[gap.highest][gap.metric].value,
                            rates[gap.lowest][gap.metric].value,
                        )
                    )
        return found

    @property
    def alerts(self) -> list[Alert]:
        return self.flagged(GapStatus.ALERT)

    @property
    def possible(self) -> list[Alert]:
        return self.flagged(GapStatus.POSSIBLE)


# Sums per group that every rate is a ratio of; a row of `_COLUMNS` per child.
_COLUMNS = (
    "children",
    "selected",
    "positives",
    "missed",
    "negatives",
    "false_alarms",
    "months",
    "predicted",
    "proxy",
    "hidden",
)


def child_columns(o: Outcomes) -> NDArray[np.float64]:
    pos, sel = o.positive, o.selected
    return np.column_stack(
        [
            np.ones(len(pos)),
            sel,
            pos,
            pos & ~sel,
            ~pos,
            ~pos & sel,
            o.months,
            o.predicted,
            o.proxy,
            o.hidden,
        ]
    ).astype(np.float64)


def _ratio(top: NDArray[np.float64], bottom: NDArray[np.float64]) -> NDArray[np.float64]:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1.0), np.nan)


def rates_from_sums(sums: NDArray[np.float64]) -> dict[Metric, NDArray[np.float64]]:
    """Each rate from per-group sums (columns as `_COLUMNS`, one row per group)."""
    s = {name: sums[..., k] for k, name in enumerate(_COLUMNS)}
    return {
        Metric.SELECTION_RATE: _ratio(s["selected"], s["children"]),
        Metric.FALSE_NEGATIVE_RATE: _ratio(s["missed"], s["positives"]),
        Metric.FALSE_POSITIVE_RATE: _ratio(s["false_alarms"], s["negatives"]),
        Metric.MEAN_PREDICTED: _ratio(s["predicted"], s["months"]),
        Metric.OBSERVED_PROXY: _ratio(s["proxy"], s["months"]),
        Metric.OBSERVED_TRUTH: _ratio(s["hidden"], s["months"]),
    }


def group_sums(
    columns: NDArray[np.float64], codes: NDArray[np.int64], k: int, weights: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Weighted sums of every column per group (rows 0..k-1) and over all (row k)."""
    per_group = np.stack(
        [np.bincount(codes, weights * columns[:, j], minlength=k) for j in range(columns.shape[1])],
        axis=1,
    )
    return np.vstack([per_group, per_group.sum(axis=0, keepdims=True)])


def _per_month(
    column: str,
) -> Callable[..., float]:
    def metric(
        y_true: NDArray[np.bool_],
        y_pred: NDArray[np.bool_],
        *,
        months: NDArray[np.float64],
        value: NDArray[np.float64],
    ) -> float:
        total = float(np.sum(months))
        return float(np.sum(value)) / total if total > 0 else float("nan")

    metric.__name__ = column
    return metric


def metric_frame(o: Outcomes, groups: NDArray[np.str_]) -> MetricFrame:
    """fairlearn's disaggregated point estimates of every rate, by `groups`."""
    calibration = {
        Metric.MEAN_PREDICTED: o.predicted,
        Metric.OBSERVED_PROXY: o.proxy,
        Metric.OBSERVED_TRUTH: o.hidden,
    }
    return MetricFrame(
        metrics={
            Metric.SELECTION_RATE.value: selection_rate,
            Metric.FALSE_NEGATIVE_RATE.value: false_negative_rate,
            Metric.FALSE_POSITIVE_RATE.value: false_positive_rate,
            **{m.value: _per_month(m.value) for m in calibration},
        },
        y_true=o.positive.astype(int),
        y_pred=o.selected.astype(int),
        sensitive_features=pd.Series(groups, name="group"),
        sample_params={m.value: {"months": o.months, "value": v} for m, v in calibration.items()},
    )


def _interval(point: float, draws: NDArray[np.float64]) -> Estimate:
    values = draws[~np.isnan(draws)]
    if np.isnan(point) or len(values) == 0:
        return Estimate(point, np.nan, np.nan)
    low, high = np.percentile(values, [2.5, 97.5])
    return Estimate(float(point), float(low), float(high))


def breakdown(
    o: Outcomes,
    attribute: Attribute,
    *,
    threshold: float = THRESHOLD,
    min_group: int = MIN_GROUP,
    bootstrap: int = BOOTSTRAP,
    seed: int = 0,
) -> tuple[Breakdown, GroupRates]:
    """Rates by the attribute's groups with intervals, and the gaps between them; and the
    rates over all children."""
    labels = o.groups[attribute]
    names = sorted(set(labels.tolist()), key=_group_order)
    index = {name: i for i, name in enumerate(names)}
    codes = np.array([index[x] for x in labels.tolist()], dtype=np.int64)
    k = len(names)
    columns = child_columns(o)
    n = len(labels)
    sums = group_sums(columns, codes, k, np.ones(n))
    frame = metric_frame(o, labels)
    point: dict[Metric, NDArray[np.float64]] = {}
    for metric in Metric:
        by_group = frame.by_group[metric.value].reindex(names).to_numpy(dtype=np.float64)
        point[metric] = np.append(by_group, float(frame.overall[metric.value]))
    # fairlearn gives 0 for a rate of a group with none in its denominator: say n/a.
    counted = rates_from_sums(sums)
    for metric in Metric:
        point[metric] = np.where(np.isnan(counted[metric]), np.nan, point[metric])

    rng = np.random.default_rng(seed)
    draws = {metric: np.full((bootstrap, k + 1), np.nan) for metric in Metric}
    for b in range(bootstrap):
        weights = np.bincount(rng.integers(0, n, n), minlength=n).astype(np.float64)
        resampled = rates_from_sums(group_sums(columns, codes, k, weights))
        for metric in Metric:
            draws[metric][b] = resampled[metric]

    rows = []
    for i, name in enumerate([*names, ALL_CHILDREN]):
        total = sums[i]
        rows.append(
            GroupRates(
                name,
                int(total[0]),
                int(total[2]),
                int(total[4]),
                int(total[6]),
                {m: _interval(float(point[m][i]), draws[m][:, i]) for m in Metric},
            )
        )
    groups, overall = tuple(rows[:k]), rows[k]
    gaps = tuple(_gap(metric, groups, point[metric], threshold, min_group) for metric in COMPARED)
    return Breakdown(attribute, groups, gaps), overall


def gap_interval(
    high: tuple[float, int], low: tuple[float, int], groups: int, point: float
) -> Estimate:
    """A 95% interval for the difference between two groups' rates, each given as (rate,
    children in its denominator): Agresti and Caffo's (add one child counted and one not to
    each group), which keeps its coverage when a rate is 0 or 1, where a bootstrap's spread
    collapses to nothing; widened for having picked the most different pair of `groups`
    (Bonferroni over its groups x (groups - 1) / 2 pairs)."""
    (p1, n1), (p2, n2) = high, low
    if n1 == 0 or n2 == 0 or np.isnan(p1) or np.isnan(p2):
        return Estimate(point, np.nan, np.nan)
    a1, a2 = (p1 * n1 + 1) / (n1 + 2), (p2 * n2 + 1) / (n2 + 2)
    spread = np.sqrt(a1 * (1 - a1) / (n1 + 2) + a2 * (1 - a2) / (n2 + 2))
    pairs = max(1, groups * (groups - 1) // 2)
    z = NormalDist().inv_cdf(1 - CONFIDENCE_MISS / (2 * pairs))
    centre = a1 - a2
    return Estimate(point, max(centre - z * spread, -1.0), min(centre + z * spread, 1.0))


def _gap(
    metric: Metric,
    groups: tuple[GroupRates, ...],
    point: NDArray[np.float64],
    threshold: float,
    min_group: int,
) -> Gap:
    compared = [
        i
        for i, g in enumerate(groups)
        if g.group != UNKNOWN and g.denominator(metric) >= min_group and not np.isnan(point[i])
    ]
    names = tuple(groups[i].group for i in compared)
    if len(compared) < 2:
        nan = Estimate(np.nan, np.nan, np.nan)
        return Gap(metric, None, None, nan, np.nan, names, GapStatus.NOT_COMPARED)
    hi = max(compared, key=lambda i: point[i])
    lo = min(compared, key=lambda i: point[i])
    difference = gap_interval(
        (float(point[hi]), groups[hi].denominator(metric)),
        (float(point[lo]), groups[lo].denominator(metric)),
        len(compared),
        float(point[hi] - point[lo]),
    )
    ratio = float(point[lo] / point[hi]) if point[hi] > 0 else np.nan
    if metric not in ALERTING:
        status = GapStatus.REPORTED
    elif difference.low > threshold:
        status = GapStatus.ALERT
    elif difference.value > threshold:
        status = GapStatus.POSSIBLE
    else:
        status = GapStatus.WITHIN
    return Gap(metric, groups[hi].group, groups[lo].group, difference, ratio, names, status)


_ETHNIC_ORDER = [str(g) for g in EthnicGroup]


def _group_order(name: str) -> tuple[int, str]:
    """Ethnic groups in the DfE's order, quintiles in theirs, Unknown last."""
    if name == UNKNOWN:
        return (99, name)
    if name in _ETHNIC_ORDER:
        return (_ETHNIC_ORDER.index(name), name)
    return (50, name)


def fairness_report(
    history: History,
    truth: Truth,
    ev: NeedEvaluation,
    *,
    threshold: float = THRESHOLD,
    min_group: int = MIN_GROUP,
    bootstrap: int = BOOTSTRAP,
    seed: int = 0,
) -> FairnessReport:
    """Rates by ethnic group and by deprivation quintile for Seen's prompts in `ev`."""
    return report_from_outcomes(
        ev.need.value,
        outcomes(history, truth, ev),
        threshold=threshold,
        min_group=min_group,
        bootstrap=bootstrap,
        seed=seed,
    )


def report_from_outcomes(
    need: str,
    o: Outcomes,
    *,
    threshold: float = THRESHOLD,
    min_group: int = MIN_GROUP,
    bootstrap: int = BOOTSTRAP,
    seed: int = 0,
) -> FairnessReport:
    """The report over outcomes already gathered, one breakdown per attribute."""
    parts = [
        breakdown(o, a, threshold=threshold, min_group=min_group, bootstrap=bootstrap, seed=seed)
        for a in Attribute
    ]
    return FairnessReport(
        need, threshold, min_group, bootstrap, parts[0][1], tuple(b for b, _ in parts)
    )
