"""The report's fairness tables count the children of the latest stored evaluation by group,
hidden need and prompt: the counts the fairness page's error rates are ratios of, linked so
that both breakdowns of a need are protected together; an alert is named without figures."""

from __future__ import annotations

from seen.report.fairness import fairness_tables
from seen.report.linked import protect_linked
from seen.report.partnership import LINKS
from seen.store import Store
from seen.store.evaluations import save_evaluation
from web.identification import NOW, Q1, Q5, hand_built_report


def test_there_are_no_fairness_tables_before_an_evaluation(store: Store) -> None:
    assert fairness_tables(store) == []


def test_each_group_is_counted_by_hidden_need_and_prompt(store: Store) -> None:
    save_evaluation(store, hand_built_report(gap=True), NOW)
    tables = {t.id: t for t in fairness_tables(store)}
    assert set(tables) == {"fairness_exploitation_ethnic", "fairness_exploitation_area"}
    area = tables["fairness_exploitation_area"]
    rows = dict(zip(area.layout.rows.categories, area.counts[0], strict=True))
    # 40 children with the need in each group, half found; of 200 without, 50% or 10% prompted.
    assert rows[Q1] == (20, 20, 100, 100)
    assert rows[Q5] == (20, 20, 20, 180)
    ethnic = tables["fairness_exploitation_ethnic"]
    assert sorted(ethnic.counts[0]) == sorted(area.counts[0])  # the same children
    # Named, without the rates (a rate over a shown total would give a suppressed count away).
    assert (
        f"Fairness alert: the false positive rate differs between {Q1} and {Q5} by more than "
        "0.05, with confidence (the rates and their intervals are on the fairness page)."
    ) in area.footer


def test_without_a_gap_no_alert_is_noted(store: Store) -> None:
    save_evaluation(store, hand_built_report(gap=False), NOW)
    for table in fairness_tables(store):
        assert not any("alert" in note for note in table.footer)


def test_both_breakdowns_are_protected_together(store: Store) -> None:
    save_evaluation(store, hand_built_report(gap=True), NOW)
    tables = fairness_tables(store)
    ethnic, area = protect_linked(tables, LINKS)
    totals = ethnic.layout.grid_shape[0] - 1
    for column in range(ethnic.layout.grid_shape[1]):
        assert ethnic.cell(0, (totals, column)) == area.cell(0, (totals, column))
