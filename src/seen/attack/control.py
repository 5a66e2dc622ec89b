"""Encodings other than Seen's current one, built on the agency side to test the attacks against.

An attack that fails against Seen's encoding proves little unless it succeeds where the
protection is missing. `encode_variant` encodes records with the real encoder (`seen-encoding-5`,
the variant `SEEN`), then recomputes some columns with protections switched off or put back as
they were in earlier versions:

- the near sets left out (`seen-encoding-4` and earlier);
- `tok_names_postcode` left out (`seen-encoding-3` and earlier) or made with the postcode
  sector instead of the full postcode;
- the name tokens (`tok_given`, `tok_family`, its parts, `tok_names_sorted`) unsalted, as in
  `seen-encoding-1`, instead of salted by year of birth;
- the Bloom filters salted by year of birth alone (`seen-encoding-1`) or not at all, instead of
  by year and the other name; and/or balanced as in `seen-encoding-1` and `-2`
  (`seen.attack.balanced`), or unbalanced (that 512-bit base filter stored as it is, followed
  by 512 zero bits, no permutation), instead of fixed-weight;
- the date tokens of `seen-encoding-2` (`tok_dob`, the date alone, instead of `tok_given_dob`
  and `tok_family_dob`) or of `seen-encoding-1` (`tok_dob`, `tok_dob_day`, and
  `tok_dob_transposed` computed under the `tok_dob` field from the transposed date, null unless
  the day is 1-12 and differs from the month).

`SEEN_1` puts all of `seen-encoding-1` back, byte for byte, and `SEEN_2` all of
`seen-encoding-2` (`tests/attack` checks both against the test vectors they published).
Positions stay keyed (with a key the attacker does not hold), so the attacks still work without
the key.

This module is the agency side of the experiment: it takes the key. The attacks never import
it (a test checks).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import pyarrow as pa

from seen.attack.balanced import BASE_M, BalancedBloomEncoder, bigram_positions
from seen.domain.records import AgencyRecord
from seen.encode import PartnershipKey, encode_records
from seen.encode.bloom import BloomEncoder, bigrams
from seen.encode.normalise import NormalisedIdentity, normalise_identity, postcode_sector
from seen.encode.schema import BLOOM_BYTES, NEAR_COLUMNS, RECORDS_SCHEMA, TOKEN_COLUMNS
from seen.encode.tokens import SEPARATOR, Tokeniser

Salt = Literal["family", "year", "none"]
Filters = Literal["fixed", "balanced", "unbalanced"]
U = SEPARATOR


@dataclass(frozen=True)
class Variant:
    """Which protections an encoding has. The defaults are Seen's encoding, seen-encoding-5."""

    label: str
    name_tokens_salted: bool = True  # tok_given, tok_family, ... salted by year of birth
    # Bloom filter salt: "family" the year and the other name (seen-encoding-2 and -3), "year"
    # the year of birth alone (seen-encoding-1), "none" no salt.
    bloom_salt: Salt = "family"
    # "fixed": 128 of 1,024 bits set (seen-encoding-3); "balanced": base filter + complement,
    # permuted by one keyed permutation (seen-encoding-1 and -2); "unbalanced": that base
    # filter alone.
    filters: Filters = "fixed"
    dates: Literal[1, 2, 3] = 3  # the date tokens of seen-encoding-1, -2 or -3
    # tok_names_postcode with the full postcode (seen-encoding-4), the sector, or none at all
    names_postcode: Literal["postcode", "sector", "none"] = "postcode"
    near: bool = True  # the near sets of seen-encoding-5

    @property
    def is_seen(self) -> bool:
        return self == Variant(self.label)


SEEN = Variant("seen-encoding-5")
SEEN_4 = Variant("seen-encoding-4", near=False)
SEEN_3 = Variant("seen-encoding-3", names_postcode="none", near=False)
NAMES_SECTOR = Variant(
    "seen-encoding-4 with the postcode sector in tok_names_postcode",
    names_postcode="sector",
    near=False,
)
SEEN_2 = Variant("seen-encoding-2", filters="balanced", dates=2, names_postcode="none")
SEEN_1 = Variant(
    "seen-encoding-1",
    name_tokens_salted=False,
    bloom_salt="year",
    filters="balanced",
    dates=1,
    names_postcode="none",
)
CONTROL = Variant("control: unsalted, unbalanced filters", bloom_salt="none", filters="unbalanced")
UNSALTED = Variant("unsalted, balanced filters", bloom_salt="none", filters="balanced")
YEAR_SALTED = Variant(
    "seen-encoding-2 with filters salted by year only",
    bloom_salt="year",
    filters="balanced",
    dates=2,
)
YEAR_SALTED_3 = Variant("seen-encoding-3 with filters salted by year only", bloom_salt="year")

