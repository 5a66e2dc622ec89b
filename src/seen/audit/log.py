"""The audit log in the store: appending entries, signing checkpoints, reading proofs.

Appending is the one write the rest of Seen needs:

    indices = append(store, [AuditEntry(kind=EntryKind.DECISION, ...), ...])

It commits before it returns (one transaction per call, so a batch costs one durable
commit), and raises `AuditWriteError` if anything stops it: the caller must then not show
the data (fail closed). `append_in(conn, entries)` appends inside a transaction the caller
already holds, so a decision and its entry commit together or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from seen.audit.checkpoint import Checkpoint
from seen.audit.entry import AuditEntry
from seen.audit.hashing import EMPTY_ROOT, LEAF_PREFIX, leaf_hash
from seen.audit.note import NoteError, NoteSigner, NoteVerifier, open_note, parse_note, sign_note
from seen.audit.tree import MerkleTree
from seen.errors import NotFound, StoreError, VerificationFailed
from seen.store.engine import Store, write_transaction
from seen.store.tables import audit_checkpoints, audit_entries, audit_head
from seen.store.writes import CHUNK_SIZE, chunks

READ_BATCH = 20_000
_NO_LIMIT = 2**62
_SELECT_QMARK = (
    "SELECT entry_index, entry, leaf_hash FROM audit_entries WHERE entry_index < ? "
    "ORDER BY entry_index"
)
_SELECT_FORMAT = (
    "SELECT entry_index, entry, leaf_hash FROM audit_entries WHERE entry_index < %s "
    "ORDER BY entry_index"
)
_INSERT_QMARK = (
    "INSERT INTO audit_entries (entry_index, entry, leaf_hash, appended_at) VALUES (?, ?, ?, ?)"
)


class AuditWriteError(StoreError):
    """An audit entry could not be recorded, so whatever it was for must not happen."""


class AuditLogError(VerificationFailed):
    """The stored log is not in a state that can be signed or proved from."""


@dataclass(frozen=True, slots=True)
class StoredCheckpoint:
    """A checkpoint row. The columns are for finding it; what counts is the signed note."""

    number: int  # the checkpoint's id in the store, from 1
    tree_size: int
    root_hash: bytes
    note: str
    created_at: dt.datetime

    def checkpoint(self) -> Checkpoint:
        """The note's checkpoint (its signatures not checked here); NoteError if malformed."""
        return Checkpoint.parse(parse_note(self.note).text)


def append(
    store: Store, entries: Sequence[AuditEntry], now: dt.datetime | None = None
) -> list[int]:
    """Record the entries, in order, durably; return their indices in the log."""
    if not entries:
        return []
    when = now or dt.datetime.now(dt.UTC)
    # The entries' bytes but for their index, made before any turn is taken.
    parts = [entry.canonical_around_index() for entry in entries]
    try:
        if store.backend == "postgresql" and len(parts) <= CHUNK_SIZE:
            # One statement, which commits itself (the engine's reads run in autocommit): the
            # head row is locked only while the server runs it, never across a round trip,
            # so concurrent views' appends do not queue behind each other's network and GIL.
            with store.engine.connect() as conn:
                return _append_parts(conn, parts, when)
        with write_transaction(store) as conn:
            return _append_parts(conn, parts, when)
    except AuditWriteError:
        raise
    except SQLAlchemyError as exc:
        raise _write_error(len(entries), exc) from exc


def append_in(
    conn: Connection, entries: Sequence[AuditEntry], now: dt.datetime | None = None
) -> list[int]:
    """Append inside the caller's write transaction (SQLite: begun IMMEDIATE, as
    `write_transaction` does). Raises AuditWriteError; the caller's transaction then rolls
    back."""
    if not entries:
        return []
    parts = [entry.canonical_around_index() for entry in entries]
    try:
        return _append_parts(conn, parts, now or dt.datetime.now(dt.UTC))
    except SQLAlchemyError as exc:
        raise _write_error(len(entries), exc) from exc


def _write_error(count: int, exc: SQLAlchemyError) -> AuditWriteError:
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    return AuditWriteError(f"the audit log could not record {count} entries: {reason}")


Parts = Sequence[tuple[bytes, bytes]]


def _append_parts(conn: Connection, parts: Parts, when: dt.datetime) -> list[int]:
    """Give the entries (their bytes around the index) the next indices and write them.

    The indices come from `audit_head`, taken and moved on by the statement that writes
    (PostgreSQL) or under the write transaction's lock (SQLite): a row lock, so a concurrent
    append waits for this one to end and then reads the moved head."""
    # The column type's own bind processing, applied once: every row has this time.
    process = audit_entries.c.appended_at.type.bind_processor(conn.dialect)
    stamp = process(when) if process is not None else when
    indices: list[int] = []
    for part in chunks(parts, CHUNK_SIZE):
        if conn.dialect.name == "postgresql":
            first = _insert_numbered_pg(conn, part, stamp)
        else:
            first = _insert_numbered(conn, part, stamp)
        indices.extend(range(first, first + len(part)))
    return indices


