"""The `seen` command. Errors become messages and exit codes here, and only here."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from typer.core import TyperGroup

from seen.errors import InvalidInput, SeenError
from seen.settings import Settings, load_settings

if TYPE_CHECKING:
    from seen.domain.records import Problem
    from seen.formats.extract import Extract
    from seen.ingest import IngestReport
    from seen.store import Store

class _SeenGroup(TyperGroup):
    """Turns Seen's own errors into a message and an exit code, however the app is run."""

    def invoke(self, ctx: Any) -> Any:  # a click Context, which typer vendors privately
        try:
            return super().invoke(ctx)
        except SeenError as error:
            _report_error(error)
            raise typer.Exit(error.exit_code) from None


app = typer.Typer(
    cls=_SeenGroup,
    name="seen",
    help="Seen: safe, accountable information sharing for children's safeguarding partnerships.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

PROBLEMS_SHOWN = 20


def main() -> None:
    """Entry point of the `seen` command."""
    app()


def _report_error(error: SeenError) -> None:
    err.print(f"[bold red]Error:[/] {error.message}", highlight=False)
    if isinstance(error, InvalidInput) and error.problems:
        _print_problems(error.problems)


def _print_problems(problems: Sequence[Problem]) -> None:
    from seen.formats.reports import tally

    counts = tally(problems)
    if len(problems) > PROBLEMS_SHOWN:
        err.print("Where the problems are:", highlight=False)
        for file, field, count in counts[:PROBLEMS_SHOWN]:
            err.print(f"  {count:>7,}  {file}, {field}", highlight=False, markup=False)
        err.print(f"The first {PROBLEMS_SHOWN}:", highlight=False)
    for problem in problems[:PROBLEMS_SHOWN]:
        err.print(f"  - {problem}", highlight=False, markup=False)
    more = len(problems) - PROBLEMS_SHOWN
    if more > 0:
        err.print(
            f"  ... and {more:,} more: --report FILE writes every problem to a CSV file",
            highlight=False,
        )


def _settings() -> Settings:
    settings = load_settings()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(levelname)s %(name)s %(message)s"
    )
    return settings


@contextmanager
def _progress(description: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar for long work; the callback takes (done, total)."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


# --- agency side ---------------------------------------------------------------------------


@app.command()
def synth(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the partnership to.")],
    children: Annotated[
        int | None, typer.Option(help="How many children to create [default: 5000].")
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(help="Random seed; the same seed gives the same bytes [default: 1]."),
    ] = None,
    config: Annotated[
        Path | None, typer.Option(help="YAML file overriding any documented rate.")
    ] = None,
) -> None:
    """Create a synthetic safeguarding partnership: every agency's extract and the ground truth.

    Example: seen synth --children 2000 --seed 7 --out data/partnership
    """
    from seen.synth import generate, load_config

    cfg = load_config(config, children=children, seed=seed)
    with _progress("Creating the partnership") as update:
        summary = generate(cfg, out_dir, progress=lambda _stage, done, total: update(done, total))
    table = Table(title=f"Synthetic partnership in {out_dir}")
    table.add_column("file")
    table.add_column("records", justify="right")
    for name, count in sorted(summary.records_by_file.items()):
        table.add_row(name, f"{count:,}")
    out.print(table)
    out.print(
        f"{summary.children:,} children in {summary.households:,} households; "
        f"{summary.total_agency_records:,} agency records. Ground truth is in {out_dir / 'truth'}."
    )


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Extract files or folders to check.")],
    report: Annotated[Path | None, typer.Option(help="Write every problem to this CSV.")] = None,
) -> None:
    """Check an agency extract without loading it anywhere, and list every problem.

    Example: seen validate ../shared/testdata/ssda903/ --report problems.csv
    """
    extract = _read(paths, None)
    _print_files(extract)
    _write_report(extract, report)
    if not extract.ok:
        raise InvalidInput(
            f"{len(extract.problems) + extract.problems_not_listed} problems found",
            extract.problems,
        )
    out.print(f"No problems: {len(extract.records):,} records, {extract.event_count:,} events.")


def _read(paths: Sequence[Path], lookup_path: Path | None) -> Extract:
    from seen.formats import DeprivationLookup, read_extract

    lookup = DeprivationLookup.from_csv(lookup_path) if lookup_path else None
    return read_extract(paths, lookup)


