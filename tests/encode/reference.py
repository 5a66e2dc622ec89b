"""The encoding as docs/encoding.md words it, written out plainly and slowly: one HMAC call per
token and per bigram, bits as lists, the permutation applied bit by bit. The encoder is
optimised in ways this is not; tests check that the two agree."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from seen.domain.records import Identity
from seen.encode import PartnershipKey
from seen.encode.normalise import normalise_identity

UNIT = "\x1f"


def token(key: bytes, field: str, value: str) -> str:
    message = field.encode("ascii") + b"\x1f" + value.encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def permutation(key: bytes) -> list[int]:
    words: list[int] = []
    counter = 0

    def next_word() -> int:
        nonlocal counter
        if not words:
            digest = hmac.new(key, counter.to_bytes(4, "big"), hashlib.sha256).digest()
            counter += 1
            words.extend(int.from_bytes(digest[i : i + 4], "big") for i in range(0, 32, 4))
        return words.pop(0)

    perm = list(range(1024))
    for i in range(1023, 0, -1):
        word = next_word()
        while word >= 2**32 - (2**32 % (i + 1)):
            word = next_word()
        j = word % (i + 1)
        perm[i], perm[j] = perm[j], perm[i]
    return perm


def bloom(key: bytes, perm: list[int], field: str, salt: str, value: str) -> bytes:
    base = [0] * 512
    padded = "_" + value + "_"
    for i in range(len(padded) - 1):
        message = (field + UNIT + salt + UNIT + padded[i : i + 2]).encode("utf-8")
        digest = hmac.new(key, message, hashlib.sha256).digest()
        for j in range(15):
            base[int.from_bytes(digest[2 * j : 2 * j + 2], "big") % 512] = 1
    combined = base + [1 - bit for bit in base]
    stored = [combined[perm[p]] for p in range(1024)]
    return bytes(int("".join(str(bit) for bit in stored[i : i + 8]), 2) for i in range(0, 1024, 8))


def encode(key: PartnershipKey, identity: Identity) -> dict[str, Any]:
    """Every tok_* and bf_* value of one identity."""
    tk, bk = key.derive("token"), key.derive("bloom")
    perm = permutation(key.derive("bloom-permutation"))
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
        "tok_dob": tok("tok_dob", dob),
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
        row[column] = bloom(bk, perm, column, salt, value) if value else None
    return row
