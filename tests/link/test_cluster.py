from __future__ import annotations

import numpy as np

from seen.link.cluster import enforce_constraints, split_component


def test_the_split_rule_drops_the_weakest_edge_that_breaks_a_duplicate_free_source() -> None:
    # school records 1 and 2 both link to health record 3; the weaker link goes.
    sources = {1: "school", 2: "school", 3: "health"}
    parts = split_component(
        [1, 2, 3],
        [(12.0, 1, 3, False), (8.0, 2, 3, False)],
        sources,
        {"school"},
        [],
    )
    assert sorted(parts) == [[1, 3], [2]]


def test_a_reviewers_match_is_kept_even_against_the_rule() -> None:
    sources = {1: "school", 2: "school"}
    parts = split_component([1, 2], [(-5.0, 1, 2, True)], sources, {"school"}, [])
    assert parts == [[1, 2]]


def test_a_non_match_pair_is_never_rejoined_through_a_third_record() -> None:
    sources = {1: "a", 2: "b", 3: "c"}
    labels = enforce_constraints(
        np.array([1, 2, 3]),
        np.array([0, 0, 0]),
        np.array(["a", "b", "c"], dtype=object),
        set(),
        [(20.0, 1, 3, False), (10.0, 2, 3, False)],
        [(1, 2)],
    )
    assert labels[0] == labels[2] != labels[1]
    del sources


def test_clusters_without_conflicts_are_left_alone() -> None:
    rids = np.array([1, 2, 3, 4])
    labels = np.array([0, 0, 1, 1])
    out = enforce_constraints(
        rids, labels, np.array(["a", "b", "a", "b"], dtype=object), {"a", "b"}, [], []
    )
    assert out.tolist() == [0, 0, 1, 1]
