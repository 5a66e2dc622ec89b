"""The test vectors of docs/encoding.md: the inputs, and how their expected values are made.

`python tests/encode/vectors.py` prints the JSON block for the doc. Run it only when the
encoding is changed on purpose (a new encoding version): the test compares the doc's block
with what the encoder computes now, so an accidental change fails the suite.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from seen.domain.demographics import Sex
from seen.domain.records import AgencyRecord, Identity
from seen.encode import PartnershipKey, encode_records
from seen.encode.bloom import bigram_positions
from seen.encode.keys import PURPOSES
from seen.encode.near import (
    CODES,
    element_block,
    element_strings,
    nhs_number_shape,
    postcode_shape,
    upn_shape,
)
from seen.encode.normalise import normalise_identity
from seen.encode.schema import (
    BLOOM_COLUMNS,
    NEAR_COLUMNS,
    NEAR_ELEMENT_BYTES,
    TOKEN_COLUMNS,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "encoding.md"
MARKER = "<!-- test-vectors -->"
KEY_HEX = bytes(range(32)).hex()
IDENTITIES: list[dict[str, str | None]] = [
    {
        "given_name": "Zoë",
        "middle_names": "Siobhán",
        "family_name": "O'Brien",
        "date_of_birth": "2014-03-07",
        "sex": "F",
        "postcode": "zx3 7ab",
        "nhs_number": "943 476 5919",
        "upn": "w990200114007",
    },
    {
        "given_name": "BILL",
        "middle_names": None,
        "family_name": "Smith-Jones",
        "date_of_birth": "2012-11-25",
        "sex": "M",
        "postcode": "ZX10 2YA",
        "nhs_number": None,
        "upn": "D990200112031",
    },
    {
        "given_name": "  ŁUKASZ  ",
        "middle_names": "Nguyễn Ø",
        "family_name": "de la Cruz",
        "date_of_birth": "2010-05-05",
        "sex": "U",
        "postcode": "not a postcode",
        "nhs_number": "9434765918",
        "upn": None,
    },
    {
        "given_name": "Alex",
        "middle_names": None,
        "family_name": "Strauß",
        "date_of_birth": None,
        "sex": "F",
        "postcode": None,
        "nhs_number": "9990000018",
        "upn": None,
    },
    {
        "given_name": "ZOE",
        "middle_names": None,
        "family_name": "OBRIEN",
        "date_of_birth": "2014-07-03",
        "sex": "F",
        "postcode": "ZX37AB",
        "nhs_number": None,
        "upn": None,
    },
    {
        "given_name": "OBRIEN",
        "middle_names": None,
        "family_name": "ZOE",
        "date_of_birth": "2014-03-07",
        "sex": "F",
        "postcode": None,
        "nhs_number": None,
        "upn": None,
    },
    {
        "given_name": "Zoe",
        "middle_names": None,
        "family_name": "Okafor",
        "date_of_birth": "2014-03-07",
        "sex": "F",
        "postcode": None,
        "nhs_number": None,
        "upn": None,
    },
    {
        "given_name": "Zoe",
        "middle_names": None,
        "family_name": "O'Brien",
        "date_of_birth": "2041-03-07",
        "sex": "F",
        "postcode": "ZX3 7AB",
        "nhs_number": None,
        "upn": None,
    },
    {
        "given_name": "Zoë",
        "middle_names": "Siobhán",
        "family_name": "O'Brien",
        "date_of_birth": "2014-03-07",
        "sex": "F",
        "postcode": "zx3 7ad",
        "nhs_number": "943 476 5991",
        "upn": "w990200114070",
    },
]
POSITIONS_SHOWN = 60  # more than one digest's 51


def identity(values: dict[str, Any]) -> Identity:
    born = values.get("date_of_birth")
    return Identity(
        given_name=values.get("given_name"),
        middle_names=values.get("middle_names"),
        family_name=values.get("family_name"),
        date_of_birth=dt.date.fromisoformat(born) if born else None,
        sex=Sex(values.get("sex") or "U"),
        postcode=values.get("postcode"),
        nhs_number=values.get("nhs_number"),
        upn=values.get("upn"),
    )


def compute(key_hex: str, identities: list[dict[str, Any]]) -> dict[str, Any]:
    """Every expected value, computed by the encoder from the key and the identities."""
    key = PartnershipKey(bytes.fromhex(key_hex))
    records = [AgencyRecord(f"R{i}", identity(values)) for i, values in enumerate(identities)]
    table = encode_records(records, key).to_pylist()
    bloom_key = key.derive("bloom")
    near_key = key.derive("near")
    first = normalise_identity(records[0].identity)
    assert first.given is not None
    bigram = "_" + first.given[0]
    salt = f"{first.birth_year}\x1f{first.family}"
    return {
        "key": key_hex,
        "derived": {purpose: key.derive(purpose).hex() for purpose in PURPOSES},
        "fingerprint": key.fingerprint,
        "bigram_positions": {
            "field": "bf_given",
            "salt": salt,
            "bigram": bigram,
            "positions": list(
                bigram_positions(bloom_key, "bf_given", salt, bigram, POSITIONS_SHOWN)
            ),
        },
        "near_elements": _elements(near_key, "near_postcode", _shapes(records[0])["near_postcode"]),
        "records": [
            {
                "identity": values,
                "normalised": {**_normalised(record), "near_values": _shapes(record)},
                "tokens": {name: row[name] for name in TOKEN_COLUMNS},
                "bloom": {
                    name: None if row[name] is None else row[name].hex() for name in BLOOM_COLUMNS
                },
                "near": {
                    name: None if row[name] is None else row[name].hex() for name in NEAR_COLUMNS
                },
            }
            for values, record, row in zip(identities, records, table, strict=True)
        ],
    }


def _shapes(record: AgencyRecord) -> dict[str, str | None]:
    found = record.identity
    return {
        "near_nhs": nhs_number_shape(found.nhs_number),
        "near_upn": upn_shape(found.upn),
        "near_postcode": postcode_shape(found.postcode),
    }


def _elements(near_key: bytes, column: str, value: str | None) -> dict[str, Any]:
    """Each element of one near set, before sorting: position byte, string, block, element."""
    assert value is not None
    encryptor = Cipher(algorithms.AES(near_key), modes.ECB()).encryptor()
    elements = []
    for position, string in element_strings(value):
        block = element_block(column, position, string)
        element = encryptor.update(block)[:NEAR_ELEMENT_BYTES]
        elements.append(
            {"position": position, "string": string, "block": block.hex(), "element": element.hex()}
        )
    return {"column": column, "code": CODES[column], "value": value, "elements": elements}


def _normalised(record: AgencyRecord) -> dict[str, Any]:
    found = normalise_identity(record.identity)
    return {
        "given": found.given,
        "middle": found.middle,
        "family": found.family,
        "family_parts": list(found.family_parts),
        "date_of_birth": found.date_of_birth,
        "date_of_birth_transposed": found.date_of_birth_transposed,
        "sex": found.sex,
        "postcode": found.postcode,
        "nhs_number": found.nhs_number,
        "upn": found.upn,
        "soundex_given": found.soundex_given,
        "soundex_family": found.soundex_family,
    }


def from_doc(text: str | None = None) -> dict[str, Any]:
    """The JSON block that follows the marker in docs/encoding.md."""
    text = DOC.read_text("utf-8") if text is None else text
    _, marker, rest = text.partition(MARKER)
    match = re.search(r"```json\n(.*?)\n```", rest, re.DOTALL)
    if not marker or match is None:
        raise LookupError(f"no JSON block after {MARKER} in {DOC}")
    document: dict[str, Any] = json.loads(match.group(1))
    return document


def to_json(document: dict[str, Any]) -> str:
    """Indented JSON with short lists (numbers, name parts) kept on one line."""
    text = json.dumps(document, indent=2, ensure_ascii=False)
    return re.sub(
        r"\[\s+([^\[\]{}]*?)\s+\]",
        lambda match: "[" + ", ".join(item.strip() for item in match.group(1).split(",")) + "]",
        text,
    )


if __name__ == "__main__":
    print(to_json(compute(KEY_HEX, IDENTITIES)))
