"""Fixed-weight, keyed Bloom filters over name bigrams, for fuzzy name comparison.

The definition (docs/encoding.md, since `seen-encoding-3`):

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
per bigram of each filter in a tight loop (a second only for the few short names that need
more than 51 rounds), then the positions and the rounds as NumPy array operations.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
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
Positions = npt.NDArray[np.uint16]
Bits = npt.NDArray[np.bool_]
Bytes = npt.NDArray[np.uint8]
# Field i of a digest starts at bit 10 i, at bit 0, 2, 4 or 6 of its first byte, so it lies
# within that byte and the next: one 16-bit big-endian read, shifted right by what follows it.
_BYTE = np.array([POSITION_BITS * i // 8 for i in range(PER_DIGEST)], dtype=np.int64)
_SHIFT = np.array(
    [16 - POSITION_BITS - POSITION_BITS * i % 8 for i in range(PER_DIGEST)], dtype=np.uint16
)
_MASK = np.uint16(BLOOM_M - 1)


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


def _positions(raw: Bytes, count: int) -> Positions:
    """The first `count` (at most 51) positions of each digest: raw (... x k bytes, k at least
    the bytes those positions span) -> (... x count); positions_from_digest, for many."""
    head = raw[..., : _BYTE[count - 1] + 2].astype(np.uint16)
    pairs = (head[..., :-1] << 8) | head[..., 1:]  # bytes j and j + 1, big-endian
    found: Positions = (np.take(pairs, _BYTE[:count], axis=-1) >> _SHIFT[:count]) & _MASK
    return found


def _position_at(raw: Bytes, rows: Ints, rounds: Ints) -> Positions:
    """Position `rounds[i]` (under 51) of digest `rows[i]`, for each i."""
    at = _BYTE[rounds]
    high: Positions = raw[rows, at].astype(np.uint16) << np.uint16(8)
    pairs = high | raw[rows, at + 1]
    found: Positions = (pairs >> _SHIFT[rounds]) & _MASK
    return found


class BloomEncoder:
    """Fixed-weight Bloom filters for one partnership key (the `filter` purpose's key)."""

    # Filters built at once: 4,096 x 1,024 booleans is 4 MiB, near enough the processor's
    # caches while the rounds scatter bits over it (65,536 at once took half as long again).
    BATCH: Final = 4_096

    def __init__(self, filter_key: bytes) -> None:
        self._key = filter_key
        self._keyed = hashlib.blake2b(key=filter_key, digest_size=DIGEST_BYTES)
        # value -> the UTF-8 of its distinct bigrams, each with the first counter appended
        self._tails: dict[str, list[bytes]] = {}

    def filter(self, field: str, salt: str, value: str) -> bytes:
        """The stored 128-byte filter of a normalised, non-empty value."""
        return self.many(field, [(salt, value)])[0]

    def many(self, field: str, keys: Sequence[tuple[str, str]]) -> list[bytes]:
        """The filter of each (salt, normalised non-empty value), in order."""
        # Built salt by salt (a salt is about one family: its few names share many bigrams),
        # then put back in the order asked.
        by_salt: dict[str, list[int]] = {}
        for index, (salt, _) in enumerate(keys):
            by_salt.setdefault(salt, []).append(index)
        order = [index for indices in by_salt.values() for index in indices]
        found: list[bytes] = [b""] * len(keys)
        for start in range(0, len(order), self.BATCH):
            part = order[start : start + self.BATCH]
            for index, made in zip(part, self._batch(field, [keys[i] for i in part]), strict=True):
                found[index] = made
        return found

    def _batch(self, field: str, keys: Sequence[tuple[str, str]]) -> list[bytes]:
        """Filters of keys that come salt by salt."""
        # The first digest of each distinct (salt, bigram): the keyed state after
        # `field ␟ salt ␟` is made once per salt and copied per bigram.
        tails_of = self._tails
        keyed = self._keyed
        counts: list[int] = []  # each filter's bigrams
        row_of: list[int] = []  # each filter's bigrams' rows of `digests`, filter after filter
        rows: dict[bytes, int] = {}  # the current salt's bigrams' rows
        digests: list[bytes] = []
        previous = None
        for salt, value in keys:
            tails = tails_of.get(value)
            if tails is None:
                tails = tails_of[value] = [b.encode() + FIRST for b in distinct_bigrams(value)]
            counts.append(len(tails))
            if salt != previous:
                previous, rows = salt, {}
                prefix = keyed.copy()
                prefix.update(f"{field}\x1f{salt}\x1f".encode())
                start = prefix.copy
            for tail in tails:
                row = rows.get(tail)
                if row is None:
                    row = rows[tail] = len(digests)
                    state = start()
                    state.update(tail)
                    digests.append(state.digest())
                row_of.append(row)
        sizes = np.array(counts, dtype=np.int64)
        first = np.zeros(len(keys), dtype=np.int64)
        np.cumsum(sizes[:-1], out=first[1:])
        longer: dict[int, tuple[int, ...]] = {}  # row -> its stream, as far as needed yet

        def later(owners: Ints, slots: Ints, rows: Ints, rounds: Ints) -> Positions:
            """Positions past a stream's first digest, by the definition: only one- and
            two-letter names, and the odd unlucky three-letter one, come this far."""
            found = np.empty(len(rows), dtype=np.uint16)
            for i, (owner, slot, row, r) in enumerate(
                zip(owners.tolist(), slots.tolist(), rows.tolist(), rounds.tolist(), strict=True)
            ):
                stream = longer.get(row, ())
                if len(stream) <= r:
                    salt, value = keys[owner]
                    bigram = tails_of[value][slot][: -len(FIRST)].decode()
                    length = (r // PER_DIGEST + 1) * PER_DIGEST
                    stream = longer[row] = bigram_positions(self._key, field, salt, bigram, length)
                found[i] = stream[r]
            return found

        raw = np.frombuffer(b"".join(digests), dtype=np.uint8).reshape(-1, DIGEST_BYTES)
        bits = _fill(sizes, first, np.array(row_of, dtype=np.int64), raw, later)
        packed = np.packbits(bits, axis=1)
        assert packed.shape[1] == BLOOM_BYTES
        return [row.tobytes() for row in packed]


def _fill(
    counts: Ints,
    first: Ints,
    row_of: Ints,
    raw: Bytes,
    later: Callable[[Ints, Ints, Ints, Ints], Positions],
) -> Bits:
    """Each filter's bits, set in rounds until exactly W are set.

    Filter f's streams are the rows row_of[first[f] + j] of `raw`, j < counts[f], each
    stream's first digest; `later(filters, slots, rows, rounds)` gives positions at rounds of
    51 and beyond. Draw k of filter f is round k // counts[f] of its stream k % counts[f].
    Positions are read from the digests as the rounds reach them: most filters stop within 20
    rounds of 51.
    """
    bits = np.zeros((len(counts), BLOOM_M), dtype=np.bool_)
    flat = bits.reshape(-1)  # bit p of filter f is flat[f * m + p]: one index, not a pair
    drawn = np.zeros(len(counts), dtype=np.int64)  # draws taken, round by round
    # The first W draws of a filter cannot set more than W bits, so all filters take them at
    # once, those with n bigrams as one n x rounds block of positions per filter, read round
    # by round. Those that would need more than 51 rounds for it are left to the passes below.
    for n in np.unique(counts).tolist():
        rounds = -(-BLOOM_WEIGHT // n)
        if rounds > PER_DIGEST:
            continue
        group = np.flatnonzero(counts == n)
        rows = row_of[first[group, np.newaxis] + np.arange(n)]
        blocks = _positions(raw[rows], rounds).transpose(0, 2, 1).reshape(len(group), -1)
        flat[group[:, np.newaxis] * BLOOM_M + blocks[:, :BLOOM_WEIGHT]] = True
        drawn[group] = BLOOM_WEIGHT
    weight = bits.view(np.uint8).sum(axis=1, dtype=np.uint16).astype(np.int64)
    active = np.flatnonzero(weight < BLOOM_WEIGHT)
    # Each further pass takes as many draws as a filter lacks bits: none can overshoot W, and
    # draws past the one that reaches W would only set bits already set. A filter's weight
    # grows by the distinct bits its pass sets that were not set before.
    while active.size:
        lack = BLOOM_WEIGHT - weight[active]
        owner = np.repeat(active, lack)
        starts = np.repeat(drawn[active] - np.cumsum(lack) + lack, lack)
        step = np.arange(owner.size, dtype=np.int64) + starts
        rounds_of, slot = np.divmod(step, counts[owner])
        rows_of = row_of[first[owner] + slot]
        found = _position_at(raw, rows_of, np.minimum(rounds_of, PER_DIGEST - 1))
        late = np.flatnonzero(rounds_of >= PER_DIGEST)
        if late.size:
            found[late] = later(owner[late], slot[late], rows_of[late], rounds_of[late])
        at = owner * BLOOM_M + found
        fresh = np.unique(at[~flat[at]])
        flat[fresh] = True
        weight += np.bincount(fresh // BLOOM_M, minlength=len(counts))
        drawn[active] += lack
        active = active[weight[active] < BLOOM_WEIGHT]
    return bits


def dice(a: bytes, b: bytes) -> float:
    """Dice coefficient 2|a & b| / (|a| + |b|) of two filters (|a & b| / W for fixed weight W)."""
    left, right = int.from_bytes(a, "big"), int.from_bytes(b, "big")
    total = left.bit_count() + right.bit_count()
    return 2.0 * (left & right).bit_count() / total if total else 1.0
