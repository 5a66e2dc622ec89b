"""Balanced, keyed Bloom filters over name bigrams, for fuzzy name comparison.

The definition (docs/encoding.md):

- the padded bigrams of the normalised name (`ann` -> `_a an nn n_`);
- one HMAC-SHA256 per bigram, `D = HMAC(bloom_key, field ␟ salt ␟ bigram)`, whose first 30
  bytes give the k = 15 positions `int.from_bytes(D[2i:2i+2], "big") mod 512` in a 512-bit base
  filter (65,536 is a multiple of 512, so every position is equally likely);
- the base filter followed by its complement (1,024 bits, exactly 512 of them set), permuted
  by a key-derived permutation: stored bit p is combined bit `perm[p]`;
- 128 bytes, most significant bit first.

`BloomEncoder` builds the same bytes with Python integers: each base position q, once set,
turns on stored bit `inv[q]` and turns off stored bit `inv[512 + q]`, so a filter is the
filter of the empty name XOR the union of one precomputed mask per bigram. Bigram masks are
remembered per (field, salt) and whole filters per (field, salt, name).
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from collections.abc import Iterator
from functools import reduce
from operator import or_
from typing import Final

from seen.encode.schema import BLOOM_BITS, BLOOM_BYTES, BLOOM_K, BLOOM_M
from seen.encode.tokens import hmac_pads

PAD: Final = "_"
_WORD = 1 << 32
_POSITIONS = struct.Struct(f">{BLOOM_K}H")  # k big-endian 16-bit words from the digest's start


def bigrams(value: str) -> list[str]:
    """The padded bigrams of a normalised value, in order (repeats kept)."""
    padded = f"{PAD}{value}{PAD}"
    return list(map(str.__add__, padded[:-1], padded[1:]))


def positions_from_digest(digest: bytes) -> tuple[int, ...]:
    """`int.from_bytes(digest[2i:2i+2], "big") mod 512` for i = 0..k-1."""
    return tuple(word % BLOOM_M for word in _POSITIONS.unpack_from(digest))


def bigram_positions(bloom_key: bytes, field: str, salt: str, bigram: str) -> tuple[int, ...]:
    """The k base-filter positions of one bigram: the definition."""
    message = f"{field}\x1f{salt}\x1f{bigram}".encode()
    return positions_from_digest(hmac.new(bloom_key, message, hashlib.sha256).digest())


def _random_words(permutation_key: bytes) -> Iterator[int]:
    """32-bit big-endian words of HMAC-SHA256(permutation_key, counter), counter = 0, 1, ..."""
    counter = 0
    while True:
        block = hmac.new(permutation_key, counter.to_bytes(4, "big"), hashlib.sha256).digest()
        for i in range(0, len(block), 4):
            yield int.from_bytes(block[i : i + 4], "big")
        counter += 1


def balancing_permutation(permutation_key: bytes, size: int = BLOOM_BITS) -> list[int]:
    """Fisher-Yates shuffle of 0..size-1 (Durstenfeld's form, i from size-1 down to 1), each
    j uniform in 0..i by rejection sampling of 32-bit words from `_random_words`."""
    perm = list(range(size))
    words = _random_words(permutation_key)
    for i in range(size - 1, 0, -1):
        bound = i + 1
        limit = _WORD - _WORD % bound
        word = next(words)
        while word >= limit:
            word = next(words)
        j = word % bound
        perm[i], perm[j] = perm[j], perm[i]
    return perm


class BloomEncoder:
    """Balanced Bloom filters for one partnership key."""

    def __init__(self, bloom_key: bytes, permutation_key: bytes) -> None:
        self._inner, self._outer = hmac_pads(bloom_key)
        perm = balancing_permutation(permutation_key)
        stored_at = [0] * BLOOM_BITS  # combined bit -> stored position
        for position, combined in enumerate(perm):
            stored_at[combined] = position
        top = BLOOM_BITS - 1
        self._empty = sum(1 << (top - stored_at[BLOOM_M + q]) for q in range(BLOOM_M))
        self._toggle = [
            (1 << (top - stored_at[q])) | (1 << (top - stored_at[BLOOM_M + q]))
            for q in range(BLOOM_M)
        ]
        self._masks: dict[tuple[str, str], _BigramMasks] = {}
        self._filters: dict[tuple[str, str, str], bytes] = {}

    def filter(self, field: str, salt: str, value: str) -> bytes:
        """The stored 128-byte filter of a normalised, non-empty value."""
        key = (field, salt, value)
        found = self._filters.get(key)
        if found is None:
            masks = self._masks.get((field, salt))
            if masks is None:
                masks = self._masks[field, salt] = _BigramMasks(self, field, salt)
            union = reduce(or_, map(masks.__getitem__, bigrams(value)))
            found = self._filters[key] = (self._empty ^ union).to_bytes(BLOOM_BYTES, "big")
        return found

    def _mask(self, prefix: bytes, bigram: str) -> int:
        """The union of the toggles of one bigram's k positions."""
        state = self._inner.copy()
        state.update(prefix + bigram.encode())
        final = self._outer.copy()
        final.update(state.digest())
        return reduce(or_, map(self._toggle.__getitem__, positions_from_digest(final.digest())))


class _BigramMasks(dict[str, int]):
    """bigram -> mask for one (field, salt), computed on first use."""

    def __init__(self, encoder: BloomEncoder, field: str, salt: str) -> None:
        super().__init__()
        self._encoder = encoder
        self._prefix = f"{field}\x1f{salt}\x1f".encode()

    def __missing__(self, bigram: str) -> int:
        mask = self[bigram] = self._encoder._mask(self._prefix, bigram)
        return mask


def dice(a: bytes, b: bytes) -> float:
    """Dice coefficient 2|a & b| / (|a| + |b|) of two filters (|a & b| / 512 when balanced)."""
    left, right = int.from_bytes(a, "big"), int.from_bytes(b, "big")
    total = left.bit_count() + right.bit_count()
    return 2.0 * (left & right).bit_count() / total if total else 1.0
