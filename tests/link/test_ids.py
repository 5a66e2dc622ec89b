from __future__ import annotations

import re

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from seen.link import assign_stable_ids


def clusters(assignment: dict[str, int]) -> pa.Table:
    keys = sorted(assignment)
    return pa.table(
        {
            "source": ["s"] * len(keys),
            "record_id": keys,
            "cluster_id": [assignment[k] for k in keys],
        }
    )


def ids(people: pa.Table) -> dict[str, str]:
    return dict(zip(people["record_id"].to_pylist(), people["person_id"].to_pylist(), strict=True))


def test_ids_look_random_and_are_deterministic() -> None:
    first = assign_stable_ids(clusters({"a": 0, "b": 0, "c": 1}), None)
    assert first.equals(assign_stable_ids(clusters({"a": 0, "b": 0, "c": 1}), None))
    assert all(re.fullmatch(r"P[A-Z2-7]{12}", p) for p in first["person_id"].to_pylist())
    assert len(set(first["person_id"].to_pylist())) == 2


def test_a_split_keeps_the_id_on_the_larger_part() -> None:
    before = ids(assign_stable_ids(clusters({"a": 0, "b": 0, "c": 0}), None))
    previous = assign_stable_ids(clusters({"a": 0, "b": 0, "c": 0}), None)
    after = ids(assign_stable_ids(clusters({"a": 1, "b": 7, "c": 7}), previous))
    assert after["b"] == after["c"] == before["a"]
    assert after["a"] != before["a"]


def test_a_merge_keeps_the_id_with_most_records() -> None:
    previous = assign_stable_ids(clusters({"a": 0, "b": 0, "c": 1, "d": 2}), None)
    old = ids(previous)
    after = ids(assign_stable_ids(clusters({"a": 5, "b": 5, "c": 5, "d": 6}), previous))
    assert after["a"] == after["b"] == after["c"] == old["a"]
    assert after["d"] == old["d"]


def test_new_people_never_reuse_an_id_issued_before() -> None:
    previous = assign_stable_ids(clusters({"a": 0, "b": 1}), None)
    merged = assign_stable_ids(clusters({"a": 0, "b": 0}), previous)
    retired = set(ids(previous).values()) - set(ids(merged).values())
    fresh = assign_stable_ids(clusters({"a": 0, "b": 0, "z": 1}), merged, issued=retired)
    assert ids(fresh)["z"] not in retired | set(ids(previous).values())


partitions = st.dictionaries(
    st.sampled_from([f"r{i:02d}" for i in range(30)]), st.integers(0, 8), min_size=1
)


@settings(max_examples=60, deadline=None)
@given(partitions, partitions, st.sets(st.integers(0, 8)))
def test_people_untouched_by_a_change_keep_their_ids(
    old: dict[str, int], changes: dict[str, int], untouched_labels: set[int]
) -> None:
    previous = assign_stable_ids(clusters(old), None)
    old_ids = ids(previous)
    # Keep some old clusters exactly; reassign every other record (and add new ones).
    new = {k: v for k, v in old.items() if v in untouched_labels}
    for key, label in changes.items():
        if key not in new:
            new[key] = 100 + label
    after = ids(assign_stable_ids(clusters(new), previous))
    for label in untouched_labels:
        members = [k for k, v in old.items() if v == label]
        if members:
            assert {after[k] for k in members} == {old_ids[members[0]]}
    # Ids stay one per person.
    by_cluster: dict[int, set[str]] = {}
    for key, label in new.items():
        by_cluster.setdefault(label, set()).add(after[key])
    assert all(len(v) == 1 for v in by_cluster.values())
    assert len({next(iter(v)) for v in by_cluster.values()}) == len(by_cluster)
