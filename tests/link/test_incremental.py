from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from link.factories import FebrlSample, child, encode, groups, person_of
from seen.domain.encoding import NEAR_SIZES
from seen.errors import InvalidInput
from seen.link import IncrementalIndex, LinkModel, Source, link, link_incremental
from seen.link.index import ELEMENT_KEYS, KEYS


def _split(source: Source, at: int) -> tuple[Source, Source]:
    first = Source(source.name, source.records.slice(0, at), source.duplicate_free)
    rest = Source(source.name + "-new", source.records.slice(at), source.duplicate_free)
    return first, rest


def test_incremental_linking_matches_a_full_run_and_keeps_untouched_ids(
    febrl: FebrlSample, model: LinkModel
) -> None:
    b_old, b_new = _split(febrl.b, 300)
    before = link([febrl.a, b_old], model=model)
    step = link_incremental(before.people, [febrl.a, b_old], b_new, model)
    full = link([febrl.a, b_old, b_new], model=model, previous_people=before.people)
    assert set(groups(step.people).values()) == set(groups(full.people).values())
    # People no new record joined keep their ids exactly.
    new_people = {p for (s, _), p in person_of(step.people).items() if s == b_new.name}
    old, now = person_of(before.people), person_of(step.people)
    for key, person in old.items():
        if now[key] not in new_people:
            assert now[key] == person
    assert all(
        r["source_l"] == b_new.name or r["source_r"] == b_new.name for r in step.pairs.to_pylist()
    )


def test_incremental_pairs_score_exactly_as_in_a_full_run(
    febrl: FebrlSample, model: LinkModel
) -> None:
    # Term frequencies (a year-salted name among the children born that year) and every
    # other input to a pair's weight are counted over all records, as a full run counts them.
    b_old, b_new = _split(febrl.b, 300)
    before = link([febrl.a, b_old], model=model)
    step = link_incremental(before.people, [febrl.a, b_old], b_new, model)
    full = link([febrl.a, b_old, b_new], model=model, previous_people=before.people)

    def pair(row: dict[str, object]) -> tuple[object, ...]:
        ends = sorted(
            [(row["source_l"], row["record_id_l"]), (row["source_r"], row["record_id_r"])]
        )
        return tuple(ends)

    weights = {pair(r): r["match_weight"] for r in full.pairs.to_pylist()}
    compared = 0
    for row in step.pairs.to_pylist():
        if pair(row) in weights:
            assert row["match_weight"] == pytest.approx(weights[pair(row)], abs=1e-9)
            compared += 1
    assert compared >= step.pairs.num_rows * 0.9


def test_incremental_linking_keeps_duplicate_free_sources_apart(model: LinkModel) -> None:
    school = Source("school", encode([child(7, "S1")]), duplicate_free=True)
    health = Source("health", encode([child(7, "H1")]))
    before = link([school, health], model=model)
    assert len(groups(before.people)) == 1
    # The school's next census repeats the child under a new reference: it may join the
    # person only if that person holds no school record yet, which it does.
    again = Source("school", encode([child(7, "S2")]), duplicate_free=True)
    result = link_incremental(before.people, [school, health], again, model)
    people = person_of(result.people)
    assert people["school", "S2"] != people["school", "S1"] == people["health", "H1"]
    assert people["school", "S1"] == person_of(before.people)["school", "S1"]


def test_incremental_linking_with_nothing_existing_dedupes_the_new_source(
    model: LinkModel,
) -> None:
    police = Source("police", encode([child(8, "X1"), child(8, "X2"), child(9, "X3")]))
    empty = pa.table(
        {
            "source": pa.array([], pa.string()),
            "record_id": pa.array([], pa.string()),
            "person_id": pa.array([], pa.string()),
        }
    )
    result = link_incremental(empty, [], police, model)
    people = person_of(result.people)
    assert people["police", "X1"] == people["police", "X2"] != people["police", "X3"]


def test_incremental_linking_honours_a_decision_about_a_new_record(model: LinkModel) -> None:
    school = Source("school", encode([child(10, "S1")]), duplicate_free=True)
    before = link([school], model=model)
    health = Source("health", encode([child(10, "H1")]), duplicate_free=True)
    joined = person_of(link_incremental(before.people, [school], health, model).people)
    assert joined["health", "H1"] == joined["school", "S1"]
    decisions = pa.table(
        {
            "source_l": ["health"],
            "record_id_l": ["H1"],
            "source_r": ["school"],
            "record_id_r": ["S1"],
            "decision": ["non_match"],
        }
    )
    kept_apart = link_incremental(before.people, [school], health, model, decisions=decisions)
    people = person_of(kept_apart.people)
    assert (
        people["health", "H1"] != people["school", "S1"] == person_of(before.people)["school", "S1"]
    )


