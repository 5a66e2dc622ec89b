"""Measuring identification against the hidden truth, month by month, at a fixed capacity.

**The simulation.** A model is trained with a cutoff at the start of the evaluation window
(so it knows nothing of the window). Then, on the first day of each month of the window, every
eligible child (in the need's age range, not yet recorded with the need by any agency, no
prompt still open) is scored from their indicators as of that day, and the highest scored
`capacity` (for example 1% of the children the hub knows) get a prompt. A prompt stays open
for `expiry_days`; after that the child may be prompted again if still among the highest.

**Against the hidden truth** (`seen.identify.truth`, read here and nowhere else):

- *precision*: the share of prompts whose child had the need on the prompt's day and had not
  yet come to light through established channels;
- *recall*: of the children whose need was hidden at some point in the window (onset before
  its end, not yet come to light at its start), the share prompted while it was hidden;
- *lead time*: for prompted children whose need later came to light in the window, the months
  from their first true prompt to that day; the median is reported;
- each with a 95% bootstrap interval, resampling children (the truth's, so a child Seen split
  into two people counts once), and the number of prompts.

**The peer.** The best single-agency rule at the same capacity: for each agency, the same
kind of model trained the same way on that agency's own indicators only (and age, which every
agency holds), run through the same simulation; the one with the highest recall is "best".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from seen.domain.agencies import AgencyKind
from seen.errors import InvalidInput
from seen.identify.history import NO_END, History
from seen.identify.indicators import BY_NAME, Indicators
from seen.identify.labels import Need, eligible, first_recorded
from seen.identify.model import NeedModel, train
from seen.identify.truth import Truth

MONTH_DAYS = 365.25 / 12
EXPIRY_DAYS = 182
CAPACITY = 0.01
BOOTSTRAP = 500

Scorer = Callable[[int], NDArray[np.float64]]


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float
    high: float

    def __str__(self) -> str:
        if np.isnan(self.value):
            return "n/a"
        return f"{self.value:.2f} ({self.low:.2f}-{self.high:.2f})"


@dataclass(frozen=True)
class Result:
    """One method's measures for one need."""

    method: str  # "multi-agency" or an agency kind
    prompts: int
    children_prompted: int
    hidden_children: int  # truth children whose need was hidden in the window
    precision: Estimate
    recall: Estimate
    lead_months: Estimate  # median
    came_to_light: int  # prompted children whose need later came to light (lead times)


@dataclass(frozen=True)
class NeedEvaluation:
    need: Need
    capacity: int  # prompts a month
    months: int
    model: NeedModel
    multi_agency: Result
    single_agency: tuple[Result, ...]
    window: tuple[int, int]  # day numbers: the first day, and the first day after
    prompts: tuple[tuple[int, int], ...]  # Seen's (day, person) prompts, for the fairness report

    @property
    def best_single(self) -> Result | None:
        usable = [r for r in self.single_agency if not np.isnan(r.recall.value)]
        return max(usable, key=lambda r: r.recall.value) if usable else None


def month_starts(first: dt.date, end: dt.date) -> list[int]:
    """First days of the months from `first`'s month until before `end`."""
    days, year, month = [], first.year, first.month
    while dt.date(year, month, 1) < end:
        days.append(dt.date(year, month, 1).toordinal())
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def simulate(
    history: History,
    need: Need,
    score: Scorer,
    days: Sequence[int],
    capacity: int,
    expiry_days: int = EXPIRY_DAYS,
) -> list[tuple[int, int]]:
    """(day, person) for every prompt raised, month by month, at `capacity` a month."""
    first = first_recorded(history, need)
    open_until = np.zeros(history.people, dtype=np.int64)
    prompts: list[tuple[int, int]] = []
    for d in days:
        s = np.asarray(score(d), dtype=np.float64).copy()
        s[~(eligible(history, need, d, first) & (open_until <= d))] = -np.inf
        order = np.argsort(-s, kind="stable")[:capacity]
        chosen = order[np.isfinite(s[order])]
        open_until[chosen] = d + expiry_days
        prompts.extend((d, int(p)) for p in chosen)
    return prompts


