"""Fixed-weight, keyed Bloom filters over name bigrams, for fuzzy name comparison.

The definition (docs/encoding.md, `seen-encoding-3`):

- the distinct padded bigrams of the normalised name (`ann` -> `_a an nn n_`), sorted;
- each bigram's *position stream*: the 51 ten-bit fields of each 64-byte keyed BLAKE2b digest
  `BLAKE2b-512(key=filter_key, field ␟ salt ␟ bigram || counter)`, counter = 0, 1, ...;
- positions set in rounds: round r sets, for each bigram in order, the r-th position of its
  stream, until exactly `W` = 128 of the `m` = 1,024 bits are set. Every filter has weight W
  whatever the name, so the weight says nothing of its length, and there is no complement to
  undo; names that share bigrams share the first positions of their streams;
- 128 bytes, most significant bit first.

For two filters of weight W the Dice coefficient is |a & b| / W = 1 - hamming(a, b) / (2 W).

`BloomEncoder.many` builds the same bytes for many (salt, name) pairs at once: one BLAKE2b
per distinct (salt, bigram) of the batch (a second for the few short names that need more
than 51 rounds), then the positions and the rounds as NumPy array operations.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

from seen.encode.schema import BLOOM_BYTES, BLOOM_M, BLOOM_WEIGHT

PAD: Final = "_"
DIGEST_BYTES: Final = 64  # BLAKE2b-512
POSITION_BITS: Final = 10  # log2(BLOOM_M)
PER_DIGEST: Final = DIGEST_BYTES * 8 // POSITION_BITS  # 51 positions (510 of the 512 bits)
FIRST: Final = (0).to_bytes(4, "big")  # the counter of a stream's first digest

Ints = npt.NDArray[np.int64]
_SHIFTS = np.array([30, 20, 10, 0], dtype=np.uint64)  # four fields of a 40-bit group
_TAIL_SHIFTS = np.array([22, 12, 2], dtype=np.uint64)  # three fields of the last 32 bits


def bigrams(value: str) -> list[str]:
    """The padded bigrams of a normalised value, in order (repeats kept)."""
    padded = f"{PAD}{value}{PAD}"
    return list(map(str.__add__, padded[:-1], padded[1:]))


def distinct_bigrams(value: str) -> list[str]:
    """The bigrams a filter is built from: distinct, sorted by code point."""
    return sorted(set(bigrams(value)))


def stream_message(field: str, salt: str, bigram: str, counter: int) -> bytes:
    """The message of a bigram's `counter`-th digest: UTF-8 `field ␟ salt ␟ bigram`, then the
    counter as 4 bytes big-endian."""
    return f"{field}\x1f{salt}\x1f{bigram}".encode() + counter.to_bytes(4, "big")


def positions_from_digest(digest: bytes) -> tuple[int, ...]:
    """The 51 positions of one 64-byte digest: successive 10-bit big-endian fields from its top
    bit (the last 2 bits unused)."""
    whole = int.from_bytes(digest, "big")
    top = DIGEST_BYTES * 8 - POSITION_BITS
    return tuple((whole >> (top - POSITION_BITS * i)) & (BLOOM_M - 1) for i in range(PER_DIGEST))


def bigram_positions(
    filter_key: bytes, field: str, salt: str, bigram: str, count: int = PER_DIGEST
) -> tuple[int, ...]:
    """The first `count` positions of a bigram's stream: the definition."""
    found: list[int] = []
    counter = 0
    while len(found) < count:
        digest = hashlib.blake2b(
            stream_message(field, salt, bigram, counter), key=filter_key, digest_size=DIGEST_BYTES
        ).digest()
        found.extend(positions_from_digest(digest))
        counter += 1
    return tuple(found[:count])


def _positions(digests: bytes) -> Ints:
    """digests (n x 64 bytes) -> n x 51 positions: four 10-bit fields in each 5 bytes of the
    first 60 (read as 40-bit big-endian numbers), then three in the top 30 bits of the last 4."""
    raw = np.frombuffer(digests, dtype=np.uint8).reshape(-1, DIGEST_BYTES)
    padded = np.zeros((len(raw), 13, 8), dtype=np.uint8)
    padded[:, :12, 3:] = raw[:, :60].reshape(-1, 12, 5)
    padded[:, 12, 4:] = raw[:, 60:]
    words = padded.view(">u8")[:, :, 0]  # n x 13: twelve 40-bit groups, then the last 32 bits
    fields = (words[:, :12, np.newaxis] >> _SHIFTS) & np.uint64(BLOOM_M - 1)
    tail = (words[:, 12:] >> _TAIL_SHIFTS) & np.uint64(BLOOM_M - 1)
    found: Ints = np.concatenate([fields.reshape(-1, 48), tail], axis=1).astype(np.int64)
    return found


