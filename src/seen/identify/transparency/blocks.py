"""The blocks both documents and the fairness page share, made from a stored evaluation
report: provenance, results, targets, calibration, fairness tables and alerts, weights."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from seen.domain.agencies import AgencyKind
from seen.identify.transparency.document import Block, bullets, p, table

RECORDING_BIAS_KEYS = (
    "cs118_school_share",
    "cs118_delay_days",
    "young_carer_7a_rate",
    "exploitation_factor_rate",
    "exploitation_referral_rate_emerging",
    "police_deprivation_ratio",
    "cin_deprivation_ratio",
    "ed_deprivation_ratio",
)


# Numbers ------------------------------------------------------------------------------------


def est(e: Mapping[str, float | None] | None, digits: int = 2) -> str:
    """An estimate as "0.53 (0.45-0.60)", or "n/a"."""
    if e is None or e.get("value") is None:
        return "n/a"
    value = f"{e['value']:.{digits}f}"
    if e.get("low") is None or e.get("high") is None:
        return value
    return f"{value} ({e['low']:.{digits}f} to {e['high']:.{digits}f})"


def agency_label(kind: str) -> str:
    try:
        return AgencyKind(kind).label
    except ValueError:
        return kind


def method_label(method: str) -> str:
    return "Seen (multi-agency)" if method == "multi-agency" else f"{agency_label(method)} alone"


def source_of(report: Mapping[str, Any], evaluation_id: int) -> dict[str, Any]:
    run = report["run"]
    partnership = run["partnership"]
    return {
        "evaluation_id": evaluation_id,
        "evaluated_at": report["created_at"],
        "seen_version": report["seen_version"],
        "libraries": report["libraries"],
        "partnership_children": partnership.get("children"),
        "partnership_seed": partnership.get("seed"),
        "reference_date": partnership.get("reference_date"),
        "window": run["window"],
        "capacity_share": run["capacity_share"],
        "recording_bias": {
            k: partnership.get("config", {}).get(k)
            for k in RECORDING_BIAS_KEYS
            if k in partnership.get("config", {})
        },
    }


def provenance(report: Mapping[str, Any], evaluation_id: int) -> str:
    """One sentence: which run these numbers come from."""
    s = source_of(report, evaluation_id)
    bias = ", ".join(f"{k} {v}" for k, v in s["recording_bias"].items()) or "generator defaults"
    return (
        f"Generated from stored evaluation {evaluation_id}, run {s['evaluated_at']} by Seen "
        f"{s['seen_version']} on a synthetic partnership of {s['partnership_children']:,} "
        f"children (seed {s['partnership_seed']}, extracts taken {s['reference_date']}; "
        f"recording-bias settings: {bias}), evaluated monthly from {s['window']['start']} to "
        f"{s['window']['end']} at {s['capacity_share']:.2%} of children a month per need."
    )


# Shared tables ------------------------------------------------------------------------------


def results_table(need: Mapping[str, Any]) -> Block:
    rows = [
        (
            method_label(r["method"]),
            f"{r['prompts']:,}",
            f"{r['children_prompted']:,}",
            est(r["precision"]),
            est(r["recall"]),
            est(r["median_lead_months"], 1),
            f"{r['came_to_light']:,}",
        )
        for r in need["results"]
    ]
    return table(
        f"{need['title']}: measured against the hidden truth",
        (
            "Method",
            "Prompts",
            "Children prompted",
            "Precision (95% CI)",
            "Recall (95% CI)",
            "Median lead, months (95% CI)",
            "Lead times measured",
        ),
        rows,
    )


def targets_block(need: Mapping[str, Any]) -> Block:
    verdict = {True: "met", False: "not met", None: "cannot be judged"}
    return bullets(*(f"{t['what']}: {t['measured']}: {verdict[t['met']]}" for t in need["targets"]))


def calibration_blocks(need: Mapping[str, Any]) -> list[Block]:
    cal = need["calibration"]
    if cal is None:
        return [p("No held-out snapshot: calibration could not be measured.")]
    return [
        p(
            f"On the latest training snapshot, held out from fitting ({cal['held_out_rows']:,} "
            f"children; {cal['base_rate']:.4f} went on to be recorded by an agency): Brier score "
            f"{cal['brier']:.4f}, against {cal['brier_base_rate']:.4f} for always predicting "
            "the base rate. What it is calibrated to is the agency-proxy label, not the need."
        ),
        table(
            f"{need['title']}: reliability on held-out agency-proxy labels",
            ("Mean predicted probability", "Observed rate (agency-proxy label)", "Rows"),
            [
                (f"{b['predicted']:.3f}", f"{b['observed']:.3f}", f"{b['rows']:,}")
                for b in cal["bins"]
            ],
        ),
    ]


# Counts from 1 to 5 are published as c, as in the partnership report (docs/reporting.md),
# and so is every rate over them: a false negative rate over 4 children names how many were
# missed.
SMALLEST_SHOWN = 6


def _small(count: int) -> bool:
    return 0 < count < SMALLEST_SHOWN


def fairness_tables(need: Mapping[str, Any]) -> list[Block]:
    """Per attribute: each group's rates with intervals, then the gaps and their status."""
    f = need["fairness"]
    blocks: list[Block] = []
    for b in f["breakdowns"]:
        rows = []
        for g in [*b["groups"], f["overall"]]:
            r = g["rates"]
            few_children, few_positives = _small(g["children"]), _small(g["positives"])
            rows.append(
                (
                    g["group"],
                    "c" if few_children else f"{g['children']:,}",
                    "c" if few_children or few_positives else f"{g['positives']:,}",
                    "c" if few_children else est(r["selection_rate"]),
                    "c" if few_children or few_positives else est(r["false_negative_rate"]),
                    "c" if few_children else est(r["false_positive_rate"]),
                    "c" if few_children else est(r["mean_predicted"], 3),
                    "c" if few_children else est(r["observed_proxy"], 3),
                    "c" if few_children else est(r["observed_truth"], 3),
                )
            )
        blocks.append(
            table(
                f"{need['title']}: by {b['label']}",
                (
                    b["label"].capitalize(),
                    "Children",
                    "Hidden need",
                    "Selection rate",
                    "False negative rate",
                    "False positive rate",
                    "Mean predicted",
                    "Observed (agency-proxy)",
                    "Observed (truth)",
                ),
                rows,
            )
        )
        blocks.append(
            table(
                f"{need['title']}: gaps by {b['label']}",
                ("Rate", "Highest", "Lowest", "Gap (95% CI)", "Lowest / highest", "Status"),
                [
                    (
                        gap["label"].capitalize(),
                        gap["highest"] or "n/a",
                        gap["lowest"] or "n/a",
                        est(gap["difference"]),
                        "n/a" if gap["ratio"] is None else f"{gap['ratio']:.2f}",
                        STATUS_TEXT[gap["status"]],
                    )
                    for gap in b["gaps"]
                ],
            )
        )
    return blocks


