"""The tamper-evident audit log: every decision to share or not, break-glass, approval,
refusal and preference change, as canonical JSON entries in an RFC 9162 Merkle tree, with
Ed25519-signed C2SP checkpoints that other agencies can countersign and check.

    from seen.audit import AuditEntry, EntryKind, Outcome, append
    append(store, [AuditEntry(kind=EntryKind.DECISION, at=now, actor="pr-0042", ...)])

`append` raises `AuditWriteError` when the entry cannot be made durable: then the data the
entry is about must not be shown. docs/audit.md describes the schema and formats.
"""

from seen.audit.checkpoint import Checkpoint
from seen.audit.entry import AuditEntry, EntryKind, Outcome, PendingOn, Preference
from seen.audit.hashing import leaf_hash, node_hash, root_of
from seen.audit.log import (
    AuditLogError,
    AuditWriteError,
    append,
    append_in,
    checkpoints,
    latest_checkpoint,
    make_checkpoint,
    tree_size,
)
from seen.audit.note import NoteError, NoteSigner, NoteVerifier, cosign, open_note, sign_note
from seen.audit.proofs import ProofError, verify_consistency, verify_inclusion
from seen.audit.tree import MerkleTree
from seen.audit.verify import VerifyReport, verify_log

__all__ = [
    "AuditEntry",
    "AuditLogError",
    "AuditWriteError",
    "Checkpoint",
    "EntryKind",
    "MerkleTree",
    "NoteError",
    "NoteSigner",
    "NoteVerifier",
    "Outcome",
    "PendingOn",
    "Preference",
    "ProofError",
    "VerifyReport",
    "append",
    "append_in",
    "checkpoints",
    "cosign",
    "latest_checkpoint",
    "leaf_hash",
    "make_checkpoint",
    "node_hash",
    "open_note",
    "root_of",
    "sign_note",
    "tree_size",
    "verify_consistency",
    "verify_inclusion",
    "verify_log",
]
