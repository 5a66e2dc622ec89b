"""C2SP signed notes with Ed25519 (https://c2sp.org/signed-note), as Go's sumdb/note writes
them, so that any tool that reads those can check Seen's checkpoints.

A note is UTF-8 text ending in a newline, then a blank line, then one or more signature
lines `— <key name> <base64(key id || signature)>`. The signature covers the text including
its final newline. A key id is the first 4 bytes of SHA-256(name || 0x0A || 0x01 ||
public key), 0x01 naming Ed25519. A verifier key is shared as `name+hex(key id)+base64(0x01
|| public key)`, and a signer key as `PRIVATE+KEY+name+hex(key id)+base64(0x01 || seed)`.

More agencies countersign by adding their own signature lines over the same text; a
verifier ignores lines from keys it does not know, but one known key's bad signature fails
the whole note.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from seen.errors import VerificationFailed

ED25519: Final = 0x01
SIGNATURE_PREFIX: Final = "— "  # U+2014 em dash, then a space
MAX_SIGNATURES: Final = 100  # as Go's note.Open
_NAME = re.compile(r"^[^\s+]+$")


class NoteError(VerificationFailed):
    """A note or a key is malformed, or a note's signatures do not verify."""


def key_id(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([ED25519]) + public_key).digest()[:4]


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise NoteError(f"{name!r} is not a key name: it must be non-empty, without spaces or '+'")
    return name


@dataclass(frozen=True, slots=True)
class NoteVerifier:
    name: str
    public_key: bytes  # 32 bytes

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public_key)

    def __str__(self) -> str:
        encoded = base64.b64encode(bytes([ED25519]) + self.public_key).decode("ascii")
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    @classmethod
    def parse(cls, text: str) -> NoteVerifier:
        # The base64 key may itself hold '+': only the first two are separators.
        parts = text.strip().split("+", 2)
        if len(parts) != 3:
            raise NoteError("a verifier key reads name+keyid+base64key")
        name, hex_id, encoded = parts
        check_name(name)
        key = _b64(encoded, "the verifier key")
        if len(key) != 33 or key[0] != ED25519:
            raise NoteError(f"the verifier key for {name} is not an Ed25519 key")
        verifier = cls(name, key[1:])
        if hex_id != verifier.key_id.hex():
            raise NoteError(f"the verifier key for {name} has the wrong key id")
        return verifier

    def verify(self, text: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, text)
        except InvalidSignature:
            return False
        return True


class NoteSigner:
    """An Ed25519 signing key with a name. Its repr never shows the key."""

    __slots__ = ("_private", "name")

    def __init__(self, name: str, private: Ed25519PrivateKey) -> None:
        self.name = check_name(name)
        self._private = private

    @classmethod
    def generate(cls, name: str) -> NoteSigner:
        return cls(name, Ed25519PrivateKey.generate())

    @classmethod
    def parse(cls, text: str) -> NoteSigner:
        parts = text.strip().split("+", 4)
        if len(parts) != 5 or parts[0] != "PRIVATE" or parts[1] != "KEY":
            raise NoteError("a signer key reads PRIVATE+KEY+name+keyid+base64key")
        name, hex_id, encoded = parts[2:]
        check_name(name)
        key = _b64(encoded, "the signer key")
        if len(key) != 33 or key[0] != ED25519:
            raise NoteError(f"the signer key for {name} is not an Ed25519 key")
        signer = cls(name, Ed25519PrivateKey.from_private_bytes(key[1:]))
        if hex_id != signer.verifier().key_id.hex():
            raise NoteError(f"the signer key for {name} has the wrong key id")
        return signer

    def secret_text(self) -> str:
        """The key in Go's note signer format, for the key file only."""
        from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

        seed = self._private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        encoded = base64.b64encode(bytes([ED25519]) + seed).decode("ascii")
        return f"PRIVATE+KEY+{self.name}+{self.verifier().key_id.hex()}+{encoded}"

    def verifier(self) -> NoteVerifier:
        public = self._private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return NoteVerifier(self.name, public)

    def signature_line(self, text: str) -> str:
        signature = self._private.sign(text.encode("utf-8"))
        encoded = base64.b64encode(self.verifier().key_id + signature).decode("ascii")
        return f"{SIGNATURE_PREFIX}{self.name} {encoded}\n"

    def __repr__(self) -> str:
        return f"NoteSigner({self.name!r})"


