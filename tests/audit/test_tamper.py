"""Tampering behind the application's back, on SQLite and PostgreSQL: an attacker with
database access drops the append-only triggers with raw SQL, then changes, deletes,
reorders or inserts rows. `seen audit verify` must fail and name the entry (or, when the
content and its leaf hash were rewritten together, the checkpoint whose root no longer
matches); a changed checkpoint note fails its signature."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Connection, text
from typer.testing import CliRunner

from audit.factories import decision, env, log_key
from seen.audit import NoteSigner, append, make_checkpoint
from seen.audit.hashing import leaf_hash
from seen.cli import app
from seen.settings import Settings
from seen.store import Store, open_store

ENTRIES = 40
CHECKPOINT_AT = (10, 25, 40)


@pytest.fixture
def hub(store_settings: Settings) -> Iterator[tuple[Settings, Store, NoteSigner]]:
    signer = log_key(store_settings)
    with open_store(store_settings) as store:
        done = 0
        for size in CHECKPOINT_AT:
            append(store, [decision(n) for n in range(done, size)])
            make_checkpoint(store, signer)
            done = size
        yield store_settings, store, signer


def _verify(settings: Settings) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["audit", "verify"], env=env(settings))
    return result.exit_code, " ".join(result.output.split())


def _attack(store: Store, change: Callable[[Connection], None]) -> None:
    """Drop the triggers as an attacker with database access would, then change rows."""
    with store.engine.begin() as conn:
        if store.backend == "postgresql":
            for table in ("audit_entries", "audit_checkpoints"):
                conn.execute(text(f"DROP TRIGGER {table}_append_only ON {table}"))
        else:
            for table in ("audit_entries", "audit_checkpoints"):
                for action in ("update", "delete"):
                    conn.execute(text(f"DROP TRIGGER {table}_no_{action}"))
        change(conn)


def _entry(conn: Connection, index: int) -> tuple[bytes, bytes]:
    row = conn.execute(
        text("SELECT entry, leaf_hash FROM audit_entries WHERE entry_index = :i"), {"i": index}
    ).one()
    return bytes(row[0]), bytes(row[1])


def _set(conn: Connection, index: int, entry: bytes, hash_: bytes) -> None:
    conn.execute(
        text("UPDATE audit_entries SET entry = :e, leaf_hash = :h WHERE entry_index = :i"),
        {"e": entry, "h": hash_, "i": index},
    )


def test_an_untouched_log_verifies(hub: tuple[Settings, Store, NoteSigner]) -> None:
    settings, _, _ = hub
    code, output = _verify(settings)
    assert code == 0, output
    assert f"{ENTRIES} entries, 3 checkpoints" in output


def test_a_changed_entry_is_named(hub: tuple[Settings, Store, NoteSigner]) -> None:
    settings, store, _ = hub

    def change(conn: Connection) -> None:
        entry, stored = _entry(conn, 17)
        _set(conn, 17, entry.replace(b'"decision":"allow"', b'"decision":"deny"'), stored)

    _attack(store, change)
    code, output = _verify(settings)
    assert code == 6
    assert "entry 17: leaf hash does not match its stored content" in output


def test_a_change_with_its_leaf_hash_rewritten_names_the_checkpoint(
    hub: tuple[Settings, Store, NoteSigner],
) -> None:
    settings, store, _ = hub

    def change(conn: Connection) -> None:
        entry, _ = _entry(conn, 17)
        forged = entry.replace(b'"decision":"allow"', b'"decision":"deny"')
        _set(conn, 17, forged, leaf_hash(forged))

    _attack(store, change)
    code, output = _verify(settings)
    assert code == 6
    assert "checkpoint 2 (size 25): root does not match the entries" in output
    assert "entries 10 to 24" in output


def test_a_deleted_entry_is_named(hub: tuple[Settings, Store, NoteSigner]) -> None:
    settings, store, _ = hub
    _attack(
        store, lambda conn: conn.execute(text("DELETE FROM audit_entries WHERE entry_index = 12"))
    )
    code, output = _verify(settings)
    assert code == 6
    assert "entry 12: missing" in output


def test_deleting_the_newest_entries_is_named(hub: tuple[Settings, Store, NoteSigner]) -> None:
    settings, store, _ = hub
    _attack(
        store, lambda conn: conn.execute(text("DELETE FROM audit_entries WHERE entry_index >= 37"))
    )
    code, output = _verify(settings)
    assert code == 6
    assert (
        "entry 37: missing: checkpoint 3 (size 40) signed 40 entries but the log holds 37" in output
    )


def test_reordered_entries_are_named(hub: tuple[Settings, Store, NoteSigner]) -> None:
    settings, store, _ = hub

    def swap(conn: Connection) -> None:
        a, b = _entry(conn, 5), _entry(conn, 30)
        _set(conn, 5, *b)
        _set(conn, 30, *a)

    _attack(store, swap)
    code, output = _verify(settings)
    assert code == 6
    assert "entry 5: its content is entry 30's (moved or inserted" in output


def test_an_inserted_entry_is_named(hub: tuple[Settings, Store, NoteSigner]) -> None:
    settings, store, _ = hub

    def insert(conn: Connection) -> None:
        # Make room at 20 by moving every later row up one (highest first), then insert a
        # well-formed entry that claims to be number 20.
        for index in range(ENTRIES - 1, 19, -1):
            conn.execute(
                text("UPDATE audit_entries SET entry_index = :new WHERE entry_index = :old"),
                {"new": index + 1, "old": index},
            )
        forged = decision(999).canonical(20)
        conn.execute(
            text(
                "INSERT INTO audit_entries (entry_index, entry, leaf_hash, appended_at) "
                "SELECT 20, :e, :h, appended_at FROM audit_entries WHERE entry_index = 19"
            ),
            {"e": forged, "h": leaf_hash(forged)},
        )

    _attack(store, insert)
    code, output = _verify(settings)
    assert code == 6
    assert "entry 21: its content is entry 20's (moved or inserted" in output


def test_a_changed_checkpoint_fails_its_signature(hub: tuple[Settings, Store, NoteSigner]) -> None:
    settings, store, _ = hub

    def change(conn: Connection) -> None:
        note = conn.execute(text("SELECT note FROM audit_checkpoints WHERE id = 2")).scalar_one()
        forged = note.replace("\n25\n", "\n24\n", 1)
        conn.execute(
            text("UPDATE audit_checkpoints SET note = :n, tree_size = 24 WHERE id = 2"),
            {"n": forged},
        )

    _attack(store, change)
    code, output = _verify(settings)
    assert code == 6
    assert (
        "checkpoint 2 (size 24): the signature by seen.example/northshire/audit does not match"
        in output
    )


def test_a_checkpoint_re_signed_with_another_key_is_refused(
    hub: tuple[Settings, Store, NoteSigner],
) -> None:
    settings, store, signer = hub
    impostor = NoteSigner.generate(signer.name)  # same name, a key the attacker made

    def change(conn: Connection) -> None:
        from seen.audit import sign_note
        from seen.audit.note import parse_note

        note = conn.execute(text("SELECT note FROM audit_checkpoints WHERE id = 3")).scalar_one()
        forged = sign_note(parse_note(note).text, [impostor])
        conn.execute(text("UPDATE audit_checkpoints SET note = :n WHERE id = 3"), {"n": forged})

    _attack(store, change)
    code, output = _verify(settings)
    assert code == 6
    assert "checkpoint 3 (size 40): the note has no signature from a known key" in output


def test_entries_after_the_latest_checkpoint_are_reported_unsigned(
    hub: tuple[Settings, Store, NoteSigner],
) -> None:
    settings, store, _ = hub
    append(store, [decision(n) for n in range(3)])
    code, output = _verify(settings)
    assert code == 0, output
    assert "3 newer entries are not yet in a checkpoint" in output