# The head taken and moved on, and the entries numbered, made and hashed by the server, in
# one statement: `before || index || after` is the entry's canonical JSON, and its leaf hash
# SHA-256(0x00 || entry) as seen.audit.hashing makes it (a test compares the two).
_INSERT_NUMBERED_PG = """
WITH head AS (
    UPDATE audit_head SET next_index = next_index + %s WHERE id = 1
    RETURNING next_index - %s AS first
)
INSERT INTO audit_entries (entry_index, entry, leaf_hash, appended_at)
SELECT numbered.entry_index, numbered.entry, sha256(%s::bytea || numbered.entry), %s
FROM (
    SELECT head.first + part.ord - 1 AS entry_index,
           part.before || convert_to((head.first + part.ord - 1)::text, 'UTF8') || part.after
               AS entry
    FROM head, unnest(%s::bytea[], %s::bytea[]) WITH ORDINALITY AS part(before, after, ord)
) AS numbered
RETURNING entry_index
"""
_NO_HEAD = "the audit log has no head row (audit_head); run the migrations"
_TAKE_HEAD_QMARK = (
    "UPDATE audit_head SET next_index = next_index + ? WHERE id = 1 RETURNING next_index - ?"
)


def _insert_numbered_pg(conn: Connection, parts: Parts, stamp: Any) -> int:
    count = len(parts)
    written = (
        conn.exec_driver_sql(
            _INSERT_NUMBERED_PG,
            (
                count,
                count,
                LEAF_PREFIX,
                stamp,
                [before for before, _ in parts],
                [after for _, after in parts],
            ),
        )
        .scalars()
        .all()
    )
    if len(written) != count:
        raise AuditWriteError(_NO_HEAD)
    return int(min(written))


def _insert_numbered(conn: Connection, parts: Parts, stamp: Any) -> int:
    first = conn.exec_driver_sql(_TAKE_HEAD_QMARK, (len(parts), len(parts))).scalar()
    if first is None:
        raise AuditWriteError(_NO_HEAD)
    rows = []
    for index, (before, after) in enumerate(parts, start=int(first)):
        data = before + str(index).encode() + after
        rows.append((index, data, leaf_hash(data), stamp))
    # Straight to the driver's executemany: SQLAlchemy's per-row processing cost more than
    # the canonical JSON and the hashing together.
    conn.exec_driver_sql(_INSERT_QMARK, rows)
    return int(first)


