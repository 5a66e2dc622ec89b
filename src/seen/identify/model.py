"""An interpretable, calibrated model per need: a sign-constrained logistic regression read
as a scorecard.

**What it predicts.** The probability that an agency records the need through its
established channels within the next 12 months (`seen.identify.labels`), for a child not yet
recorded with it, from the child's indicators as of a date. It is trained on snapshots taken
every quarter before a cutoff, each labelled with what agencies recorded in the 12 months
after it; every label window closes by the cutoff, and events on or after the cutoff are
dropped before anything is computed, so a model trained for a date knows nothing after it.

**Why logistic regression.** Each indicator gets one weight in log-odds per unit (per event,
on a log scale for counts), so a prompt's score is a sum of named parts that a reviewer can
read (`seen.identify.explain`), and its probability is calibrated by construction on the
population it was fitted to. Indicators documented as only ever raising concern
(`direction = +1`) are constrained to a non-negative weight: one whose fitted weight comes
out negative (a proxy-label artefact, such as children already known to social care being
assessed for other reasons) is dropped and the model refitted, so no evidence ever counts
*against* a child being offered support. scikit-learn's `LogisticRegression` fits it (L2,
standardised inputs; weights are reported back in the indicators' own units).

**Calibration** is measured on the latest snapshot, held out from fitting: Brier score (and
the Brier score of always predicting the base rate, for scale) and a reliability table of
predicted against observed rates in tenths of the predicted probability.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss
from sklearn.preprocessing import StandardScaler

from seen.errors import InvalidInput
from seen.identify.history import History
from seen.identify.indicators import Indicator, Indicators, Scale, indicators_named
from seen.identify.labels import HORIZON, Need, eligible, first_recorded, proxy_labels

SNAPSHOT_EVERY = 91  # days between training snapshots (a quarter)
SNAPSHOTS = 8  # two years of quarterly snapshots
RELIABILITY_BINS = 10


@dataclass(frozen=True)
class ReliabilityBin:
    predicted: float  # mean predicted probability in the bin
    observed: float  # share of the bin that agencies went on to record
    children: int


@dataclass(frozen=True)
class Calibration:
    brier: float
    brier_base_rate: float  # always predicting the held-out base rate
    base_rate: float
    held_out_rows: int
    bins: tuple[ReliabilityBin, ...]


@dataclass(frozen=True)
class NeedModel:
    """A fitted scorecard: `weights[j]` log-odds per unit of `transform(indicator j)`."""

    need: Need
    indicators: tuple[Indicator, ...]
    weights: NDArray[np.float64]
    intercept: float
    reference: NDArray[np.float64]  # transformed values a contribution is measured from
    cutoff: int
    rows: int
    positives: int
    dropped: tuple[str, ...]  # constrained indicators whose weight came out negative
    calibration: Calibration | None

    @property
    def names(self) -> list[str]:
        return [i.name for i in self.indicators]

    def transform(self, raw: NDArray[np.float64]) -> NDArray[np.float64]:
        return _transform(self.indicators, raw)

    def logit(self, raw: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.asarray(self.transform(raw) @ self.weights + self.intercept)

    def probability(self, raw: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.asarray(1.0 / (1.0 + np.exp(-self.logit(raw))))

    def contributions(self, raw_row: NDArray[np.float64]) -> NDArray[np.float64]:
        """Each indicator's part of the log-odds, measured from its reference value (no
        evidence for an event indicator; the training mean for age)."""
        x = self.transform(raw_row.reshape(1, -1))[0]
        return np.asarray(self.weights * (x - self.reference))

    @property
    def baseline_logit(self) -> float:
        """The log-odds of a child at every reference value: the contributions add to it."""
        return float(self.intercept + self.weights @ self.reference)


def _transform(indicators: Sequence[Indicator], raw: NDArray[np.float64]) -> NDArray[np.float64]:
    out = np.nan_to_num(np.asarray(raw, dtype=np.float64))
    for j, indicator in enumerate(indicators):
        if indicator.scale is Scale.LOG:
            out[:, j] = np.log1p(np.maximum(out[:, j], 0.0))
    return out


@dataclass(frozen=True)
class TrainingSet:
    raw: NDArray[np.float64]
    labels: NDArray[np.bool_]
    snapshot: NDArray[np.int64]  # the as-of day of each row


def training_set(
    history: History,
    need: Need,
    cutoff: int,
    indicators: Sequence[Indicator],
    *,
    horizon: int = HORIZON,
    every: int = SNAPSHOT_EVERY,
    snapshots: int = SNAPSHOTS,
) -> TrainingSet:
    """Snapshots every `every` days whose label windows close by `cutoff`, from events
    before `cutoff` only."""
    past = history.select_events(history.start < cutoff)
    ind = Indicators(past, tuple(indicators))
    first = first_recorded(past, need)
    days = [cutoff - horizon - k * every for k in reversed(range(snapshots))]
    raws, labels, when = [], [], []
    for d in days:
        keep = eligible(past, need, d, first)
        raws.append(ind.at(d)[keep])
        labels.append(proxy_labels(first, d, horizon)[keep])
        when.append(np.full(int(keep.sum()), d, dtype=np.int64))
    return TrainingSet(np.vstack(raws), np.concatenate(labels), np.concatenate(when))


def train(
    history: History,
    need: Need,
    cutoff: int,
    *,
    indicators: Sequence[str] | None = None,
    horizon: int = HORIZON,
    snapshots: int = SNAPSHOTS,
) -> NeedModel:
    """Fit the need's model on proxy labels known by `cutoff` (a day number)."""
    chosen = indicators_named(indicators if indicators is not None else need.spec.indicators)
    data = training_set(history, need, cutoff, chosen, horizon=horizon, snapshots=snapshots)
    if data.labels.sum() < 2 or data.labels.all():
        raise InvalidInput(
            f"too few agency records of {need.value} before the cutoff to train a model "
            f"({int(data.labels.sum())} of {len(data.labels)} snapshots rows)"
        )
    latest = data.snapshot == data.snapshot.max()
    fit_rows = ~latest if (data.labels[~latest].sum() >= 2) else np.ones_like(latest)
    held_out = _fit(need, chosen, chosen, data, fit_rows, cutoff)
    columns = _columns(chosen, held_out.indicators)
    calibration = (
        calibration_of(held_out.probability(data.raw[latest][:, columns]), data.labels[latest])
        if latest.any()
        else None
    )
    final = _fit(need, chosen, held_out.indicators, data, np.ones_like(latest), cutoff)
    dropped = tuple(sorted({*held_out.dropped, *final.dropped}))
    return NeedModel(
        need,
        final.indicators,
        final.weights,
        final.intercept,
        final.reference,
        cutoff,
        final.rows,
        final.positives,
        dropped,
        calibration,
    )


