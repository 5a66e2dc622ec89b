"""Balanced Bloom filters: always 512 of 1,024 bits, Dice that ranks names sensibly, and bytes
equal to the spec written out plainly."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from encode import reference
from seen.encode.bloom import (
    BloomEncoder,
    balancing_permutation,
    bigram_positions,
    bigrams,
    dice,
    positions_from_digest,
)

BLOOM_KEY = hashlib.sha256(b"bloom").digest()
PERMUTATION_KEY = hashlib.sha256(b"permutation").digest()
ENCODER = BloomEncoder(BLOOM_KEY, PERMUTATION_KEY)
names = st.from_regex(r"[a-z0-9]{1,30}( [a-z0-9]{1,12}){0,3}", fullmatch=True)
salts = st.sampled_from(["", "2009", "2015", "2021"])
fields = st.sampled_from(["bf_given", "bf_middle", "bf_family"])


def bits(filter_: bytes) -> int:
    return int.from_bytes(filter_, "big").bit_count()


@settings(max_examples=300, deadline=None)
@given(names, salts, fields)
def test_every_balanced_filter_has_exactly_512_bits_set_whatever_the_name(
    name: str, salt: str, field: str
) -> None:
    found = ENCODER.filter(field, salt, name)
    assert len(found) == 128
    assert bits(found) == 512


def test_a_one_letter_name_and_a_very_long_one_both_have_512_bits() -> None:
    assert bits(ENCODER.filter("bf_given", "2015", "a")) == 512
    assert bits(ENCODER.filter("bf_family", "2015", "abcdefghijklmnopqrstuvwxyz" * 8)) == 512


@settings(max_examples=40, deadline=None)
@given(names, salts, fields)
def test_the_fast_filter_equals_the_spec_written_out_plainly(
    name: str, salt: str, field: str
) -> None:
    perm = reference.permutation(PERMUTATION_KEY)
    assert ENCODER.filter(field, salt, name) == reference.bloom(BLOOM_KEY, perm, field, salt, name)


def test_the_balancing_permutation_is_a_permutation_that_depends_on_the_key() -> None:
    perm = balancing_permutation(PERMUTATION_KEY)
    assert sorted(perm) == list(range(1024))
    assert perm == reference.permutation(PERMUTATION_KEY)
    assert perm != balancing_permutation(BLOOM_KEY)
    assert perm != list(range(1024))


def test_one_hmac_gives_all_fifteen_positions_of_a_bigram() -> None:
    digest = hmac.new(BLOOM_KEY, b"bf_given\x1f2015\x1f_a", hashlib.sha256).digest()
    expected = tuple(int.from_bytes(digest[2 * i : 2 * i + 2], "big") % 512 for i in range(15))
    assert positions_from_digest(digest) == expected
    assert bigram_positions(BLOOM_KEY, "bf_given", "2015", "_a") == expected


def test_bigrams_are_padded_at_both_ends() -> None:
    assert bigrams("ann") == ["_a", "an", "nn", "n_"]
    assert bigrams("a") == ["_a", "a_"]
    assert bigrams("jo li") == ["_j", "jo", "o ", " l", "li", "i_"]


def family(name: str, salt: str = "2015") -> bytes:
    return ENCODER.filter("bf_family", salt, name)


def test_dice_of_equal_names_is_one() -> None:
    assert dice(family("nguyen"), family("nguyen")) == 1.0


@pytest.mark.parametrize(
    ("name", "typo"),
    [
        ("jonathan", "jonathon"),
        ("catherine", "katherine"),
        ("smith", "smyth"),
        ("williams", "wiliams"),
        ("nguyen", "ngyuen"),
        ("robinson", "robinsen"),
    ],
)
def test_dice_of_a_typo_is_high_and_above_that_of_unrelated_names(name: str, typo: str) -> None:
    similar = dice(family(name), family(typo))
    unrelated = dice(family(name), family("pemberton"))
    assert similar >= 0.85
    assert unrelated < similar - 0.08


def test_unrelated_names_score_about_two_thirds_as_the_spec_says() -> None:
    pool = ["smith", "jones", "taylor", "brown", "patel", "khan", "okafor", "kowalski", "evans"]
    scores = [dice(family(a), family(b)) for a in pool for b in pool if a < b]
    assert 0.6 <= sum(scores) / len(scores) <= 0.78
    assert max(scores) < 0.85


def test_the_same_name_in_another_birth_year_gives_an_unrelated_filter() -> None:
    assert dice(family("smith", "2014"), family("smith", "2015")) < 0.85


def test_another_key_gives_unrelated_filters() -> None:
    other = BloomEncoder(PERMUTATION_KEY, BLOOM_KEY)
    assert dice(other.filter("bf_family", "2015", "smith"), family("smith")) < 0.85
