"""Keyed tokens for exact comparison and blocking.

`token(field, value) = hex(HMAC-SHA256(token_key, field || 0x1F || value))[:32]`.

`Tokeniser` computes the same HMAC faster: the key's inner and outer SHA-256 states are made
once (RFC 2104 hashes `key ^ ipad` and `key ^ opad` first, whatever the message), so each token
costs two state copies and two short updates; and values that repeat (dates of birth,
postcodes, common names) are computed once per field, and remembered for as long as the
`Tokeniser` lives.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Sequence
from typing import Final

from seen.encode.schema import TOKEN_HEX_CHARS

SEPARATOR: Final = "\x1f"  # the ASCII unit separator, U+001F
_BLOCK = 64  # SHA-256 block size in bytes


def token(token_key: bytes, field: str, value: str) -> str:
    """The token of one normalised value: the definition, used for reference and tests."""
    message = field.encode("ascii") + b"\x1f" + value.encode("utf-8")
    return hmac.new(token_key, message, hashlib.sha256).hexdigest()[:TOKEN_HEX_CHARS]


def hmac_pads(key: bytes) -> tuple[hashlib._Hash, hashlib._Hash]:
    """SHA-256 states after absorbing `key ^ ipad` and `key ^ opad` (RFC 2104)."""
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\x00")
    inner = hashlib.sha256(bytes(byte ^ 0x36 for byte in key))
    outer = hashlib.sha256(bytes(byte ^ 0x5C for byte in key))
    return inner, outer


class Tokeniser:
    """Token functions for one key, one per field, each remembering the values it has seen."""

    def __init__(self, token_key: bytes) -> None:
        self._inner, self._outer = hmac_pads(token_key)
        self._made: dict[str, dict[str | None, str | None]] = {}  # field -> value -> token

    def field(self, field: str, *, remember: bool = True) -> Callable[[str], str]:
        """`value -> token(field, value)`; `remember=False` for values that rarely repeat."""
        inner = self._inner.copy()
        inner.update(field.encode("ascii") + b"\x1f")
        outer = self._outer

        def compute(value: str) -> str:
            state = inner.copy()
            state.update(value.encode("utf-8"))
            final = outer.copy()
            final.update(state.digest())
            return final.hexdigest()[:TOKEN_HEX_CHARS]

        if not remember:
            return compute
        seen: dict[str, str] = {}

        def remembered(value: str) -> str:
            found = seen.get(value)
            if found is None:
                found = seen[value] = compute(value)
            return found

        return remembered

    def many(self, field: str, values: Sequence[str | None]) -> list[str | None]:
        """`token(field, value)` of each value (None stays None), the HMAC written out in one
        loop. Each distinct value is computed once, however often it comes (the same child
        recorded twice, or by two agencies), and remembered for later calls."""
        made = self._made.get(field)
        if made is None:
            made = self._made[field] = {None: None}
        inner = self._inner.copy()
        inner.update(field.encode("ascii") + b"\x1f")
        start, finish = inner.copy, self._outer.copy
        for value in set(values).difference(made):
            state = start()
            state.update(value.encode())  # type: ignore[union-attr]  # None is always made
            final = finish()
            final.update(state.digest())
            made[value] = final.hexdigest()[:TOKEN_HEX_CHARS]
        return list(map(made.__getitem__, values))
