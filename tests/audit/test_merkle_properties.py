"""Properties of the Merkle tree and its proofs: every proof the tree makes verifies, for
every size and index up to about 200 leaves, and any single changed bit is rejected."""

from __future__ import annotations

from hashlib import sha256

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seen.audit import MerkleTree, ProofError, verify_consistency, verify_inclusion
from seen.audit.hashing import CompactRange, leaf_hash, node_hash, split_point

MAX_LEAVES = 200


def _tree(size: int) -> MerkleTree:
    return MerkleTree(leaf_hash(i.to_bytes(4, "big")) for i in range(size))


def _reference_root(hashes: list[bytes]) -> bytes:
    # RFC 9162 §2.1.1's recursive definition, written out directly.
    if not hashes:
        return sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = split_point(len(hashes))
    return node_hash(_reference_root(hashes[:k]), _reference_root(hashes[k:]))


BIG = _tree(MAX_LEAVES)


def test_roots_equal_the_recursive_definition_at_every_size() -> None:
    hashes = [BIG.leaf_hash(i) for i in range(MAX_LEAVES)]
    compact = CompactRange()
    for size in range(MAX_LEAVES + 1):
        assert BIG.root(size) == _reference_root(hashes[:size]) == compact.root()
        if size < MAX_LEAVES:
            compact.append(hashes[size])


def test_every_inclusion_proof_verifies_for_every_size_and_index() -> None:
    for size in range(1, MAX_LEAVES + 1):
        root = BIG.root(size)
        for index in range(size):
            proof = BIG.inclusion_proof(index, size)
            verify_inclusion(BIG.leaf_hash(index), index, size, proof, root)


def test_every_consistency_proof_verifies_for_all_sizes() -> None:
    for new in range(1, MAX_LEAVES + 1):
        for old in range(1, new + 1):
            proof = BIG.consistency_proof(old, new)
            assert (proof == []) == (old == new)
            verify_consistency(old, new, BIG.root(old), BIG.root(new), proof)


def _flip(value: bytes, bit: int) -> bytes:
    changed = bytearray(value)
    changed[bit // 8] ^= 1 << (bit % 8)
    return bytes(changed)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_single_changed_bit_breaks_an_inclusion_proof(data: st.DataObject) -> None:
    size = data.draw(st.integers(1, MAX_LEAVES))
    index = data.draw(st.integers(0, size - 1))
    proof = BIG.inclusion_proof(index, size)
    leaf, root = BIG.leaf_hash(index), BIG.root(size)
    parts = ["leaf", "root"] + (["proof"] if proof else [])
    part = data.draw(st.sampled_from(parts))
    bit = data.draw(st.integers(0, 255))
    if part == "leaf":
        leaf = _flip(leaf, bit)
    elif part == "root":
        root = _flip(root, bit)
    else:
        at = data.draw(st.integers(0, len(proof) - 1))
        proof[at] = _flip(proof[at], bit)
    with pytest.raises(ProofError):
        verify_inclusion(leaf, index, size, proof, root)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_single_changed_bit_breaks_a_consistency_proof(data: st.DataObject) -> None:
    new = data.draw(st.integers(2, MAX_LEAVES))
    old = data.draw(st.integers(1, new - 1))
    proof = BIG.consistency_proof(old, new)
    old_root, new_root = BIG.root(old), BIG.root(new)
    part = data.draw(st.sampled_from(["old", "new", "proof"]))
    bit = data.draw(st.integers(0, 255))
    if part == "old":
        old_root = _flip(old_root, bit)
    elif part == "new":
        new_root = _flip(new_root, bit)
    else:
        at = data.draw(st.integers(0, len(proof) - 1))
        proof[at] = _flip(proof[at], bit)
    with pytest.raises(ProofError):
        verify_consistency(old, new, old_root, new_root, proof)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_a_proof_for_another_index_or_size_is_rejected(data: st.DataObject) -> None:
    size = data.draw(st.integers(2, MAX_LEAVES))
    index = data.draw(st.integers(0, size - 1))
    other = data.draw(st.integers(0, size - 1).filter(lambda i: i != index))
    proof = BIG.inclusion_proof(index, size)
    with pytest.raises(ProofError):
        verify_inclusion(BIG.leaf_hash(index), other, size, proof, BIG.root(size))
    with pytest.raises(ProofError):
        verify_inclusion(BIG.leaf_hash(other), index, size, proof, BIG.root(size))


def test_wrong_lengths_and_impossible_sizes_are_refused() -> None:
    tree = _tree(5)
    proof = tree.inclusion_proof(2)
    with pytest.raises(ProofError, match="32"):
        verify_inclusion(tree.leaf_hash(2)[:31], 2, 5, proof, tree.root())
    with pytest.raises(ProofError, match="32"):
        verify_inclusion(tree.leaf_hash(2), 2, 5, [*proof[:-1], proof[-1] + b"\0"], tree.root())
    with pytest.raises(ProofError):
        verify_inclusion(tree.leaf_hash(2), 5, 5, proof, tree.root())
    with pytest.raises(ProofError, match="empty tree"):
        verify_consistency(0, 5, tree.root(0), tree.root(), [])
    with pytest.raises(ProofError, match="must be empty"):
        verify_consistency(5, 5, tree.root(), tree.root(), [tree.root()])
    with pytest.raises(ValueError):
        tree.consistency_proof(0, 5)
    with pytest.raises(ValueError):
        tree.inclusion_proof(5, 5)
    with pytest.raises(ValueError):
        MerkleTree([b"short"])
