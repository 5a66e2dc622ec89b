"""The hub's log key file: the Ed25519 key that signs checkpoints, in Go's note signer
format (`PRIVATE+KEY+name+keyid+base64`), one line, mode 0600, never overwritten.

Loading refuses a file that other users could read. Nothing here logs or prints the key;
what is shared is the verifier key (`NoteVerifier`), which is public.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Final

from seen.audit.note import NoteError, NoteSigner
from seen.errors import InvalidInput
from seen.secret_files import write_new_secret_file

MAX_KEY_FILE_BYTES: Final = 1024


def write_log_key(path: Path, signer: NoteSigner) -> None:
    path = Path(path)
    data = (signer.secret_text() + "\n").encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_new_secret_file(
        path,
        data,
        what="the log key",
        exists="a log key is never overwritten (checkpoints signed with it could no longer be "
        "checked against a new one)",
    )


def read_log_key(path: Path) -> NoteSigner:
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InvalidInput(
            f"there is no log key at {path}; create one with `seen audit keygen --origin NAME`"
        ) from None
    except OSError as error:
        raise InvalidInput(f"the log key {path} could not be read: {error.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput(f"the log key {path} is not a file")
    if os.name == "posix" and info.st_mode & 0o077:
        raise InvalidInput(
            f"the log key {path} can be read by other users (mode "
            f"{stat.S_IMODE(info.st_mode):04o}); run `chmod 600 {path}` and keep it that way"
        )
    if info.st_size > MAX_KEY_FILE_BYTES:
        raise InvalidInput(f"{path} is not a log key: it is too large")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise InvalidInput(f"the log key {path} could not be read as text") from None
    try:
        return NoteSigner.parse(text)
    except NoteError as error:
        # The message never echoes the file's contents.
        raise InvalidInput(f"{path} is not a usable log key: {error.message}") from None
