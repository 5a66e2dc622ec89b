"""The encodings the attacks are measured on are what they claim to be: Seen's is the real
encoder's, and the seen-encoding-1, -2 and -3 controls are those versions byte for byte."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pyarrow as pa

from seen.attack import (
    NAMES_SECTOR,
    SEEN,
    SEEN_1,
    SEEN_2,
    SEEN_3,
    SEEN_4,
    YEAR_SALTED,
    YEAR_SALTED_3,
    HubView,
    encode_variant,
)
from seen.attack.balanced import balancing_permutation, bigram_positions
from seen.domain.demographics import Sex
from seen.domain.encoding import ENCODING_VERSION
from seen.domain.records import AgencyRecord, Identity
from seen.encode import PartnershipKey, encode_records
from seen.encode.schema import BLOOM_COLUMNS, NEAR_COLUMNS, RECORDS_SCHEMA

# The test vectors docs/encoding.md published for seen-encoding-1 and -2 (from the git history).
VECTORS_1 = Path(__file__).with_name("seen_encoding_1_vectors.json")
VECTORS_2 = Path(__file__).with_name("seen_encoding_2_vectors.json")


def _identity(values: dict[str, Any]) -> Identity:
    born = values["date_of_birth"]
    return Identity(
        given_name=values["given_name"],
        middle_names=values["middle_names"],
        family_name=values["family_name"],
        date_of_birth=dt.date.fromisoformat(born) if born else None,
        sex=Sex(values["sex"] or "U"),
        postcode=values["postcode"],
        nhs_number=values["nhs_number"],
        upn=values["upn"],
    )


def _vectors(
    path: Path = VECTORS_1,
) -> tuple[PartnershipKey, list[AgencyRecord], list[dict[str, Any]]]:
    document = json.loads(path.read_text(encoding="utf-8"))
    key = PartnershipKey(bytes.fromhex(document["key"]))
    cases = document["records"]
    records = [AgencyRecord(f"R{i}", _identity(case["identity"])) for i, case in enumerate(cases)]
    return key, records, cases


def _hex(row: dict[str, object]) -> dict[str, object]:
    return {k: v.hex() if isinstance(v, bytes) else v for k, v in row.items()}


def test_seen_is_the_encoder_itself() -> None:
    key, records, _ = _vectors()
    assert ENCODING_VERSION == "seen-encoding-5" == SEEN.label
    assert encode_variant(records, key, SEEN).equals(encode_records(records, key))


def test_the_seen_encoding_1_control_reproduces_its_published_vectors() -> None:
    key, records, cases = _vectors()
    table = encode_variant(records, key, SEEN_1)
    for case, row in zip(cases, table.to_pylist(), strict=True):
        expected = {**case["tokens"], **case["bloom"]}
        assert {k: v for k, v in _hex(row).items() if k in expected} == expected
    assert "tok_dob_day" in table.column_names
    assert HubView([table]).has("tok_dob_day")
    assert not HubView([encode_records(records, key)]).has("tok_dob_day")


def test_the_seen_encoding_4_control_is_version_5_without_the_near_sets() -> None:
    # seen-encoding-5 added the near sets and changed nothing else (docs/encoding.md).
    key, records, _ = _vectors()
    four = encode_variant(records, key, SEEN_4)
    five = encode_records(records, key)
    assert four.equals(five.drop_columns(list(NEAR_COLUMNS)))
    assert not HubView([four]).has("near_nhs") and HubView([five]).has("near_nhs")


def test_the_seen_encoding_3_control_is_version_4_without_tok_names_postcode() -> None:
    # seen-encoding-4 added one token and changed nothing else (docs/encoding.md).
    key, records, _ = _vectors()
    three = encode_variant(records, key, SEEN_3)
    four = encode_variant(records, key, SEEN_4)
    assert three.column_names == [n for n in four.column_names if n != "tok_names_postcode"]
    assert three.equals(four.drop_columns(["tok_names_postcode"]))
    assert not HubView([three]).has("tok_names_postcode")
    assert HubView([four]).has("tok_names_postcode")


def test_the_sector_variant_changes_tok_names_postcode_alone() -> None:
    key, records, _ = _vectors()
    sector = encode_variant(records, key, NAMES_SECTOR)
    four = encode_variant(records, key, SEEN_4)
    assert sector.drop_columns(["tok_names_postcode"]).equals(
        four.drop_columns(["tok_names_postcode"])
    )
    full = four.column("tok_names_postcode").to_pylist()
    assert [v is None for v in sector.column("tok_names_postcode").to_pylist()] == [
        v is None for v in full
    ]
    assert sector.column("tok_names_postcode").to_pylist() != full


def test_the_seen_encoding_2_control_reproduces_its_published_vectors() -> None:
    key, records, cases = _vectors(VECTORS_2)
    table = encode_variant(records, key, SEEN_2)
    for case, row in zip(cases, table.to_pylist(), strict=True):
        expected = {**case["tokens"], **case["bloom"]}
        assert _hex(row) == {"record_id": row["record_id"], **_demographics(row), **expected}
    document = json.loads(VECTORS_2.read_text(encoding="utf-8"))
    permutation = balancing_permutation(key.derive("bloom-permutation"))
    assert permutation[:16] == document["permutation_first_16"]
    shown = document["bigram_positions"]
    positions = bigram_positions(
        key.derive("bloom"), shown["field"], shown["salt"], shown["bigram"]
    )
    assert list(positions) == shown["positions"]
    assert HubView([table]).has("tok_dob") and not HubView([table]).has("tok_given_dob")


def _demographics(row: dict[str, object]) -> dict[str, object]:
    return {name: row[name] for name in RECORDS_SCHEMA.names[1:5]}


def test_filters_salted_by_year_alone_are_seen_encoding_1s_with_seen_encoding_2s_tokens() -> None:
    key, records, _ = _vectors()
    year = encode_variant(records, key, YEAR_SALTED)
    one = encode_variant(records, key, SEEN_1)
    two = encode_variant(records, key, SEEN_2)
    assert year.schema.equals(two.schema)
    for name in two.schema.names:
        source = one if name in BLOOM_COLUMNS else two
        assert year.column(name).equals(source.column(name)), name
    assert not pa.Table.equals(year.select(BLOOM_COLUMNS), two.select(BLOOM_COLUMNS))


def test_fixed_weight_filters_salted_by_year_alone_keep_seen_encoding_4s_tokens() -> None:
    key, records, _ = _vectors()
    year = encode_variant(records, key, YEAR_SALTED_3)
    three = encode_records(records, key)
    assert year.schema.equals(RECORDS_SCHEMA)
    for name in RECORDS_SCHEMA.names:
        if name not in BLOOM_COLUMNS:
            assert year.column(name).equals(three.column(name)), name
    assert not pa.Table.equals(year.select(BLOOM_COLUMNS), three.select(BLOOM_COLUMNS))
    for value in year.column("bf_given").to_pylist():
        assert value is None or int.from_bytes(value, "big").bit_count() == 128
