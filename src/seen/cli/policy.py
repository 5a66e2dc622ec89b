"""The policy simulator: `seen policy check` answers one request over a world described in
JSON, as the hub would, for tests and for governance to trial an agreement before signing it
(docs/policy.md, "The simulator")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from seen.cli.app import app, out

policy = typer.Typer(
    help="Sharing policy: try a request against a world of agreements and wishes.",
    no_args_is_help=True,
)
app.add_typer(policy, name="policy")


@policy.command("check")
def check(
    world: Annotated[
        Path, typer.Option("--world", help="The world: agencies, practitioners, children, ...")
    ],
    request: Annotated[
        Path, typer.Option("--request", help="The request: principal, record, purpose, ...")
    ],
) -> None:
    """Decide one request and print the decision as JSON: allow, deny or pending.

    Example: seen policy check --world world.json --request request.json
    """
    from seen.policy import PolicyEngine, load_request, load_world

    decision = PolicyEngine(load_world(world)).decide(load_request(request))
    out.print_json(json.dumps(decision.as_json()))
