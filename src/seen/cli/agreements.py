"""The agreements register at the hub: import signed agreements from YAML, list them with
whether each is in force, and suspend, reinstate or expire one, each change kept with who
made it and why."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from seen.cli.app import app, out, settings

if TYPE_CHECKING:
    from seen.store.governance import RegisteredAgreement

agreements = typer.Typer(
    help="Information-sharing agreements: import, list, suspend, reinstate, expire.",
    no_args_is_help=True,
)
app.add_typer(agreements, name="agreements")

By = Annotated[str, typer.Option("--by", help="Who makes the change (a role or staff ref).")]
Reason = Annotated[str, typer.Option("--reason", help="Why: kept in the register's history.")]


@agreements.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="A YAML or JSON file of agreements.")],
    by: By,
) -> None:
    """Add the agreements in FILE to the register: all of them, or none if any is invalid.

    Example: seen agreements import agreements.yaml --by "Partnership manager"
    """
    import yaml

    from seen.domain.agreements import agreements_from_document
    from seen.errors import InvalidInput
    from seen.store import open_store
    from seen.store.governance import import_agreements

    try:
        document = yaml.safe_load(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"{file}: no such file") from None
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise InvalidInput(f"{file}: not a YAML or JSON document ({error})") from None
    found, problems = agreements_from_document(document, str(file))
    if problems:
        raise InvalidInput(f"{file}: nothing imported ({len(problems)} problems)", problems)
    with open_store(settings()) as store:
        import_agreements(store, found, str(file), by, dt.datetime.now(dt.UTC))
    out.print(f"Imported {len(found)} agreement(s): {', '.join(a.ref for a in found)}")


@agreements.command("list")
def list_command(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """The register: each agreement, its status, whether it is in force today, its flows.

    Example: seen agreements list --json
    """
    from seen.store import open_store
    from seen.store.governance import list_agreements

    with open_store(settings()) as store:
        found = list_agreements(store)
    now = dt.datetime.now(dt.UTC)
    if as_json:
        out.print_json(json.dumps([_as_json(entry, now) for entry in found]))
        return
    if not found:
        out.print("The register is empty: seen agreements import FILE.yaml adds agreements.")
        return
    table = Table(title="Information-sharing agreements (--json for every term)")
    table.add_column("ref", no_wrap=True)
    for column in ("status", "in force", "runs", "review", "flows"):
        table.add_column(column)
    for entry in found:
        terms = entry.agreement
        table.add_row(
            terms.ref,
            str(terms.status),
            "yes" if entry.in_force(now) else "no",
            f"{terms.starts} to {terms.ends or 'open'}",
            str(terms.review),
            str(len(terms.flows)),
        )
    out.print(table)


@agreements.command("suspend")
def suspend_command(ref: str, reason: Reason, by: By) -> None:
    """Suspend an active agreement: nothing flows under it until it is reinstated.

    Example: seen agreements suspend ISA-1 --reason "Breach under review" --by "DPO"
    """
    _move(ref, "suspended", reason, by)


@agreements.command("reinstate")
def reinstate_command(ref: str, reason: Reason, by: By) -> None:
    """Make a draft or suspended agreement active.

    Example: seen agreements reinstate ISA-1 --reason "Review complete" --by "DPO"
    """
    _move(ref, "active", reason, by)


@agreements.command("expire")
def expire_command(ref: str, reason: Reason, by: By) -> None:
    """End an agreement for good (a renewal is a new agreement with a new reference).

    Example: seen agreements expire ISA-1 --reason "Replaced by ISA-2" --by "DPO"
    """
    _move(ref, "expired", reason, by)


def _move(ref: str, status: str, reason: str, by: str) -> None:
    from seen.domain.sharing import AgreementStatus
    from seen.store import open_store
    from seen.store.governance import change_status

    with open_store(settings()) as store:
        change_status(store, ref, AgreementStatus(status), reason, by, dt.datetime.now(dt.UTC))
    out.print(f"Agreement {ref} is now {status}.")


def _as_json(entry: RegisteredAgreement, now: dt.datetime) -> dict[str, Any]:
    terms = entry.agreement
    return {
        "ref": terms.ref,
        "title": terms.title,
        "purpose_description": terms.purpose_description,
        "status": str(terms.status),
        "in_force": entry.in_force(now),
        "parties": [{"agency": p.agency, "role": str(p.role)} for p in terms.parties],
        "flows": [
            {"from": f.source, "to": f.recipient, "categories": sorted(f.categories)}
            for f in terms.flows
        ],
        "purposes": sorted(map(str, terms.purposes)),
        "lawful_bases": sorted(map(str, terms.lawful_bases)),
        "special_category": terms.special_category,
        "criminal_offence_data": terms.criminal_offence_data,
        "release": str(terms.release),
        "retention": terms.retention,
        "starts": terms.starts.isoformat(),
        "review": terms.review.isoformat(),
        "ends": terms.ends.isoformat() if terms.ends else None,
        "signed_off_by": terms.signed_off_by,
        "signed_off_on": terms.signed_off_on.isoformat(),
        "history": [
            {
                "status": str(change.status),
                "reason": change.reason,
                "by": change.changed_by,
                "at": change.changed_at.isoformat(),
            }
            for change in entry.history
        ],
    }
