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
from seen.audit.hashing import EMPTY_ROOT, LEAF_PREFIX, CompactRange
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
    targets = sorted({s.checkpoint.size for s in signed} - {0})  # 0 is checked below
    by_size: dict[int, list[_Signed]] = {}
    for item in signed:
        by_size.setdefault(item.checkpoint.size, []).append(item)
    for item in by_size.get(0, []):
        if item.checkpoint.root_hash != EMPTY_ROOT:
            report.problems.append(
                f"checkpoint {item.stored.number} (size 0): root is not the empty tree's root"
            )
    keep_hashes = len(signed) > 1
    hashes: list[bytes] = []
    compact = CompactRange()
    expected = 0
    target_at = 0
    matched = 0  # the largest checkpointed size whose root the entries give
    total = targets[-1] if targets else 0
    for index, entry, stored in stream_entries(store):
        report.entries = max(report.entries, index + 1)
        if report.first_bad_entry is not None:
            continue
        problem = _entry_problem(expected, index, entry, stored)
        if problem is not None:
            report.first_bad_entry = expected if index > expected else index
            report.problems.insert(0, problem)
            continue
        computed = sha256(LEAF_PREFIX + entry).digest()
        compact.append(computed)
        if keep_hashes:
            hashes.append(computed)
        expected += 1
        while target_at < len(targets) and targets[target_at] == expected:
            if _check_roots(by_size[expected], compact.root(), matched, report):
                matched = expected
            target_at += 1
        if progress is not None and expected % 50_000 == 0:
            progress(expected, max(total, expected))
    if report.first_bad_entry is None and target_at < len(targets):
        missing_size = targets[-1]
        numbers = ", ".join(str(s.stored.number) for s in by_size[missing_size])
        report.first_bad_entry = expected
        report.problems.insert(
            0,
            f"entry {expected}: missing: checkpoint {numbers} (size {missing_size}) signed "
            f"{missing_size} entries but the log holds {expected}",
        )
    if report.first_bad_entry is None and keep_hashes:
        _check_consistency(signed, MerkleTree(hashes), report)
    report.latest_size = max((s.checkpoint.size for s in signed), default=None)
    return report


def _entry_problem(expected: int, index: int, entry: bytes, stored: bytes) -> str | None:
    # Integrity only: the schema was enforced when the entry was written, and content
    # changed since then either fails its leaf hash or, rehashed, a signed root.
    if index != expected:
        return f"entry {expected}: missing (the log goes from entry {expected - 1} to {index})"
    if sha256(LEAF_PREFIX + entry).digest() != stored:
        return f"entry {index}: leaf hash does not match its stored content"
    try:
        claimed = json.loads(entry).get("index")
    except (ValueError, UnicodeDecodeError, AttributeError):
        return f"entry {index}: its content is not a JSON object"
    if claimed != index:
        return (
            f"entry {index}: its content is entry {claimed}'s "
            "(moved or inserted behind the log's back)"
        )
    return None


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


def _check_roots(items: Sequence[_Signed], root: bytes, matched: int, report: VerifyReport) -> bool:
    good = True
    for item in items:
        if item.checkpoint.root_hash != root:
            good = False
            size = item.checkpoint.size
            report.problems.append(
                f"checkpoint {item.stored.number} (size {size}): root does not match the "
                f"entries (so one of entries {matched} to {size - 1} was changed: its content "
                "and leaf hash were rewritten together)"
            )
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
