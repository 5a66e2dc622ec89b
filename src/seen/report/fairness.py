"""Who the prompts miss and whom they over-select, as tables of counts for the partnership
report: for each need, the children of the latest stored evaluation (`seen identify evaluate`,
or the demo's) by ethnic group and by deprivation quintile, and whether each had a hidden need
and a prompt.

The error rates are ratios of these counts: the false negative rate is *hidden need, missed*
over all with a hidden need; the false positive rate is *no hidden need, prompted* over all
without. The fairness page (`/governance/fairness`) gives them with their intervals and the
alert; the report publishes the counts under disclosure control, and the two breakdowns of a
need count the same children, so their column totals are protected together
(`seen.report.linked`). An alert is named in the table's notes without its figures.

An evaluation needs the hidden truth, which only a synthetic partnership has: in live use
there are no such tables until outcomes are recorded, and the report says so by leaving them
out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from seen.identify.labels import Need
from seen.report.linked import SharedMargin
from seen.report.table import Dimension, Table
from seen.store import Store
from seen.store.evaluations import latest_evaluation

SOURCE: Final = "Seen hub: the latest evaluation of the prompts against a synthetic partnership"

OUTCOMES: Final = Dimension(
    "Outcome",
    (
        "Hidden need, prompted",
        "Hidden need, missed",
        "No hidden need, prompted",
        "No hidden need, not prompted",
    ),
)
# Table ids by attribute (an id is at most 31 characters, so not the attribute's full name).
ATTRIBUTES: Final = {"ethnicity": ("ethnic", "Ethnic group"), "deprivation": ("area", "Area")}


def table_id(need: str, attribute: str) -> str:
    return f"fairness_{need}_{ATTRIBUTES[attribute][0]}"


# A need's two breakdowns count the same children: their column totals are the same figures.
LINKS: Final = tuple(
    SharedMargin(table_id(need, "ethnicity"), "columns", table_id(need, "deprivation"), "columns")
    for need in Need
)


def fairness_tables(store: Store) -> list[Table]:
    """A table per need and breakdown, from the latest stored evaluation; none before one."""
    stored = latest_evaluation(store)
    if stored is None:
        return []
    report = stored.report
    evaluated = f"Evaluated on {stored.created_at:%d %B %Y}"
    tables = []
    for need in report["needs"]:
        fairness = need["fairness"]
        for breakdown in fairness["breakdowns"]:
            tables.append(
                _table(
                    need,
                    breakdown,
                    (
                        f"{evaluated}, over the {report['run']['months']} months to "
                        f"{report['run']['window']['end']}, at "
                        f"{need['prompts_per_month']} prompts a month.",
                        "A child had a hidden need when it was there and no agency had yet "
                        "recorded it; prompted means a prompt while it was hidden.",
                        *_alert_notes(report, need["need"], breakdown["attribute"]),
                    ),
                )
            )
    return tables


def _table(need: Mapping[str, Any], breakdown: Mapping[str, Any], notes: Sequence[str]) -> Table:
    groups = [group["group"] for group in breakdown["groups"]]
    counts: dict[tuple[str, ...], int] = {}
    for group in breakdown["groups"]:
        for outcome, n in zip(OUTCOMES.categories, _outcome_counts(group), strict=True):
            counts[(group["group"], outcome)] = n
    _, row_name = ATTRIBUTES[breakdown["attribute"]]
    return Table.from_counts(
        id=table_id(need["need"], breakdown["attribute"]),
        title=f"{need['title']}: children by {breakdown['label']}, hidden need and prompt",
        unit="children",
        source=SOURCE,
        rows=Dimension(row_name, tuple(groups)),
        columns=OUTCOMES,
        counts=counts,
        footer=notes,
    )


def _outcome_counts(group: Mapping[str, Any]) -> tuple[int, int, int, int]:
    """A group's four counts, from its sizes and rates: a stored rate is a count over its
    denominator rounded to six places, so the count is exact for any group under 500,000."""
    positives, negatives = int(group["positives"]), int(group["negatives"])
    rates = group["rates"]
    missed = _times(rates["false_negative_rate"]["value"], positives)
    false_alarms = _times(rates["false_positive_rate"]["value"], negatives)
    return positives - missed, missed, false_alarms, negatives - false_alarms


def _times(rate: float | None, denominator: int) -> int:
    return 0 if rate is None or denominator == 0 else round(rate * denominator)


def _alert_notes(report: Mapping[str, Any], need: str, attribute: str) -> list[str]:
    return [
        f"Fairness alert: the {alert['metric_label']} differs between {alert['highest']} and "
        f"{alert['lowest']} by more than {alert['threshold']:g}, with confidence (the rates "
        "and their intervals are on the fairness page)."
        for alert in report["alerts"]
        if alert["need"] == need and alert["attribute"] == attribute
    ]
