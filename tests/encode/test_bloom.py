"""Fixed-weight Bloom filters: always 128 of 1,024 bits, Dice that ranks names sensibly and
follows from the Hamming distance exactly, and bytes equal to the spec written out plainly."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from encode import reference
from seen.encode.bloom import (
    PER_DIGEST,
    BloomEncoder,
    bigram_positions,
    bigrams,
    dice,
    distinct_bigrams,
    positions_from_digest,
    stream_message,
)
from seen.encode.schema import BLOOM_BYTES, BLOOM_M, BLOOM_WEIGHT

BLOOM_KEY = hashlib.sha256(b"bloom").digest()
ENCODER = BloomEncoder(BLOOM_KEY)
names = st.from_regex(r"[a-z0-9]{1,30}( [a-z0-9]{1,12}){0,3}", fullmatch=True)
salts = st.sampled_from(["", "2009", "2015\x1fsmith", "2021\x1fnguyen"])
fields = st.sampled_from(["bf_given", "bf_middle", "bf_family"])


def bits(filter_: bytes) -> int:
    return int.from_bytes(filter_, "big").bit_count()


@settings(max_examples=300, deadline=None)
@given(names, salts, fields)
def test_every_filter_has_exactly_128_bits_set_whatever_the_name(
    name: str, salt: str, field: str
) -> None:
    found = ENCODER.filter(field, salt, name)
    assert len(found) == BLOOM_BYTES == 128
    assert bits(found) == BLOOM_WEIGHT == 128


def test_a_one_letter_name_and_a_very_long_one_both_have_128_bits() -> None:
    # "a" has two bigrams, so each needs about 65 rounds: more than one digest's 51 positions.
    assert bits(ENCODER.filter("bf_given", "2015", "a")) == 128
    assert bits(ENCODER.filter("bf_family", "2015", "abcdefghijklmnopqrstuvwxyz" * 8)) == 128


@settings(max_examples=200, deadline=None)
@given(names, names, salts)
def test_dice_follows_from_the_hamming_distance_exactly(a: str, b: str, salt: str) -> None:
    left, right = ENCODER.filter("bf_given", salt, a), ENCODER.filter("bf_given", salt, b)
    x, y = int.from_bytes(left, "big"), int.from_bytes(right, "big")
    hamming = (x ^ y).bit_count()
    assert dice(left, right) == (x & y).bit_count() / BLOOM_WEIGHT
    assert dice(left, right) == pytest.approx(1 - hamming / (2 * BLOOM_WEIGHT), abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(names, salts, fields)
def test_the_fast_filter_equals_the_spec_written_out_plainly(
    name: str, salt: str, field: str
) -> None:
    assert ENCODER.filter(field, salt, name) == reference.bloom(BLOOM_KEY, field, salt, name)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(salts, names), min_size=1, max_size=12))
def test_a_batch_gives_each_filter_as_it_gives_it_alone(keys: list[tuple[str, str]]) -> None:
    assert ENCODER.many("bf_family", keys) == [
        ENCODER.filter("bf_family", salt, name) for salt, name in keys
    ]


def test_a_digest_gives_fifty_one_ten_bit_positions_from_its_top_bit() -> None:
    message = stream_message("bf_given", "2015", "_a", 0)
    assert message == b"bf_given\x1f2015\x1f_a\x00\x00\x00\x00"
    digest = hashlib.blake2b(message, key=BLOOM_KEY, digest_size=64).digest()
    whole = int.from_bytes(digest, "big")
    expected = tuple((whole >> (502 - 10 * i)) & 1023 for i in range(51))
    assert positions_from_digest(digest) == expected
    assert bigram_positions(BLOOM_KEY, "bf_given", "2015", "_a") == expected
    assert len(expected) == PER_DIGEST == 51
    assert all(0 <= p < BLOOM_M for p in expected)


def test_a_stream_goes_on_with_the_next_counter() -> None:
    long = bigram_positions(BLOOM_KEY, "bf_given", "2015", "_a", 120)
    second = hashlib.blake2b(
        stream_message("bf_given", "2015", "_a", 1), key=BLOOM_KEY, digest_size=64
    ).digest()
    assert long[51:102] == positions_from_digest(second)
    assert list(long) == reference.stream(BLOOM_KEY, "bf_given", "2015", "_a", 120)


def test_bigrams_are_padded_at_both_ends_and_a_filter_uses_each_once_in_order() -> None:
    assert bigrams("ann") == ["_a", "an", "nn", "n_"]
    assert bigrams("a") == ["_a", "a_"]
    assert bigrams("jo li") == ["_j", "jo", "o ", " l", "li", "i_"]
    assert distinct_bigrams("anna") == ["_a", "a_", "an", "na", "nn"]


def family(name: str, salt: str = "2015\x1fjack") -> bytes:
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
    assert similar >= 0.55
    assert unrelated < similar - 0.25


def test_unrelated_names_score_about_an_eighth_as_the_spec_says() -> None:
    pool = ["smith", "jones", "taylor", "brown", "patel", "khan", "okafor", "kowalski", "evans"]
    scores = [dice(family(a), family(b)) for a in pool for b in pool if a < b]
    assert 0.1 <= sum(scores) / len(scores) <= 0.22
    assert max(scores) < 0.45


def test_a_name_within_a_longer_one_shares_its_bigrams_positions() -> None:
    # Shared bigrams set the first positions of the same streams in both filters.
    assert dice(family("smith"), family("smith jones")) >= 0.4
    assert dice(family("smith"), family("okafor jones")) < 0.3


def test_the_same_name_in_another_salt_gives_an_unrelated_filter() -> None:
    assert dice(family("smith", "2014\x1fjack"), family("smith", "2015\x1fjack")) < 0.3
    assert dice(family("smith", "2015\x1foliver"), family("smith", "2015\x1fjack")) < 0.3


def test_another_key_gives_unrelated_filters() -> None:
    other = BloomEncoder(hashlib.sha256(b"another").digest())
    assert dice(other.filter("bf_family", "2015", "smith"), family("smith", "2015")) < 0.3
