"""What the near sets (seen-encoding-5) show a hub without the key, on every agency's package of
the test partnership: that two records' identifier numbers or postcodes are within one typo,
and nothing of the values. Two different valid NHS numbers are never within one typo, so
`near_nhs` relates no two children; postcodes are, by design (docs/threat-model.md, finding
9)."""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np
import pytest

from attack.experiment import Results
from seen.attack import SEEN, SEEN_4, HubView, token_frequency_attack
from seen.encode.schema import NEAR_COLUMNS, NEAR_ELEMENT_BYTES, NEAR_SIZES


def _sharing_pairs(view: HubView, column: str) -> set[tuple[int, int]]:
    """Pairs of records (by row) whose near sets share an element."""
    holders: dict[bytes, list[int]] = defaultdict(list)
    for row, stored in enumerate(view.near_sets(column)):
        if stored is None:
            continue
        for at in range(0, len(stored), NEAR_ELEMENT_BYTES):
            holders[stored[at : at + NEAR_ELEMENT_BYTES]].append(row)
    return {pair for rows in holders.values() for pair in itertools.combinations(rows, 2)}


def test_every_near_set_has_its_columns_size(results: Results) -> None:
    view = results.view(SEEN, hub=True)
    for column in NEAR_COLUMNS:
        sizes = {len(v) for v in view.near_sets(column) if v is not None}
        assert sizes == {NEAR_SIZES[column] * NEAR_ELEMENT_BYTES}


def test_near_sets_relate_no_two_different_identifier_numbers(results: Results) -> None:
    """Every pair of records sharing a near_nhs or near_upn element holds one number (equal
    sets): the agencies' extracts hold valid numbers only, and two different valid numbers
    are never one replaced digit or one swap apart."""
    view = results.view(SEEN, hub=True)
    for column in ("near_nhs", "near_upn"):
        sets = view.near_sets(column)
        pairs = _sharing_pairs(view, column)
        assert pairs  # one child's records in several agencies
        assert all(sets[a] == sets[b] for a, b in pairs)


def test_near_postcodes_relate_neighbouring_addresses(results: Results) -> None:
    """The one thing near_postcode adds: which postcodes of the partnership are one typo apart
    (measured and discussed in docs/threat-model.md), never a postcode's own value."""
    view = results.view(SEEN, hub=True)
    tokens = view.column("tok_postcode")
    neighbours = {
        frozenset((tokens[a], tokens[b]))
        for a, b in _sharing_pairs(view, "near_postcode")
        if tokens[a] is not None and tokens[b] is not None and tokens[a] != tokens[b]
    }
    postcodes = {t for t in tokens if t is not None}
    assert neighbours and len(neighbours) < 5 * len(postcodes)


def test_the_name_attacks_read_no_near_set(results: Results) -> None:
    """Near sets hold no name and no date: the attacks cannot read them (the view refuses
    them as tokens), and token frequency learns the same from version 5 as from version 4."""
    view = results.view(SEEN)
    with pytest.raises(KeyError):
        view.column("near_nhs")
    five = token_frequency_attack(view, results.knowledge["population"])
    four = token_frequency_attack(results.view(SEEN_4), results.knowledge["population"])
    assert np.array_equal(five.given, four.given) and np.array_equal(five.family, four.family)
