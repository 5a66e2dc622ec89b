"""One-typo neighbourhoods of identifier numbers and postcodes (since `seen-encoding-5`).

An exact token shows only equal values: a mistyped digit in an NHS number or a postcode makes
two records of one child look unrelated. A *near set* shows the hub, without the value, when
two values are within one typo of each other (one character replaced, inserted or deleted, two
neighbouring characters swapped): the set holds a keyed element for the value itself and for
each string the value gives with one character deleted, and two values within one typo always
share one of these strings (a replaced character: the deletion at its place; a swap: the
deletion of either character; an inserted one: the shorter value itself).

The definition (docs/encoding.md, "Near sets"):

- the value `v` (L characters) fills slots 0..K-1, K fixed per column: slot 0 holds `v`, slot k
  (1 <= k <= L) `v` with its k-th character deleted, unless that is the string of slot k - 1
  (a run of one character gives one deletion); every other slot holds a pad;
- each slot becomes a 16-byte block: a string's block is its column's code, its length and its
  ASCII characters; a pad's block is the code + 128, the slot number and `v`; zero bytes fill
  the rest;
- an element is the first 8 bytes of the block encrypted with AES-256 under the `near` key: a
  pseudorandom permutation, one block per slot, so a whole column is one call into OpenSSL;
- the set is its K elements sorted (as bytes) and concatenated.

Every set of a column has K elements whatever the value, so its size says nothing of the
value's length or of repeated characters; a pad equals nothing but the same value's pad.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from seen.domain.encoding import NEAR_ELEMENT_BYTES, NEAR_SIZES

BLOCK: Final = 16  # AES block size
HEADER: Final = 2  # the code byte and the length (or slot) byte
PAD_FLAG: Final = 0x80
# The code in each block: the column's place among the near sets.
CODES: Final = {column: number for number, column in enumerate(NEAR_SIZES, start=1)}

_DIGITS_10 = re.compile(r"[0-9]{10}")
_UPN_SHAPE = re.compile(r"[A-Z][0-9]{11}[0-9A-Z]")
_POSTCODE_SHAPE = re.compile(r"[A-Z][A-Z0-9]{4,6}")

Blocks = npt.NDArray[np.uint8]


def nhs_number_shape(raw: str | None) -> str | None:
    """Ten digits once spaces and hyphens are removed, the check digit right or not: a
    mistyped number fails its check, and is what the near set is for."""
    if raw is None:
        return None
    number = "".join(raw.split()).replace("-", "")
    return number if _DIGITS_10.fullmatch(number) else None


def upn_shape(raw: str | None) -> str | None:
    """A letter, 11 digits and a digit or letter (trimmed, upper-case), the check letter right
    or not."""
    if raw is None:
        return None
    upn = raw.strip().upper()
    return upn if _UPN_SHAPE.fullmatch(upn) else None


def postcode_shape(raw: str | None) -> str | None:
    """Spaces removed, upper-case: 5-7 letters and digits, the first a letter, at least one a
    digit. Every UK postcode has this shape (`ZX3 7AB` -> `ZX37AB`), and so do most with a
    typo that makes them no postcode (`ZX3 7A8`); `UNKNOWN` and `NFA` do not."""
    if raw is None:
        return None
    text = "".join(raw.split()).upper()
    if not _POSTCODE_SHAPE.fullmatch(text) or not any(c.isdigit() for c in text):
        return None
    return text


def slot_strings(value: str, size: int) -> list[str | None]:
    """What each of the `size` slots holds: `value`, then its one-deletion strings (None for a
    pad: a deletion equal to the previous slot's, and every slot past the value's length)."""
    slots: list[str | None] = [value]
    for k in range(1, size):
        if k > len(value) or (k >= 2 and value[k - 2] == value[k - 1]):
            slots.append(None)
        else:
            slots.append(value[: k - 1] + value[k:])
    return slots


def slot_block(column: str, value: str, slot: int, string: str | None) -> bytes:
    """The 16-byte block of one slot (`string` None for a pad)."""
    code = CODES[column]
    if string is None:
        head, body = bytes((code | PAD_FLAG, slot)), value
    else:
        head, body = bytes((code, len(string))), string
    return (head + body.encode("ascii")).ljust(BLOCK, b"\x00")


def near_set(near_key: bytes, column: str, value: str) -> bytes:
    """The stored near set of one value already in its column's shape: the definition."""
    size = NEAR_SIZES[column]
    if not 1 <= len(value) < size:
        raise ValueError(f"a {column} value must have 1 to {size - 1} characters")
    encryptor = Cipher(algorithms.AES(near_key), modes.ECB()).encryptor()
    elements = []
    for slot, string in enumerate(slot_strings(value, size)):
        block = encryptor.update(slot_block(column, value, slot, string))
        elements.append(block[:NEAR_ELEMENT_BYTES])
    return b"".join(sorted(elements))


