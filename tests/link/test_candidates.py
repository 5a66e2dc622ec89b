"""Candidate pairs of the near-set rules: records whose different sets share an element (values
one typo apart), worked out between distinct sets and taken back to every record holding
them; records of one value are the exact rules' to pair."""

from __future__ import annotations

from link.factories import Person, encode
from seen.link import Source
from seen.link.backend import RECORDS, DuckDBBackend
from seen.link.candidates import BLOCKING_RULES, generate_candidates


def _pairs(sources: list[Source]) -> set[tuple[str, str, str]]:
    """(rule, record, record) of every candidate pair, records as source:id, sorted."""
    backend = DuckDBBackend()
    try:
        backend.load(RECORDS, sources)
        generate_candidates(backend, "candidates", RECORDS)
        # RECORDS is the test's own table name, not input.
        sql = (
            "SELECT c.match_key, l.source_dataset || ':' || l.record_id AS a, "  # noqa: S608
            "r.source_dataset || ':' || r.record_id AS b FROM candidates c "
            f"JOIN {RECORDS} l ON l.rid = c.rid_l JOIN {RECORDS} r ON r.rid = c.rid_r"
        )
        rows = backend.query(sql).to_pylist()
    finally:
        backend.close()
    names = [rule.name for rule in BLOCKING_RULES]
    return {(names[r["match_key"]], *sorted((r["a"], r["b"]))) for r in rows}


def test_the_near_rule_pairs_values_one_typo_apart_in_every_record_holding_them() -> None:
    number, swapped, other = "9434765919", "9434765991", "9990000018"
    school = Source(
        "school",
        encode([Person("S1", "Ann", "Ash", nhs_number=number), Person("S2", "Bo", "Birch")]),
        duplicate_free=True,
    )
    health = Source("health", encode([Person("H1", "Cy", "Cole", nhs_number=number)]))
    police = Source(
        "police",
        encode(
            [
                Person("P1", "Di", "Dale", nhs_number=swapped),
                Person("P2", "Ed", "Elm", nhs_number=other),
            ]
        ),
    )
    found = _pairs([school, health, police])
    near = {pair[1:] for pair in found if pair[0] == "nhs_near"}
    # The mistyped number meets both records of the right one; the equal numbers are the
    # exact rule's pair; another child's valid number meets nothing.
    assert near == {("police:P1", "school:S1"), ("health:H1", "police:P1")}
    assert ("nhs", "health:H1", "school:S1") in found
    assert not any("police:P2" in pair for pair in found)
