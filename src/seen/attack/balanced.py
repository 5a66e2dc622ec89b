"""The Bloom filters of `seen-encoding-1` and `seen-encoding-2`, rebuilt on the agency side so
that the attack harness can measure those versions as controls (`seen.attack.control`).

A bigram set k = 15 positions in a 512-bit base filter, all from one HMAC-SHA256:
`D = HMAC(bloom_key, field ␟ salt ␟ bigram)`, positions `int.from_bytes(D[2i:2i+2], "big") mod
512`; the base filter followed by its complement (1,024 bits, exactly 512 set), permuted by one
key-derived permutation for every filter: stored bit p is combined bit `perm[p]`. docs/
encoding.md at `seen-encoding-2` specified them; `seen-encoding-3` replaced them with
fixed-weight filters because the shared permutation lets a hub undo the balancing and read
each name's length (docs/threat-model.md).

This module takes the key: no attack imports it (tests/attack/test_separation.py).
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from collections.abc import Iterator, Sequence
from typing import Final

import numpy as np

from seen.encode.bloom import bigrams
from seen.encode.tokens import hmac_pads

BASE_M: Final = 512  # bits in the base filter
BASE_K: Final = 15  # positions per bigram
COMBINED_BITS: Final = 2 * BASE_M
_WORD = 1 << 32
_POSITIONS = struct.Struct(f">{BASE_K}H")  # k big-endian 16-bit words from the digest's start


def positions_from_digest(digest: bytes) -> tuple[int, ...]:
    """`int.from_bytes(digest[2i:2i+2], "big") mod 512` for i = 0..k-1."""
    return tuple(word % BASE_M for word in _POSITIONS.unpack_from(digest))


def bigram_positions(bloom_key: bytes, field: str, salt: str, bigram: str) -> tuple[int, ...]:
    """The k base-filter positions of one bigram."""
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


def balancing_permutation(permutation_key: bytes, size: int = COMBINED_BITS) -> list[int]:
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


class BalancedBloomEncoder:
    """Balanced Bloom filters (seen-encoding-1 and -2) for one partnership key."""

    BATCH: Final = 65_536

    def __init__(self, bloom_key: bytes, permutation_key: bytes) -> None:
        self._inner, self._outer = hmac_pads(bloom_key)
        self._perm = np.array(balancing_permutation(permutation_key), dtype=np.intp)

    def many(self, field: str, keys: Sequence[tuple[str, str]]) -> list[bytes]:
        """The filter of each (salt, normalised non-empty value), in order."""
        found: list[bytes] = []
        for start in range(0, len(keys), self.BATCH):
            found.extend(self._batch(field, keys[start : start + self.BATCH]))
        return found

    def _batch(self, field: str, keys: Sequence[tuple[str, str]]) -> list[bytes]:
        rows: dict[tuple[str, str], int] = {}
        digests = bytearray()
        owner: list[int] = []
        bigram_row: list[int] = []
        inner, outer = self._inner, self._outer
        for index, (salt, value) in enumerate(keys):
            prefix = f"{field}\x1f{salt}\x1f"
            for bigram in set(bigrams(value)):
                row = rows.get((salt, bigram))
                if row is None:
                    row = rows[salt, bigram] = len(rows)
                    state = inner.copy()
                    state.update((prefix + bigram).encode())
                    final = outer.copy()
                    final.update(state.digest())
                    digests += final.digest()
                owner.append(index)
                bigram_row.append(row)
        words = np.frombuffer(bytes(digests), dtype=">u2").reshape(-1, 16)[:, :BASE_K]
        positions = (words % BASE_M).astype(np.intp)[np.asarray(bigram_row, dtype=np.intp)]
        base = np.zeros((len(keys), BASE_M), dtype=bool)
        base[np.repeat(np.asarray(owner, dtype=np.intp), BASE_K), positions.ravel()] = True
        combined = np.concatenate([base, ~base], axis=1)
        packed = np.packbits(combined[:, self._perm], axis=1)
        return [row.tobytes() for row in packed]
