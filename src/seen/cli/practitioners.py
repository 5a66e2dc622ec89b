"""Practitioners and their relationships with children, from the command line: who works in
which agency in which roles, and which children they work with (and why). The sharing policy
reads both (docs/policy.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from seen.cli.app import app, out, settings

practitioners = typer.Typer(
    help="Practitioners: who works in which agency, in which roles.", no_args_is_help=True
)
app.add_typer(practitioners, name="practitioners")

relationships = typer.Typer(
    help="Relationships: which practitioners work with which children, and why.",
    no_args_is_help=True,
)
app.add_typer(relationships, name="relationships")


@practitioners.command("add")
def add_practitioner_command(
    ref: Annotated[str, typer.Argument(help="Pseudonymous reference, e.g. sw-amara.")],
    agency: Annotated[str, typer.Option(help="Their agency, as it ingests into the hub.")],
    role: Annotated[
        list[str],
        typer.Option(
            help="A practitioner role, e.g. social_worker, designated_safeguarding_lead, "
            "police_officer, health_visitor; repeatable."
        ),
    ],
) -> None:
    """Add a practitioner of an agency that has joined the hub.

    Example: seen practitioners add sw-amara --agency northshire-council --role social_worker
    """
    from seen.store import open_store
    from seen.store.governance import add_practitioner

    with open_store(settings()) as store:
        add_practitioner(store, ref, agency, role)
    out.print(f"Added practitioner {ref} of {agency} ({', '.join(role)}).", highlight=False)


@relationships.command("add")
def add_relationship_command(
    practitioner: Annotated[str, typer.Argument(help="The practitioner's reference.")],
    person_id: Annotated[str, typer.Argument(help="The child's person id, e.g. P0001.")],
    reason: Annotated[
        str, typer.Option(help="Why they work with the child, e.g. 'allocated social worker'.")
    ],
) -> None:
    """Record that a practitioner works with a child, from now until it is ended.

    Example: seen relationships add sw-amara P0001 --reason "allocated social worker"
    """
    import datetime as dt

    from seen.errors import InvalidInput, NotFound
    from seen.sharing.world_slice import agencies_holding
    from seen.store import open_store
    from seen.store.governance import add_relationship, related_practitioners

    reason = reason.strip()
    if not reason or len(reason) > 200:
        raise InvalidInput("give a reason of 1 to 200 characters")
    now = dt.datetime.now(dt.UTC)
    with open_store(settings()) as store:
        if not agencies_holding(store, person_id):
            raise NotFound(f"no person {person_id!r} in the hub's latest linkage")
        if practitioner in related_practitioners(store, person_id, now):
            raise InvalidInput(f"{practitioner} already works with {person_id}")
        add_relationship(store, practitioner, person_id, reason, now)
    out.print(f"{practitioner} now works with {person_id}.", highlight=False)
