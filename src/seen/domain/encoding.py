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

# Near sets (since seen-encoding-5): keyed elements showing a value within one typo (one
# character replaced, or two neighbours swapped) of another. Values have a fixed width per
# column; a set has an element per position and per pair of neighbours: 2 width - 1.
NEAR_WIDTHS: Final = {"near_nhs": 10, "near_upn": 13, "near_postcode": 7}
NEAR_SIZES: Final = {column: 2 * width - 1 for column, width in NEAR_WIDTHS.items()}
NEAR_COLUMNS: Final = tuple(NEAR_WIDTHS)
NEAR_ELEMENT_BYTES: Final = 8

KEY_FINGERPRINT_LENGTH: Final = 16
