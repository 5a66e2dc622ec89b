"""C2SP tlog-checkpoint bodies (https://c2sp.org/tlog-checkpoint): the text a signed note
carries to commit a log to one tree.

    <origin>\\n            the log's name, e.g. seen.example/northshire/audit
    <tree size>\\n         decimal, no leading zeros
    <base64 root hash>\\n  standard base64 of the 32-byte RFC 9162 root
    [extension lines]\\n   optional; Seen writes none and keeps any it reads
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from seen.audit.hashing import HASH_SIZE
from seen.audit.note import NoteError

_SIZE = re.compile(r"^(0|[1-9][0-9]*)$")


@dataclass(frozen=True, slots=True)
class Checkpoint:
    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.origin or self.origin != self.origin.strip() or "\n" in self.origin:
            raise NoteError("a checkpoint's origin is one non-empty line")
        if self.size < 0:
            raise NoteError("a checkpoint's tree size is never negative")
        if len(self.root_hash) != HASH_SIZE:
            raise NoteError(f"a checkpoint's root hash is {HASH_SIZE} bytes")
        if any(not line or "\n" in line for line in self.extensions):
            raise NoteError("a checkpoint's extension lines are non-empty single lines")

    def body(self) -> str:
        lines = [
            self.origin,
            str(self.size),
            base64.b64encode(self.root_hash).decode("ascii"),
            *self.extensions,
        ]
        return "\n".join(lines) + "\n"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        if not text.endswith("\n"):
            raise NoteError("a checkpoint ends with a newline")
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise NoteError("a checkpoint has an origin, a tree size and a root hash")
        origin, size, root, *extensions = lines
        if not _SIZE.match(size):
            raise NoteError(f"{size!r} is not a tree size")
        try:
            root_hash = base64.b64decode(root, validate=True)
        except (binascii.Error, ValueError):
            raise NoteError("the checkpoint's root hash is not base64") from None
        return cls(origin, int(size), root_hash, tuple(extensions))