class BloomEncoder:
    """Fixed-weight Bloom filters for one partnership key (the `filter` purpose's key)."""

    BATCH: Final = 65_536  # filters built at once: 65,536 x 1,024 booleans is 64 MiB

    def __init__(self, filter_key: bytes) -> None:
        self._keyed = hashlib.blake2b(key=filter_key, digest_size=DIGEST_BYTES)
        # value -> its distinct bigrams, each with its UTF-8 and the first counter appended
        self._bigrams: dict[str, list[tuple[str, bytes]]] = {}

    def filter(self, field: str, salt: str, value: str) -> bytes:
        """The stored 128-byte filter of a normalised, non-empty value."""
        return self.many(field, [(salt, value)])[0]

    def many(self, field: str, keys: Sequence[tuple[str, str]]) -> list[bytes]:
        """The filter of each (salt, normalised non-empty value), in order."""
        found: list[bytes] = []
        for start in range(0, len(keys), self.BATCH):
            found.extend(self._batch(field, keys[start : start + self.BATCH]))
        return found

    def _digests(self, messages: Sequence[bytes]) -> bytes:
        keyed = self._keyed
        out = bytearray()
        for message in messages:
            state = keyed.copy()
            state.update(message)
            out += state.digest()
        return bytes(out)

    def _batch(self, field: str, keys: Sequence[tuple[str, str]]) -> list[bytes]:
        rows: dict[tuple[str, str], int] = {}  # (salt, bigram) -> row of the position table
        row_of: list[int] = []  # each filter's bigrams' rows, filter after filter
        counts = np.zeros(len(keys), dtype=np.int64)  # distinct bigrams per filter
        digests = bytearray()  # each row's first digest (counter 0)
        split = self._bigrams
        keyed = self._keyed
        for index, (salt, value) in enumerate(keys):
            names = split.get(value)
            if names is None:
                names = split[value] = [
                    (bigram, bigram.encode() + FIRST) for bigram in distinct_bigrams(value)
                ]
            counts[index] = len(names)
            prefix = None
            for bigram, tail in names:
                row = rows.get((salt, bigram))
                if row is None:
                    row = rows[salt, bigram] = len(rows)
                    if prefix is None:  # the keyed state after `field ␟ salt ␟`, once per key
                        prefix = keyed.copy()
                        prefix.update(f"{field}\x1f{salt}\x1f".encode())
                    state = prefix.copy()
                    state.update(tail)
                    digests += state.digest()
                row_of.append(row)
        table = _positions(bytes(digests))  # rows x positions computed so far
        digests_of = np.ones(len(rows), dtype=np.int64)  # digests computed per row
        pairs = list(rows)
        first = np.zeros(len(keys), dtype=np.int64)  # each filter's first entry in row_of
        np.cumsum(counts[:-1], out=first[1:])
        row_of_arr = np.asarray(row_of, dtype=np.int64)
        bits = np.zeros((len(keys), BLOOM_M), dtype=np.bool_)
        drawn = np.zeros(len(keys), dtype=np.int64)  # draws taken, round by round
        weight = np.zeros(len(keys), dtype=np.int64)
        active = np.arange(len(keys), dtype=np.int64)
        # Each pass takes as many further draws as a filter lacks bits: none can overshoot W,
        # and draws past the one that reaches W would only set bits already set.
        while active.size:
            lack = BLOOM_WEIGHT - weight[active]
            owner = np.repeat(active, lack)
            starts = np.repeat(drawn[active] - np.cumsum(lack) + lack, lack)
            step = np.arange(owner.size, dtype=np.int64) + starts
            rounds, slot = np.divmod(step, counts[owner])
            streams = row_of_arr[first[owner] + slot]
            table, digests_of = self._extend(field, pairs, table, digests_of, streams, rounds)
            bits[owner, table[streams, rounds]] = True
            drawn[active] += lack
            weight[active] = bits[active].sum(axis=1)
            active = active[weight[active] < BLOOM_WEIGHT]
        packed = np.packbits(bits, axis=1)
        assert packed.shape[1] == BLOOM_BYTES
        return [row.tobytes() for row in packed]

    def _extend(
        self,
        field: str,
        pairs: list[tuple[str, str]],
        table: Ints,
        digests_of: Ints,
        row: Ints,
        rounds: Ints,
    ) -> tuple[Ints, Ints]:
        """The position table with every stream long enough for the rounds asked of it."""
        if not (rounds >= digests_of[row] * PER_DIGEST).any():
            return table, digests_of
        need = np.zeros(len(pairs), dtype=np.int64)
        np.maximum.at(need, row, rounds // PER_DIGEST + 1)
        short = np.flatnonzero(need > digests_of)
        width = int(need.max(initial=1)) * PER_DIGEST
        if width > table.shape[1]:
            wider = np.full((table.shape[0], width), -1, dtype=np.int64)
            wider[:, : table.shape[1]] = table
            table = wider
        for r in short.tolist():
            salt, bigram = pairs[r]
            counters = range(int(digests_of[r]), int(need[r]))
            digests = self._digests([stream_message(field, salt, bigram, c) for c in counters])
            extra = _positions(digests).reshape(-1)
            table[r, int(digests_of[r]) * PER_DIGEST : int(need[r]) * PER_DIGEST] = extra
            digests_of[r] = need[r]
        return table, digests_of


def dice(a: bytes, b: bytes) -> float:
    """Dice coefficient 2|a & b| / (|a| + |b|) of two filters (|a & b| / W for fixed weight W)."""
    left, right = int.from_bytes(a, "big"), int.from_bytes(b, "big")
    total = left.bit_count() + right.bit_count()
    return 2.0 * (left & right).bit_count() / total if total else 1.0