@dataclass(frozen=True)
class ChildCounts:
    """Per child of the truth (index 0..m-1), what one method's prompts did in the window:
    shared by `measure` and `seen.identify.fairness`, so the fairness report's false
    negative rate is exactly one minus the recall reported here."""

    hidden: NDArray[np.bool_]  # the need was hidden in the window and an agency knew the child
    prompted: NDArray[np.int64]  # prompts in the window
    true_prompts: NDArray[np.int64]  # prompts while the need was hidden (onset <= day < light)
    first_true: NDArray[np.int64]  # day of the first true prompt (NO_END: none)

    @property
    def found(self) -> NDArray[np.bool_]:
        """Hidden children with at least one true prompt: recall's numerator."""
        return self.hidden & (self.true_prompts > 0)


def known_children(truth: Truth) -> NDArray[np.bool_]:
    """Truth children some agency recorded (a linked person is mostly them)."""
    mapped = np.zeros(truth.children, dtype=bool)
    mapped[truth.child_of[truth.child_of >= 0]] = True
    return mapped


def child_counts(
    prompts: Sequence[tuple[int, int]], truth: Truth, need: Need, window: tuple[int, int]
) -> ChildCounts:
    """Count each truth child's prompts, and whether their need was hidden in `window`
    (onset before its end, not yet come to light at its start)."""
    t = truth.needs[need]
    start, end = window
    hidden = t.has_need & (t.onset < end) & (t.light >= start) & (t.light > t.onset)
    hidden &= known_children(truth)  # a child no agency recorded at all cannot be found
    n = truth.children
    prompted = np.zeros(n, dtype=np.int64)
    true_prompts = np.zeros(n, dtype=np.int64)
    first_true = np.full(n, NO_END, dtype=np.int64)
    for d, person in prompts:
        c = truth.child_of[person]
        if c < 0:
            continue
        prompted[c] += 1
        if t.has_need[c] and t.onset[c] <= d < t.light[c]:
            true_prompts[c] += 1
            first_true[c] = min(first_true[c], d)
    return ChildCounts(hidden, prompted, true_prompts, first_true)


def measure(
    method: str,
    prompts: Sequence[tuple[int, int]],
    truth: Truth,
    need: Need,
    window: tuple[int, int],
    *,
    bootstrap: int = BOOTSTRAP,
    seed: int = 0,
) -> Result:
    """Precision, recall and median lead time against the truth, with bootstrap intervals."""
    t = truth.needs[need]
    end = window[1]
    counts = child_counts(prompts, truth, need, window)
    hidden, prompted, true_prompts = counts.hidden, counts.prompted, counts.true_prompts
    n = truth.children
    found = counts.found
    lit = found & (t.light < end)
    lead = np.where(lit, (t.light - counts.first_true) / MONTH_DAYS, np.nan)

    def stats(w: NDArray[np.float64]) -> tuple[float, float, float]:
        p = (w * prompted).sum()
        h = (w * hidden).sum()
        precision = (w * true_prompts).sum() / p if p else np.nan
        recall = (w * found).sum() / h if h else np.nan
        reps = np.repeat(lead[lit], w[lit].astype(np.int64))
        return precision, recall, float(np.median(reps)) if len(reps) else np.nan

    point = stats(np.ones(n))
    rng = np.random.default_rng(seed)
    draws = np.array(
        [
            stats(rng.multinomial(n, np.full(n, 1.0 / n)).astype(np.float64))
            for _ in range(bootstrap)
        ]
    )

    def estimate(k: int) -> Estimate:
        values = draws[:, k][~np.isnan(draws[:, k])] if bootstrap else np.array([])
        if np.isnan(point[k]) or len(values) == 0:
            return Estimate(point[k], np.nan, np.nan)
        low, high = np.percentile(values, [2.5, 97.5])
        return Estimate(float(point[k]), float(low), float(high))

    return Result(
        method,
        len(prompts),
        int((prompted > 0).sum()),
        int(hidden.sum()),
        estimate(0),
        estimate(1),
        estimate(2),
        int(lit.sum()),
    )


