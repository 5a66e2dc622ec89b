"""An in-memory Merkle tree over leaf hashes that answers RFC 9162 §2.1.3.1 inclusion and
§2.1.4.1 consistency proofs for any earlier size.

It keeps every complete perfect subtree's hash (about one hash per leaf beyond the leaves
themselves), so any proof needs O(log² n) hashes from the cache and never a rescan.
"""

from __future__ import annotations

from collections.abc import Iterable

from seen.audit.hashing import EMPTY_ROOT, HASH_SIZE, node_hash, split_point


class MerkleTree:
    __slots__ = ("_levels",)

    def __init__(self, leaf_hashes: Iterable[bytes]) -> None:
        leaves = list(leaf_hashes)
        for index, value in enumerate(leaves):
            if len(value) != HASH_SIZE:
                raise ValueError(
                    f"leaf {index}: a leaf hash is {HASH_SIZE} bytes, not {len(value)}"
                )
        # _levels[k][i] is the hash of the perfect subtree over leaves [i * 2^k, (i+1) * 2^k).
        self._levels: list[list[bytes]] = [leaves]
        below = leaves
        while len(below) >= 2:
            above = [node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)]
            self._levels.append(above)
            below = above

    @property
    def size(self) -> int:
        return len(self._levels[0])

    def leaf_hash(self, index: int) -> bytes:
        return self._levels[0][index]

    def root(self, size: int | None = None) -> bytes:
        """MTH of the first `size` leaves (all of them by default)."""
        size = self.size if size is None else self._check_size(size)
        return EMPTY_ROOT if size == 0 else self._hash(0, size)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(index, D[size]): the audit path of leaf `index` in the tree of `size` leaves."""
        size = self.size if size is None else self._check_size(size)
        if not 0 <= index < size:
            raise ValueError(f"leaf {index} is not in a tree of {size} leaves")
        proof: list[bytes] = []
        start, end = 0, size
        # Walk from the root down to the leaf; the proof lists siblings leaf first.
        while end - start > 1:
            k = split_point(end - start)
            if index < start + k:
                proof.append(self._hash(start + k, end))
                end = start + k
            else:
                proof.append(self._hash(start, start + k))
                start += k
        proof.reverse()
        return proof

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """PROOF(old_size, D[new_size]) of RFC 9162 §2.1.4.1.

        Sizes equal: the empty proof. An old size of 0 is refused: every tree extends the
        empty one, so such a proof would prove nothing (RFC 9162 asks for 0 < m).
        """
        new_size = self.size if new_size is None else self._check_size(new_size)
        if old_size <= 0:
            raise ValueError("a consistency proof needs an old tree of at least one leaf")
        if old_size > new_size:
            raise ValueError(f"the old size {old_size} is larger than the new size {new_size}")
        proof: list[bytes] = []
        start, end, m, whole = 0, new_size, old_size, True
        # SUBPROOF(m, D[start:end], whole), unrolled; the loop collects top-down.
        while m != end - start:
            k = split_point(end - start)
            if m <= k:
                proof.append(self._hash(start + k, end))
                end = start + k
            else:
                proof.append(self._hash(start, start + k))
                start, m, whole = start + k, m - k, False
        if not whole:
            proof.append(self._hash(start, end))
        proof.reverse()
        return proof

    def _hash(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for the ranges RFC 9162's recursion visits."""
        size = end - start
        if size & (size - 1) == 0 and start % size == 0:
            return self._levels[size.bit_length() - 1][start // size]
        k = split_point(size)
        return node_hash(self._hash(start, start + k), self._hash(start + k, end))

    def _check_size(self, size: int) -> int:
        if not 0 <= size <= self.size:
            raise ValueError(f"the tree has {self.size} leaves, not {size}")
        return size
