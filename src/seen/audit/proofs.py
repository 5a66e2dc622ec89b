"""Checking inclusion and consistency proofs exactly as RFC 9162 §2.1.3.2 and §2.1.4.2 say.

Each check raises `ProofError` with the reason, or returns None. Every hash must be 32
bytes. A consistency proof from size 0 is refused (every tree extends the empty one, so it
would prove nothing), and between equal sizes the proof must be empty and the roots equal.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence

from seen.audit.hashing import HASH_SIZE, node_hash
from seen.errors import VerificationFailed


class ProofError(VerificationFailed):
    """A proof, or what it is checked against, does not hold."""


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """That the leaf with `leaf_hash` is entry `index` of the tree of `size` leaves whose
    root is `root` (RFC 9162 §2.1.3.2)."""
    _check_hash("the leaf hash", leaf_hash)
    _check_hash("the root", root)
    _check_proof(proof)
    if index < 0 or size < 0:
        raise ProofError("a leaf index and a tree size are never negative")
    if index >= size:
        raise ProofError(f"leaf {index} is not in a tree of {size} leaves")
    fn, sn = index, size - 1
    r = leaf_hash
    for p in proof:
        if sn == 0:
            raise ProofError("the inclusion proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the inclusion proof is shorter than the tree is deep")
    if not hmac.compare_digest(r, root):
        raise ProofError("the inclusion proof does not lead to the root")


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """That the tree of `new_size` leaves with `new_root` extends the tree of `old_size`
    leaves with `old_root` (RFC 9162 §2.1.4.2)."""
    if old_size < 0 or new_size < 0:
        raise ProofError("a tree size is never negative")
    if old_size > new_size:
        raise ProofError(f"the old size {old_size} is larger than the new size {new_size}")
    if old_size == 0:
        raise ProofError("a consistency proof from the empty tree proves nothing")
    if old_size == new_size:
        # Nothing to compute: the same tree has the same root. (The transparency-dev
        # vectors compare the roots as given here, whatever their length.)
        if proof:
            raise ProofError("between trees of equal size the proof must be empty")
        if not hmac.compare_digest(old_root, new_root):
            raise ProofError("trees of the same size have different roots")
        return
    _check_hash("the old root", old_root)
    _check_hash("the new root", new_root)
    _check_proof(proof)
    path = list(proof)
    if not path:
        raise ProofError("the consistency proof is empty")
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("the consistency proof is longer than it should be")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the consistency proof is shorter than it should be")
    if not hmac.compare_digest(fr, old_root):
        raise ProofError("the consistency proof does not lead to the old root")
    if not hmac.compare_digest(sr, new_root):
        raise ProofError("the consistency proof does not lead to the new root")


def _check_hash(what: str, value: bytes) -> None:
    if len(value) != HASH_SIZE:
        raise ProofError(f"{what} is {len(value)} bytes; a SHA-256 hash is {HASH_SIZE}")


def _check_proof(proof: Sequence[bytes]) -> None:
    for position, value in enumerate(proof):
        _check_hash(f"proof hash {position}", value)
