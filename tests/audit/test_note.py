"""Signed notes and checkpoints in the C2SP formats, the log key file, and countersigning."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest

from seen.audit import Checkpoint, NoteError, NoteSigner, NoteVerifier, cosign, open_note, sign_note
from seen.audit.hashing import root_of
from seen.audit.keys import read_log_key, write_log_key
from seen.audit.note import parse_note
from seen.errors import InvalidInput

# golang.org/x/mod/sumdb/note's own test vector (note_test.go): Ed25519 is deterministic,
# so the same key and text must give Go's signature byte for byte.
GO_SIGNER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
GO_SIGNATURE = (
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdn"
    "gotpRZb6KE6RyyBwJnAM=\n"
)


def test_notes_match_go_sumdb_note_byte_for_byte() -> None:
    signer = NoteSigner.parse(GO_SIGNER)
    assert str(signer.verifier()) == GO_VERIFIER
    assert signer.secret_text() == GO_SIGNER
    note = sign_note(GO_TEXT, [signer])
    assert note == GO_TEXT + "\n" + GO_SIGNATURE
    opened = open_note(note, [NoteVerifier.parse(GO_VERIFIER)])
    assert opened.verified_by == ("PeterNeumann",)
    assert opened.note.text == GO_TEXT


def test_key_id_is_sha256_of_name_newline_type_and_key() -> None:
    import hashlib

    verifier = NoteVerifier.parse(GO_VERIFIER)
    expected = hashlib.sha256(b"PeterNeumann\n\x01" + verifier.public_key).digest()[:4]
    assert verifier.key_id == expected == bytes.fromhex("c74f20a3")


def _signed_checkpoint() -> tuple[NoteSigner, str]:
    signer = NoteSigner.generate("seen.example/northshire/audit")
    body = Checkpoint(signer.name, 3, root_of([b"a", b"b", b"c"])).body()
    return signer, sign_note(body, [signer])


def test_a_changed_note_fails_its_signature() -> None:
    signer, note = _signed_checkpoint()
    open_note(note, [signer.verifier()])
    lines = note.split("\n")
    for changed in (
        note.replace("\n3\n", "\n4\n", 1),  # the tree size
        "\n".join([lines[0] + "x", *lines[1:]]),  # the origin
        note.replace(lines[2], base64.b64encode(root_of([b"a"])).decode(), 1),  # the root
    ):
        assert changed != note
        with pytest.raises(NoteError, match=r"does not match|known key"):
            open_note(changed, [signer.verifier()])
    with pytest.raises(NoteError):  # a flipped bit in the signature itself
        raw = bytearray(base64.b64decode(note.split(" ")[-1]))
        raw[10] ^= 1
        open_note(note.rsplit(" ", 1)[0] + " " + base64.b64encode(raw).decode() + "\n",
                  [signer.verifier()])  # fmt: skip


def test_a_note_needs_a_known_key() -> None:
    _, note = _signed_checkpoint()
    stranger = NoteSigner.generate("seen.example/northshire/audit")  # same name, other key
    with pytest.raises(NoteError, match="no signature from a known key"):
        open_note(note, [stranger.verifier()])


def test_countersignatures_round_trip() -> None:
    hub, note = _signed_checkpoint()
    police = NoteSigner.generate("northshire-police.example/audit")
    health = NoteSigner.generate("northshire-health.example/audit")
    cosigned = cosign(cosign(note, police), health)
    assert cosigned.startswith(note)  # the text and the hub's line are unchanged
    everyone = [hub.verifier(), police.verifier(), health.verifier()]
    opened = open_note(cosigned, everyone)
    assert set(opened.verified_by) == {hub.name, police.name, health.name}
    only_hub = open_note(cosigned, [hub.verifier()])
    assert only_hub.verified_by == (hub.name,)
    assert set(only_hub.unknown) == {police.name, health.name}
    with pytest.raises(NoteError, match="already signed"):
        cosign(cosigned, police)
    # A countersignature over different text is a bad signature by a known key.
    police_line = cosign(note, police).split("\n")[-2] + "\n"
    other = Checkpoint(hub.name, 4, root_of([b"a", b"b", b"c", b"d"])).body()
    forged = sign_note(other, [hub]) + police_line
    with pytest.raises(NoteError, match=r"by northshire-police\.example/audit does not match"):
        open_note(forged, everyone)


def test_verifier_keys_round_trip_and_manglings_are_refused() -> None:
    assert str(NoteVerifier.parse(GO_VERIFIER)) == GO_VERIFIER
    for bad in (
        GO_VERIFIER.replace("c74f20a3", "c74f20a4"),  # wrong key id
        GO_VERIFIER.replace("+ARpc", "+AhRpc"),  # not base64 of 33 bytes
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # a space
        "PeterNeumann+c74f20a3",
        GO_VERIFIER.replace("+ARpc", "+ABpc"),  # not Ed25519 (type byte 0x00)
    ):
        with pytest.raises(NoteError):
            NoteVerifier.parse(bad)


@pytest.mark.parametrize(
    "note",
    [
        GO_TEXT + GO_SIGNATURE,  # no blank line
        GO_TEXT + "\n" + GO_SIGNATURE.rstrip("\n"),  # no final newline
        GO_TEXT + "\n" + GO_SIGNATURE.replace("— ", "-- "),  # not an em dash
        GO_TEXT + "\n" + GO_SIGNATURE.replace("x08go", "x08g*"),  # not base64
        GO_TEXT + "\n",  # no signatures
        GO_TEXT + "\n" + "— PeterNeumann AAAA\n",  # shorter than a key id
    ],
)
def test_malformed_notes_are_refused(note: str) -> None:
    with pytest.raises(NoteError):
        parse_note(note)


def test_checkpoint_bodies_round_trip_and_are_checked() -> None:
    root = root_of([b"x"])
    checkpoint = Checkpoint("seen.example/log", 1, root, ("extension line",))
    body = checkpoint.body()
    assert body == f"seen.example/log\n1\n{base64.b64encode(root).decode()}\nextension line\n"
    assert Checkpoint.parse(body) == checkpoint
    for bad in (
        body.replace("\n1\n", "\n01\n"),
        body.replace("\n1\n", "\n-1\n"),
        "seen.example/log\n1\n",
        f"seen.example/log\n1\n{base64.b64encode(root[:31]).decode()}\n",
        body.rstrip("\n"),
    ):
        with pytest.raises(NoteError):
            Checkpoint.parse(bad)


def test_the_log_key_file_is_private_and_never_overwritten(tmp_path: Path) -> None:
    signer = NoteSigner.generate("seen.example/log")
    path = tmp_path / "keys" / "audit-log.key"
    write_log_key(path, signer)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert str(read_log_key(path).verifier()) == str(signer.verifier())
    secret = signer.secret_text()
    assert secret not in repr(signer) and secret not in str(signer)
    with pytest.raises(InvalidInput, match="never overwritten"):
        write_log_key(path, NoteSigner.generate("seen.example/log"))
    os.chmod(path, 0o644)
    with pytest.raises(InvalidInput, match="chmod 600") as caught:
        read_log_key(path)
    assert secret not in caught.value.message
    os.chmod(path, 0o600)
    path.write_text("PRIVATE+KEY+broken\n")
    with pytest.raises(InvalidInput, match="not a usable log key"):
        read_log_key(path)
    with pytest.raises(InvalidInput, match="keygen"):
        read_log_key(tmp_path / "missing.key")
