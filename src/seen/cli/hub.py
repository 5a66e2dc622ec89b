"""Hub-side commands: they take encoded packages only, never raw extracts or a key."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from seen.cli.app import app, out, progress, settings

if TYPE_CHECKING:
    from seen.ingest import IngestReport
    from seen.store import Store


@app.command()
def ingest(
    packages: Annotated[list[Path], typer.Argument(help="Package files made by `seen encode`.")],
    agency: Annotated[
        str | None, typer.Option(help="Check that every package comes from this agency.")
    ] = None,
) -> None:
    """Load agencies' encoded packages into the hub. A package with any problem loads nothing.

    Example: seen ingest police.seenpkg schools.seenpkg
    """
    from seen.package_ingest import ingest_package
    from seen.store import open_store

    store = open_store(settings())
    for package in packages:
        with progress(f"Loading {package.name}") as update:
            report = ingest_package(store, package, agency=agency, progress=update)
        print_ingest(report)


def print_ingest(report: IngestReport) -> None:
    if report.already_ingested:
        out.print(f"{report.agency}: this package was already loaded; nothing changed.")
        return
    out.print(
        f"{report.agency} ({report.kind.label}): {report.records_new:,} new records, "
        f"{report.records_updated:,} updated, {report.events_new:,} new events "
        f"({report.events_already_held:,} already held).",
        highlight=False,
    )


@app.command()
def summary() -> None:
    """Show what each agency has shared with the hub.

    Example: seen summary
    """
    from seen.store import open_store

    print_summary(open_store(settings()))


def print_summary(store: Store) -> None:
    from seen.store import agency_summaries

    table = Table(title="What each agency holds in the hub")
    table.add_column("agency", no_wrap=True)
    table.add_column("kind")
    for column in ("records", "events", "rejected at the agency"):
        table.add_column(column, justify="right")
    table.add_column("last load (UTC)")
    for item in agency_summaries(store):
        table.add_row(
            item.name,
            item.kind.label,
            f"{item.records:,}",
            f"{item.events:,}",
            f"{item.rejected_rows_last_run:,}",
            item.last_ingest.strftime("%Y-%m-%d %H:%M") if item.last_ingest else "never",
        )
    out.print(table)


@app.command("link")
def link_command(
    packages: Annotated[
        list[Path] | None,
        typer.Argument(help="Link these packages standalone (with --out) instead of the hub."),
    ] = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Folder for pairs.parquet and people.parquet.")
    ] = None,
    backend: Annotated[
        str,
        typer.Option(
            help="The engine that links: duckdb (in process) or spark (Apache Spark, local "
            "unless SEEN_SPARK_MASTER names a cluster). Both give the same people."
        ),
    ] = "duckdb",
    incremental: Annotated[
        bool,
        typer.Option(
            "--incremental",
            help="Link only the records loaded since the latest link run to its people, with "
            "its model: no retraining, and people no new record joins keep their ids.",
        ),
    ] = False,
) -> None:
    """Link records about the same person across agencies, from keyed encodings only.

    With no packages, links everything loaded into the hub, honours reviewers' decisions and
    keeps person ids stable; --incremental links only the records loaded since the latest
    run. With packages and --out, writes Parquet files and touches no database. --backend
    spark runs the same linkage on Apache Spark.

    Example: seen link            (or: seen link police.seenpkg schools.seenpkg --out linked/)
    """
    from seen.errors import InvalidInput
    from seen.hub_link import link_packages, link_store, link_store_incremental
    from seen.link.backend import check_backend

    check_backend(backend)
    if incremental and (packages or backend != "duckdb"):
        raise InvalidInput(
            "--incremental links the hub's new records on DuckDB: give no package files and "
            "no --backend"
        )
    if incremental:
        from seen.store import open_store

        with progress("Linking the new records") as update:
            summary = link_store_incremental(open_store(settings()), progress=_stages(update))
        before = summary.started_from
        if summary.run_id is None:
            out.print(f"No records were loaded since link run {before}: nothing to link.")
            return
        out.print(
            f"{summary.records:,} records are now in {summary.people:,} people: the records "
            f"loaded since link run {before} were linked with its model ({summary.pairs:,} "
            f"scored pairs, {summary.review_pairs:,} new uncertain pairs await review); saved "
            f"as link run {summary.run_id}.",
            highlight=False,
        )
        return
    if packages:
        if out_dir is None:
            raise InvalidInput("linking packages standalone needs --out FOLDER for the results")
        with progress("Linking") as update:
            summary = link_packages(packages, out_dir, progress=_stages(update), backend=backend)
        where = f"written to {out_dir}"
    else:
        if out_dir is not None:
            raise InvalidInput("--out goes with package files; without them the hub is linked")
        from seen.store import open_store

        store = open_store(settings())
        with progress("Linking") as update:
            summary = link_store(store, progress=_stages(update), backend=backend)
        where = f"saved as link run {summary.run_id}"
    out.print(
        f"{summary.records:,} records linked into {summary.people:,} people from "
        f"{summary.pairs:,} scored pairs; {summary.review_pairs:,} uncertain pairs await "
        f"review; {where}.",
        highlight=False,
    )


def _stages(update: Callable[[int, int], None]) -> Callable[[str, int, int], None]:
    return lambda _stage, step, steps: update(step, steps)
