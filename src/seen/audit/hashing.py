"""RFC 9162 §2.1.1 Merkle tree hashing over SHA-256.

A leaf's hash is SHA-256(0x00 || entry) and an interior node's is SHA-256(0x01 || left ||
right); the two prefixes keep a leaf from ever being passed off as a node. The tree of n
leaves splits at k, the largest power of two smaller than n; the empty tree's hash is
SHA-256 of nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from hashlib import sha256
from typing import Final

HASH_SIZE: Final = 32
LEAF_PREFIX: Final = b"\x00"
NODE_PREFIX: Final = b"\x01"
EMPTY_ROOT: Final = sha256(b"").digest()


def leaf_hash(entry: bytes) -> bytes:
    return sha256(LEAF_PREFIX + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return sha256(NODE_PREFIX + left + right).digest()


def split_point(size: int) -> int:
    """The largest power of two smaller than `size` (size >= 2): where RFC 9162 splits."""
    if size < 2:
        raise ValueError(f"a tree of {size} leaves does not split")
    return 1 << ((size - 1).bit_length() - 1)


def root_from_leaf_hashes(hashes: Sequence[bytes]) -> bytes:
    """MTH(D[n]) given the n leaf hashes, in one pass and O(log n) memory."""
    ranges = CompactRange()
    for value in hashes:
        ranges.append(value)
    return ranges.root()


def root_of(entries: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of the entries themselves."""
    return root_from_leaf_hashes([leaf_hash(entry) for entry in entries])


class CompactRange:
    """The roots of the perfect subtrees covering the leaves appended so far (one per set
    bit of the size, largest first): enough to give the root at every size, streaming.

    This is how `seen audit verify` recomputes a million-leaf tree without holding it.
    """

    __slots__ = ("_stack", "size")

    def __init__(self) -> None:
        self._stack: list[bytes] = []
        self.size = 0

    def append(self, hash_: bytes) -> None:
        stack = self._stack
        stack.append(hash_)
        # Each trailing 1 bit of the old size is a perfect subtree the new leaf completes.
        size = self.size
        while size & 1:
            right = stack.pop()
            stack[-1] = sha256(NODE_PREFIX + stack[-1] + right).digest()
            size >>= 1
        self.size += 1

    def root(self) -> bytes:
        if not self._stack:
            return EMPTY_ROOT
        # The smaller subtrees on the right fold in first: RFC 9162's right-leaning shape.
        value = self._stack[-1]
        for left in reversed(self._stack[:-1]):
            value = node_hash(left, value)
        return value
