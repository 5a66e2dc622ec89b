"""Near sets: typo-tolerant identifier numbers and postcode (since `seen-encoding-5`).

An exact token shows only equal values: a mistyped digit in an NHS number or a postcode makes
two records of one child look unrelated. A *near set* shows the hub, without the value, when
two values are within one typo of each other: one character replaced, or two neighbouring
characters swapped (the typos of a number keyed by hand; FEBRL4's identifier and postcode
typos are 98% of these two kinds). Values have a fixed width per column (a postcode is laid
out as its outward code, padded with spaces to 4, and its inward code), and the set holds a
keyed element for each position with that position's character masked, and for each pair of
neighbouring positions with their two characters put in order:

- two values differing at one position share that position's masked element;
- two values differing by a swap of neighbours share that pair's ordered element;
- any other two different values share nothing (every element names its position).

So two valid NHS numbers are never within one typo (a replaced digit or a swap always breaks
the check digit): the sets relate a number only to its own mistyped copies.

The definition (docs/encoding.md, "Near sets"): each element is a 16-byte block (the column's
code, the position, the masked or ordered string, zero bytes) encrypted with AES-256 under the
`near` key, first 8 bytes; the set is its 2 W - 1 elements sorted (as bytes), concatenated.
AES is a pseudorandom permutation, one block per element, so a whole column is one call into
OpenSSL.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from seen.domain.encoding import NEAR_ELEMENT_BYTES, NEAR_SIZES, NEAR_WIDTHS

BLOCK: Final = 16  # AES block size
HEADER: Final = 2  # the code byte and the position byte
MASK: Final = "?"  # never a character of a value (letters, digits and the postcode's spaces)
SWAP: Final = 32  # the position byte of a pair of neighbours starts here
# The code in each block: the column's place among the near sets.
CODES: Final = {column: number for number, column in enumerate(NEAR_WIDTHS, start=1)}

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
    """Spaces removed, upper-case, 5-7 letters and digits (the first a letter, at least one a
    digit), laid out in 7 characters: the outward code padded with spaces to 4, then the
    inward code (its last 3). `zx3 7ab` -> `ZX3 7AB`, `ZX10 2YA` -> `ZX102YA`, so that `ZX1
    2YA` is one character away from the latter. A typo that makes a postcode no postcode
    (`ZX3 7A8`) still has this shape; `UNKNOWN` and `NFA` do not."""
    if raw is None:
        return None
    text = "".join(raw.split()).upper()
    if not _POSTCODE_SHAPE.fullmatch(text) or not any(c.isdigit() for c in text):
        return None
    return text[:-3].ljust(4) + text[-3:]


def element_strings(value: str) -> list[tuple[int, str]]:
    """(position byte, string) of each element of a value, in order: each position with its
    character masked, then each pair of neighbours with their characters in order."""
    found = [(i, value[:i] + MASK + value[i + 1 :]) for i in range(len(value))]
    for i in range(len(value) - 1):
        pair = "".join(sorted(value[i : i + 2]))
        found.append((SWAP + i, value[:i] + pair + value[i + 2 :]))
    return found


def element_block(column: str, position: int, string: str) -> bytes:
    """The 16-byte block of one element."""
    return (bytes((CODES[column], position)) + string.encode("ascii")).ljust(BLOCK, b"\x00")


def _check_width(column: str, value: str) -> None:
    if len(value) != NEAR_WIDTHS[column]:
        raise ValueError(f"a {column} value has {NEAR_WIDTHS[column]} characters")


def near_set(near_key: bytes, column: str, value: str) -> bytes:
    """The stored near set of one value already in its column's shape: the definition."""
    _check_width(column, value)
    encryptor = Cipher(algorithms.AES(near_key), modes.ECB()).encryptor()
    elements = [
        encryptor.update(element_block(column, position, string))[:NEAR_ELEMENT_BYTES]
        for position, string in element_strings(value)
    ]
    return b"".join(sorted(elements))


def shares_element(a: bytes, b: bytes) -> bool:
    """Whether two near sets share an element: their values are within one typo."""
    width = NEAR_ELEMENT_BYTES
    left = {a[i : i + width] for i in range(0, len(a), width)}
    return any(b[i : i + width] in left for i in range(0, len(b), width))


class NearEncoder:
    """Near sets for one partnership key (the `near` purpose's key), many values at once: the
    blocks of every value are built as one NumPy array and encrypted in one call."""

    def __init__(self, near_key: bytes) -> None:
        self._cipher = Cipher(algorithms.AES(near_key), modes.ECB())

    def many(self, column: str, values: Sequence[str]) -> list[bytes]:
        """The near set of each value (each already in the column's shape), in order."""
        return [row.tobytes() for row in self.rows(column, values)]

    def rows(self, column: str, values: Sequence[str]) -> npt.NDArray[np.uint8]:
        """The stored near sets of the values (each in the column's shape), one row of bytes
        each: (n x 8 K)."""
        width, size = NEAR_WIDTHS[column], NEAR_SIZES[column]
        if not values:
            return np.zeros((0, size * NEAR_ELEMENT_BYTES), dtype=np.uint8)
        for value in values:
            _check_width(column, value)
        text = "".join(values).encode("ascii")
        chars = np.frombuffer(text, dtype=np.uint8).reshape(len(values), width)
        blocks = _blocks(CODES[column], chars)
        encryptor = self._cipher.encryptor()
        cipher = np.frombuffer(encryptor.update(blocks.tobytes()), dtype=np.uint8)
        elements = cipher.reshape(len(values), size, BLOCK)[:, :, :NEAR_ELEMENT_BYTES]
        # Sorted as bytes: as big-endian unsigned 64-bit integers.
        keys = elements.copy().view(">u8").reshape(len(values), size)
        ordered = np.sort(keys, axis=1).astype(">u8")
        return ordered.view(np.uint8).reshape(len(values), size * NEAR_ELEMENT_BYTES)


def _blocks(code: int, chars: npt.NDArray[np.uint8]) -> Blocks:
    """Every element's block of values of one width: chars (n x W) -> (n x (2 W - 1) x 16),
    in `element_strings`'s order."""
    n, width = chars.shape
    blocks = np.zeros((n, 2 * width - 1, BLOCK), dtype=np.uint8)
    blocks[:, :, 0] = code
    blocks[:, :, HEADER : HEADER + width] = chars[:, np.newaxis, :]
    for i in range(width):
        blocks[:, i, 1] = i
        blocks[:, i, HEADER + i] = ord(MASK)
    for i in range(width - 1):
        row = width + i
        blocks[:, row, 1] = SWAP + i
        pair = chars[:, i : i + 2]
        blocks[:, row, HEADER + i] = pair.min(axis=1)
        blocks[:, row, HEADER + i + 1] = pair.max(axis=1)
    return blocks
