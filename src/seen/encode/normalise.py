"""Normalisation of identity fields before encoding, exactly as docs/encoding.md specifies.

Two agencies that write the same person differently (`SIOBHÁN O'BRIEN`, `Siobhan Obrien`)
must produce the same encodings, so every rule here is part of the encoding format: change
one and every package encoded before it stops matching those encoded after.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Final

from seen.domain.demographics import Sex
from seen.domain.identifiers import UPN_ALPHABET
from seen.domain.records import Identity
from seen.encode.nicknames import canonical_given_name
from seen.encode.soundex import soundex

# Removed before anything else, so that O'Brien, O’Brien and O´Brien all give `obrien`.
APOSTROPHES: Final = "'’‘ʼ`´′"
# Letters that NFKD does not decompose into ASCII, applied after lower-casing.
TRANSLITERATION: Final = {
    "ł": "l",
    "ø": "o",
    "æ": "ae",
    "ß": "ss",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ı": "i",
    "œ": "oe",
}
# Family-name particles: a run of them joins the word after it into one part, so that
# `de la Cruz` is one part and `Garcia de la Cruz` has the parts `garcia`, `de la cruz`.
PARTICLES: Final = frozenset(
    {
        "al", "ap", "bin", "da", "das", "de", "del", "della", "den", "der", "di", "dos", "du",
        "el", "ibn", "la", "le", "mac", "mc", "o", "st", "ten", "ter", "van", "von",
    }
)  # fmt: skip

_DROP_APOSTROPHES = dict.fromkeys(map(ord, APOSTROPHES))
_TRANSLITERATE = str.maketrans(TRANSLITERATION)
_KEPT = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_POSTCODE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}")
_NHS = re.compile(r"[0-9]{10}")
_UPN = re.compile(f"[{UPN_ALPHABET}][0-9]{{11}}[0-9{UPN_ALPHABET}]")
_NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
_UPN_WEIGHTS = tuple(range(2, 13))
_ZERO = ord("0")


def fold_name(raw: str | None) -> str | None:
    """A name as lower-case ASCII words separated by single spaces; None when nothing is left.

    `  ZOË ` -> `zoe`, `Łukasz` -> `lukasz`, `Nguyễn` -> `nguyen`, `O'Brien` -> `obrien`,
    `Smith-Jones` -> `smith jones`, `Strauß` -> `strauss`.
    """
    if raw is None:
        return None
    text = unicodedata.normalize("NFKD", raw.translate(_DROP_APOSTROPHES))
    text = "".join(char for char in text if not unicodedata.category(char).startswith("M"))
    text = text.lower().translate(_TRANSLITERATE)
    chars: list[str] = []
    for char in text:
        if char in _KEPT:
            chars.append(char)
        elif char.isascii() or unicodedata.category(char)[0] in "PSZC":
            chars.append(" ")  # punctuation, hyphens, symbols, spaces: word breaks
        # any other character (a letter of another script) is dropped
    folded = " ".join("".join(chars).split())
    return folded or None


def family_parts(folded: str) -> tuple[str, ...]:
    """The parts of a folded family name: its words, each with the particles before it."""
    parts: list[str] = []
    pending: list[str] = []
    for word in folded.split(" "):
        pending.append(word)
        if word not in PARTICLES:
            parts.append(" ".join(pending))
            pending = []
    if pending:
        if parts:
            parts[-1] = " ".join([parts[-1], *pending])
        else:
            parts.append(" ".join(pending))
    return tuple(parts)


def first_given_name(folded: str) -> str:
    return folded.split(" ", 1)[0]


def canonical_given(raw: str | None, sex: str | None) -> str | None:
    """The canonical form of the first given name: `BILL` -> `william`."""
    folded = fold_name(raw)
    return None if folded is None else canonical_given_name(first_given_name(folded), sex)


def transposed_text(date: dt.date) -> str:
    """`YYYY-DD-MM`: the date with day and month swapped, written even when it is no date
    (day 13-31), and marked `YYYY-DD-MM=` when day and month are equal, so that it never
    equals the date itself. A value for every date: a missing one would tell the day apart."""
    text = f"{date.year:04d}-{date.day:02d}-{date.month:02d}"
    return text + "=" if date.day == date.month else text


def normalise_postcode(raw: str | None) -> str | None:
    """`zx37ab` -> `ZX3 7AB`; None when it is not shaped like a UK postcode."""
    if raw is None:
        return None
    text = "".join(raw.split()).upper()
    if not _POSTCODE.fullmatch(text):
        return None
    return f"{text[:-3]} {text[-3:]}"


def postcode_sector(postcode: str) -> str:
    """`ZX3 7AB` -> `ZX3 7` (a normalised postcode in, the outward code and inward digit out)."""
    return postcode[:-2]


def postcode_district(postcode: str) -> str:
    """`ZX3 7AB` -> `ZX3`."""
    return postcode[:-4]


def normalise_nhs_number(raw: str | None) -> str | None:
    """Ten digits with a valid check digit (spaces and hyphens removed), else None."""
    if raw is None:
        return None
    number = raw if len(raw) == 10 else "".join(raw.split()).replace("-", "")
    return number if _NHS.fullmatch(number) and _nhs_check_ok(number) else None


def normalise_upn(raw: str | None) -> str | None:
    """An upper-case UPN with a valid check letter, else None."""
    if raw is None:
        return None
    upn = raw.strip().upper()
    return upn if _UPN.fullmatch(upn) and _upn_check_ok(upn) else None


# The two checks below are the rules of seen.domain.identifiers written for speed (every
# record has one or both numbers); a test checks that they agree with the domain's.
def _nhs_check_ok(number: str) -> bool:
    """Modulus 11 over the first nine of ten ASCII digits; 10 means no valid check digit."""
    digits = number.encode("ascii")
    total = sum(map(int.__mul__, digits[:9], _NHS_WEIGHTS)) - _ZERO * 54
    check = 11 - total % 11
    return check != 10 and check % 11 == digits[9] - _ZERO


def _upn_check_ok(upn: str) -> bool:
    """Check letter = alphabet[sum(value(char_i) * i for i = 2..13) mod 23]."""
    body = upn.encode("ascii")
    total = sum(map(int.__mul__, body[1:12], _UPN_WEIGHTS)) - _ZERO * 77
    last = upn[12]
    total += 13 * (int(last) if last.isdigit() else UPN_ALPHABET.index(last))
    return UPN_ALPHABET[total % 23] == upn[0]


def normalise_sex(sex: Sex | str | None) -> str | None:
    value = None if sex is None else str(sex).strip().upper()
    return value if value in ("M", "F") else None


@dataclass(frozen=True, slots=True)
class NormalisedIdentity:
    """Every normalised value the tokens and Bloom filters are computed from."""

    given: str | None  # canonical first given name
    middle: str | None
    family: str | None
    family_parts: tuple[str, ...]
    date_of_birth: str | None  # YYYY-MM-DD
    date_of_birth_transposed: str | None
    sex: str | None  # M or F
    postcode: str | None
    nhs_number: str | None
    upn: str | None

    @property
    def birth_year(self) -> str:
        """The Bloom filter salt: `YYYY`, or empty when the date of birth is absent."""
        return self.date_of_birth[:4] if self.date_of_birth else ""

    @property
    def soundex_given(self) -> str | None:
        return None if self.given is None else soundex(self.given)

    @property
    def soundex_family(self) -> str | None:
        return None if self.family is None else soundex(self.family)


def normalise_identity(identity: Identity) -> NormalisedIdentity:
    """The normalised form of one identity (the encoder caches the same steps per value)."""
    sex = normalise_sex(identity.sex)
    family = fold_name(identity.family_name)
    born = identity.date_of_birth
    transposed = transposed_text(born) if born is not None else None
    return NormalisedIdentity(
        given=canonical_given(identity.given_name, sex),
        middle=fold_name(identity.middle_names),
        family=family,
        family_parts=family_parts(family) if family else (),
        date_of_birth=born.isoformat() if born is not None else None,
        date_of_birth_transposed=transposed,
        sex=sex,
        postcode=normalise_postcode(identity.postcode),
        nhs_number=normalise_nhs_number(identity.nhs_number),
        upn=normalise_upn(identity.upn),
    )
