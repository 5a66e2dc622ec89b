"""Balanced, keyed Bloom filters over name bigrams, for fuzzy name comparison.

The definition (docs/encoding.md):

- the padded bigrams of the normalised name (`ann` -> `_a an nn n_`);
- one HMAC-SHA256 per bigram, `D = HMAC(bloom_key, field ␟ salt ␟ bigram)`, whose first 30
  bytes give the k = 15 positions `int.from_bytes(D[2i:2i+2], "big") mod 512` in a 512-bit base
  filter (65,536 is a multiple of 512, so every position is equally likely);
- the base filter followed by its complement (1,024 bits, exactly 512 of them set), permuted
  by a key-derived permutation: stored bit p is combined bit `perm[p]`;
- 128 bytes, most significant bit first.

`BloomEncoder.many` builds the same bytes for many (salt, name) pairs at once: one HMAC per
distinct (salt, bigram) of the batch, then the positions, the base filters, the balancing
and the permutation as NumPy array operations. Salts hold about one family each
(docs/encoding.md), so little repeats across records: the HMACs are the floor.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from collections.abc import Iterator, Sequence
from typing import Final

import numpy as np

from seen.encode.schema import BLOOM_BITS, BLOOM_K, BLOOM_M
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

    BATCH: Final = 65_536  # filters built at once: 65,536 x 1,024 booleans is 64 MiB

    def __init__(self, bloom_key: bytes, permutation_key: bytes) -> None:
        self._inner, self._outer = hmac_pads(bloom_key)
        self._perm = np.array(balancing_permutation(permutation_key), dtype=np.intp)

    def filter(self, field: str, salt: str, value: str) -> bytes:
        """The stored 128-byte filter of a normalised, non-empty value."""
        return self.many(field, [(salt, value)])[0]

    def many(self, field: str, keys: Sequence[tuple[str, str]]) -> list[bytes]:
        """The filter of each (salt, normalised non-empty value), in order."""
        found: list[bytes] = []
        for start in range(0, len(keys), self.BATCH):
            found.extend(self._batch(field, keys[start : start + self.BATCH]))
        return found

    def _batch(self, field: str, keys: Sequence[tuple[str, str]]) -> list[bytes]:
        rows: dict[tuple[str, str], int] = {}  # (salt, bigram) -> row of `digests`
        digests = bytearray()
        owner: list[int] = []  # for each (key, distinct bigram): the key's index
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
        words = np.frombuffer(bytes(digests), dtype=">u2").reshape(-1, 16)[:, :BLOOM_K]
        positions = (words % BLOOM_M).astype(np.intp)[np.asarray(bigram_row, dtype=np.intp)]
        base = np.zeros((len(keys), BLOOM_M), dtype=bool)
        base[np.repeat(np.asarray(owner, dtype=np.intp), BLOOM_K), positions.ravel()] = True
        combined = np.concatenate([base, ~base], axis=1)
        packed = np.packbits(combined[:, self._perm], axis=1)  # stored bit p: combined perm[p]
        return [row.tobytes() for row in packed]


def dice(a: bytes, b: bytes) -> float:
    """Dice coefficient 2|a & b| / (|a| + |b|) of two filters (|a & b| / 512 when balanced)."""
    left, right = int.from_bytes(a, "big"), int.from_bytes(b, "big")
    total = left.bit_count() + right.bit_count()
    return 2.0 * (left & right).bit_count() / total if total else 1.0
