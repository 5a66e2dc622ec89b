"""The encoded columns of a package record (docs/encoding.md), shared by the agency-side
encoder, the hub's store and the linkage engine so that all three name them alike."""

from __future__ import annotations

from typing import Final

ENCODING_VERSION: Final = "seen-encoding-5"

TOKEN_COLUMNS: Final = (
    "tok_nhs",
    "tok_upn",
    "tok_given_dob",
    "tok_family_dob",
    "tok_postcode_dob",
    "tok_dob_year",
    "tok_dob_month",
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
    "tok_names_postcode",
    "tok_soundex_dob",
    "tok_dob_transposed",
)
TOKEN_LENGTH: Final = 32  # lower-case hex characters: 128 bits

BLOOM_COLUMNS: Final = ("bf_given", "bf_middle", "bf_family")
BLOOM_BYTES: Final = 128  # 1,024 bits
BLOOM_WEIGHT: Final = 128  # every filter has exactly this many bits set (fixed weight)

# One-typo neighbourhoods (since seen-encoding-5): each a fixed number of keyed 8-byte elements,
# sorted; two records' values are within one typo of each other when their sets share an
# element. Elements per set: the longest value's characters and one more.
NEAR_SIZES: Final = {"near_nhs": 11, "near_upn": 14, "near_postcode": 8}
NEAR_COLUMNS: Final = tuple(NEAR_SIZES)
NEAR_ELEMENT_BYTES: Final = 8

KEY_FINGERPRINT_LENGTH: Final = 16