SINGLE_AGENCIES = (
    AgencyKind.CHILDRENS_SERVICES,
    AgencyKind.SCHOOL,
    AgencyKind.POLICE,
    AgencyKind.HEALTH,
)


def model_scorer(history: History, model: NeedModel) -> Scorer:
    ind = Indicators(history, model.indicators)
    return lambda d: model.probability(ind.at(d))


def evaluate_need(
    history: History,
    truth: Truth,
    need: Need,
    window: tuple[dt.date, dt.date],
    *,
    capacity_share: float = CAPACITY,
    expiry_days: int = EXPIRY_DAYS,
    bootstrap: int = BOOTSTRAP,
    seed: int = 0,
) -> NeedEvaluation:
    """Train with the cutoff at the window's start; simulate and measure Seen's model and
    each single-agency peer over the window's months."""
    start, end = window
    cutoff = start.toordinal()
    days = month_starts(start, end)
    capacity = max(1, round(capacity_share * history.people))
    span = (cutoff, end.toordinal())

    def prompts_of(model: NeedModel) -> list[tuple[int, int]]:
        return simulate(history, need, model_scorer(history, model), days, capacity, expiry_days)

    def run(method: str, model: NeedModel) -> Result:
        return measure(method, prompts_of(model), truth, need, span, bootstrap=bootstrap, seed=seed)

    model = train(history, need, cutoff)
    seen_prompts = prompts_of(model)
    multi = measure("multi-agency", seen_prompts, truth, need, span, bootstrap=bootstrap, seed=seed)
    singles = []
    for agency in SINGLE_AGENCIES:
        own = [
            n
            for n in need.spec.indicators
            if BY_NAME[n].agency is None or BY_NAME[n].agency is agency
        ]
        if all(BY_NAME[n].agency is None for n in own):
            continue
        try:
            peer = train(history, need, cutoff, indicators=own)
        except InvalidInput:  # too few labels for this agency's view: it cannot be a peer
            continue
        singles.append(run(agency.value, peer))
    return NeedEvaluation(
        need, capacity, len(days), model, multi, tuple(singles), span, tuple(seen_prompts)
    )


@dataclass(frozen=True)
class Target:
    what: str
    measured: str
    met: bool | None  # None: cannot be judged (no data)


PRECISION_TARGET = 0.5
RECALL_RATIO_TARGET = 2.0
LEAD_TARGET_MONTHS = 3.0


def targets(ev: NeedEvaluation) -> list[Target]:
    """The issue's targets for one need, judged on the point estimates."""
    m = ev.multi_agency
    best = ev.best_single
    found = []
    p = m.precision.value
    found.append(
        Target(
            f"precision >= {PRECISION_TARGET}",
            str(m.precision),
            None if np.isnan(p) else bool(p >= PRECISION_TARGET),
        )
    )
    if best is None or np.isnan(m.recall.value):
        found.append(Target("recall >= 2x best single agency", "n/a", None))
    else:
        ratio = m.recall.value / best.recall.value if best.recall.value > 0 else np.inf
        found.append(
            Target(
                "recall >= 2x best single agency",
                f"{m.recall.value:.2f} vs {best.recall.value:.2f} ({best.method}): {ratio:.2f}x",
                bool(ratio >= RECALL_RATIO_TARGET),
            )
        )
    lead = m.lead_months.value
    found.append(
        Target(
            f"median lead time >= {LEAD_TARGET_MONTHS:g} months",
            f"{m.lead_months} (n={m.came_to_light})",
            None if np.isnan(lead) else bool(lead >= LEAD_TARGET_MONTHS),
        )
    )
    return found


def window_before(reference: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """The `months` whole months before the reference date's month, as (first day of the
    window, first day after it)."""
    end = dt.date(reference.year, reference.month, 1)
    total = end.year * 12 + end.month - 1 - months
    return dt.date(total // 12, total % 12 + 1, 1), end
