"""Clerical review at the hub: the uncertain pairs of the latest link run, each explained
comparison by comparison (which level agreed and the weight it added), never with a token,
a filter or anything in plain text; and reviewers' decisions, which every later `seen link`
honours."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Final

import typer
from rich.table import Table
from rich.text import Text

from seen.cli.app import app, out, settings

if TYPE_CHECKING:
    from seen.store.linkage import QueuedPair, ReviewQueue

review = typer.Typer(
    help="Clerical review of uncertain links: list the open pairs, record decisions.",
    no_args_is_help=True,
)
app.add_typer(review, name="review")

# The order a reviewer reads a pair in: names and date of birth first, then the rest.
# Comparisons a later model adds come after these.
COMPARISON_ORDER: Final = (
    "given_name",
    "family_name",
    "date_of_birth",
    "postcode",
    "nhs_number",
    "upn",
    "sex",
    "middle_name",
)
DECISIONS: Final = {"match": "match", "non-match": "non_match", "non_match": "non_match"}
NOT_RECORDED: Final = "not recorded (queued before levels were kept)"
DISAGREE: Final = "disagree: no level of agreement held"


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

    from seen.errors import InvalidInput
    from seen.store import open_store
    from seen.store.linkage import open_review_pairs, parse_pair_id, queued_pair, record_decision
    from seen.store.tables import link_decisions

    chosen = DECISIONS.get(decision.strip().lower())
    if chosen is None:
        raise InvalidInput(f"the decision must be 'match' or 'non-match', not {decision!r}")
    who, why = reviewer.strip(), (note or "").strip()
    longest_name = int(getattr(link_decisions.c.reviewer.type, "length", 100))
    longest_note = int(getattr(link_decisions.c.reason.type, "length", 500))
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
        pair = queued_pair(store, pair_id)
        if pair is None:
            queue = open_review_pairs(store, limit=1)
            if queue is None:
                raise InvalidInput("there has been no link run yet, so there is nothing to decide")
            raise InvalidInput(
                f"there is no pair {pair_id.strip()} in the review queue of link run "
                f"{queue.run_id}; `seen review list` shows the open pairs"
            )
        now = dt.datetime.now(dt.UTC)
        record_decision(store, pair.left, pair.right, chosen, who, why, now)
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


def queue_json(queue: ReviewQueue | None) -> dict[str, Any]:
    """The review queue as plain JSON values (what `seen review list --json` prints)."""
    if queue is None:
        return {"link_run": None, "queued": 0, "open": 0, "shown": 0, "pairs": []}
    return {
        "link_run": {
            "id": queue.run_id,
            "finished_at": queue.finished_at.isoformat(),
            "threshold": queue.threshold,
            "review_band": [queue.review_low, queue.review_high],
        },
        "queued": queue.queued,
        "open": queue.open,
        "shown": len(queue.pairs),
        "pairs": [
            {
                "pair_id": pair.pair_id,
                "left": {"agency": pair.left[0], "record_id": pair.left[1]},
                "right": {"agency": pair.right[0], "record_id": pair.right[1]},
                "match_probability": pair.match_probability,
                "match_weight": pair.match_weight,
                "prior_weight": _prior_weight(pair, queue.model),
                "comparisons": [
                    {
                        "comparison": name,
                        "level": pair.field_levels.get(name),
                        "label": level_label(name, pair.field_levels.get(name), queue.model),
                        "weight": weight,
                    }
                    for name, weight in _ordered_weights(pair)
                ],
            }
            for pair in queue.pairs
        ],
    }


def level_label(comparison: str, key: str | None, model: Mapping[str, Any]) -> str:
    """What agreed, in the model's words ("tok_given equal", "Dice of bf_family at or above
    threshold 2 (0.62)", "tok_dob_year missing on either side"), from a level key."""
    from seen.link.model import comparison_by_name

    if key is None:
        return NOT_RECORDED
    try:
        levels = comparison_by_name(comparison).levels
    except KeyError:
        return key
    for level in levels:
        if level.key == key:
            if level.condition is None:  # the else level: "all other comparisons"
                return DISAGREE
            return level.label + _dice_threshold(key, model)
    return key


def _dice_threshold(key: str, model: Mapping[str, Any]) -> str:
    if not key.startswith("dice_"):
        return ""
    thresholds = model.get("dice_thresholds")
    index = key.removeprefix("dice_")
    if not isinstance(thresholds, list) or not index.isdigit() or int(index) >= len(thresholds):
        return ""
    return f" ({float(thresholds[int(index)]):.2f})"


def _prior_weight(pair: QueuedPair, model: Mapping[str, Any]) -> float:
    """The weight every pair starts from (log2 of the prior odds); the comparisons' weights
    are added to it to give the match weight."""
    prior = model.get("probability_two_random_records_match")
    if isinstance(prior, (int, float)) and 0.0 < prior < 1.0:
        return round(math.log2(prior / (1.0 - prior)), 3)
    return round(pair.match_weight - sum(pair.field_weights.values()), 3)


def _ordered_weights(pair: QueuedPair) -> list[tuple[str, float]]:
    names = [n for n in COMPARISON_ORDER if n in pair.field_weights]
    names += sorted(n for n in pair.field_weights if n not in COMPARISON_ORDER)
    return [(name, pair.field_weights[name]) for name in names]


def _pair_table(pair: QueuedPair, model: Mapping[str, Any]) -> Table:
    table = Table()
    table.add_column("comparison", no_wrap=True)
    table.add_column("what agreed")
    table.add_column("weight", justify="right", no_wrap=True)
    table.add_row(
        "(start)", "prior: two records picked at random", _signed(_prior_weight(pair, model))
    )
    for name, weight in _ordered_weights(pair):
        label = level_label(name, pair.field_levels.get(name), model)
        table.add_row(name, Text(label), _signed(weight))
    return table


def _name(record: tuple[str, str]) -> str:
    return f"{record[0]} {record[1]}"


def _signed(weight: float) -> str:
    return f"{weight:+.2f}"
