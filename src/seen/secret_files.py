"""Writing a new secret file (a partnership key, the audit log's signing key): created with
mode 0600, never over an existing file, synced to disk, and removed again if writing fails."""

from __future__ import annotations

import os
from pathlib import Path

from seen.errors import InvalidInput


def write_new_secret_file(path: Path, data: bytes, *, what: str, exists: str) -> None:
    """Write `data` to a new file at `path`; `what` names it in errors ("the key file"),
    `exists` says why an existing one is never overwritten."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InvalidInput(f"{path} already exists; {exists}") from None
    except OSError as error:
        raise InvalidInput(f"{what} {path} could not be written: {_why(error)}") from None
    try:
        if os.name == "posix":
            os.fchmod(fd, 0o600)  # the umask may have taken bits away, never added them
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        path.unlink(missing_ok=True)
        raise InvalidInput(f"{what} {path} could not be written: {_why(error)}") from None


def _why(error: OSError) -> str:
    return error.strerror or type(error).__name__