def test_people_no_new_record_joins_keep_their_records_and_ids_exactly(
    model: LinkModel,
) -> None:
    school = Source("school", encode([child(i, f"S{i}") for i in range(8)]), duplicate_free=True)
    health = Source("health", encode([child(i, f"H{i}") for i in range(0, 8, 2)]))
    before = link([school, health], model=model)
    # One new record of child 3 (a person with one record), one of child 4 (two records)
    # and one of a child nobody has seen.
    police = Source("police", encode([child(3, "X3"), child(4, "X4"), child(11, "X11")]))
    index = IncrementalIndex.build([school, health])
    result = link_incremental(before.people, [school, health], police, model, index=index)
    old, now = person_of(before.people), person_of(result.people)
    assert now["police", "X3"] == old["school", "S3"]
    assert now["police", "X4"] == old["school", "S4"] == old["health", "H4"]
    assert now["police", "X11"] not in set(old.values())
    joined = {now["police", r] for r in ("X3", "X4")}
    old_groups, new_groups = groups(before.people), groups(result.people)
    untouched = {p: m for p, m in old_groups.items() if p not in joined}
    assert len(untouched) == len(old_groups) - 2
    for person, members in untouched.items():
        assert new_groups[person] == members  # the same id on exactly the same records
    assert result.people.num_rows == before.people.num_rows + police.records.num_rows


def test_a_kept_index_gives_what_a_run_without_one_gives(
    febrl: FebrlSample, model: LinkModel
) -> None:
    b_old, rest = _split(febrl.b, 200)
    b_next = Source(rest.name, rest.records.slice(0, 100), rest.duplicate_free)
    b_last = Source("febrl-b-last", rest.records.slice(100), rest.duplicate_free)
    before = link([febrl.a, b_old], model=model)
    index = IncrementalIndex.build([febrl.a, b_old])
    cold = link_incremental(before.people, [febrl.a, b_old], b_next, model)
    kept = link_incremental(before.people, [febrl.a, b_old], b_next, model, index=index)
    assert kept.people.equals(cold.people)
    assert kept.pairs.equals(cold.pairs)
    # The next package, against an index extended with the last one's records.
    existing = [febrl.a, b_old, b_next]
    cold = link_incremental(kept.people, existing, b_last, model)
    extended = index.extended(b_next)
    kept = link_incremental(kept.people, existing, b_last, model, index=extended)
    assert kept.people.equals(cold.people)
    assert kept.pairs.equals(cold.pairs)
    rebuilt = IncrementalIndex.build(existing)
    from_empty = IncrementalIndex.build([]).extended(febrl.a)
    for columns in KEYS:
        values, rids = rebuilt.entries(columns)
        # A near set's records hold one key per element.
        per_record = NEAR_SIZES[columns[0]] if columns in ELEMENT_KEYS else 1
        assert len(values) == per_record * rebuilt.present(columns)
        assert rebuilt.present(columns) == extended.present(columns)
        merged = extended.entries(columns)
        assert np.array_equal(merged[0], values) and np.array_equal(merged[1], rids)
        first = from_empty.entries(columns)
        only_a = rids < febrl.a.records.num_rows
        assert np.array_equal(first[0], values[only_a]) and np.array_equal(first[1], rids[only_a])


def test_a_mistyped_nhs_number_links_incrementally_as_in_a_full_run(model: LinkModel) -> None:
    """Only the near sets show the two records' numbers are one typo apart (two digits
    swapped, so no token; the year and the given name differ too): the incremental run finds
    the pair through the same blocking rule, and scores it, as a full run does."""
    school = Source(
        "school",
        encode([child(i, f"S{i}", nhs_number="9434765919" if i == 4 else None) for i in range(6)]),
        duplicate_free=True,
    )
    typo = child(5, "X1", family_name=child(4, "S4").family_name, nhs_number="9434765991")
    police = Source("police", encode([typo, child(9, "X2")]))
    before = link([school], model=model)
    step = link_incremental(before.people, [school], police, model, review_band=(1e-12, 0.9))
    full = link([school, police], model=model, review_band=(1e-12, 0.9))

    def near_pairs(result: object) -> dict[frozenset[str], float]:
        rows = result.pairs.to_pylist()  # type: ignore[attr-defined]
        return {
            frozenset((r["record_id_l"], r["record_id_r"])): r["match_weight"]
            for r in rows
            if r["blocking_rule"] == "nhs_near"
        }

    found = near_pairs(step)
    assert list(found) == [frozenset(("S4", "X1"))]
    assert found == pytest.approx(near_pairs(full))


def test_an_index_of_other_records_is_refused(model: LinkModel) -> None:
    school = Source("school", encode([child(1, "S1")]), duplicate_free=True)
    other = Source("school", encode([child(1, "S1")]), duplicate_free=True)
    before = link([school], model=model)
    health = Source("health", encode([child(1, "H1")]))
    with pytest.raises(InvalidInput):
        link_incremental(
            before.people, [school], health, model, index=IncrementalIndex.build([other])
        )
