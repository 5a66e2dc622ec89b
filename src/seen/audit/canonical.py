"""Canonical JSON in the manner of RFC 8785 (JCS): keys sorted, no whitespace, UTF-8.

The audit log hashes these bytes, so the same entry must always give the same bytes on
any machine. Entries hold only strings, integers, booleans and lists of strings, which is
the part of JCS where Python's `json` already agrees with it (its string escaping is
JSON.stringify's); floats are refused rather than formatted, since JCS prints numbers the
ECMAScript way and no audit field needs one.
"""

from __future__ import annotations

import json
from typing import Any


def canonical_json(value: Any) -> bytes:
    _check(value)
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def _check(value: Any) -> None:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return
    if isinstance(value, int):
        # JCS numbers are IEEE doubles: integers beyond 2^53 would not round-trip.
        if abs(value) > 2**53:
            raise ValueError("integers in canonical JSON stay within ±2^53")
        return
    if isinstance(value, list | tuple):
        for item in value:
            _check(item)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError("canonical JSON keys are strings")
            _check(item)
        return
    raise ValueError(f"canonical JSON here holds no {type(value).__name__}")