# seen-encoding-3's date tokens, each with a name or the postcode; seen-encoding-2 had tok_dob
# in their place.
DATE_TOKENS_3 = ("tok_given_dob", "tok_family_dob", "tok_postcode_dob")
SEEN_2_TOKENS = (
    "tok_nhs",
    "tok_upn",
    "tok_dob",
    *(name for name in TOKEN_COLUMNS[2:] if name not in (*DATE_TOKENS_3, "tok_names_postcode")),
)

# seen-encoding-1's token columns, in its order (it had tok_dob_day; tok_dob_transposed came
# second, computed under the tok_dob field).
SEEN_1_TOKENS = (
    "tok_nhs",
    "tok_upn",
    "tok_dob",
    "tok_dob_transposed",
    "tok_dob_year",
    "tok_dob_month",
    "tok_dob_day",
    "tok_sex",
    "tok_postcode",
    "tok_postcode_sector",
    "tok_postcode_district",
    "tok_given",
    "tok_family",
    "tok_family_first_part",
    "tok_family_last_part",
    "tok_name_sex_dob",
    "tok_names_sorted",
    "tok_soundex_dob",
)


def encode_variant(
    records: Sequence[AgencyRecord], key: PartnershipKey, variant: Variant
) -> pa.Table:
    """The records table of a package as `variant` would encode it: RECORDS_SCHEMA, or the
    columns of seen-encoding-1 or -2 when `variant.dates` is 1 or 2."""
    table = encode_records(records, key)
    if variant.is_seen:
        return table
    identities = [normalise_identity(record.identity) for record in records]
    columns: dict[str, pa.Array | pa.ChunkedArray] = {
        name: table.column(name) for name in RECORDS_SCHEMA.names
    }
    if variant.bloom_salt != "family" or variant.filters != "fixed":
        filters = _Filters(key, variant)
        for column, value, other in (
            ("bf_given", _given, _family),
            ("bf_middle", _middle, _family),
            ("bf_family", _family, _given),
        ):
            columns[column] = pa.array(
                filters.column(column, identities, value, other), type=pa.binary(BLOOM_BYTES)
            )
    tokens = Tokeniser(key.derive("token"))
    if not variant.name_tokens_salted:
        columns.update(_unsalted_name_tokens(tokens, identities))
    if variant.names_postcode == "sector":
        columns["tok_names_postcode"] = _strings(
            identities, tokens.field("tok_names_postcode"), _names_sector
        )
    if variant.dates == 3:
        schema = RECORDS_SCHEMA
        if variant.names_postcode == "none":
            schema = schema.remove(schema.get_field_index("tok_names_postcode"))
        if not variant.near:
            for name in NEAR_COLUMNS:
                schema = schema.remove(schema.get_field_index(name))
        return pa.Table.from_arrays([columns[f.name] for f in schema], schema=schema)
    columns["tok_dob"] = _strings(identities, tokens.field("tok_dob"), _date)
    order = [*SEEN_2_TOKENS]
    if variant.dates == 1:
        columns.update(_dates_1(tokens, identities))
        order = [*SEEN_1_TOKENS]
    kinds = {f.name: f for f in RECORDS_SCHEMA}
    names = ["record_id", *RECORDS_SCHEMA.names[1:5], *order, "bf_given", "bf_middle", "bf_family"]
    schema = pa.schema([kinds.get(name) or pa.field(name, pa.string()) for name in names])
    return pa.Table.from_arrays([columns[f.name] for f in schema], schema=schema)


def _names_sector(n: NormalisedIdentity) -> str | None:
    """tok_names_postcode's value with the postcode sector (`ZX3 7`) for the postcode."""
    if not (n.given and n.family and n.postcode):
        return None
    return U.join((postcode_sector(n.postcode), *sorted((n.given, n.family))))


def _date(n: NormalisedIdentity) -> str | None:
    return n.date_of_birth


