"""Key files: round trip, mode 0600, never overwritten, and plain messages when unusable."""

from __future__ import annotations

import base64
import json
import os
import pickle
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from seen.encode import PartnershipKey
from seen.errors import InvalidInput


def test_a_saved_key_loads_back_the_same(tmp_path: Path) -> None:
    key = PartnershipKey.generate()
    path = tmp_path / "partnership.key"
    key.save(path)
    loaded = PartnershipKey.load(path)
    assert loaded == key
    assert loaded.fingerprint == key.fingerprint
    assert loaded.derive("token") == key.derive("token")
    assert PartnershipKey.generate() != key


def test_the_key_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "k.key"
    old = os.umask(0o022)
    try:
        PartnershipKey.generate().save(path)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    document = json.loads(path.read_text())
    assert document["format"] == "seen-partnership-key" and document["version"] == 1
    assert len(base64.b64decode(document["key"])) == 32
    assert document["created"].endswith("Z")


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "k.key"
    PartnershipKey.generate().save(path)
    before = path.read_bytes()
    with pytest.raises(InvalidInput, match="already exists"):
        PartnershipKey.generate().save(path)
    assert path.read_bytes() == before


def _write(path: Path, text: str | bytes, mode: int = 0o600) -> Path:
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    path.chmod(mode)
    return path


GOOD = {"format": "seen-partnership-key", "version": 1, "key": base64.b64encode(bytes(32)).decode()}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json at all", "not JSON"),
        (json.dumps({**GOOD, "format": "something-else"}), "format"),
        (json.dumps({**GOOD, "version": 2}), "version 2"),
        (json.dumps({**GOOD, "key": "***"}), "not base64"),
        (json.dumps({**GOOD, "key": base64.b64encode(bytes(16)).decode()}), "16 bytes"),
        (json.dumps({k: v for k, v in GOOD.items() if k != "key"}), 'no "key"'),
        (b"\xff\xfe garbage", "not text"),
        ("x" * 10_000, "too large"),
    ],
)
def test_a_bad_key_file_gets_a_plain_message_naming_it(
    tmp_path: Path, content: str | bytes, message: str
) -> None:
    path = _write(tmp_path / "bad.key", content)
    with pytest.raises(InvalidInput) as caught:
        PartnershipKey.load(path)
    assert str(path) in caught.value.message and message in caught.value.message


def test_a_key_file_others_can_read_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "open.key", json.dumps(GOOD), 0o644)
    with pytest.raises(InvalidInput, match="chmod 600"):
        PartnershipKey.load(path)


def test_a_missing_key_file_or_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="does not exist"):
        PartnershipKey.load(tmp_path / "nope.key")
    folder = tmp_path / "folder"
    folder.mkdir(mode=0o700)
    with pytest.raises(InvalidInput, match="not a file"):
        PartnershipKey.load(folder)


def test_the_secret_never_shows_in_repr_or_messages_and_cannot_be_pickled() -> None:
    secret = bytes(range(32))
    key = PartnershipKey(secret)
    shown = repr(key) + str(key) + f"{key}"
    for form in (secret.hex(), base64.b64encode(secret).decode(), str(secret)):
        assert form not in shown
    assert key.fingerprint in shown
    with pytest.raises(TypeError):
        pickle.dumps(key)


def test_derived_keys_are_hkdf_sha256_with_the_spec_salt_and_info() -> None:
    secret = bytes(range(32))
    key = PartnershipKey(secret)
    for purpose in ("token", "bloom", "bloom-permutation", "fingerprint", "near"):
        expected = HKDF(SHA256(), 32, b"seen-encoding-1", f"seen/{purpose}".encode()).derive(secret)
        assert key.derive(purpose) == expected
    assert len({key.derive(p) for p in ("token", "bloom", "bloom-permutation", "near")}) == 4
    with pytest.raises(ValueError, match="unknown key purpose"):
        key.derive("nonsense")
    assert len(key.fingerprint) == 16 and int(key.fingerprint, 16) >= 0
