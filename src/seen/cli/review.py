"""Clerical review at the hub: the uncertain pairs of the latest link run, each explained
comparison by comparison (which level agreed and the weight it added), never with a token,
a filter or anything in plain text; and reviewers' decisions, which every later `seen link`
honours."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from seen.cli.app import app, out, settings

if TYPE_CHECKING:
    from seen.store.linkage import QueuedPair

review = typer.Typer(
    help="Clerical review of uncertain links: list the open pairs, record decisions.",
    no_args_is_help=True,
)
app.add_typer(review, name="review")


@review.command("list")
def list_command(
    limit: Annotated[
        int, typer.Option("--limit", min=1, help="Show at most this many open pairs.")
    ] = 20,
    as_json: Annotated[
        bool, typer.Option("--json", help="Machine-readable output (JSON) instead of tables.")
    ] = False,
) -> None:
    """List the latest link run's uncertain pairs that no reviewer has decided, most probable
    first, each explained comparison by comparison: what agreed, how strongly, and the match
    weight it added. No names, dates, identifiers, tokens or filters are shown.

    Example: seen review list --limit 5
    """
    from seen.clerical_review import queue_json
    from seen.store import open_store
    from seen.store.linkage import open_review_pairs

    with open_store(settings()) as store:
        queue = open_review_pairs(store, limit=limit)
    if as_json:
        typer.echo(json.dumps(queue_json(queue), indent=2))
        return
    if queue is None:
        out.print("There has been no link run yet: `seen link` makes the review queue.")
        return
    out.print(
        f"Link run {queue.run_id} (finished {queue.finished_at:%Y-%m-%d %H:%M} UTC): "
        f"{queue.open:,} of {queue.queued:,} uncertain pairs await a decision "
        f"(match probability from {queue.review_low:g} up to {queue.review_high:g}).",
        highlight=False,
    )
    if not queue.pairs:
        out.print("The review queue is empty: every pair of this run has a decision.")
        return
    for pair in queue.pairs:
        out.print()
        out.print(
            Text(
                f"Pair {pair.pair_id}: {_name(pair.left)} and {_name(pair.right)}\n"
                f"match probability {pair.match_probability:.3f}, "
                f"match weight {pair.match_weight:+.2f}"
            )
        )
        out.print(_pair_table(pair, queue.model))
    if queue.open > len(queue.pairs):
        out.print(
            f"Showing {len(queue.pairs):,} of {queue.open:,} open pairs; --limit N shows more.",
            highlight=False,
        )
    out.print("Decide with: seen review decide PAIR_ID match|non-match --reviewer NAME")


@review.command("decide")
def decide_command(
    pair_id: Annotated[
        str, typer.Argument(metavar="PAIR_ID", help="The pair's id, as `seen review list` shows.")
    ],
    decision: Annotated[str, typer.Argument(metavar="DECISION", help="match or non-match.")],
    reviewer: Annotated[str, typer.Option("--reviewer", help="Who decided (kept for audit).")],
    note: Annotated[
        str | None,
        typer.Option(
            "--note",
            help="Why, briefly (kept with the decision). Never a name, date of birth, "
            "address or identifier number.",
        ),
    ] = None,
) -> None:
    """Record a reviewer's decision on a pair in the review queue. Every later `seen link`
    honours it: a match joins the two records into one person, a non-match keeps them apart.
    A later decision on the same pair replaces an earlier one.

    Example: seen review decide 17-342 non-match --reviewer "A. Analyst" --note "DOBs differ"
    """
    import datetime as dt

    from seen.clerical_review import DECISIONS, REASON_LENGTH, REVIEWER_LENGTH, decide
    from seen.errors import InvalidInput, NotFound
    from seen.store import open_store
    from seen.store.linkage import open_review_pairs, parse_pair_id

    chosen = DECISIONS.get(decision.strip().lower())
    if chosen is None:
        raise InvalidInput(f"the decision must be 'match' or 'non-match', not {decision!r}")
    who, why = reviewer.strip(), (note or "").strip()
    longest_name, longest_note = REVIEWER_LENGTH, REASON_LENGTH
    if not who:
        raise InvalidInput("--reviewer needs the name of the person who decided")
    if len(who) > longest_name:
        raise InvalidInput(f"--reviewer is at most {longest_name} characters")
    if len(why) > longest_note:
        raise InvalidInput(f"--note is at most {longest_note} characters")
    if parse_pair_id(pair_id) is None:
        raise InvalidInput(
            f"{pair_id!r} is not a pair id: it is two numbers joined by '-', "
            "as `seen review list` shows them"
        )
    with open_store(settings()) as store:
        try:
            pair = decide(
                store, pair_id, chosen, reviewer=who, reason=why, now=dt.datetime.now(dt.UTC)
            )
        except NotFound:
            queue = open_review_pairs(store, limit=1)
            if queue is None:
                raise InvalidInput(
                    "there has been no link run yet, so there is nothing to decide"
                ) from None
            raise InvalidInput(
                f"there is no pair {pair_id.strip()} in the review queue of link run "
                f"{queue.run_id}; `seen review list` shows the open pairs"
            ) from None
        remaining = open_review_pairs(store, limit=1)
    label = "a match" if chosen == "match" else "not a match"
    out.print(
        Text(
            f"Recorded: pair {pair.pair_id} ({_name(pair.left)} and {_name(pair.right)}) is "
            f"{label}, decided by {who}. The next `seen link` honours it."
        )
    )
    if remaining is not None:
        out.print(f"{remaining.open:,} pairs still await a decision.", highlight=False)


def _pair_table(pair: QueuedPair, model: Mapping[str, Any]) -> Table:
    from seen.clerical_review import PRIOR_LABEL, explain, prior_weight

    table = Table()
    table.add_column("comparison", no_wrap=True)
    table.add_column("what agreed")
    table.add_column("weight", justify="right", no_wrap=True)
    table.add_row("(start)", PRIOR_LABEL, _signed(prior_weight(pair, model)))
    for comparison in explain(pair, model):
        table.add_row(comparison.comparison, Text(comparison.label), _signed(comparison.weight))
    return table


def _name(record: tuple[str, str]) -> str:
    return f"{record[0]} {record[1]}"


def _signed(weight: float) -> str:
    return f"{weight:+.2f}"