@dataclass(frozen=True, slots=True)
class Signature:
    name: str
    key_id: bytes
    signature: bytes
    line: str


@dataclass(frozen=True, slots=True)
class Note:
    text: str  # what the signatures cover, ending in a newline
    signatures: tuple[Signature, ...]

    def __str__(self) -> str:
        return self.text + "\n" + "".join(s.line for s in self.signatures)


@dataclass(frozen=True, slots=True)
class OpenedNote:
    note: Note
    verified_by: tuple[str, ...]  # names of the known keys whose signatures verified
    unknown: tuple[str, ...]  # names on signature lines from keys not known here


def sign_note(text: str, signers: Sequence[NoteSigner]) -> str:
    _check_text(text)
    if not signers:
        raise NoteError("a note needs at least one signature")
    return text + "\n" + "".join(signer.signature_line(text) for signer in signers)


def cosign(note: str, signer: NoteSigner) -> str:
    """The note with one more signature line, by `signer`, over the same text."""
    parsed = parse_note(note)
    if any(
        s.name == signer.name and s.key_id == signer.verifier().key_id for s in parsed.signatures
    ):
        raise NoteError(f"the note is already signed by {signer.name}")
    return str(parsed) + signer.signature_line(parsed.text)


def parse_note(note: str) -> Note:
    """Split a note into its text and signature lines, checking the syntax only."""
    if not note.endswith("\n"):
        raise NoteError("a signed note ends with a newline")
    split = note.rfind("\n\n")
    if split < 0:
        raise NoteError("a signed note has a blank line between its text and its signatures")
    text, block = note[: split + 1], note[split + 2 :]
    _check_text(text)
    signatures: list[Signature] = []
    for line in block.splitlines(keepends=True):
        signatures.append(_parse_signature(line))
    if not signatures:
        raise NoteError("the note has no signature lines")
    if len(signatures) > MAX_SIGNATURES:
        raise NoteError(f"the note has more than {MAX_SIGNATURES} signatures")
    return Note(text, tuple(signatures))


def open_note(note: str, verifiers: Iterable[NoteVerifier]) -> OpenedNote:
    """Check a note's signatures against the known verifier keys.

    At least one known key must have signed it, and every signature line from a known key
    must verify; lines from keys not known here are reported but not trusted.
    """
    parsed = parse_note(note)
    known = {(v.name, v.key_id): v for v in verifiers}
    body = parsed.text.encode("utf-8")
    verified: list[str] = []
    unknown: list[str] = []
    for signature in parsed.signatures:
        verifier = known.get((signature.name, signature.key_id))
        if verifier is None:
            unknown.append(signature.name)
        elif verifier.verify(body, signature.signature):
            verified.append(signature.name)
        else:
            raise NoteError(f"the signature by {signature.name} does not match the note")
    if not verified:
        raise NoteError("the note has no signature from a known key")
    return OpenedNote(parsed, tuple(verified), tuple(unknown))


def _parse_signature(line: str) -> Signature:
    if not line.startswith(SIGNATURE_PREFIX) or not line.endswith("\n"):
        raise NoteError("a signature line reads '— <name> <signature>'")
    parts = line[len(SIGNATURE_PREFIX) : -1].split(" ")
    if len(parts) != 2:
        raise NoteError("a signature line reads '— <name> <signature>'")
    name, encoded = parts
    check_name(name)
    raw = _b64(encoded, f"the signature by {name}")
    if len(raw) < 5:
        raise NoteError(f"the signature by {name} is too short")
    return Signature(name, raw[:4], raw[4:], line)


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise NoteError("a note's text ends with a newline")
    if "\n\n" in text:
        raise NoteError("a note's text has no blank lines")
    if any(ord(c) < 0x20 and c != "\n" for c in text):
        raise NoteError("a note's text has no control characters")


def _b64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise NoteError(f"{what} is not base64") from None
