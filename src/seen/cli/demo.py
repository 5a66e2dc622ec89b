"""`seen demo`: the whole journey on a synthetic partnership, agency side then hub side."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from seen.cli.agency import read, synth
from seen.cli.app import app, out, progress, settings
from seen.cli.hub import print_ingest, print_summary
from seen.errors import InvalidInput

if TYPE_CHECKING:
    from seen.link.quality import Quality
    from seen.settings import Settings
    from seen.store import Store
    from seen.web_demo import WebDemo


@app.command()
def demo(
    children: Annotated[
        int, typer.Option(help="How many children in the demo partnership.")
    ] = 5000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
    serve: Annotated[
        bool,
        typer.Option(
            "--serve/--no-serve",
            help="End by serving the web app (SEEN_HOST:SEEN_PORT, 127.0.0.1:8000) until Ctrl-C.",
        ),
    ] = True,
) -> None:
    """Synthesise a partnership; each agency encodes its extract; the hub loads and links them;
    then practitioners, relationships, a young person's wish, the agreements register and one
    account per role are set up, their passwords printed, and the web app served.

    Example: seen demo --children 5000      (or: seen demo --no-serve, then seen serve)
    """
    from seen.encode import PartnershipKey, write_package
    from seen.hub_link import link_store
    from seen.package_ingest import ingest_package
    from seen.store import open_store
    from seen.web_demo import raise_demo_prompts, set_up_web_demo

    config = settings()
    root = config.data_dir / "demo"
    partnership = root / "partnership"
    synth(out_dir=partnership, children=children, seed=seed, config=None)

    # Agency side: one key for the partnership, kept between runs so packages stay comparable.
    key_path = root / "partnership.key"
    key = PartnershipKey.load(key_path) if key_path.exists() else PartnershipKey.generate()
    if not key_path.exists():
        key.save(key_path)
    lookup = partnership / "reference" / "postcode_deprivation.csv"
    created = _reference_time(partnership)
    packages = []
    for agency_dir in sorted((partnership / "agencies").iterdir()):
        # An agency keeps a child's rows whose NHS number or UPN has a typo: the hub compares
        # such a number within one typo (docs/formats.md, "Mistyped numbers").
        extract = read([agency_dir], lookup, None, keep_mistyped=True)
        package = root / "packages" / f"{agency_dir.name}.seenpkg"
        package.parent.mkdir(parents=True, exist_ok=True)
        assert extract.agency_kind is not None
        with progress(f"Encoding {agency_dir.name}"):
            summary = write_package(
                package,
                agency=agency_dir.name,
                agency_kind=extract.agency_kind,
                records=extract.records,
                key=key,
                source_files=extract.files,
                created=created,
            )
        out.print(
            f"{agency_dir.name} encoded {summary.records:,} records "
            f"({len(extract.rejected):,} rows rejected at the agency, {len(extract.kept):,} "
            "kept with a mistyped NHS number or UPN).",
            highlight=False,
        )
        packages.append(package)

    # Hub side: packages only.
    store = open_store(config)
    for package in packages:
        with progress(f"Loading {package.name}") as update:
            print_ingest(ingest_package(store, package, progress=update))
    print_summary(store)

    with progress("Linking") as update:
        linked = link_store(store, progress=lambda _stage, step, steps: update(step, steps))
    quality = _quality(store, partnership)
    out.print(
        f"Linked {linked.records:,} records into {linked.people:,} people; "
        f"{linked.review_pairs:,} uncertain pairs await review.",
        highlight=False,
    )
    out.print(
        f"Linkage quality against the synthetic ground truth: precision {quality.precision:.4f}, "
        f"recall {quality.recall:.4f}, F1 {quality.f1:.4f} "
        f"({quality.true_pairs:,} true pairs of records).",
        highlight=False,
    )
    out.print(f"Database: {config.resolved_database_url()}")

    now = dt.datetime.now(dt.UTC)
    web = set_up_web_demo(store, config, now)
    with progress("Raising prompts"):
        raised = raise_demo_prompts(store, now.date())
    for need, said in raised.items():
        out.print(f"{need}: {said}.", highlight=False)
    _evaluate(store, partnership, root / "transparency", now)
    _report(store, root / "report", now)
    _checkpoint(store, web.audit_key)
    print_web_demo(web)
    store.close()
    if serve:
        _serve(config)


def print_web_demo(web: WebDemo) -> None:
    from seen.web_demo import account_rows

    if web.agreements_imported:
        out.print(f"Imported {web.agreements_imported} example agreement(s) into the register.")
    if web.audit_key_created:
        out.print(f"Audit log signing key written to {web.audit_key} (mode 0600).")
    out.print(
        f"Demo children: {', '.join(web.children)}; every demo practitioner works with them.",
        highlight=False,
    )
    table = Table(title="Accounts for the web app (new passwords on every run)")
    # Nothing wraps: user names, passwords and references are copied from here, so a narrow
    # terminal wraps whole lines (which copy whole) rather than the table folding a cell.
    for column in ("role", "user name", "password", "agency", "to look for"):
        table.add_column(column, no_wrap=True)
    for row in account_rows(web):
        table.add_row(*row)
    # A console of the table's own width: `out` caps any print at its width (80 columns
    # where the width is unknown, as under a test runner or a pipe).
    wide = Measurement.get(out, out.options.update(width=10_000), table).maximum
    Console(file=out.file, width=max(out.width, wide), highlight=False).print(table)


def _serve(config: Settings) -> None:
    import uvicorn

    from seen.web import create_app

    out.print(
        f"Serving the web app at http://{config.host}:{config.port}/ (Ctrl-C stops).",
        highlight=False,
    )
    uvicorn.run(
        create_app(config),
        host=config.host,
        port=config.port,
        log_level=config.log_level.lower(),
        server_header=False,
    )


def _report(store: Store, folder: Path, now: dt.datetime) -> None:
    """The partnership report, as `seen report --out` writes it, kept for the dashboard and
    the public page."""
    from seen.report.partnership import produce, write_files
    from seen.store.published_reports import save_report

    with progress("Producing the partnership report") as update:
        tables = produce(store, now, stage=lambda _what, step, steps: update(step, steps))
    csv_files, workbook = write_files(tables, folder)
    number = save_report(store, tables, now)
    out.print(
        f"Partnership report {number} ({len(tables)} tables, after disclosure control): "
        f"{csv_files.data} and {workbook}; on the analyst's dashboard and the public page.",
        highlight=False,
    )


def _evaluate(store: Store, partnership: Path, folder: Path, now: dt.datetime) -> None:
    """Identification measured against the demo partnership's hidden truth, with fairness,
    stored for the fairness page; the model card and transparency record made from it."""
    from seen.identify.run_evaluation import evaluate_partnership
    from seen.identify.transparency import atrs_record, model_card, to_json, to_markdown
    from seen.store.evaluations import save_evaluation

    try:
        with progress("Evaluating identification against the synthetic truth") as update:
            done = evaluate_partnership(
                partnership, now, stage=lambda _what, step, steps: update(step, steps)
            )
    except InvalidInput as error:  # a small demo may record too few needs to train on
        out.print(f"Identification not evaluated: {error.message}.", highlight=False)
        return
    number = save_evaluation(store, done.report, now)
    folder.mkdir(parents=True, exist_ok=True)
    for name, document in (
        ("model-card", model_card(done.report, number)),
        ("algorithmic-transparency-record", atrs_record(done.report, number)),
    ):
        (folder / f"{name}.md").write_text(to_markdown(document), encoding="utf-8")
        (folder / f"{name}.json").write_text(to_json(document), encoding="utf-8")
    for result, fairness in done.evaluations:
        m = result.multi_agency
        out.print(
            f"{result.need.spec.title}, measured over {result.months} months against the "
            f"synthetic truth: precision {m.precision}, recall {m.recall}; "
            f"{len(fairness.alerts)} fairness alert(s).",
            highlight=False,
        )
    out.print(
        f"Stored as evaluation {number} for the fairness page; model card and transparency "
        f"record written to {folder}.",
        highlight=False,
    )


def _checkpoint(store: Store, key: Path) -> None:
    """A signed checkpoint of the audit log as the demo leaves it, for the audit page and the
    public page (the administrator signs later ones from the audit page)."""
    from seen.audit.keys import read_log_key
    from seen.audit.log import make_checkpoint

    signed = make_checkpoint(store, read_log_key(key))
    out.print(
        f"Signed an audit checkpoint of the log ({signed.tree_size:,} entries so far).",
        highlight=False,
    )


def _quality(store: Store, partnership: Path) -> Quality:
    """Compare the hub's people with the ground truth, which only the demo has."""
    from seen.link.quality import pairwise_quality
    from seen.store.linkage import current_people

    truth: dict[tuple[str, str], str] = {}
    with (partnership / "truth" / "records.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            truth[(row["agency"], row["record_id"])] = row["person_id"]
    predicted = (((agency, ref), person) for agency, ref, person in current_people(store))
    return pairwise_quality(predicted, truth)


def _reference_time(partnership: Path) -> dt.datetime:
    """The synthetic world's 'now', so that packages of the same partnership are the same
    bytes on every run and loading them again changes nothing."""
    manifest = json.loads((partnership / "manifest.json").read_text(encoding="utf-8"))
    day = dt.date.fromisoformat(manifest["reference_date"])
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
