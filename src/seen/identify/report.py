"""The evaluation report: one run of `seen identify evaluate`, as plain JSON, which the hub
stores (`seen.store.evaluations`) and from which the web app's fairness page, the model card
and the Algorithmic Transparency Recording Standard record are all made
(the `seen.identify.transparency` package), so every number they show is the same number.

It holds aggregates only: counts and rates per need, method and group, model weights and the
run's settings. No person id, date of birth or event is in it; a test checks that.

Schema (`"schema": 1`):

- `created_at` (ISO time, UTC), `seen_version`, `libraries` (versions that produced it);
- `run`: `partnership` (the synthetic partnership's `children`, `seed`, `reference_date`,
  `generator_version` and its full generator `config`), `people` and `records` linked,
  `window` (`start`, `end`), `months`, `capacity_share`, `expiry_days`, `bootstrap`,
  `fairness_threshold`, `fairness_min_group`;
- `needs`: per need, `need`, `title`, `action`, `acting_agency`, `label` (the agency-proxy
  label), `ages`, `prompts_per_month`, `model` (indicators with description, codes, unit
  and weight; intercept; dropped indicators; training rows and positives; cutoff),
  `calibration` (Brier, base-rate Brier, reliability bins), `results` (Seen and each
  single-agency peer: prompts, children prompted, hidden children, precision, recall,
  median lead with 95% intervals), `targets`, and `fairness` (overall and per attribute:
  groups with their counts and rates, gaps with status);
- `alerts` and `possible`: every fairness gap that alerted or is possible, across needs.

An estimate is `{"value", "low", "high"}`, each a number or null (not computable).
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from seen.identify.evaluate import Estimate, NeedEvaluation, Result, targets
from seen.identify.fairness import Alert, FairnessReport, GroupRates, Metric

SCHEMA = 1
LIBRARIES = ("numpy", "scikit-learn", "fairlearn", "splink")


@dataclass(frozen=True)
class RunSettings:
    """How the evaluation was run (`seen identify evaluate`'s options and what it linked)."""

    partnership: Mapping[str, Any]  # from the partnership's manifest.json
    people: int
    records: int
    window: tuple[dt.date, dt.date]
    capacity_share: float
    expiry_days: int
    bootstrap: int
    fairness_threshold: float
    fairness_min_group: int


def number(x: float) -> float | None:
    """A JSON number, or null where it cannot be computed (NaN)."""
    return None if math.isnan(x) else round(float(x), 6)


def estimate(e: Estimate) -> dict[str, float | None]:
    return {"value": number(e.value), "low": number(e.low), "high": number(e.high)}


def _result(r: Result) -> dict[str, Any]:
    return {
        "method": r.method,
        "prompts": r.prompts,
        "children_prompted": r.children_prompted,
        "hidden_children": r.hidden_children,
        "precision": estimate(r.precision),
        "recall": estimate(r.recall),
        "median_lead_months": estimate(r.lead_months),
        "came_to_light": r.came_to_light,
    }


def _group(g: GroupRates) -> dict[str, Any]:
    return {
        "group": g.group,
        "children": g.children,
        "positives": g.positives,
        "negatives": g.negatives,
        "child_months": g.child_months,
        "rates": {m.value: estimate(g.rates[m]) for m in Metric},
    }


def _fairness(f: FairnessReport) -> dict[str, Any]:
    return {
        "threshold": f.threshold,
        "min_group": f.min_group,
        "bootstrap": f.bootstrap,
        "overall": _group(f.overall),
        "breakdowns": [
            {
                "attribute": b.attribute.value,
                "label": b.attribute.label,
                "groups": [_group(g) for g in b.groups],
                "gaps": [
                    {
                        "metric": gap.metric.value,
                        "label": gap.metric.label,
                        "highest": gap.highest,
                        "lowest": gap.lowest,
                        "difference": estimate(gap.difference),
                        "ratio": number(gap.ratio),
                        "compared": list(gap.compared),
                        "status": gap.status.value,
                    }
                    for gap in b.gaps
                ],
            }
            for b in f.breakdowns
        ],
    }


def _alert(a: Alert) -> dict[str, Any]:
    return {
        "need": a.need,
        "attribute": a.attribute.value,
        "attribute_label": a.attribute.label,
        "metric": a.gap.metric.value,
        "metric_label": a.gap.metric.label,
        "highest": a.gap.highest,
        "highest_rate": number(a.highest_rate),
        "lowest": a.gap.lowest,
        "lowest_rate": number(a.lowest_rate),
        "difference": estimate(a.gap.difference),
        "threshold": a.threshold,
        "status": a.gap.status.value,
        "text": str(a),
    }


def _need(ev: NeedEvaluation, fairness: FairnessReport) -> dict[str, Any]:
    spec, model = ev.need.spec, ev.model
    cal = model.calibration
    return {
        "need": ev.need.value,
        "title": spec.title,
        "action": spec.action,
        "acting_agency": spec.acting_agency.value,
        "label": spec.label_reads,
        "ages": [spec.min_age, spec.max_age],
        "prompts_per_month": ev.capacity,
        "model": {
            "kind": "logistic regression, non-negative weights on every event indicator",
            "cutoff": dt.date.fromordinal(model.cutoff).isoformat(),
            "training_rows": model.rows,
            "training_positives": model.positives,
            "intercept": number(model.intercept),
            "indicators": [
                {
                    "name": i.name,
                    "description": i.description,
                    "reads": i.reads,
                    "agency": i.agency.value if i.agency else None,
                    "unit": i.unit,
                    "scale": i.scale.value,
                    "weight": number(w),
                }
                for i, w in zip(model.indicators, model.weights, strict=True)
            ],
            "dropped": list(model.dropped),
        },
        "calibration": None
        if cal is None
        else {
            "brier": number(cal.brier),
            "brier_base_rate": number(cal.brier_base_rate),
            "base_rate": number(cal.base_rate),
            "held_out_rows": cal.held_out_rows,
            "bins": [
                {
                    "predicted": number(b.predicted),
                    "observed": number(b.observed),
                    "rows": b.children,
                }
                for b in cal.bins
            ],
        },
        "results": [_result(r) for r in (ev.multi_agency, *ev.single_agency)],
        "best_single_agency": ev.best_single.method if ev.best_single else None,
        "targets": [{"what": t.what, "measured": t.measured, "met": t.met} for t in targets(ev)],
        "fairness": _fairness(fairness),
    }


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def evaluation_report(
    run: RunSettings,
    evaluations: Sequence[tuple[NeedEvaluation, FairnessReport]],
    created_at: dt.datetime,
) -> dict[str, Any]:
    """The JSON-ready report of one evaluation run (the schema above)."""
    start, end = run.window
    months = (end.year - start.year) * 12 + end.month - start.month
    return {
        "schema": SCHEMA,
        "created_at": created_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "seen_version": _version("seen"),
        "libraries": {name: _version(name) for name in LIBRARIES},
        "run": {
            "partnership": dict(run.partnership),
            "people": run.people,
            "records": run.records,
            "window": {"start": start.isoformat(), "end": end.isoformat()},
            "months": months,
            "capacity_share": run.capacity_share,
            "expiry_days": run.expiry_days,
            "bootstrap": run.bootstrap,
            "fairness_threshold": run.fairness_threshold,
            "fairness_min_group": run.fairness_min_group,
        },
        "needs": [_need(ev, f) for ev, f in evaluations],
        "alerts": [_alert(a) for _, f in evaluations for a in f.alerts],
        "possible": [_alert(a) for _, f in evaluations for a in f.possible],
    }
