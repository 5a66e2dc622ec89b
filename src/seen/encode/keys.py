"""The partnership key: 32 secret bytes shared by the agencies and never given to the hub.

Every secret the encoder uses is derived from it with HKDF-SHA256 (RFC 5869), one per purpose,
so that no two uses of the key can be played against each other. The key file is JSON, written
with mode 0600 and never overwritten; `load` refuses a file that other users could read.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hmac
import json
import os
import secrets
import stat
from hashlib import sha256
from pathlib import Path
from typing import Final

from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from seen.errors import InvalidInput
from seen.secret_files import write_new_secret_file

KEY_FORMAT: Final = "seen-partnership-key"
KEY_VERSION: Final = 1
KEY_BYTES: Final = 32
HKDF_SALT: Final = b"seen-encoding-1"
# purpose -> HKDF info; docs/encoding.md lists the same table.
PURPOSES: Final = {
    "token": b"seen/token",
    "bloom": b"seen/bloom",
    "bloom-permutation": b"seen/bloom-permutation",
    "fingerprint": b"seen/fingerprint",
    "near": b"seen/near",
}
FINGERPRINT_MESSAGE: Final = b"seen-key-fingerprint"
# A key file is about 150 bytes; anything much larger is not one.
MAX_KEY_FILE_BYTES: Final = 4096


class PartnershipKey:
    """The partnership's secret. Its repr and str show the fingerprint, never the secret."""

    __slots__ = ("_secret", "created")

    def __init__(self, secret: bytes, created: dt.datetime | None = None) -> None:
        if len(secret) != KEY_BYTES:
            raise ValueError(f"a partnership key is {KEY_BYTES} bytes, not {len(secret)}")
        self._secret = bytes(secret)
        self.created = (created or _now()).astimezone(dt.UTC).replace(microsecond=0)

    @classmethod
    def generate(cls) -> PartnershipKey:
        return cls(secrets.token_bytes(KEY_BYTES))

    @classmethod
    def load(cls, path: Path) -> PartnershipKey:
        """Read a key file; InvalidInput says plainly what is wrong (never showing the key)."""
        path = Path(path)
        where = str(path)
        try:
            info = path.stat()
        except FileNotFoundError:
            raise InvalidInput(f"the key file {where} does not exist") from None
        except OSError as error:
            raise InvalidInput(f"the key file {where} could not be read: {_why(error)}") from None
        if not stat.S_ISREG(info.st_mode):
            raise InvalidInput(f"the key file {where} is not a file")
        if os.name == "posix" and info.st_mode & 0o077:
            raise InvalidInput(
                f"the key file {where} can be read by other users (mode "
                f"{stat.S_IMODE(info.st_mode):04o}); run `chmod 600 {where}` and keep it that way"
            )
        if info.st_size > MAX_KEY_FILE_BYTES:
            raise InvalidInput(f"{where} is not a partnership key file: it is too large")
        try:
            text = path.read_bytes().decode("utf-8")
        except OSError as error:
            raise InvalidInput(f"the key file {where} could not be read: {_why(error)}") from None
        except UnicodeDecodeError:
            raise InvalidInput(f"{where} is not a partnership key file: it is not text") from None
        return cls._from_json(text, where)

    @classmethod
    def _from_json(cls, text: str, where: str) -> PartnershipKey:
        def bad(reason: str) -> InvalidInput:
            return InvalidInput(f"{where} is not a usable partnership key file: {reason}")

        try:
            document = json.loads(text)
        except ValueError:
            raise bad("it is not JSON") from None
        if not isinstance(document, dict) or document.get("format") != KEY_FORMAT:
            raise bad(f'it has no "format": "{KEY_FORMAT}"')
        if document.get("version") != KEY_VERSION:
            raise bad(f"version {document.get('version')!r} is not supported (expected 1)")
        encoded = document.get("key")
        if not isinstance(encoded, str):
            raise bad('it has no "key"')
        try:
            secret = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise bad('its "key" is not base64') from None
        if len(secret) != KEY_BYTES:
            raise bad(f'its "key" holds {len(secret)} bytes; a key has {KEY_BYTES}')
        created = _parse_created(document.get("created"))
        return cls(secret, created)

    def save(self, path: Path) -> None:
        """Write the key file with mode 0600. An existing file is never overwritten."""
        path = Path(path)
        document = {
            "format": KEY_FORMAT,
            "version": KEY_VERSION,
            "key": base64.b64encode(self._secret).decode("ascii"),
            "created": self.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        data = (json.dumps(document) + "\n").encode("utf-8")
        write_new_secret_file(
            path,
            data,
            what="the key file",
            exists="a key file is never overwritten (choose another name, or delete the old key "
            "only once nothing encoded with it is needed)",
        )

    def derive(self, purpose: str) -> bytes:
        """The 32-byte key for one purpose (see PURPOSES), by HKDF-SHA256."""
        try:
            info = PURPOSES[purpose]
        except KeyError:
            known = ", ".join(PURPOSES)
            raise ValueError(f"unknown key purpose {purpose!r}; expected one of {known}") from None
        hkdf = HKDF(algorithm=SHA256(), length=32, salt=HKDF_SALT, info=info)
        return hkdf.derive(self._secret)

    @property
    def fingerprint(self) -> str:
        """16 hex characters that name the key without revealing it."""
        digest = hmac.new(self.derive("fingerprint"), FINGERPRINT_MESSAGE, sha256).hexdigest()
        return digest[:16]

    def __repr__(self) -> str:
        return f"PartnershipKey(fingerprint={self.fingerprint!r})"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PartnershipKey):
            return NotImplemented
        return hmac.compare_digest(self._secret, other._secret)

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def __reduce__(self) -> tuple[object, ...]:
        # Refuse pickling: a pickled key would be a second, unprotected key file.
        raise TypeError("a PartnershipKey cannot be pickled; save it with .save() instead")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _parse_created(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        created = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return created if created.tzinfo else created.replace(tzinfo=dt.UTC)


def _why(error: OSError) -> str:
    return error.strerror or type(error).__name__