def _columns(candidates: Sequence[Indicator], chosen: Sequence[Indicator]) -> list[int]:
    names = [i.name for i in candidates]
    return [names.index(i.name) for i in chosen]


def _fit(
    need: Need,
    candidates: Sequence[Indicator],
    start_with: Sequence[Indicator],
    data: TrainingSet,
    rows: NDArray[np.bool_],
    cutoff: int,
) -> NeedModel:
    """Fit on `rows` of `data` (whose columns are `candidates`), starting from the
    indicators `start_with` and dropping constrained ones that come out negative."""
    chosen = list(start_with)
    columns = _columns(candidates, chosen)
    dropped: list[str] = []
    labels = data.labels[rows]
    while True:
        x = _transform(chosen, data.raw[rows][:, columns])
        scaler = StandardScaler().fit(x)
        scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
        fitted = LogisticRegression(C=1.0, max_iter=2000).fit((x - scaler.mean_) / scale, labels)
        weights = fitted.coef_[0] / scale
        intercept = float(fitted.intercept_[0] - (weights * scaler.mean_).sum())
        wrong = [k for k, i in enumerate(chosen) if i.direction > 0 and weights[k] < 0]
        if not wrong:
            break
        worst = min(wrong, key=lambda k: weights[k] * scale[k])
        dropped.append(chosen[worst].name)
        del chosen[worst]
        del columns[worst]
    reference = np.array(
        [float(x[:, k].mean()) if i.direction == 0 else 0.0 for k, i in enumerate(chosen)]
    )
    return NeedModel(
        need,
        tuple(chosen),
        weights,
        intercept,
        reference,
        cutoff,
        int(rows.sum()),
        int(labels.sum()),
        tuple(dropped),
        None,
    )


def calibration_of(p: NDArray[np.float64], labels: NDArray[np.bool_]) -> Calibration:
    """Brier score and a reliability table (bins of predicted probability, 0-0.1, ...)."""
    y = labels.astype(np.float64)
    base = float(y.mean())
    which = np.minimum((p * RELIABILITY_BINS).astype(int), RELIABILITY_BINS - 1)
    bins = tuple(
        ReliabilityBin(
            float(p[which == b].mean()), float(y[which == b].mean()), int((which == b).sum())
        )
        for b in range(RELIABILITY_BINS)
        if (which == b).any()
    )
    return Calibration(
        float(brier_score_loss(y, p)),
        float(brier_score_loss(y, np.full_like(y, base))),
        base,
        len(y),
        bins,
    )
