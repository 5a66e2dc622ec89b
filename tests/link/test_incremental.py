from __future__ import annotations

import pyarrow as pa

from link.factories import FebrlSample, child, encode, groups, person_of
from seen.link import LinkModel, Source, link, link_incremental


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
