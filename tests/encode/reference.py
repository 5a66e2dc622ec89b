"""The encoding as docs/encoding.md words it, written out plainly and slowly: one HMAC call per
token, a long stream of positions per bigram read bit by bit from its digests, bits as lists
set one at a time in rounds, one AES call per near-set slot. The encoder is optimised in ways
this is not; tests check that the two agree."""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from seen.domain.records import Identity
from seen.encode import PartnershipKey
from seen.encode.normalise import normalise_identity

UNIT = "\x1f"


def token(key: bytes, field: str, value: str) -> str:
    message = field.encode("ascii") + b"\x1f" + value.encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def stream(key: bytes, field: str, salt: str, bigram: str, count: int) -> list[int]:
    """The first `count` positions of a bigram: 10-bit fields of keyed BLAKE2b-512 digests."""
    found: list[int] = []
    counter = 0
    while len(found) < count:
        message = (field + UNIT + salt + UNIT + bigram).encode("utf-8") + counter.to_bytes(4, "big")
        digest = hashlib.blake2b(message, key=key, digest_size=64).digest()
        bits = "".join(f"{byte:08b}" for byte in digest)
        found.extend(int(bits[10 * i : 10 * i + 10], 2) for i in range(51))
        counter += 1
    return found[:count]


def bloom(key: bytes, field: str, salt: str, value: str) -> bytes:
    padded = "_" + value + "_"
    distinct = sorted({padded[i : i + 2] for i in range(len(padded) - 1)})
    streams = {bigram: stream(key, field, salt, bigram, 1024) for bigram in distinct}
    bits = [0] * 1024
    weight = 0
    round_ = 0
    while weight < 128:
        for bigram in distinct:
            position = streams[bigram][round_]
            if not bits[position]:
                bits[position] = 1
                weight += 1
                if weight == 128:
                    break
        round_ += 1
    return bytes(int("".join(str(bit) for bit in bits[i : i + 8]), 2) for i in range(0, 1024, 8))


NEAR = {"near_nhs": (1, 10), "near_upn": (2, 13), "near_postcode": (3, 7)}  # code, width


def near_value(column: str, raw: str | None) -> str | None:
    """The value a near set is made of: the identifier's shape (checks aside), or the
    postcode laid out in 7 characters."""
    if raw is None:
        return None
    if column == "near_nhs":
        text = raw.replace(" ", "").replace("-", "")
        return text if re.fullmatch(r"[0-9]{10}", text) else None
    if column == "near_upn":
        text = raw.strip().upper()
        return text if re.fullmatch(r"[A-Z][0-9]{11}[0-9A-Z]", text) else None
    text = "".join(raw.split()).upper()
    if not (re.fullmatch(r"[A-Z][A-Z0-9]{4,6}", text) and re.search(r"[0-9]", text)):
        return None
    outward, inward = text[:-3], text[-3:]
    return outward + " " * (4 - len(outward)) + inward


def near_blocks(column: str, value: str) -> list[bytes]:
    """Every element's 16-byte block: each position masked, then each pair of neighbours in
    order."""
    code, _ = NEAR[column]
    found = []
    for i in range(len(value)):
        found.append(bytes([code, i]) + (value[:i] + "?" + value[i + 1 :]).encode("ascii"))
    for i in range(len(value) - 1):
        low, high = sorted([value[i], value[i + 1]])
        found.append(bytes([code, 32 + i]) + (value[:i] + low + high + value[i + 2 :]).encode())
    return [block + bytes(16 - len(block)) for block in found]


def near(key: bytes, column: str, value: str) -> bytes:
    elements = []
    for block in near_blocks(column, value):
        encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
        cipher = encryptor.update(block) + encryptor.finalize()
        elements.append(cipher[:8])
    return b"".join(sorted(elements))


def encode(key: PartnershipKey, identity: Identity) -> dict[str, Any]:
    """Every tok_*, bf_* and near_* value of one identity."""
    tk, bk = key.derive("token"), key.derive("bloom")
    n = normalise_identity(identity)
    dob = n.date_of_birth

    def tok(field: str, *parts: str | None) -> str | None:
        if any(part is None for part in parts):
            return None
        return token(tk, field, UNIT.join(part for part in parts if part is not None))

    parts = n.family_parts
    names = sorted([n.given, n.family]) if n.given and n.family else [None]
    year = n.birth_year  # "" without a date of birth
    row: dict[str, Any] = {
        "tok_nhs": tok("tok_nhs", n.nhs_number),
        "tok_upn": tok("tok_upn", n.upn),
        "tok_given_dob": tok("tok_name_dob", n.given, dob),
        "tok_family_dob": tok("tok_name_dob", n.family, dob),
        "tok_postcode_dob": tok("tok_postcode_dob", n.postcode, dob),
        "tok_dob_year": tok("tok_dob_year", dob and dob[:4]),
        "tok_dob_month": tok("tok_dob_month", dob and dob[5:7]),
        "tok_sex": tok("tok_sex", n.sex),
        "tok_postcode": tok("tok_postcode", n.postcode),
        "tok_postcode_sector": tok("tok_postcode_sector", n.postcode and n.postcode[:-2]),
        "tok_postcode_district": tok("tok_postcode_district", n.postcode and n.postcode[:-4]),
        "tok_given": tok("tok_given", year, n.given),
        "tok_family": tok("tok_family", year, n.family),
        "tok_family_first_part": tok("tok_family", year, parts[0]) if len(parts) > 1 else None,
        "tok_family_last_part": tok("tok_family", year, parts[-1]) if len(parts) > 1 else None,
        "tok_name_sex_dob": tok("tok_name_sex_dob", n.family, n.given and n.given[0], n.sex, dob),
        "tok_names_sorted": tok("tok_names_sorted", year, *names),
        "tok_names_postcode": tok("tok_names_postcode", n.postcode, *names),
        "tok_soundex_dob": tok("tok_soundex_dob", n.soundex_family, n.soundex_given, dob),
        "tok_dob_transposed": tok(
            "tok_soundex_dob", n.soundex_family, n.soundex_given, n.date_of_birth_transposed
        ),
    }
    by_family, by_given = UNIT.join((year, n.family or "")), UNIT.join((year, n.given or ""))
    for column, value, salt in (
        ("bf_given", n.given, by_family),
        ("bf_middle", n.middle, by_family),
        ("bf_family", n.family, by_given),
    ):
        row[column] = bloom(bk, column, salt, value) if value else None
    nk = key.derive("near")
    for column, raw in (
        ("near_nhs", identity.nhs_number),
        ("near_upn", identity.upn),
        ("near_postcode", identity.postcode),
    ):
        value = near_value(column, raw)
        row[column] = near(nk, column, value) if value else None
    return row
