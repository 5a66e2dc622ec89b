"""One evaluation of a synthetic partnership, end to end: link it as the hub would, evaluate
each need against the hidden truth, measure fairness, and make the report the hub stores.
`seen identify evaluate` prints what this returns; `seen demo` stores it quietly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seen.identify.evaluate import BOOTSTRAP, CAPACITY, EXPIRY_DAYS, NeedEvaluation
from seen.identify.fairness import MIN_GROUP, THRESHOLD, FairnessReport, fairness_report
from seen.identify.labels import Need

Stage = Callable[[str, int, int], None]  # (what, done, total)


@dataclass(frozen=True)
class PartnershipEvaluation:
    people: int
    records: int
    window: tuple[dt.date, dt.date]
    evaluations: list[tuple[NeedEvaluation, FairnessReport]]
    report: dict[str, Any]  # seen.identify.report's schema, ready to store

    @property
    def alerts(self) -> int:
        return sum(len(f.alerts) for _, f in self.evaluations)


def evaluate_partnership(
    root: Path,
    now: dt.datetime,
    *,
    needs: Sequence[Need] = tuple(Need),
    capacity_share: float = CAPACITY,
    months: int = 24,
    expiry_days: int = EXPIRY_DAYS,
    bootstrap: int = BOOTSTRAP,
    fairness_threshold: float = THRESHOLD,
    min_group: int = MIN_GROUP,
    stage: Stage | None = None,
) -> PartnershipEvaluation:
    from seen.identify.evaluate import evaluate_need, window_before
    from seen.identify.partnership import load_partnership, partnership_settings
    from seen.identify.report import RunSettings, evaluation_report
    from seen.identify.truth import read_truth

    def said(what: str, done: int, total: int) -> None:
        if stage is not None:
            stage(what, done, total)

    generated = partnership_settings(root)
    linked = load_partnership(root, lambda _s, done, total: said("linking", done, total))
    truth = read_truth(root, linked.history, linked.person_of)
    window = window_before(linked.reference_date, months)
    evaluations = []
    for step, need in enumerate(needs):
        said(f"evaluating {need.value}", step, len(needs))
        result = evaluate_need(
            linked.history,
            truth,
            need,
            window,
            capacity_share=capacity_share,
            expiry_days=expiry_days,
            bootstrap=bootstrap,
        )
        fairness = fairness_report(
            linked.history,
            truth,
            result,
            threshold=fairness_threshold,
            min_group=min_group,
            bootstrap=bootstrap,
        )
        evaluations.append((result, fairness))
    run = RunSettings(
        generated,
        linked.history.people,
        linked.records,
        window,
        capacity_share,
        expiry_days,
        bootstrap,
        fairness_threshold,
        min_group,
    )
    return PartnershipEvaluation(
        linked.history.people,
        linked.records,
        window,
        evaluations,
        evaluation_report(run, evaluations, now),
    )