STATUS_TEXT = {
    "alert": "ALERT: above the threshold",
    "possible": "possible: above the threshold, not established",
    "within": "within the threshold",
    "reported": "reported (never alerts)",
    "not compared": "not compared: fewer than two groups large enough",
}


def alerts_block(report: Mapping[str, Any]) -> list[Block]:
    run = report["run"]
    rule = (
        f"An alert is raised when a gap in the false negative or false positive rate between "
        f"groups of at least {run['fairness_min_group']} children (in that rate's "
        f"denominator) has its whole 95% interval above {run['fairness_threshold']:g}; a gap "
        "whose estimate is above the threshold but whose interval reaches below it is a "
        "possible disparity."
    )
    blocks = [p(rule)]
    if report["alerts"]:
        blocks.append(p(f"Alerts raised ({len(report['alerts'])}):"))
        blocks.append(bullets(*(a["text"] for a in report["alerts"])))
    else:
        blocks.append(p("No alert was raised."))
    if report["possible"]:
        blocks.append(p(f"Possible disparities, not established ({len(report['possible'])}):"))
        blocks.append(bullets(*(a["text"] for a in report["possible"])))
    return blocks


def weights_table(need: Mapping[str, Any]) -> Block:
    m = need["model"]
    rows = [
        (
            i["name"],
            i["description"],
            i["reads"],
            f"{i['weight']:+.3f}" if i["weight"] is not None else "n/a",
            f"per {i['unit']}" + (" (on a log(1 + x) scale)" if i["scale"] == "log1p" else ""),
        )
        for i in m["indicators"]
    ]
    rows.append(("(intercept)", "baseline log-odds", "", f"{m['intercept']:+.3f}", ""))
    return table(
        f"{need['title']}: indicators and weights (log-odds)",
        ("Indicator", "What it is", "Reads", "Weight", "Unit"),
        rows,
    )
