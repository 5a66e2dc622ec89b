"""An evaluation report for the web tests, made by the real report code from inputs built by
hand (a scorecard, its measures, and children whose prompts fall far more often on those
without the need in the most deprived areas), so no partnership has to be generated."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from seen.identify.evaluate import Estimate, NeedEvaluation, Result
from seen.identify.fairness import Attribute, Outcomes, report_from_outcomes
from seen.identify.indicators import indicators_named
from seen.identify.labels import Need
from seen.identify.model import Calibration, NeedModel, ReliabilityBin
from seen.identify.report import RunSettings, evaluation_report

NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
WINDOW = (dt.date(2024, 3, 1), dt.date(2026, 3, 1))
Q1, Q5 = "Quintile 1 (most deprived)", "Quintile 5 (least deprived)"


def _outcomes(gap: bool) -> Outcomes:
    """Two groups of 240 children each (40 with the need, half found); of the 200 without,
    50% (most deprived, White) or 10% (least deprived, Asian) prompted, or 20% in both."""
    rows: list[tuple[str, str, bool, bool]] = []
    for group, quintile, fpr in (
        ("White", Q1, 0.5 if gap else 0.2),
        ("Asian", Q5, 0.1 if gap else 0.2),
    ):
        rows += [(group, quintile, True, i % 2 == 0) for i in range(40)]
        rows += [(group, quintile, False, i < fpr * 200) for i in range(200)]
    n = len(rows)
    months = np.full(n, 12.0)
    return Outcomes(
        np.array([r[2] for r in rows]),
        np.array([r[3] for r in rows]),
        months,
        months * 0.01,
        np.zeros(n),
        np.zeros(n),
        {
            Attribute.ETHNICITY: np.array([r[0] for r in rows], dtype=np.str_),
            Attribute.DEPRIVATION: np.array([r[1] for r in rows], dtype=np.str_),
        },
    )


def _evaluation() -> NeedEvaluation:
    need = Need.EXPLOITATION
    names = ["missing_reports_12m", "police_violence_12m", "age_years"]
    model = NeedModel(
        need,
        indicators_named(names),
        np.array([1.25, 0.5, 0.1]),
        -6.0,
        np.array([0.0, 0.0, 14.0]),
        WINDOW[0].toordinal(),
        4000,
        60,
        ("ed_attendances_12m",),
        Calibration(0.012, 0.014, 0.015, 900, (ReliabilityBin(0.01, 0.012, 850),)),
    )

    def result(method: str, recall: float) -> Result:
        return Result(
            method,
            480,
            300,
            80,
            Estimate(0.2, 0.15, 0.25),
            Estimate(recall, recall - 0.1, recall + 0.1),
            Estimate(6.5, 4.0, 9.0),
            20,
        )

    return NeedEvaluation(
        need,
        20,
        24,
        model,
        result("multi-agency", 0.62),
        (result("police", 0.48),),
        (WINDOW[0].toordinal(), WINDOW[1].toordinal()),
        (),
    )


def hand_built_report(*, gap: bool = True) -> dict[str, Any]:
    """The report of one need (exploitation) whose fairness report alerts when `gap`."""
    fairness = report_from_outcomes("exploitation", _outcomes(gap), bootstrap=50)
    run = RunSettings(
        {
            "children": 2000,
            "seed": 1,
            "reference_date": "2026-03-31",
            "generator_version": "1",
            "config": {"police_deprivation_ratio": 12.0},
        },
        1900,
        4600,
        WINDOW,
        0.01,
        182,
        50,
        fairness.threshold,
        fairness.min_group,
    )
    return evaluation_report(run, [(_evaluation(), fairness)], NOW)
