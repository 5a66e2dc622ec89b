"""What `seen audit` and the web's audit page share: the hub's known verifier keys, an
entry's inclusion proof against the latest checkpoint (checked before it is given out),
verifying the whole log, and signing a checkpoint with the hub's key.

An entry names whom it is about, so the pages and API show a proof only through
`show_entry_proof`, which records the look (a `review_view` entry) before returning it. The
command line's `seen audit prove` is the hub operator's, who holds the database itself."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from seen.audit.checkpoint import Checkpoint
from seen.audit.entry import AuditEntry, EntryKind, audit_entry_ref, parse_document
from seen.audit.log import (
    StoredCheckpoint,
    append,
    checked_tree,
    latest_checkpoint,
    read_entry,
)
from seen.audit.note import NoteVerifier, open_note
from seen.audit.proofs import verify_inclusion
from seen.audit.verify import VerifyReport
from seen.errors import ConfigurationError, InvalidInput, NotFound
from seen.settings import Settings
from seen.store import Store


def hub_verifiers(
    settings: Settings, given: Sequence[str] = (), required: bool = True
) -> list[NoteVerifier]:
    """The verifier keys given (name+keyid+base64) and the hub's own, when its key file is
    here; ConfigurationError if `required` and there are none."""
    from seen.audit.keys import read_log_key

    verifiers = [NoteVerifier.parse(text) for text in given]
    path = settings.resolved_audit_key()
    if path.exists():
        verifiers.append(read_log_key(path).verifier())
    if required and not verifiers:
        raise ConfigurationError(
            f"no key to check checkpoints with: the hub's key file {path} is not here; "
            "give the hub's verifier key with --verifier-key"
        )
    return verifiers


@dataclass(frozen=True, slots=True)
class EntryProof:
    """An entry's RFC 9162 inclusion proof, verified against the latest signed checkpoint."""

    index: int
    entry: bytes  # the canonical JSON as stored
    leaf_hash: bytes
    proof: tuple[bytes, ...]
    tree_size: int
    root_hash: bytes
    checkpoint: StoredCheckpoint
    signed_by: tuple[str, ...]

    def document(self) -> dict[str, Any]:
        """The JSON `seen audit prove` prints (hashes in base64)."""
        return {
            "index": self.index,
            "tree_size": self.tree_size,
            "entry": parse_document(self.entry),
            "leaf_hash": b64(self.leaf_hash),
            "inclusion_proof": [b64(p) for p in self.proof],
            "root_hash": b64(self.root_hash),
            "checkpoint": self.checkpoint.number,
            "checkpoint_note": self.checkpoint.note,
            "signed_by": list(self.signed_by),
            "verified": True,
        }


def prove_entry(store: Store, index: int, verifiers: Sequence[NoteVerifier]) -> EntryProof:
    """Prove entry `index` is in the log: the latest checkpoint's signature is checked, the
    tree recomputed from the entries, and the proof verified before it is returned.
    NotFound when there is no checkpoint or it does not cover the entry; NoteError,
    AuditLogError or ProofError (VerificationFailed) when something does not verify."""
    if index < 0:
        raise InvalidInput("an entry's index is 0 or more")
    latest = latest_checkpoint(store)
    if latest is None:
        raise NotFound("there is no checkpoint yet: run `seen audit checkpoint` first")
    opened = open_note(latest.note, verifiers)
    checkpoint = Checkpoint.parse(opened.note.text)
    if index >= checkpoint.size:
        raise NotFound(
            f"entry {index} is not covered by the latest checkpoint ({latest.number}, "
            f"{checkpoint.size:,} entries); run `seen audit checkpoint` to sign it"
        )
    entry = read_entry(store, index)
    tree = checked_tree(store, checkpoint.size)
    leaf = tree.leaf_hash(index)
    proof = tree.inclusion_proof(index, checkpoint.size)
    verify_inclusion(leaf, index, checkpoint.size, proof, checkpoint.root_hash)
    return EntryProof(
        index=index,
        entry=entry,
        leaf_hash=leaf,
        proof=tuple(proof),
        tree_size=checkpoint.size,
        root_hash=checkpoint.root_hash,
        checkpoint=latest,
        signed_by=tuple(opened.verified_by),
    )


def show_entry_proof(
    store: Store,
    index: int,
    verifiers: Sequence[NoteVerifier],
    *,
    viewer: str,
    agency: str | None,
    now: dt.datetime,
) -> EntryProof:
    """`prove_entry` for a DPO (of `agency`) or the administrator (None) on the governance
    pages and API: the look is recorded, a review_view entry naming the entry and the person
    it is about, before the proof is returned (AuditWriteError: nothing is shown)."""
    proof = prove_entry(store, index, verifiers)
    person = parse_document(proof.entry).get("person")
    look = AuditEntry(
        kind=EntryKind.REVIEW_VIEW,
        at=now,
        actor=viewer,
        actor_agency=agency,
        person=person if isinstance(person, str) else None,
        record_ref=audit_entry_ref(index),
        reasons=("audit_proof",),
    )
    append(store, [look], now)
    return proof


def b64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def verify_hub_log(store: Store, settings: Settings) -> VerifyReport:
    """What `seen audit verify` checks, with the hub's own key: the whole log recomputed from
    its entries against every signed checkpoint. ConfigurationError when there are
    checkpoints but no key here to check their signatures with."""
    from seen.audit.log import checkpoints
    from seen.audit.verify import verify_log

    verifiers = hub_verifiers(settings, required=False)
    if not verifiers and checkpoints(store):
        raise ConfigurationError(
            "the hub's audit log key is not on this server, so the checkpoints' signatures "
            "cannot be checked here; run `seen audit verify --verifier-key ...` instead"
        )
    return verify_log(store, verifiers)


def sign_checkpoint(store: Store, settings: Settings, now: dt.datetime) -> StoredCheckpoint:
    """What `seen audit checkpoint` does: sign the log as it stands with the hub's key.
    ConfigurationError, said plainly, when the key is not on this server."""
    from seen.audit.keys import read_log_key
    from seen.audit.log import make_checkpoint

    path = settings.resolved_audit_key()
    if not path.exists():
        raise ConfigurationError(
            "the hub's audit log key is not on this server, so no checkpoint can be signed "
            "here; create one with `seen audit keygen --origin NAME`"
        )
    return make_checkpoint(store, read_log_key(path), now)