def _hold_head(conn: Connection) -> None:
    """Lock the head row until the transaction ends (SQLite's write transactions are already
    one at a time): appends and other checkpoints wait."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(audit_head.c.next_index).where(audit_head.c.id == 1).with_for_update())


def tree_size(store: Store) -> int:
    with store.engine.connect() as conn:
        return _size(conn)


def _size(conn: Connection) -> int:
    # The next index is one past the largest; verify catches a log with holes in it.
    largest = conn.scalar(select(func.max(audit_entries.c.entry_index)))
    return 0 if largest is None else int(largest) + 1


def stream_entries(store: Store, upto: int | None = None) -> Iterator[tuple[int, bytes, bytes]]:
    """(index, entry bytes, stored leaf hash) in index order, as stored."""
    limit = upto if upto is not None else _NO_LIMIT
    with store.engine.connect() as conn:
        # The driver's rows as they come (a server-side cursor on PostgreSQL): a million
        # rows through SQLAlchemy's result processing took longer than hashing them.
        if conn.dialect.name == "sqlite":
            # sqlite3's cursor reads rows lazily and gives bytes already.
            cursor = conn.exec_driver_sql(_SELECT_QMARK, (limit,)).cursor
            while rows := cursor.fetchmany(READ_BATCH):
                yield from rows
            return
        # A server-side cursor lives in a transaction: out of the engine's autocommit.
        streaming = conn.execution_options(
            isolation_level="READ COMMITTED", stream_results=True, yield_per=READ_BATCH
        )
        for index, entry, stored in streaming.exec_driver_sql(_SELECT_FORMAT, (limit,)):
            yield int(index), bytes(entry), bytes(stored)


def read_entry(store: Store, index: int) -> bytes:
    with store.engine.connect() as conn:
        value = conn.scalar(
            select(audit_entries.c.entry).where(audit_entries.c.entry_index == index)
        )
    if value is None:
        raise NotFound(f"there is no audit entry {index}")
    return bytes(value)


def checked_tree(store: Store, size: int) -> MerkleTree:
    """The tree of the first `size` entries, recomputed from their content; AuditLogError
    if the stored log has a hole or a leaf hash that does not match its entry there."""
    hashes: list[bytes] = []
    for index, entry, stored in stream_entries(store, upto=size):
        if index != len(hashes):
            raise AuditLogError(f"entry {len(hashes)} is missing; run `seen audit verify`")
        computed = leaf_hash(entry)
        if computed != stored:
            raise AuditLogError(
                f"entry {index}: leaf hash does not match its stored content; "
                "run `seen audit verify`"
            )
        hashes.append(computed)
    if len(hashes) != size:
        raise AuditLogError(f"entry {len(hashes)} is missing; run `seen audit verify`")
    return MerkleTree(hashes)


def checkpoints(store: Store) -> list[StoredCheckpoint]:
    """Every stored checkpoint, oldest first (the note is parsed, not yet verified)."""
    query = select(audit_checkpoints).order_by(audit_checkpoints.c.id)
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    return [_stored(row) for row in rows]


def latest_checkpoint(store: Store) -> StoredCheckpoint | None:
    query = select(audit_checkpoints).order_by(audit_checkpoints.c.id.desc()).limit(1)
    with store.engine.connect() as conn:
        row = conn.execute(query).first()
    return None if row is None else _stored(row)


def make_checkpoint(
    store: Store, signer: NoteSigner, now: dt.datetime | None = None
) -> StoredCheckpoint:
    """Sign the whole log as it stands and store the note.

    The tree is recomputed from the entries' content, and the new tree must extend the
    latest checkpoint (the same root at its size): the log key never signs a rewritten
    history.
    """
    when = now or dt.datetime.now(dt.UTC)
    with write_transaction(store) as conn:
        size = _size(conn)
    tree = checked_tree(store, size)
    previous = latest_checkpoint(store)
    if previous is not None:
        try:
            open_note(previous.note, [signer.verifier()])
            old = previous.checkpoint()
        except NoteError as error:
            raise AuditLogError(
                f"checkpoint {previous.number} does not verify with this log key "
                f"({error.message}); run `seen audit verify`"
            ) from None
        if old.size > size or tree.root(old.size) != old.root_hash:
            raise AuditLogError(
                f"the entries no longer match checkpoint {previous.number} (size {old.size}); "
                "run `seen audit verify`"
            )
    checkpoint = Checkpoint(signer.name, size, tree.root() if size else EMPTY_ROOT)
    note = sign_note(checkpoint.body(), [signer])
    with write_transaction(store) as conn:
        # Under the write lock: a checkpoint signed meanwhile could be larger than this one,
        # and checkpoints must never shrink.
        _hold_head(conn)
        latest = conn.scalar(select(func.max(audit_checkpoints.c.id)))
        if latest != (previous.number if previous is not None else None):
            raise AuditLogError("another checkpoint was signed meanwhile; try again")
        result = conn.execute(
            insert(audit_checkpoints).values(
                tree_size=checkpoint.size,
                root_hash=checkpoint.root_hash,
                note=note,
                created_at=when,
            )
        )
        assert result.inserted_primary_key is not None
        number = int(result.inserted_primary_key[0])
    return StoredCheckpoint(number, size, checkpoint.root_hash, note, when)


def store_cosigned(store: Store, note: str, log_key: NoteVerifier) -> StoredCheckpoint:
    """Keep a checkpoint note that other agencies have countersigned, as a new checkpoint
    row: its text must be exactly a stored checkpoint's, and the log key's own signature on
    it must verify (the new lines are checked by `seen audit verify` against known keys)."""
    parsed = parse_note(note)
    known = [c for c in checkpoints(store) if parse_note(c.note).text == parsed.text]
    if not known:
        raise NotFound("the note's text is not the text of any stored checkpoint")
    try:
        open_note(note, [log_key])
    except NoteError as error:
        raise AuditLogError(f"the countersigned note fails the log key: {error.message}") from None
    base = known[-1]
    when = dt.datetime.now(dt.UTC)
    with write_transaction(store) as conn:
        result = conn.execute(
            insert(audit_checkpoints).values(
                tree_size=base.tree_size,
                root_hash=base.root_hash,
                note=note,
                created_at=when,
            )
        )
        assert result.inserted_primary_key is not None
        number = int(result.inserted_primary_key[0])
    return StoredCheckpoint(number, base.tree_size, base.root_hash, note, when)


def _stored(row: Any) -> StoredCheckpoint:
    return StoredCheckpoint(
        number=int(row.id),
        tree_size=int(row.tree_size),
        root_hash=bytes(row.root_hash),
        note=str(row.note),
        created_at=row.created_at,
    )
