"""The records table's columns, computed a column at a time, for speed.

Most identity values repeat (names, dates of birth, postcodes): each distinct value is
normalised and encoded once per `ColumnEncoder`, and a column is then a dictionary look-up per
record, done in a comprehension or `map` rather than a Python loop body. The tokens that
combine several fields, NHS numbers, UPNs and the Bloom filters are computed once per distinct
value too, most of which belong to one child (recorded more than once, or by several
agencies). The caches live as long as the encoder, so memory follows the size of the input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from typing import NamedTuple, TypeAlias, TypeVar

import numpy as np
import pyarrow as pa

from seen.domain.demographics import Sex
from seen.domain.records import AgencyRecord
from seen.encode.bloom import BloomEncoder
from seen.encode.near import NearEncoder, nhs_number_shape, postcode_shape, upn_shape
from seen.encode.nicknames import canonical_given_name
from seen.encode.normalise import (
    family_parts,
    first_given_name,
    fold_name,
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
    postcode_district,
    postcode_sector,
    transposed_text,
)
from seen.encode.schema import (
    BLOOM_COLUMNS,
    NEAR_COLUMNS,
    RECORDS_SCHEMA,
    TOKEN_COLUMNS,
    token_field,
)
from seen.encode.soundex import soundex
from seen.encode.tokens import SEPARATOR, Tokeniser

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
Column: TypeAlias = Sequence[object] | pa.Array

_SEX: dict[str, str] = {Sex.MALE: "M", Sex.FEMALE: "F"}
_NO_DATE = (None, None)
_NO_POSTCODE = (None, None, None, None)


class _Given(NamedTuple):
    canonical: str
    initial: str
    soundex: str | None


class _Family(NamedTuple):
    folded: str
    soundex: str | None
    first_part: str | None  # the first and last parts, when there are several
    last_part: str | None


class _Born(NamedTuple):
    iso: str
    year: str
    transposed: str  # day and month swapped, as text (docs/encoding.md)
    tokens: tuple[str, str]  # year, month


def _looked_up(cache: dict[K, V], keys: Sequence[K], make: Callable[[K], V]) -> list[V]:
    """The cached value of each key, computing those not yet cached."""
    for key in set(keys).difference(cache):
        cache[key] = make(key)
    return list(map(cache.__getitem__, keys))


class ColumnEncoder:
    """Encodes records for one partnership key, remembering every value that repeats."""

    def __init__(self, token_key: bytes, bloom_key: bytes, near_key: bytes) -> None:
        self.tokens = Tokeniser(token_key)
        self.tok = {name: self.tokens.field(token_field(name)) for name in TOKEN_COLUMNS}
        self.bloom = BloomEncoder(bloom_key)
        self._born: dict[dt.date | None, _Born | None] = {None: None}
        # raw -> (normalised postcode, its three tokens)
        self._postcodes: dict[str | None, tuple[str | None, ...]] = {None: _NO_POSTCODE}
        self._given: dict[tuple[str | None, str | None], _Given | None] = {}
        self._family: dict[str | None, _Family | None] = {None: None}
        self._middle: dict[str | None, str | None] = {None: None}
        self._made_numbers: dict[str, dict[str | None, str | None]] = {
            "tok_nhs": {None: None},
            "tok_upn": {None: None},
        }
        self._made_filters: dict[str, dict[tuple[str, str | None], bytes]] = {
            column: {} for column in BLOOM_COLUMNS
        }
        self.near = NearEncoder(near_key)
        # raw value -> its value in the column's shape (None: no shape)
        self._near_shapes: dict[str, dict[str, str | None]] = {c: {} for c in NEAR_COLUMNS}

    def encode(self, records: Sequence[AgencyRecord]) -> list[Column]:
        """The columns of RECORDS_SCHEMA, in order, one value per record."""
        if not records:
            return [[] for _ in RECORDS_SCHEMA]
        identities = [record.identity for record in records]
        demographics = [record.demographics for record in records]
        sexes = [_SEX.get(identity.sex) for identity in identities]
        born = _looked_up(self._born, [i.date_of_birth for i in identities], self._date)
        years = [b.year if b else "" for b in born]
        given_keys = list(zip([i.given_name for i in identities], sexes, strict=True))
        given = _looked_up(self._given, given_keys, self._given_name)
        family = _looked_up(self._family, [i.family_name for i in identities], self._family_name)
        middle = _looked_up(self._middle, [i.middle_names for i in identities], fold_name)
        postcodes = _looked_up(self._postcodes, [i.postcode for i in identities], self._postcode)
        tok_sex: dict[str | None, str] = {sex: self.tok["tok_sex"](sex) for sex in ("M", "F")}
        u = SEPARATOR
        # Name tokens and filters are salted with the year of birth; a name's filter also
        # with the other name, so that each salt holds a handful of records (a family).
        given_names = [g.canonical if g else None for g in given]
        family_names = [f.folded if f else None for f in family]
        family_salts = [f"{y}{u}{f or ''}" for y, f in zip(years, family_names, strict=True)]
        given_salts = [f"{y}{u}{g or ''}" for y, g in zip(years, given_names, strict=True)]
        return [
            [record.record_id for record in records],
            [str(d.sex) for d in demographics],
            [d.ethnicity for d in demographics],
            [d.birth_month for d in demographics],
            [d.deprivation_decile for d in demographics],
            self._numbers("tok_nhs", [i.nhs_number for i in identities], normalise_nhs_number),
            self._numbers("tok_upn", [i.upn for i in identities], normalise_upn),
            *self._dated(given, family, [p[0] for p in postcodes], born),
            *zip(*[b.tokens if b else _NO_DATE for b in born], strict=True),
            list(map(tok_sex.get, sexes)),
            *list(zip(*postcodes, strict=True))[1:],
            self._salted("tok_given", given_names, years),
            self._salted("tok_family", family_names, years),
            self._salted(
                "tok_family_first_part", [f.first_part if f else None for f in family], years
            ),
            self._salted(
                "tok_family_last_part", [f.last_part if f else None for f in family], years
            ),
            *self._combined(given, family, sexes, born, years, [p[0] for p in postcodes]),
            self._filters("bf_given", given_names, family_salts),
            self._filters("bf_middle", middle, family_salts),
            self._filters("bf_family", family_names, given_salts),
            self._near("near_nhs", [i.nhs_number for i in identities], nhs_number_shape),
            self._near("near_upn", [i.upn for i in identities], upn_shape),
            self._near("near_postcode", [i.postcode for i in identities], postcode_shape),
        ]

    def _salted(
        self, column: str, values: Sequence[str | None], years: Sequence[str]
    ) -> list[str | None]:
        """Tokens of `year ␟ value`: the same name born in another year has another token."""
        tok, u = self.tok[column], SEPARATOR
        return [
            None if value is None else tok(f"{year}{u}{value}")
            for value, year in zip(values, years, strict=True)
        ]

    def _dated(
        self,
        given: list[_Given | None],
        family: list[_Family | None],
        postcodes: list[str | None],
        born: list[_Born | None],
    ) -> tuple[list[str | None], list[str | None], list[str | None]]:
        """tok_given_dob, tok_family_dob and tok_postcode_dob: the date of birth only ever with
        a name or an address, so that a date the hub learns of one record tells it nothing of
        others born that day."""
        u = SEPARATOR
        given_dob = [
            f"{g.canonical}{u}{b.iso}" if g and b else None
            for g, b in zip(given, born, strict=True)
        ]
        family_dob = [
            f"{f.folded}{u}{b.iso}" if f and b else None for f, b in zip(family, born, strict=True)
        ]
        # Both are values of one field (tok_name_dob), so that a given name and family name
        # swapped still show equal dates: one record's tok_given_dob is the other's
        # tok_family_dob.
        postcode_dob = [
            f"{p}{u}{b.iso}" if p and b else None for p, b in zip(postcodes, born, strict=True)
        ]
        many = self.tokens.many
        return (
            many("tok_name_dob", given_dob),
            many("tok_name_dob", family_dob),
            many("tok_postcode_dob", postcode_dob),
        )

    def _numbers(
        self, column: str, raw: list[str | None], normalise: Callable[[str], str | None]
    ) -> list[str | None]:
        """Tokens of NHS numbers or UPNs, each distinct value as written normalised and hashed
        once: a number repeats only for one child's several records."""
        token = self.tokens.field(column, remember=False)  # remembered here, by raw value

        def make(value: str | None) -> str | None:
            number = normalise(value) if value else None
            return None if number is None else token(number)

        return _looked_up(self._made_numbers[column], raw, make)

    def _combined(
        self,
        given: list[_Given | None],
        family: list[_Family | None],
        sexes: list[str | None],
        born: list[_Born | None],
        years: list[str],
        postcodes: list[str | None],
    ) -> tuple[list[str | None], ...]:
        """tok_name_sex_dob, tok_names_sorted, tok_names_postcode, tok_soundex_dob and
        tok_dob_transposed."""
        u = SEPARATOR
        name_sex_dob = [
            f"{f.folded}{u}{g.initial}{u}{s}{u}{b.iso}" if g and f and s and b else None
            for g, f, s, b in zip(given, family, sexes, born, strict=True)
        ]
        pairs = [
            u.join(sorted((g.canonical, f.folded))) if g and f else None
            for g, f in zip(given, family, strict=True)
        ]
        names_sorted = [f"{y}{u}{n}" if n else None for n, y in zip(pairs, years, strict=True)]
        # Without the year: the one name token that still compares two records of a child
        # whose year of birth has a typo on one side. The address keeps its values rare.
        names_postcode = [
            f"{p}{u}{n}" if n and p else None for n, p in zip(pairs, postcodes, strict=True)
        ]
        soundexes = [
            f"{f.soundex}{u}{g.soundex}{u}" if g and f and g.soundex and f.soundex else None
            for g, f in zip(given, family, strict=True)
        ]
        soundex_dob = [s + b.iso if s and b else None for s, b in zip(soundexes, born, strict=True)]
        # Computed under the tok_soundex_dob field, so that it equals another record's
        # tok_soundex_dob exactly when that record's date is this one transposed.
        soundex_transposed = [
            s + b.transposed if s and b else None for s, b in zip(soundexes, born, strict=True)
        ]
        many = self.tokens.many
        return (
            many("tok_name_sex_dob", name_sex_dob),
            many("tok_names_sorted", names_sorted),
            many("tok_names_postcode", names_postcode),
            many("tok_soundex_dob", soundex_dob),
            many("tok_soundex_dob", soundex_transposed),
        )

    def _filters(
        self, column: str, values: list[str | None], salts: list[str]
    ) -> list[bytes | None]:
        """Filters of (salt, value), each distinct pair built once and remembered: a salt
        holds about one family, so a pair repeats only for one child's several records."""
        made = self._made_filters[column]
        keys = list(zip(salts, values, strict=True))
        todo = [(salt, value) for salt, value in set(keys).difference(made) if value is not None]
        made.update(zip(todo, self.bloom.many(column, todo), strict=True))
        return list(map(made.get, keys))

    def _near(
        self, column: str, raw: list[str | None], shape: Callable[[str], str | None]
    ) -> pa.Array:
        """Near sets of the raw values in their column's shape (check digits right or not), as
        an Arrow column: each distinct value shaped once (remembered) and encoded once per
        call, the sets made as one NumPy array and taken into place, never as Python bytes."""
        shapes = self._near_shapes[column]
        for value in set(raw).difference(shapes):
            if value is not None:
                shapes[value] = shape(value)
        row_of: dict[str, int] = {}
        rows = [
            -1 if v is None or (s := shapes[v]) is None else row_of.setdefault(s, len(row_of))
            for v in raw
        ]
        sets = self.near.rows(column, list(row_of))
        taken = np.asarray(rows, dtype=np.int64)
        present = taken >= 0
        # A null's slot holds zeros (row 0 of an extra zero row), so one take fills every row.
        padded = np.concatenate([sets, np.zeros((1, sets.shape[1]), dtype=np.uint8)])
        data = padded[np.where(present, taken, len(sets))]
        return pa.FixedSizeBinaryArray.from_buffers(
            pa.binary(sets.shape[1]),
            len(raw),
            [pa.array(present).buffers()[1], pa.py_buffer(data)],
        )

    def _given_name(self, key: tuple[str | None, str | None]) -> _Given | None:
        raw, sex = key
        folded = fold_name(raw)
        if folded is None:
            return None
        canonical = canonical_given_name(first_given_name(folded), sex)
        return _Given(canonical, canonical[0], soundex(canonical))

    def _family_name(self, raw: str | None) -> _Family | None:
        folded = fold_name(raw)
        if folded is None:
            return None
        parts = family_parts(folded)
        if len(parts) > 1:
            return _Family(folded, soundex(folded), parts[0], parts[-1])
        return _Family(folded, soundex(folded), None, None)

    def _date(self, born: dt.date | None) -> _Born | None:
        if born is None:
            return None
        iso = born.isoformat()
        tok = self.tok
        tokens = (tok["tok_dob_year"](iso[:4]), tok["tok_dob_month"](iso[5:7]))
        return _Born(iso, iso[:4], transposed_text(born), tokens)

    def _postcode(self, raw: str | None) -> tuple[str | None, ...]:
        postcode = normalise_postcode(raw)
        if postcode is None:
            return _NO_POSTCODE
        return (
            postcode,
            self.tok["tok_postcode"](postcode),
            self.tok["tok_postcode_sector"](postcode_sector(postcode)),
            self.tok["tok_postcode_district"](postcode_district(postcode)),
        )
