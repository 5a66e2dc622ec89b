"""`seen identify`: bring hidden needs to a human's attention, and measure how well it does.

`evaluate` measures on a synthetic partnership (against its hidden truth); `run` raises
prompts from the hub's store as of a date. Prompts are suggestions for review, never
decisions; their evidence is codes, dates and pseudonymous ids only.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from seen.cli.app import app, out, output_folder, progress, settings
from seen.errors import InvalidInput

if TYPE_CHECKING:
    from seen.identify.evaluate import Estimate, NeedEvaluation
    from seen.identify.fairness import FairnessReport

identify = typer.Typer(
    help="Early identification of hidden needs: evaluate on a synthetic partnership, or "
    "raise prompts for review.",
    no_args_is_help=True,
)
app.add_typer(identify, name="identify")

NEED_HELP = "young_carer or exploitation (default: both)."


def _needs(need: str | None) -> list[str]:
    from seen.identify.labels import Need

    if need is None:
        return [n.value for n in Need]
    if need not in {n.value for n in Need}:
        raise InvalidInput(f"unknown need {need!r}: expected young_carer or exploitation")
    return [need]


@identify.command("evaluate")
def evaluate_command(
    partnership: Annotated[
        Path, typer.Argument(help="A synthetic partnership folder written by `seen synth`.")
    ],
    capacity: Annotated[
        float,
        typer.Option(min=0.0001, max=1.0, help="Prompts a month per need, as a share of children."),
    ] = 0.01,
    months: Annotated[
        int, typer.Option(min=3, max=48, help="Months evaluated, ending at the reference date.")
    ] = 24,
    expiry_days: Annotated[
        int, typer.Option(min=7, max=730, help="Days a prompt stays open unless renewed.")
    ] = 182,
    bootstrap: Annotated[
        int, typer.Option(min=0, max=5000, help="Bootstrap resamples for the intervals.")
    ] = 500,
    need: Annotated[str | None, typer.Option(help=NEED_HELP)] = None,
    fairness_threshold: Annotated[
        float,
        typer.Option(
            min=0.0,
            max=1.0,
            help="A gap in false negative or false positive rate between groups above this "
            "(with its whole 95% interval) raises a fairness alert.",
        ),
    ] = 0.05,
    min_group: Annotated[
        int,
        typer.Option(min=1, help="Children a group needs in a rate's denominator to be compared."),
    ] = 30,
    save: Annotated[
        bool,
        typer.Option(
            "--save",
            help="Store the report (aggregates only) in the hub's store, for the web app's "
            "fairness page and `seen identify transparency`.",
        ),
    ] = False,
) -> None:
    """Link the partnership as the hub would (read, encode with a throwaway key, link), train
    each need's model on what agencies recorded before the evaluation window, then prompt
    monthly at a fixed capacity and measure against the hidden truth: precision, recall,
    median lead time (95% bootstrap intervals) and prompts, beside the best single-agency
    peer at the same capacity; then fairness by ethnic group and deprivation quintile
    (selection, false negative and false positive rates, calibration) with any alert.

    Example: seen synth --config bench/identify/default.yaml --out data/p
             seen identify evaluate data/p --capacity 0.002 --save
    """
    from seen.identify.labels import Need
    from seen.identify.run_evaluation import evaluate_partnership

    config = settings()
    now = dt.datetime.now(dt.UTC)
    with progress("Linking, then evaluating each need") as update:
        done = evaluate_partnership(
            partnership,
            now,
            needs=[Need(name) for name in _needs(need)],
            capacity_share=capacity,
            months=months,
            expiry_days=expiry_days,
            bootstrap=bootstrap,
            fairness_threshold=fairness_threshold,
            min_group=min_group,
            stage=lambda _what, step, steps: update(step, steps),
        )
    start, end = done.window
    out.print(
        f"{done.records:,} records linked into {done.people:,} people; "
        f"evaluated {start} to {end} at {capacity:.2%} of children a month.",
        highlight=False,
    )
    for result, fairness in done.evaluations:
        print_evaluation(result)
        print_fairness(fairness)
    print_alerts([f for _, f in done.evaluations])
    if save:
        from seen.store import open_store
        from seen.store.evaluations import save_evaluation

        with open_store(config) as store:
            stored = save_evaluation(store, done.report, now)
        out.print(
            f"Stored as evaluation {stored}: the fairness page shows it, and "
            "`seen identify transparency` makes the model card and transparency record from it.",
            highlight=False,
        )


def print_evaluation(ev: NeedEvaluation) -> None:
    from seen.identify.evaluate import targets

    table = Table(
        title=f"{ev.need.spec.title}: {ev.capacity:,} prompts a month for {ev.months} months",
        title_justify="left",
    )
    for column in ("method", "prompts", "children", "precision", "recall", "median lead (months)"):
        table.add_column(column, justify="left" if column == "method" else "right")
    for r in (ev.multi_agency, *ev.single_agency):
        table.add_row(
            r.method,
            f"{r.prompts:,}",
            f"{r.children_prompted:,}",
            str(r.precision),
            str(r.recall),
            f"{r.lead_months} n={r.came_to_light}",
        )
    out.print(table)
    out.print(
        f"Hidden in the window: {ev.multi_agency.hidden_children:,} children.", highlight=False
    )
    cal = ev.model.calibration
    if cal is not None:
        out.print(
            f"Calibration on held-out proxy labels ({cal.held_out_rows:,} children): Brier "
            f"{cal.brier:.4f} (base rate alone {cal.brier_base_rate:.4f}).",
            highlight=False,
        )
    for t in targets(ev):
        verdict = {True: "met", False: "NOT met", None: "n/a"}[t.met]
        out.print(f"  {t.what}: {t.measured}: {verdict}", highlight=False)


def print_fairness(report: FairnessReport) -> None:
    from seen.identify.fairness import Metric, interval
    from seen.identify.labels import Need

    title = Need(report.need).spec.title
    for b in report.breakdowns:
        rows = (*b.groups, report.overall)
        errors = Table(title=f"{title}: errors by {b.attribute.label}", title_justify="left")
        for column in ("group", "children", "hidden need", "selection", "false neg.", "false pos."):
            errors.add_column(column, justify="left" if column == "group" else "right")
        for g in rows:
            r = g.rates
            errors.add_row(
                g.group,
                f"{g.children:,}",
                f"{g.positives:,}",
                str(r[Metric.SELECTION_RATE]),
                str(r[Metric.FALSE_NEGATIVE_RATE]),
                str(r[Metric.FALSE_POSITIVE_RATE]),
            )
        out.print(errors)
        for gap in b.gaps:
            pair = f" ({gap.highest} vs {gap.lowest})" if gap.highest else ""
            out.print(
                f"  gap in {gap.metric.label}: {interval(gap.difference)}{pair}: {gap.status}",
                highlight=False,
            )
        calibration = Table(
            title=f"{title}: calibration by {b.attribute.label} (per child-month)",
            title_justify="left",
        )
        heads = ("group", "child-months", "predicted", "observed (proxy)", "observed (truth)")
        for column in heads:
            calibration.add_column(column, justify="left" if column == "group" else "right")
        for g in rows:
            r = g.rates
            calibration.add_row(
                g.group,
                f"{g.child_months:,}",
                _three(r[Metric.MEAN_PREDICTED]),
                _three(r[Metric.OBSERVED_PROXY]),
                _three(r[Metric.OBSERVED_TRUTH]),
            )
        out.print(calibration)


def _three(e: Estimate) -> str:
    if math.isnan(e.value):
        return "n/a"
    if math.isnan(e.low):
        return f"{e.value:.3f}"
    return f"{e.value:.3f} ({e.low:.3f}-{e.high:.3f})"


def print_alerts(reports: list[FairnessReport]) -> None:
    alerts = [a for r in reports for a in r.alerts]
    possible = [a for r in reports for a in r.possible]
    if alerts:
        out.print(f"[bold red]FAIRNESS ALERT[/]: {len(alerts)} gap(s) above the threshold:")
        for a in alerts:
            out.print(f"  {a}", highlight=False, markup=False)
    else:
        out.print("No fairness alert: no gap is shown to be above the threshold.")
    if possible:
        out.print(f"Possible disparities, not established ({len(possible)}):")
        for a in possible:
            out.print(f"  {a}", highlight=False, markup=False)


@identify.command("transparency")
def transparency_command(
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder to write the model card and record to.")
    ],
    evaluation: Annotated[
        int | None,
        typer.Option(min=1, help="A stored evaluation's number (default: the latest)."),
    ] = None,
) -> None:
    """Write the model card and the Algorithmic Transparency Recording Standard record of a
    stored evaluation (`seen identify evaluate --save`), as Markdown and JSON:
    model-card.md, model-card.json, algorithmic-transparency-record.md and
    algorithmic-transparency-record.json.

    Example: seen identify transparency --out docs/
    """
    from seen.errors import NotFound
    from seen.identify.transparency import atrs_record, model_card, to_json, to_markdown
    from seen.store import open_store
    from seen.store.evaluations import get_evaluation, latest_evaluation

    with open_store(settings()) as store:
        stored = (
            latest_evaluation(store) if evaluation is None else get_evaluation(store, evaluation)
        )
    if stored is None:
        raise NotFound(
            "no stored evaluation yet: run `seen identify evaluate PARTNERSHIP --save` first"
            if evaluation is None
            else f"no stored evaluation {evaluation}"
        )
    output_folder(out_dir)
    for name, document in (
        ("model-card", model_card(stored.report, stored.id)),
        ("algorithmic-transparency-record", atrs_record(stored.report, stored.id)),
    ):
        (out_dir / f"{name}.md").write_text(to_markdown(document), encoding="utf-8")
        (out_dir / f"{name}.json").write_text(to_json(document), encoding="utf-8")
        out.print(f"Wrote {out_dir / name}.md and .json", highlight=False)


@identify.command("run")
def run_command(
    as_of: Annotated[
        str, typer.Option("--as-of", help="The date prompts are raised on (YYYY-MM-DD).")
    ],
    capacity: Annotated[
        float,
        typer.Option(min=0.0001, max=1.0, help="Prompts per need, as a share of children."),
    ] = 0.01,
    need: Annotated[str | None, typer.Option(help=NEED_HELP)] = None,
    evidence: Annotated[
        int, typer.Option(min=0, max=20, help="Indicators of evidence shown per prompt.")
    ] = 3,
    expiry_days: Annotated[
        int, typer.Option(min=7, max=730, help="Days a prompt stays open unless renewed.")
    ] = 182,
) -> None:
    """Raise prompts from the hub's store as of a date and store them with their evidence
    and an expiry: train each need's model on what agencies recorded before the date, renew
    open prompts that new evidence supports, let the others run to their expiry, and prompt
    the highest scored children without an open prompt, up to the capacity.

    Example: seen identify run --as-of 2026-03-01 --capacity 0.005
    """
    from seen.identify.history import history_from_store
    from seen.identify.labels import Need
    from seen.identify.lifecycle import run_prompts
    from seen.store import open_store

    try:
        day = dt.date.fromisoformat(as_of)
    except ValueError:
        raise InvalidInput(f"--as-of {as_of!r} is not a date (YYYY-MM-DD)") from None
    needs = _needs(need)
    with open_store(settings()) as store:
        history = history_from_store(store)
        if history.people == 0:
            out.print("No linked people yet: `seen ingest` then `seen link` first.")
            return
        for name in needs:
            spec = Need(name).spec
            result = run_prompts(
                store, history, Need(name), day, capacity_share=capacity, expiry_days=expiry_days
            )
            out.print(
                f"{spec.title}: {len(result.new)} new prompt(s) on {day} for "
                f"{spec.acting_agency.label} ({spec.action}); {len(result.renewed)} renewed by "
                f"new evidence; {result.left_open} left to run to their expiry.",
                highlight=False,
            )
            table = Table()
            for column in ("person", "probability", "expires", "evidence (log-odds added)"):
                table.add_column(column)
            for prompt in result.new:
                shown = "; ".join(
                    f"{c.indicator} {c.value:.3g} {c.unit} "
                    f"(+{c.points:.2f}, {len(c.events)} events)"
                    for c in prompt.explanation.raised_by[:evidence]
                )
                table.add_row(
                    prompt.person_id, f"{prompt.probability:.3f}", str(prompt.expires_on), shown
                )
            if result.new:
                out.print(table)


@identify.command("monitor")
def monitor_command(
    agency: Annotated[
        str | None, typer.Option(help="One reviewing agency's decisions (default: every one).")
    ] = None,
) -> None:
    """Automation-bias monitoring of reviewers' decisions on prompts, per need and reviewing
    agency: how often reviewers agree with the prompt's suggestion (offer support, refer)
    against overriding it (no action, not relevant), with a 95% interval; the median days
    from a prompt's evidence to its decision; decisions taken within a minute of first opening
    the prompt; outcomes by decision; and a warning where agreement is very high or very low,
    decisions are quick, or an overridden prompt's need came to light later
    (docs/identify.md, "Monitoring automation bias").

    Example: seen identify monitor --agency northshire-young-carers
    """
    from seen.identify.monitoring import QUICK_SECONDS, monitor
    from seen.store import open_store

    with open_store(settings()) as store:
        found = monitor(store, agency)
    if not found:
        out.print(
            "No decisions on prompts yet"
            + (f" by {agency}" if agency else "")
            + ": reviewers decide in the web app's prompt queues."
        )
        return
    table = Table(title="Reviewers' decisions on prompts", title_justify="left")
    for column in (
        "need",
        "agency",
        "decisions",
        "agreed (95% interval)",
        "overridden",
        "median days to decide",
        f"decided within {QUICK_SECONDS}s",
    ):
        table.add_column(column, justify="left" if column in {"need", "agency"} else "right")
    for stats in found:
        interval = stats.agreement_interval
        assert interval is not None and stats.agreement is not None  # every row has decisions
        table.add_row(
            stats.need.value,
            stats.agency,
            str(stats.decisions),
            f"{stats.agreed} ({stats.agreement:.0%}, {interval[0]:.0%}-{interval[1]:.0%})",
            str(stats.overridden),
            f"{stats.median_days_to_decision:g}",
            f"{stats.quick} ({stats.quick_share:.0%})",
        )
    out.print(table)
    outcomes = Table(title="Outcomes by decision", title_justify="left")
    for column in ("need", "agency", "decision", "outcome", "decisions"):
        outcomes.add_column(column, justify="right" if column == "decisions" else "left")
    for stats in found:
        for decision, counts in stats.outcomes.items():
            for outcome, count in counts.items():
                outcomes.add_row(
                    stats.need.value, stats.agency, decision.value, outcome, str(count)
                )
    out.print(outcomes)
    for stats in found:
        for warning in stats.warnings:
            out.print(
                f"[bold]Warning[/] ({stats.need.value}, {stats.agency}): {warning}",
                highlight=False,
            )
