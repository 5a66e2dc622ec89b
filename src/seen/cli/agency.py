"""Agency-side commands: they read raw extracts and hold the partnership key, so they run on
an agency's own machine. Nothing here writes to the hub."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from seen.cli.app import app, err, out, progress
from seen.domain.agencies import AgencyKind
from seen.errors import InvalidInput

if TYPE_CHECKING:
    from seen.encode import PackageSummary
    from seen.formats.extract import Extract, RejectedRow

KeepMistyped = Annotated[
    bool,
    typer.Option(
        help="Keep a row whose NHS number or UPN fails its check digit: the number is then "
        "compared within one typo only, never as equal."
    ),
]

keys = typer.Typer(help="The partnership key, held by the agencies only.", no_args_is_help=True)
app.add_typer(keys, name="keys")


@app.command()
def synth(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the partnership to.")],
    children: Annotated[
        int | None, typer.Option(help="How many children to create [default: 5000].")
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help="Random seed; the same seed, the same bytes [default: 1].")
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
    with progress("Creating the partnership") as update:
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
    keep_mistyped_numbers: KeepMistyped = False,
) -> None:
    """Check an agency extract without encoding or loading it, and list every problem.

    Example: seen validate ../shared/testdata/ssda903/ --report problems.csv
    """
    extract = read(paths, None, None, keep_mistyped=keep_mistyped_numbers)
    print_files(extract)
    write_report(extract, report)
    if not extract.ok:
        count = len(extract.problems) + extract.problems_not_listed
        raise InvalidInput(f"{count:,} problems found{_mistyped_hint(extract)}", extract.problems)
    out.print(
        f"No problems: {len(extract.records):,} records, {extract.event_count:,} events"
        f"{_kept_note(extract)}.",
        highlight=False,
    )


@keys.command("new")
def keys_new(
    key_out: Annotated[Path, typer.Option("--out", help="Where to write the new key file.")],
) -> None:
    """Create a partnership key. Share it between the agencies only, never with the hub.

    Example: seen keys new --out partnership.key
    """
    from seen.encode import PartnershipKey

    key = PartnershipKey.generate()
    key.save(key_out)
    out.print(f"Partnership key written to {key_out} (fingerprint {key.fingerprint}).")


@app.command()
def encode(
    key_path: Annotated[Path, typer.Option("--key", help="The partnership key file.")],
    agency: Annotated[str, typer.Option(help="Your agency's short name, e.g. northshire-police.")],
    inputs: Annotated[list[Path], typer.Option("--input", help="Extract file or folder.")],
    package_out: Annotated[Path, typer.Option("--out", help="The package file to write.")],
    map_: Annotated[
        str | None,
        typer.Option(
            "--map", help="For any CSV or Parquet: source_column=field,... onto identity fields."
        ),
    ] = None,
    kind: Annotated[
        str | None, typer.Option(help="Agency kind, when the files cannot tell (with --map).")
    ] = None,
    lookup: Annotated[
        Path | None, typer.Option(help="Postcode sector to deprivation decile CSV.")
    ] = None,
    skip_invalid: Annotated[
        bool, typer.Option(help="Encode the valid rows and write a rejects report.")
    ] = False,
    duplicate_free: Annotated[
        bool, typer.Option(help="Your extract holds at most one record per person.")
    ] = False,
    report: Annotated[Path | None, typer.Option(help="Write every problem to this CSV.")] = None,
    keep_mistyped_numbers: KeepMistyped = False,
) -> None:
    """Encode an agency extract into a package for the hub: no names, dates of birth or
    identifier numbers leave, only keyed encodings, references, events and demographics.

    Example: seen encode --key partnership.key --agency northshire-police
    --input extracts/police/ --out police.seenpkg
    """
    from seen.domain.agencies import agency_name_rule, valid_agency_name
    from seen.encode import PartnershipKey, parse_mapping, write_package

    if not valid_agency_name(agency):
        raise InvalidInput(agency_name_rule(agency))
    key = PartnershipKey.load(key_path)
    mapping = parse_mapping(map_) if map_ else None
    extract = read(inputs, lookup, mapping, keep_mistyped=keep_mistyped_numbers)
    write_report(extract, report)
    if not extract.ok and not skip_invalid:
        count = len(extract.problems) + extract.problems_not_listed
        raise InvalidInput(
            f"the extract has {count:,} problem(s), so nothing was encoded; fix them, or "
            "use --skip-invalid to encode the rest and list the others in a rejects report"
            f"{_mistyped_hint(extract)}",
            extract.problems,
        )
    agency_kind = _kind(extract, kind)
    with progress(f"Encoding {agency}"):
        summary = write_package(
            package_out,
            agency=agency,
            agency_kind=agency_kind,
            records=extract.records,
            key=key,
            source_files=extract.files,
            duplicate_free=duplicate_free,
        )
    _print_encoded(summary, package_out)
    rejected = "rows rejected; reasons in {path}" + _mistyped_hint(extract)
    _list_rows(package_out, ".rejects.csv", extract.rejected, rejected)
    kept = "rows kept with a mistyped NHS number or UPN (compared within one typo only); listed in "
    _list_rows(package_out, ".mistyped.csv", extract.kept, kept + "{path}")


def _list_rows(package: Path, suffix: str, rows: Sequence[RejectedRow], says: str) -> None:
    """Write `rows` to a report beside the package and say so (`{path}` in `says`)."""
    if not rows:
        return
    from seen.formats.reports import write_rejects

    path = package.with_name(package.name + suffix)
    write_rejects(path, rows)
    out.print(f"{len(rows):,} {says.format(path=path)}", highlight=False)


def _mistyped_hint(extract: Extract) -> str:
    """Where some rows fail only on numbers failing their check: the option that keeps them."""
    if not extract.rejected_mistyped:
        return ""
    return (
        f". {extract.rejected_mistyped:,} rows fail only because an NHS number or UPN fails its "
        "check: --keep-mistyped-numbers keeps them, comparing the number within one typo only"
    )


def _kept_note(extract: Extract) -> str:
    if not extract.kept:
        return ""
    return f"; {len(extract.kept):,} rows kept with a mistyped NHS number or UPN"


def _kind(extract: Extract, given: str | None) -> AgencyKind:
    if given is not None:
        try:
            chosen = AgencyKind(given)
        except ValueError:
            known = ", ".join(k.value for k in AgencyKind)
            raise InvalidInput(f"unknown agency kind {given!r}; use one of {known}") from None
        if extract.agency_kind is not None and extract.agency_kind != chosen:
            raise InvalidInput(
                f"the files look like a {extract.agency_kind.label} extract, not {chosen.label}"
            )
        return chosen
    if extract.agency_kind is None:
        raise InvalidInput("the kind of agency cannot be told from the files: give --kind")
    return extract.agency_kind


def _print_encoded(summary: PackageSummary, path: Path) -> None:
    out.print(
        f"Package {path}: {summary.records:,} records and {summary.events:,} events encoded "
        f"for {summary.agency} (key fingerprint {summary.key_fingerprint}).",
        highlight=False,
    )


def read(
    paths: Sequence[Path],
    lookup_path: Path | None,
    mapping: dict[str, str] | None,
    *,
    keep_mistyped: bool = False,
) -> Extract:
    """Read raw extract files (agency side only)."""
    from seen.encode.mapped import read_mapped_extract, standard_mapping
    from seen.formats import DeprivationLookup, read_extract

    lookup = DeprivationLookup.from_csv(lookup_path) if lookup_path else None
    # Files whose columns are already named as the identity fields need no --map.
    mapping = mapping or standard_mapping(paths)
    if mapping is not None:
        return read_mapped_extract(paths, mapping, lookup, keep_mistyped=keep_mistyped)
    return read_extract(paths, lookup, keep_mistyped=keep_mistyped)


def write_report(extract: Extract, report: Path | None) -> None:
    if report is None or extract.ok:
        return
    from seen.formats.reports import write_problems

    write_problems(report, extract.problems)
    unlisted = f" ({extract.problems_not_listed:,} more were counted but not kept)"
    err.print(
        f"Problems written to {report}{unlisted if extract.problems_not_listed else ''}",
        highlight=False,
    )


def print_files(extract: Extract) -> None:
    table = Table(title="Files read")
    for column in ("file", "recognised as", "rows", "rejected"):
        table.add_column(column, justify="right" if column in ("rows", "rejected") else "left")
    for file in extract.files:
        table.add_row(file.path, file.format, f"{file.rows:,}", f"{file.rejected_rows:,}")
    out.print(table)
