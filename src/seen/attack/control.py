"""Encodings with protections taken away, built on the agency side to test the attacks against.

An attack that fails against Seen's encoding proves little unless it succeeds where the
protection is missing. `encode_variant` encodes records as Seen does, then recomputes the name
columns with some protections switched off: the Bloom filters unsalted (no year of birth in the
hash) and/or unbalanced (the 512-bit base filter stored as it is, followed by 512 zero bits, no
permutation). Positions stay keyed (HMAC with a key the attacker does not hold), so the attacks
still work without the key. It can also salt the name tokens by year of birth, which Seen's
encoding does not do, to measure what that would change.

This module is the agency side of the experiment: it takes the key. The attacks never import
it (a test checks).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa

from seen.domain.records import AgencyRecord
from seen.encode import PartnershipKey, encode_records
from seen.encode.bloom import BloomEncoder, bigram_positions, bigrams
from seen.encode.normalise import NormalisedIdentity, normalise_identity
from seen.encode.schema import BLOOM_BYTES, BLOOM_M, RECORDS_SCHEMA
from seen.encode.tokens import SEPARATOR, Tokeniser


@dataclass(frozen=True)
class Variant:
    """Which protections an encoding has. The defaults are Seen's encoding, seen-encoding-1."""

    label: str
    bloom_salted: bool = True  # filters salted by year of birth
    bloom_balanced: bool = True  # base filter + complement, permuted by a keyed permutation
    name_tokens_salted: bool = False  # tok_given, tok_family, ... salted by year of birth

    @property
    def is_seen(self) -> bool:
        return self.bloom_salted and self.bloom_balanced and not self.name_tokens_salted


SEEN = Variant("Seen (seen-encoding-1)")
CONTROL = Variant("control: unsalted, unbalanced filters", bloom_salted=False, bloom_balanced=False)
UNSALTED = Variant("unsalted, balanced filters", bloom_salted=False)
UNBALANCED = Variant("salted, unbalanced filters", bloom_balanced=False)
SALTED_NAME_TOKENS = Variant("Seen + name tokens salted by year", name_tokens_salted=True)


def encode_variant(
    records: Sequence[AgencyRecord], key: PartnershipKey, variant: Variant
) -> pa.Table:
    """The records table of a package as `variant` would encode it (RECORDS_SCHEMA)."""
    table = encode_records(records, key)
    if variant.is_seen:
        return table
    identities = [normalise_identity(record.identity) for record in records]
    columns = {name: table.column(name) for name in RECORDS_SCHEMA.names}
    if not (variant.bloom_salted and variant.bloom_balanced):
        filters = _Filters(key, variant)
        for column, value in (
            ("bf_given", _given),
            ("bf_middle", _middle),
            ("bf_family", _family),
        ):
            columns[column] = pa.array(
                [filters.filter(column, n, value(n)) for n in identities],
                type=pa.binary(BLOOM_BYTES),
            )
    if variant.name_tokens_salted:
        columns.update(_salted_name_tokens(key, identities))
    return pa.Table.from_arrays(list(columns.values()), schema=RECORDS_SCHEMA)


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
        self._balanced = BloomEncoder(self._bloom_key, key.derive("bloom-permutation"))
        self._cache: dict[tuple[str, str, str], bytes] = {}

    def filter(self, column: str, identity: NormalisedIdentity, value: str | None) -> bytes | None:
        if value is None:
            return None
        salt = identity.birth_year if self._variant.bloom_salted else ""
        if self._variant.bloom_balanced:
            return self._balanced.filter(column, salt, value)
        found = self._cache.get((column, salt, value))
        if found is None:
            base = 0
            for bigram in bigrams(value):
                for position in bigram_positions(self._bloom_key, column, salt, bigram):
                    base |= 1 << (BLOOM_M - 1 - position)
            # The base filter in the first 512 stored bits (most significant first), then zeros.
            found = self._cache[column, salt, value] = (base << BLOOM_M).to_bytes(
                BLOOM_BYTES, "big"
            )
        return found


def _salted_name_tokens(
    key: PartnershipKey, identities: Sequence[NormalisedIdentity]
) -> dict[str, pa.Array]:
    tokens = Tokeniser(key.derive("token"))
    given = tokens.field("tok_given")
    family = tokens.field("tok_family")
    names_sorted = tokens.field("tok_names_sorted")
    u = SEPARATOR

    columns: dict[str, list[str | None]] = {
        "tok_given": [],
        "tok_family": [],
        "tok_family_first_part": [],
        "tok_family_last_part": [],
        "tok_names_sorted": [],
    }
    for n in identities:
        year = n.birth_year
        columns["tok_given"].append(given(f"{year}{u}{n.given}") if n.given else None)
        columns["tok_family"].append(family(f"{year}{u}{n.family}") if n.family else None)
        several = len(n.family_parts) > 1
        columns["tok_family_first_part"].append(
            family(f"{year}{u}{n.family_parts[0]}") if several else None
        )
        columns["tok_family_last_part"].append(
            family(f"{year}{u}{n.family_parts[-1]}") if several else None
        )
        columns["tok_names_sorted"].append(
            names_sorted(f"{year}{u}" + u.join(sorted((n.given, n.family))))
            if n.given and n.family
            else None
        )
    return {name: pa.array(values, type=pa.string()) for name, values in columns.items()}
