"""Linkage: how many of each agency's records are joined to another agency's, how many
records each pair of agencies has joined, and the clerical review queue, as tables of counts
for the partnership report."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import combinations
from typing import Final

from sqlalchemy import select

from seen.report.table import Dimension, Table
from seen.store import Store
from seen.store.linkage import current_people, latest_decisions, open_review_pairs
from seen.store.tables import agencies

SOURCE: Final = "Seen hub: the latest link run"

LINKED: Final = Dimension(
    "Linked", ("Joined to another agency's record", "Not joined to another agency's")
)
QUEUE: Final = Dimension(
    "Record pairs", ("Waiting for review", "Decided: the same child", "Decided: not the same")
)


def linkage_tables(store: Store) -> list[Table]:
    with store.engine.connect() as conn:
        names = tuple(conn.scalars(select(agencies.c.name).order_by(agencies.c.name)))
    people = current_people(store)
    return [_link_rates_table(names, people), _pairs_table(names, people), _review_table(store)]


def _link_rates_table(names: tuple[str, ...], people: Sequence[tuple[str, str, str]]) -> Table:
    held_by: defaultdict[str, set[str]] = defaultdict(set)
    for agency, _, person in people:
        held_by[person].add(agency)
    counts: Counter[tuple[str, ...]] = Counter()
    for agency, _, person in people:
        joined = len(held_by[person]) > 1
        counts[(agency, LINKED.categories[0 if joined else 1])] += 1
    return Table.from_counts(
        id="linkage_rates",
        title="Agencies' records, by whether linkage joined them to another agency's record",
        unit="records",
        source=SOURCE,
        rows=Dimension("Agency", names or ("(none)",)),
        columns=LINKED,
        counts=dict(counts),
        footer=(
            "Records are joined without names: each agency encodes its identifiers with a "
            "key the hub never holds, and the hub links the encodings probabilistically.",
        ),
    )


def _pairs_table(names: tuple[str, ...], people: Sequence[tuple[str, str, str]]) -> Table:
    records_of: defaultdict[str, Counter[str]] = defaultdict(Counter)  # person -> agency -> n
    for agency, _, person in people:
        records_of[person][agency] += 1
    counts: Counter[tuple[str, ...]] = Counter()
    for held in records_of.values():
        for first, second in combinations(sorted(held), 2):
            counts[(_pair(first, second),)] += held[first] * held[second]
    pairs = tuple(_pair(a, b) for a, b in combinations(names, 2))
    return Table.from_counts(
        id="linkage_pairs",
        title="Records joined across agencies, by the pair of agencies holding them",
        unit="record pairs",
        source=SOURCE,
        rows=Dimension("Agencies", pairs or ("(fewer than two agencies)",)),
        counts=dict(counts),
        footer=(
            "A record pair is one record at each of the two agencies, joined to the same "
            "child. A child with records at three agencies makes three pairs, so the total "
            "counts pairs, not children.",
        ),
    )


def _pair(first: str, second: str) -> str:
    return f"{first} and {second}"


def _review_table(store: Store) -> Table:
    queue = open_review_pairs(store, limit=0)
    decided = Counter(d.decision for d in latest_decisions(store))
    return Table.from_counts(
        id="linkage_review",
        title="The clerical review queue: uncertain record pairs and reviewers' decisions",
        unit="record pairs",
        source=SOURCE,
        rows=QUEUE,
        counts={
            ("Waiting for review",): 0 if queue is None else queue.open,
            ("Decided: the same child",): decided.get("match", 0),
            ("Decided: not the same",): decided.get("non_match", 0),
        },
    )
