"""The Merkle code against transparency-dev/merkle's test vectors in ../shared/testdata/merkle
(every inclusion and consistency case, including those that must be rejected) and the
reference roots in that folder's README."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from seen.audit import MerkleTree, ProofError, root_of, verify_consistency, verify_inclusion
from seen.audit.hashing import EMPTY_ROOT, leaf_hash

VECTORS = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "merkle"


def _cases(kind: str) -> list[Any]:
    files = sorted((VECTORS / kind).rglob("*.json"))
    return [pytest.param(path, id=str(path.relative_to(VECTORS / kind))) for path in files]


def _b64(value: str | None) -> bytes:
    return base64.b64decode(value or "")


def test_every_vector_folder_is_found(testdata: Path) -> None:
    assert VECTORS == testdata / "merkle"
    # 197 files in all: a folder that went missing would quietly shrink the test.
    assert len(_cases("inclusion")) >= 90
    assert len(_cases("consistency")) >= 90


@pytest.mark.parametrize("path", _cases("inclusion"))
def test_inclusion_vector(path: Path) -> None:
    case = json.loads(path.read_text())
    proof = [_b64(p) for p in case["proof"] or []]
    args = (_b64(case["leafHash"]), case["leafIdx"], case["treeSize"], proof, _b64(case["root"]))
    if case["wantErr"]:
        with pytest.raises(ProofError):
            verify_inclusion(*args)
    else:
        verify_inclusion(*args)


@pytest.mark.parametrize("path", _cases("consistency"))
def test_consistency_vector(path: Path) -> None:
    case = json.loads(path.read_text())
    proof = [_b64(p) for p in case["proof"] or []]
    args = (case["size1"], case["size2"], _b64(case["root1"]), _b64(case["root2"]), proof)
    if case["wantErr"]:
        with pytest.raises(ProofError):
            verify_consistency(*args)
    else:
        verify_consistency(*args)


LEAVES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]


def test_reference_roots_from_the_readme() -> None:
    assert root_of(LEAVES).hex() == (
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
    )
    assert (
        root_of([]).hex()
        == EMPTY_ROOT.hex()
        == ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    )


def test_generated_proofs_equal_the_vectors_happy_paths() -> None:
    # The vectors' happy paths are over the README's leaves: our proofs must be theirs.
    tree = MerkleTree(leaf_hash(leaf) for leaf in LEAVES)
    compared = 0
    for path in sorted((VECTORS / "inclusion").glob("*/happy-path.json")):
        case = json.loads(path.read_text())
        if case["leafHash"] != base64.b64encode(tree.leaf_hash(case["leafIdx"])).decode():
            continue
        proof = tree.inclusion_proof(case["leafIdx"], case["treeSize"])
        assert proof == [_b64(p) for p in case["proof"] or []], path
        assert tree.root(case["treeSize"]) == _b64(case["root"])
        compared += 1
    for path in sorted((VECTORS / "consistency").glob("*/happy-path.json")):
        case = json.loads(path.read_text())
        if case["size1"] == 0 or tree.root(case["size2"]) != _b64(case["root2"]):
            continue
        proof = tree.consistency_proof(case["size1"], case["size2"])
        assert proof == [_b64(p) for p in case["proof"] or []], path
        compared += 1
    assert compared >= 6  # most happy paths are over these leaves
