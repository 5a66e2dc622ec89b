"""The evaluation report is stored as aggregates only, and the model card and the
Algorithmic Transparency Recording Standard record are made from the stored report: their
numbers are the evaluation's and the fairness report's own, the alert included, and they
carry every field the standard requires."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from seen.identify.evaluate import Estimate, NeedEvaluation
from seen.identify.fairness import FairnessReport, Metric, fairness_report
from seen.identify.partnership import LinkedPartnership, partnership_settings
from seen.identify.report import RunSettings, evaluation_report
from seen.identify.transparency import atrs_record, model_card, to_json, to_markdown
from seen.identify.truth import Truth
from seen.store import Store
from seen.store.evaluations import get_evaluation, latest_evaluation, save_evaluation

pytestmark = pytest.mark.slow

NOW = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)
# The fields ATRS v3.0 marks required (template_table.md of the standard's repository).
ATRS_REQUIRED = {
    "1.1", "1.2", "1.3", "1.4",
    "2.1.1", "2.1.2", "2.1.3", "2.1.4",
    "2.2.2", "2.2.3",
    "2.3.1", "2.3.2", "2.3.3", "2.3.4", "2.3.5",
    "2.4.1.1", "2.4.1.2", "2.4.1.3", "2.4.1.4",
    "2.4.2.1", "2.4.2.2", "2.4.2.3", "2.4.2.4", "2.4.2.5", "2.4.2.6", "2.4.2.7", "2.4.2.8",
    "2.4.2.9",
    "2.4.3.1", "2.4.3.2", "2.4.3.3", "2.4.3.4", "2.4.3.5", "2.4.3.6", "2.4.3.7", "2.4.3.8",
    "2.4.3.10", "2.4.3.11",
    "2.5.1", "2.5.2",
}  # fmt: skip


@pytest.fixture(scope="module")
def fairness(
    strong_bias: LinkedPartnership,
    strong_bias_truth: Truth,
    strong_bias_young_carers: NeedEvaluation,
) -> FairnessReport:
    return fairness_report(
        strong_bias.history, strong_bias_truth, strong_bias_young_carers, bootstrap=100
    )


@pytest.fixture(scope="module")
def report(
    strong_bias_dir: Path,
    strong_bias: LinkedPartnership,
    strong_bias_young_carers: NeedEvaluation,
    fairness: FairnessReport,
) -> dict[str, object]:
    ev = strong_bias_young_carers
    run = RunSettings(
        partnership_settings(strong_bias_dir),
        strong_bias.history.people,
        strong_bias.records,
        (dt.date.fromordinal(ev.window[0]), dt.date.fromordinal(ev.window[1])),
        0.01,
        182,
        100,
        fairness.threshold,
        fairness.min_group,
    )
    return evaluation_report(run, [(ev, fairness)], NOW)


def span(e: Estimate, digits: int = 2) -> str:
    return f"{e.value:.{digits}f} ({e.low:.{digits}f} to {e.high:.{digits}f})"


def test_the_stored_report_is_the_report_and_holds_no_person(
    store: Store, report: dict[str, object], strong_bias: LinkedPartnership
) -> None:
    stored_id = save_evaluation(store, report, NOW)
    stored = latest_evaluation(store)
    assert stored is not None and stored.id == stored_id
    assert stored.report == json.loads(json.dumps(report))
    assert stored.alerts == len(report["alerts"]) >= 1  # type: ignore[arg-type]
    assert stored.reference_date == dt.date(2026, 3, 31)
    assert get_evaluation(store, stored_id + 1) is None
    text = json.dumps(stored.report)
    leaked = [p for p in strong_bias.history.person_ids.tolist() if p in text]
    assert leaked == []


def test_the_model_card_carries_the_evaluations_numbers(
    store: Store,
    report: dict[str, object],
    strong_bias_young_carers: NeedEvaluation,
    fairness: FairnessReport,
) -> None:
    stored_id = save_evaluation(store, report, NOW)
    stored = get_evaluation(store, stored_id)
    assert stored is not None
    card = model_card(stored.report, stored.id)
    text = to_markdown(card)
    assert text == to_markdown(model_card(report, stored_id))  # the store changes nothing
    ev = strong_bias_young_carers
    assert f"| Seen (multi-agency) | {ev.multi_agency.prompts:,} |" in text
    assert span(ev.multi_agency.recall) in text and span(ev.multi_agency.precision) in text
    for name, weight in zip(ev.model.names, ev.model.weights, strict=True):
        assert f"| {name} |" in text and f"| {weight:+.3f} |" in text
    assert ev.model.calibration is not None
    assert f"Brier score {ev.model.calibration.brier:.4f}" in text
    for alert in fairness.alerts:
        assert str(alert) in text
    deprivation = fairness.breakdowns[1]
    for group in deprivation.groups:
        fpr = group.rates[Metric.FALSE_POSITIVE_RATE]
        # Counts of 1 to 5, and the rates over them, are published as c.
        shown = [f"{n:,}" if not 0 < n < 6 else "c" for n in (group.children, group.positives)]
        if shown[0] == "c":
            shown[1] = "c"
        assert f"| {group.group} | {shown[0]} | {shown[1]} |" in text
        if shown[0] != "c":
            assert span(fpr) in text
    assert "agency-proxy label" in text and "never see the synthetic hidden truth" in text
    assert f"stored evaluation {stored_id}" in text
    body = json.loads(to_json(card))
    assert body["kind"] == "model_card" and body["source"]["evaluation_id"] == stored_id
    assert [s["id"] for s in body["sections"]][:2] == ["model-details", "intended-use"]


def test_the_transparency_record_has_every_required_field_and_the_same_numbers(
    report: dict[str, object], strong_bias_young_carers: NeedEvaluation, fairness: FairnessReport
) -> None:
    record = atrs_record(report, 7)
    body = json.loads(to_json(record))
    assert body["standard_version"] == "3.0"
    fields = {f["ref"]: f for s in body["sections"] for f in s["fields"]}
    assert ATRS_REQUIRED <= set(fields)
    assert all(f["blocks"] for f in fields.values())
    ev = strong_bias_young_carers
    performance = json.dumps(fields["2.4.2.7"])
    assert span(ev.multi_agency.recall) in performance
    assert span(ev.multi_agency.precision) in performance
    risks = to_markdown(record).split("### 2.5.2 Risks and mitigations")[1]
    for alert in fairness.alerts:
        assert str(alert) in risks
    assert fields["2.1.4"]["attribute"] == "external_supplier_involvement"
