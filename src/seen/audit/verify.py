"""`seen audit verify`: recompute the whole log from its stored entries and check it against
every signed checkpoint, naming the first thing that does not match.

In one pass over the entries, in index order, each entry must be where its own content says
it is (its JSON carries its index, so a moved, inserted or deleted row shows) and hash to
its stored leaf hash; the tree is rebuilt as it goes, and at every
checkpoint's size its root must equal the signed root. Each checkpoint's note must verify
with the known keys, and successive checkpoints must be consistent (RFC 9162 proofs).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from hashlib import sha256

from seen.audit.checkpoint import Checkpoint
from seen.audit.hashing import LEAF_PREFIX
from seen.audit.log import StoredCheckpoint, checkpoints, stream_entries
from seen.audit.note import NoteError, NoteVerifier, open_note
from seen.audit.proofs import ProofError, verify_consistency
from seen.audit.tree import MerkleTree
from seen.store.engine import Store


@dataclass(slots=True)
class VerifyReport:
    entries: int = 0  # entries read
    checkpoints: int = 0
    latest_size: int | None = None  # the largest signed tree size
    problems: list[str] = field(default_factory=list)  # most important first
    first_bad_entry: int | None = None
    signers: set[str] = field(default_factory=set)  # known keys that signed some checkpoint
    unknown_signers: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def unsigned(self) -> int:
        """Entries after the latest checkpoint: recorded, but not yet signed for."""
        return max(0, self.entries - (self.latest_size or 0))


@dataclass(frozen=True, slots=True)
class _Signed:
    stored: StoredCheckpoint
    checkpoint: Checkpoint


def verify_log(
    store: Store,
    verifiers: Sequence[NoteVerifier],
    progress: Callable[[int, int], None] | None = None,
) -> VerifyReport:
    report = VerifyReport()
    signed = _check_checkpoints(checkpoints(store), verifiers, report)
    largest = max((s.checkpoint.size for s in signed), default=0)
    report.latest_size = largest if signed else None
    # Leaf hashes of the good prefix of the log: every entry before the first bad one.
    hashes: list[bytes] = []
    for index, entry, stored in stream_entries(store):
        report.entries = index + 1
        if report.first_bad_entry is not None:
            continue
        expected = len(hashes)
        computed = sha256(LEAF_PREFIX + entry).digest()
        problem = _entry_problem(expected, index, entry, stored, computed)
        if problem is not None:
            report.first_bad_entry = expected
            report.problems.insert(0, problem)
            continue
        hashes.append(computed)
        if progress is not None and len(hashes) % 50_000 == 0:
            progress(len(hashes), max(largest, len(hashes)))
    good = len(hashes)
    if report.first_bad_entry is None and largest > good:
        numbers = ", ".join(str(s.stored.number) for s in signed if s.checkpoint.size == largest)
        report.first_bad_entry = good
        report.problems.insert(
            0,
            f"entry {good}: missing: checkpoint {numbers} (size {largest}) signed "
            f"{largest} entries but the log holds {good}",
        )
    tree = MerkleTree(hashes)
    matched = 0  # the largest signed size whose root the entries give
    for item in sorted(signed, key=lambda s: s.checkpoint.size):
        size = item.checkpoint.size
        if size > good:
            break
        if tree.root(size) == item.checkpoint.root_hash:
            matched = max(matched, size)
            continue
        report.problems.append(
            f"checkpoint {item.stored.number} (size {size}): root does not match the "
            + (
                "empty tree's"
                if size == 0
                else f"entries (so one of entries {matched} to {size - 1} was changed: its "
                "content and leaf hash were rewritten together)"
            )
        )
    if report.ok:
        _check_consistency(signed, tree, report)
    return report


def _entry_problem(
    expected: int, index: int, entry: bytes, stored: bytes, computed: bytes
) -> str | None:
    # Integrity only: the schema was enforced when the entry was written, and content
    # changed since then either fails its leaf hash or, rehashed, a signed root.
    if index != expected:
        return f"entry {expected}: missing (the log goes from entry {expected - 1} to {index})"
    if computed != stored:
        return f"entry {index}: leaf hash does not match its stored content"
    # A quote inside a string value is escaped in JSON, so '"index":' occurs once in an
    # entry, as its key, and a later key always follows it (at least "kind").
    if _INDEX_KEY.format(index).encode() not in entry or entry.count(b'"index":') != 1:
        return (
            f"entry {index}: its content is entry {_claimed_index(entry)}'s "
            "(moved or inserted behind the log's back)"
        )
    return None


_INDEX_KEY = '"index":{},"'


def _claimed_index(entry: bytes) -> object:
    try:
        return json.loads(entry).get("index")
    except (ValueError, UnicodeDecodeError, AttributeError):
        return "(not a JSON object)"


def _check_checkpoints(
    stored: Sequence[StoredCheckpoint], verifiers: Sequence[NoteVerifier], report: VerifyReport
) -> list[_Signed]:
    """Checkpoints whose notes verify, oldest first; a problem for each one that does not."""
    report.checkpoints = len(stored)
    good: list[_Signed] = []
    largest: _Signed | None = None
    for item in stored:
        where = f"checkpoint {item.number} (size {item.tree_size})"
        try:
            opened = open_note(item.note, verifiers)
            checkpoint = Checkpoint.parse(opened.note.text)
        except NoteError as error:
            report.problems.append(f"{where}: {error.message}")
            continue
        if checkpoint.origin not in opened.verified_by:
            report.problems.append(
                f"{where}: not signed by the log's own key ({checkpoint.origin})"
            )
            continue
        report.signers.update(opened.verified_by)
        report.unknown_signers.update(opened.unknown)
        if checkpoint.size != item.tree_size or checkpoint.root_hash != item.root_hash:
            report.problems.append(f"{where}: its stored size or root differs from its note")
            continue
        if largest is not None and checkpoint.origin != largest.checkpoint.origin:
            report.problems.append(
                f"{where}: origin {checkpoint.origin} is not the log's "
                f"({largest.checkpoint.origin})"
            )
            continue
        if largest is not None and checkpoint.size < largest.checkpoint.size:
            report.problems.append(
                f"{where}: smaller than the earlier checkpoint {largest.stored.number} "
                f"(size {largest.checkpoint.size})"
            )
            continue
        largest = _Signed(item, checkpoint)
        good.append(largest)
    return good


def _check_consistency(signed: Sequence[_Signed], tree: MerkleTree, report: VerifyReport) -> None:
    for older, newer in itertools.pairwise(signed):
        old, new = older.checkpoint, newer.checkpoint
        if old.size == 0:
            continue  # every tree extends the empty one
        try:
            proof = tree.consistency_proof(old.size, new.size) if old.size != new.size else []
            verify_consistency(old.size, new.size, old.root_hash, new.root_hash, proof)
        except (ProofError, ValueError) as error:
            report.problems.append(
                f"checkpoint {newer.stored.number} (size {new.size}) is not consistent with "
                f"checkpoint {older.stored.number} (size {old.size}): {error}"
            )