def _given(n: NormalisedIdentity) -> str | None:
    return n.given


def _middle(n: NormalisedIdentity) -> str | None:
    return n.middle


def _family(n: NormalisedIdentity) -> str | None:
    return n.family


class _Filters:
    def __init__(self, key: PartnershipKey, variant: Variant) -> None:
        self._bloom_key = key.derive("bloom")
        self._variant = variant
        self._built: BloomEncoder | BalancedBloomEncoder = (
            BloomEncoder(self._bloom_key)
            if variant.filters == "fixed"
            else BalancedBloomEncoder(self._bloom_key, key.derive("bloom-permutation"))
        )
        self._cache: dict[tuple[str, str, str], bytes] = {}

    def column(
        self,
        column: str,
        identities: Sequence[NormalisedIdentity],
        value: Callable[[NormalisedIdentity], str | None],
        other: Callable[[NormalisedIdentity], str | None],
    ) -> list[bytes | None]:
        """The filter of `value` for each identity (None where it has none)."""
        keys = [(self._salt(n, other(n)), value(n)) for n in identities]
        if self._variant.filters == "unbalanced":
            return [None if v is None else self._unbalanced(column, salt, v) for salt, v in keys]
        present = [(salt, v) for salt, v in keys if v is not None]
        built = iter(self._built.many(column, present))
        return [None if v is None else next(built) for _, v in keys]

    def _salt(self, identity: NormalisedIdentity, other: str | None) -> str:
        return {
            "family": f"{identity.birth_year}{U}{other or ''}",
            "year": identity.birth_year,
            "none": "",
        }[self._variant.bloom_salt]

    def _unbalanced(self, column: str, salt: str, value: str) -> bytes:
        found = self._cache.get((column, salt, value))
        if found is None:
            base = 0
            for bigram in bigrams(value):
                for position in bigram_positions(self._bloom_key, column, salt, bigram):
                    base |= 1 << (BASE_M - 1 - position)
            # The base filter in the first 512 stored bits (most significant first), then zeros.
            found = self._cache[column, salt, value] = (base << BASE_M).to_bytes(BLOOM_BYTES, "big")
        return found


def _strings(
    identities: Sequence[NormalisedIdentity],
    tok: Callable[[str], str],
    value: Callable[[NormalisedIdentity], str | None],
) -> pa.Array:
    found: list[str | None] = []
    for n in identities:
        v = value(n)
        found.append(None if v is None else tok(v))
    return pa.array(found, type=pa.string())


def _unsalted_name_tokens(
    tokens: Tokeniser, identities: Sequence[NormalisedIdentity]
) -> dict[str, pa.Array]:
    """seen-encoding-1's name tokens: the same in every year of birth."""
    family = tokens.field("tok_family")

    def part(i: int) -> Callable[[NormalisedIdentity], str | None]:
        return lambda n: n.family_parts[i] if len(n.family_parts) > 1 else None

    def names_sorted(n: NormalisedIdentity) -> str | None:
        return U.join(sorted((n.given, n.family))) if n.given and n.family else None

    return {
        "tok_given": _strings(identities, tokens.field("tok_given"), _given),
        "tok_family": _strings(identities, family, _family),
        # Computed as values of tok_family, like the family name itself.
        "tok_family_first_part": _strings(identities, family, part(0)),
        "tok_family_last_part": _strings(identities, family, part(-1)),
        "tok_names_sorted": _strings(identities, tokens.field("tok_names_sorted"), names_sorted),
    }


def _dates_1(tokens: Tokeniser, identities: Sequence[NormalisedIdentity]) -> dict[str, pa.Array]:
    """seen-encoding-1's date tokens: the day of birth, and the transposed date as a value of
    tok_dob (null unless the day is 1-12 and differs from the month)."""

    def transposed(n: NormalisedIdentity) -> str | None:
        if n.date_of_birth is None:
            return None
        year, month, day = n.date_of_birth.split("-")
        if int(day) > 12 or day == month:
            return None
        return f"{year}-{day}-{month}"

    def day(n: NormalisedIdentity) -> str | None:
        return None if n.date_of_birth is None else n.date_of_birth[8:10]

    return {
        "tok_dob_transposed": _strings(identities, tokens.field("tok_dob"), transposed),
        "tok_dob_day": _strings(identities, tokens.field("tok_dob_day"), day),
    }