def _write_report(extract: Extract, report: Path | None) -> None:
    if report is None or extract.ok:
        return
    from seen.formats.reports import write_problems

    write_problems(report, extract.problems)
    unlisted = f" ({extract.problems_not_listed:,} more were counted but not kept)"
    err.print(
        f"Problems written to {report}{unlisted if extract.problems_not_listed else ''}",
        highlight=False,
    )


def _print_files(extract: Extract) -> None:
    table = Table(title="Files read")
    for column in ("file", "recognised as", "rows", "rejected"):
        table.add_column(column, justify="right" if column in ("rows", "rejected") else "left")
    for report in extract.files:
        table.add_row(report.path, report.format, f"{report.rows:,}", f"{report.rejected_rows:,}")
    out.print(table)


# --- hub side ------------------------------------------------------------------------------


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Extract files or folders.")],
    agency: Annotated[str, typer.Option(help="The agency's short name, e.g. northshire-police.")],
    skip_invalid: Annotated[
        bool, typer.Option(help="Import the valid rows and write a rejects report.")
    ] = False,
    lookup: Annotated[
        Path | None, typer.Option(help="Postcode sector to deprivation decile CSV.")
    ] = None,
    report: Annotated[Path | None, typer.Option(help="Write every problem to this CSV.")] = None,
) -> None:
    """Load an agency's extract into the hub. A file with any error imports nothing.

    Example: seen ingest --agency northshire-council --skip-invalid ../shared/testdata/ssda903/
    """
    settings = _settings()
    from seen.store import open_store

    store = open_store(settings)
    result = _ingest_one(store, settings, agency, paths, lookup, skip_invalid, report)
    _print_ingest(result)


def _ingest_one(
    store: Store,
    settings: Settings,
    agency: str,
    paths: Sequence[Path],
    lookup: Path | None,
    skip_invalid: bool,
    report: Path | None = None,
) -> IngestReport:
    from seen.ingest import ingest_extract

    extract = _read(paths, lookup)
    _write_report(extract, report)
    rejects = settings.data_dir / "rejects" / f"{agency}.csv" if skip_invalid else None
    with _progress(f"Loading {agency}") as update:
        return ingest_extract(
            store, agency, extract, skip_invalid=skip_invalid, rejects_path=rejects, progress=update
        )


def _print_ingest(report: IngestReport) -> None:
    if report.already_ingested:
        out.print(f"{report.agency}: this extract was already loaded; nothing changed.")
        return
    out.print(
        f"{report.agency} ({report.kind.label}): {report.records_new:,} new records, "
        f"{report.records_updated:,} updated, {report.events_new:,} new events "
        f"({report.events_already_held:,} already held)."
    )
    if report.rejected_rows:
        out.print(
            f"{report.rejected_rows:,} rows rejected; reasons in {report.rejects_path}",
            highlight=False,
        )


@app.command()
def summary() -> None:
    """Show what each agency has shared with the hub.

    Example: seen summary
    """
    from seen.store import open_store

    _print_summary(open_store(_settings()))


def _print_summary(store: Store) -> None:
    from seen.store import agency_summaries

    table = Table(title="What each agency holds in the hub")
    table.add_column("agency", no_wrap=True)
    table.add_column("kind")
    for column in ("records", "events", "rejected in last load"):
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


@app.command()
def demo(
    children: Annotated[
        int, typer.Option(help="How many children in the demo partnership.")
    ] = 5000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
) -> None:
    """Synthesise a partnership, load every agency's extract, and summarise the hub.

    Example: seen demo --children 5000
    """
    settings = _settings()
    from seen.store import open_store

    partnership = settings.data_dir / "demo" / "partnership"
    synth(out_dir=partnership, children=children, seed=seed, config=None)
    store = open_store(settings)
    lookup = partnership / "reference" / "postcode_deprivation.csv"
    for agency_dir in sorted((partnership / "agencies").iterdir()):
        report = _ingest_one(store, settings, agency_dir.name, [agency_dir], lookup, True)
        _print_ingest(report)
    _print_summary(store)
    out.print(f"Database: {settings.resolved_database_url()}")
