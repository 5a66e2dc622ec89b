"""Clerical review of uncertain links, shared by `seen review` and the analyst's pages and
API: each pair of the latest link run's review queue explained comparison by comparison
(which level agreed, in the model's words, and the weight it added), never with a token, a
filter or anything in plain text (the hub has none); and a reviewer's decision, which every
later link run honours (seen.store.linkage)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from seen.errors import InvalidInput, NotFound
from seen.store import Store
from seen.store.linkage import (
    QueuedPair,
    ReviewQueue,
    parse_pair_id,
    queued_pair,
    record_decision,
)
from seen.store.tables import link_decisions

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
PRIOR_LABEL: Final = "prior: two records picked at random"
REVIEWER_LENGTH: Final = int(getattr(link_decisions.c.reviewer.type, "length", 100))
REASON_LENGTH: Final = int(getattr(link_decisions.c.reason.type, "length", 500))


@dataclass(frozen=True, slots=True)
class Comparison:
    comparison: str
    level: str | None  # the model's level key; None for pairs queued before levels were kept
    label: str  # what agreed, in the model's words
    weight: float  # the match weight it added


def explain(pair: QueuedPair, model: Mapping[str, Any]) -> list[Comparison]:
    """The pair's comparisons in reading order, each with what agreed and its weight."""
    return [
        Comparison(
            name,
            pair.field_levels.get(name),
            level_label(name, pair.field_levels.get(name), model),
            weight,
        )
        for name, weight in ordered_weights(pair)
    ]


def level_label(comparison: str, key: str | None, model: Mapping[str, Any]) -> str:
    """What agreed, in the model's words ("tok_given equal", "Dice of bf_family at or above
    threshold 2 (0.62)", "tok_dob_year missing on either side"), from a level key."""
    # Imported here: the linkage package loads Splink and DuckDB, which only this needs.
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


def prior_weight(pair: QueuedPair, model: Mapping[str, Any]) -> float:
    """The weight every pair starts from (log2 of the prior odds); the comparisons' weights
    are added to it to give the match weight."""
    prior = model.get("probability_two_random_records_match")
    if isinstance(prior, (int, float)) and 0.0 < prior < 1.0:
        return round(math.log2(prior / (1.0 - prior)), 3)
    return round(pair.match_weight - sum(pair.field_weights.values()), 3)


def ordered_weights(pair: QueuedPair) -> list[tuple[str, float]]:
    names = [n for n in COMPARISON_ORDER if n in pair.field_weights]
    names += sorted(n for n in pair.field_weights if n not in COMPARISON_ORDER)
    return [(name, pair.field_weights[name]) for name in names]


def pair_json(pair: QueuedPair, model: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "pair_id": pair.pair_id,
        "left": {"agency": pair.left[0], "record_id": pair.left[1]},
        "right": {"agency": pair.right[0], "record_id": pair.right[1]},
        "match_probability": pair.match_probability,
        "match_weight": pair.match_weight,
        "prior_weight": prior_weight(pair, model),
        "comparisons": [
            {"comparison": c.comparison, "level": c.level, "label": c.label, "weight": c.weight}
            for c in explain(pair, model)
        ],
    }


def queue_json(queue: ReviewQueue | None) -> dict[str, Any]:
    """The review queue as plain JSON values (`seen review list --json` and the API)."""
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
        "pairs": [pair_json(pair, queue.model) for pair in queue.pairs],
    }


def decide(
    store: Store,
    pair_id: str,
    decision: str,
    *,
    reviewer: str,
    reason: str,
    now: dt.datetime,
    reason_required: bool = False,
) -> QueuedPair:
    """Record a reviewer's decision (match or non-match) on a pair of the latest run's review
    queue; the next link run honours it. NotFound for a pair that is not in the queue (or a
    malformed id); InvalidInput, a Problem per field, for a wrong decision, reviewer or
    reason."""
    from seen.domain.records import Problem

    if parse_pair_id(pair_id) is None:
        raise NotFound(f"{pair_id!r} is not a pair id")
    pair = queued_pair(store, pair_id)
    if pair is None:
        raise NotFound(f"there is no pair {pair_id.strip()} in the review queue")
    problems = []
    chosen = DECISIONS.get(decision.strip().lower())
    if chosen is None:
        problems.append(
            Problem("review", "form", "decision", "Choose whether the two records are one person")
        )
    who, why = reviewer.strip(), reason.strip()
    if not who or len(who) > REVIEWER_LENGTH:
        problems.append(
            Problem(
                "review", "form", "reviewer", f"A reviewer is 1 to {REVIEWER_LENGTH} characters"
            )
        )
    if reason_required and not why:
        problems.append(Problem("review", "form", "reason", "Write why you decided this"))
    if len(why) > REASON_LENGTH:
        problems.append(
            Problem("review", "form", "reason", f"A reason is {REASON_LENGTH} characters or fewer")
        )
    if problems or chosen is None:
        raise InvalidInput("the decision was not recorded", problems)
    record_decision(store, pair.left, pair.right, chosen, who, why, now)
    return pair


def _dice_threshold(key: str, model: Mapping[str, Any]) -> str:
    if not key.startswith("dice_"):
        return ""
    thresholds = model.get("dice_thresholds")
    index = key.removeprefix("dice_")
    if not isinstance(thresholds, list) or not index.isdigit() or int(index) >= len(thresholds):
        return ""
    return f" ({float(thresholds[int(index)]):.2f})"
