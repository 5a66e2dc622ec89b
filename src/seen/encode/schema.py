"""The columns of a package's two tables, in order, and the constants of the encoding.

Both the writer and the hub-side reader use these, so a package that reads back is one the
writer could have produced. docs/encoding.md describes the same columns.
"""

from __future__ import annotations

from typing import Final

import pyarrow as pa

from seen.domain.encoding import ENCODING_VERSION as _ENCODING_VERSION

ENCODING: Final = _ENCODING_VERSION
PACKAGE_FORMAT: Final = "seen-package"
PACKAGE_VERSION: Final = 1

MANIFEST_MEMBER: Final = "manifest.json"
RECORDS_MEMBER: Final = "records.parquet"
EVENTS_MEMBER: Final = "events.parquet"
MEMBERS: Final = (MANIFEST_MEMBER, RECORDS_MEMBER, EVENTS_MEMBER)

from seen.domain.encoding import BLOOM_BYTES as _BLOOM_BYTES  # noqa: E402
from seen.domain.encoding import BLOOM_COLUMNS as _BLOOM_COLUMNS  # noqa: E402
from seen.domain.encoding import BLOOM_WEIGHT as _BLOOM_WEIGHT  # noqa: E402
from seen.domain.encoding import NEAR_ELEMENT_BYTES as _NEAR_ELEMENT_BYTES  # noqa: E402
from seen.domain.encoding import NEAR_SIZES as _NEAR_SIZES  # noqa: E402
from seen.domain.encoding import TOKEN_COLUMNS as _TOKEN_COLUMNS  # noqa: E402

TOKEN_HEX_CHARS: Final = 32
BLOOM_BYTES: Final = _BLOOM_BYTES
BLOOM_M: Final = 8 * BLOOM_BYTES  # bits in a filter: 1,024
BLOOM_WEIGHT: Final = _BLOOM_WEIGHT  # bits set in every filter: 128

# The column names are shared with the store and the linker (seen.domain.encoding).
TOKEN_COLUMNS: Final = _TOKEN_COLUMNS
BLOOM_COLUMNS: Final = _BLOOM_COLUMNS
NEAR_SIZES: Final = _NEAR_SIZES  # elements per near set, by column
NEAR_COLUMNS: Final = tuple(_NEAR_SIZES)
NEAR_ELEMENT_BYTES: Final = _NEAR_ELEMENT_BYTES
DEMOGRAPHIC_COLUMNS: Final = ("sex", "ethnicity", "birth_month", "deprivation_decile")

# The field name that goes into a token's HMAC when it is not the column's own name: these
# columns are compared with another record's `tok_soundex_dob`, `tok_family` or other date
# token (a given name and a family name swapped), so they must be computed as values of one
# field.
TOKEN_FIELD: Final = {
    "tok_given_dob": "tok_name_dob",
    "tok_family_dob": "tok_name_dob",
    "tok_dob_transposed": "tok_soundex_dob",
    "tok_family_first_part": "tok_family",
    "tok_family_last_part": "tok_family",
}

RECORDS_SCHEMA: Final = pa.schema(
    [
        pa.field("record_id", pa.string(), nullable=False),
        pa.field("sex", pa.string(), nullable=False),
        pa.field("ethnicity", pa.string()),
        pa.field("birth_month", pa.string()),
        pa.field("deprivation_decile", pa.int8()),
        *(pa.field(name, pa.string()) for name in TOKEN_COLUMNS),
        *(pa.field(name, pa.binary(BLOOM_BYTES)) for name in BLOOM_COLUMNS),
        *(
            pa.field(name, pa.binary(size * _NEAR_ELEMENT_BYTES))
            for name, size in _NEAR_SIZES.items()
        ),
    ]
)

EVENTS_SCHEMA: Final = pa.schema(
    [
        pa.field("record_id", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("start", pa.date32(), nullable=False),
        pa.field("end", pa.date32()),
        pa.field("code", pa.string()),
        pa.field("qualifier", pa.string()),
        pa.field("value", pa.float64()),
        pa.field("source_ref", pa.string()),
    ]
)


def token_field(column: str) -> str:
    """The field name a token column's values are computed under (usually its own name)."""
    return TOKEN_FIELD.get(column, column)