def shares_element(a: bytes, b: bytes) -> bool:
    """Whether two near sets share an element: their values are within one typo."""
    width = NEAR_ELEMENT_BYTES
    left = {a[i : i + width] for i in range(0, len(a), width)}
    return any(b[i : i + width] in left for i in range(0, len(b), width))


class NearEncoder:
    """Near sets for one partnership key (the `near` purpose's key), many values at once: the
    blocks of every value are built as NumPy arrays, a value length at a time, and encrypted in
    one call."""

    def __init__(self, near_key: bytes) -> None:
        self._cipher = Cipher(algorithms.AES(near_key), modes.ECB())

    def many(self, column: str, values: Sequence[str]) -> list[bytes]:
        """The near set of each value (each already in the column's shape), in order."""
        if not values:
            return []
        size = NEAR_SIZES[column]
        blocks = np.zeros((len(values), size, BLOCK), dtype=np.uint8)
        lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
        if lengths.max() >= size or lengths.min() < 1:
            raise ValueError(f"a {column} value must have 1 to {size - 1} characters")
        for length in np.unique(lengths).tolist():
            rows = np.flatnonzero(lengths == length)
            text = "".join(values[row] for row in rows.tolist()).encode("ascii")
            chars = np.frombuffer(text, dtype=np.uint8).reshape(len(rows), length)
            blocks[rows] = _blocks(CODES[column], chars, size)
        encryptor = self._cipher.encryptor()
        cipher = np.frombuffer(encryptor.update(blocks.tobytes()), dtype=np.uint8)
        elements = cipher.reshape(len(values), size, BLOCK)[:, :, :NEAR_ELEMENT_BYTES]
        # Sorted as bytes: as big-endian unsigned 64-bit integers.
        keys = elements.copy().view(">u8").reshape(len(values), size)
        ordered = np.sort(keys, axis=1).astype(">u8")
        return [row.tobytes() for row in ordered]


def _blocks(code: int, chars: npt.NDArray[np.uint8], size: int) -> Blocks:
    """The blocks of the slots of values of one length: chars (n x L) -> (n x size x 16)."""
    n, length = chars.shape
    blocks = np.zeros((n, size, BLOCK), dtype=np.uint8)
    # Pads first, in every slot; string slots overwrite them.
    blocks[:, :, 0] = code | PAD_FLAG
    blocks[:, :, 1] = np.arange(size, dtype=np.uint8)
    blocks[:, :, HEADER : HEADER + length] = chars[:, np.newaxis, :]
    blocks[:, 0, 0] = code
    blocks[:, 0, 1] = length
    for k in range(1, length + 1):
        kept = np.ones(n, dtype=np.bool_) if k == 1 else chars[:, k - 2] != chars[:, k - 1]
        deleted = np.concatenate([chars[:, : k - 1], chars[:, k:]], axis=1)
        row = np.zeros((n, BLOCK), dtype=np.uint8)
        row[:, 0] = code
        row[:, 1] = length - 1
        row[:, HEADER : HEADER + length - 1] = deleted
        blocks[kept, k] = row[kept]
    return blocks
