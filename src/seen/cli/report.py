"""`seen report`: the partnership's figures, after disclosure control, as CSV and Excel, kept
in the store for the analyst's dashboard and the public transparency page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table as RichTable

from seen.cli.app import app, out, output_folder, progress, settings


@app.command("report")
def report_command(
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Folder for seen-report.csv (and its guidance file) "
            "and seen-report.xlsx; created if missing.",
        ),
    ],
    round_totals: Annotated[
        int | None,
        typer.Option(
            "--round-totals",
            min=2,
            help="Round every total to the nearest multiple of this (the DfE rounds totals "
            "that add up areas to 10); exact by default.",
        ),
    ] = None,
) -> None:
    """Count the partnership's figures (sharing, young people's voice, hidden needs, linkage)
    from the hub's store, apply disclosure control to every table (counts 1 to 5 shown as c,
    and whatever else would give them away), write them as tidy CSV and Excel, and keep them
    for the dashboard and the public page.

    Example: seen report --out reports/2026-11
    """
    from seen.report.partnership import headlines, produce, write_files
    from seen.report.rules import DisclosureRules
    from seen.report.sharing import answer_times
    from seen.store import open_store
    from seen.store.published_reports import save_report

    output_folder(out_dir)  # before any counting: a wrong folder is said at once
    rules = DisclosureRules(round_totals_to=round_totals)
    now = dt.datetime.now(dt.UTC)
    config = settings()
    with open_store(config) as store:
        with progress("Counting, then disclosure control") as update:
            protected = produce(
                store, now, rules, stage=lambda _what, step, steps: update(step, steps)
            )
        csv_files, workbook = write_files(protected, out_dir)
        number = save_report(store, protected, now)
        times = answer_times(store, now, dt.timedelta(days=config.answer_target_days))

    shown = RichTable(title=f"Report {number}: {len(protected)} tables")
    for column in ("table", "figures", "marked c"):
        shown.add_column(column)
    for published in protected:
        figures = list(published.figures())
        hidden = sum(1 for f in figures if f.cell.marker.value == "c")
        shown.add_row(published.id, str(len(figures)), str(hidden))
    out.print(shown)
    for headline in headlines(protected):
        out.print(f"  {headline.label}: {headline.figure.text}", highlight=False)
    if times.median is not None and times.p90 is not None:
        took = (
            f"median {times.median.total_seconds() / 86400:.1f} days, 90th percentile "
            f"{times.p90.total_seconds() / 86400:.1f} days"
        )
    else:
        took = "median and 90th percentile not shown: fewer than 10 answers"
    out.print(
        f"  Answers to requests to release a record: {times.answers_shown}; {took}; "
        f"{times.within_target_shown} within the partnership's target of "
        f"{config.answer_target_days:g} days.",
        highlight=False,
    )
    out.print(
        f"Wrote {csv_files.data}, {csv_files.guidance} and {workbook}; kept as report "
        f"{number} for the dashboard and the public page.",
        highlight=False,
    )
