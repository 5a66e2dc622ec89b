"""Tokens: exact matches survive the recording differences they are meant to absorb, and two
keys share nothing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pyarrow as pa
import pytest

from seen.domain.demographics import Demographics, Sex
from seen.domain.records import AgencyRecord, Identity
from seen.encode import PartnershipKey, encode_records
from seen.encode.bloom import dice
from seen.encode.schema import BLOOM_COLUMNS, RECORDS_SCHEMA, TOKEN_COLUMNS

TOKEN = re.compile(r"[0-9a-f]{32}")
BORN = dt.date(2014, 3, 7)


def person(**fields: Any) -> Identity:
    values: dict[str, Any] = {
        "given_name": "William",
        "family_name": "Smith",
        "date_of_birth": BORN,
        "sex": Sex.MALE,
        "postcode": "ZX3 7AB",
    }
    values.update(fields)
    return Identity(**values)


def encode(key: PartnershipKey, *identities: Identity) -> list[dict[str, Any]]:
    records = [AgencyRecord(f"R{i}", identity) for i, identity in enumerate(identities)]
    rows: list[dict[str, Any]] = encode_records(records, key).to_pylist()
    return rows


def test_a_given_and_family_name_swap_keeps_the_sorted_names_token(key: PartnershipKey) -> None:
    right, swapped = encode(key, person(), person(given_name="SMITH", family_name="William"))
    assert right["tok_names_sorted"] == swapped["tok_names_sorted"]
    assert right["tok_given"] != swapped["tok_given"]
    assert right["tok_given"] == encode(key, person(family_name="Jones"))[0]["tok_given"]


def test_names_born_in_different_years_have_different_tokens_and_filters(
    key: PartnershipKey,
) -> None:
    born_2014, born_2015 = encode(key, person(), person(date_of_birth=dt.date(2015, 3, 7)))
    for column in ("tok_given", "tok_family", "tok_names_sorted", "bf_given", "bf_family"):
        assert born_2014[column] != born_2015[column], column


def test_a_name_filter_is_salted_with_the_other_name(key: PartnershipKey) -> None:
    smith, jones = encode(key, person(), person(family_name="Jones"))
    assert smith["tok_given"] == jones["tok_given"]
    assert dice(smith["bf_given"], jones["bf_given"]) < 0.35  # same name, another salt
    william, amelia = encode(key, person(), person(given_name="Amelia", sex=Sex.FEMALE))
    assert william["tok_family"] == amelia["tok_family"]
    assert dice(william["bf_family"], amelia["bf_family"]) < 0.35


def test_a_transposed_date_of_birth_meets_the_other_records_date(key: PartnershipKey) -> None:
    right, swapped = encode(key, person(), person(date_of_birth=dt.date(2014, 7, 3)))
    assert right["tok_soundex_dob"] != swapped["tok_soundex_dob"]
    assert right["tok_dob_transposed"] == swapped["tok_soundex_dob"]
    assert swapped["tok_dob_transposed"] == right["tok_soundex_dob"]
    assert right["tok_dob_year"] == swapped["tok_dob_year"]


@pytest.mark.parametrize("born", [dt.date(2005, 5, 5), dt.date(2005, 5, 13), dt.date(2005, 5, 3)])
def test_every_dated_record_has_a_transposed_token_that_never_meets_its_own_date(
    key: PartnershipKey, born: dt.date
) -> None:
    # A missing token would tell days 1-12 apart from the rest (docs/threat-model.md).
    [row] = encode(key, person(date_of_birth=born))
    assert row["tok_dob_transposed"] is not None
    assert row["tok_dob_transposed"] != row["tok_soundex_dob"]


def test_equal_numbers_in_different_fields_give_different_tokens(key: PartnershipKey) -> None:
    [row] = encode(key, person(date_of_birth=dt.date(2005, 5, 5)))
    assert row["tok_dob_year"] != row["tok_dob_month"]


def test_a_nickname_gives_the_same_given_name_token_and_filter(key: PartnershipKey) -> None:
    full, short = encode(key, person(), person(given_name="bill"))
    assert full["tok_given"] == short["tok_given"]
    assert full["bf_given"] == short["bf_given"]
    assert full["tok_name_sex_dob"] == short["tok_name_sex_dob"]


def test_unicode_and_capitals_do_not_change_tokens(key: PartnershipKey) -> None:
    a, b = encode(
        key,
        person(given_name="Zoë", family_name="Nguyễn", sex=Sex.FEMALE),
        person(given_name="ZOE ", family_name="nguyen", sex=Sex.FEMALE),
    )
    assert {k: a[k] for k in (*TOKEN_COLUMNS, *BLOOM_COLUMNS)} == {
        k: b[k] for k in (*TOKEN_COLUMNS, *BLOOM_COLUMNS)
    }


def test_each_part_of_a_double_barrelled_name_meets_a_record_with_that_part_alone(
    key: PartnershipKey,
) -> None:
    both, first, last = encode(
        key, person(family_name="Smith-Jones"), person(), person(family_name="JONES")
    )
    assert both["tok_family_first_part"] == first["tok_family"]
    assert both["tok_family_last_part"] == last["tok_family"]
    assert first["tok_family_first_part"] is None and first["tok_family_last_part"] is None
    assert dice(both["bf_family"], first["bf_family"]) > 0.4


def test_absent_inputs_give_null_tokens_and_filters(key: PartnershipKey) -> None:
    [row] = encode(key, Identity())
    assert all(row[name] is None for name in (*TOKEN_COLUMNS, *BLOOM_COLUMNS))
    [row] = encode(key, person(sex=Sex.UNKNOWN, date_of_birth=None))
    assert row["tok_sex"] is None and row["tok_name_sex_dob"] is None
    assert row["tok_soundex_dob"] is None and row["tok_names_sorted"] is not None
    assert row["bf_given"] is not None  # no year: the salt is empty


def test_every_token_is_32_lower_case_hex_characters(key: PartnershipKey) -> None:
    [row] = encode(key, person(nhs_number="9434765919", upn="W990200114007", middle_names="Arthur"))
    for name in TOKEN_COLUMNS:
        if name not in ("tok_dob_transposed", "tok_family_first_part", "tok_family_last_part"):
            assert TOKEN.fullmatch(row[name]), name


def test_different_keys_give_unrelated_tokens() -> None:
    identities = [
        person(),
        person(given_name="Amelia", sex=Sex.FEMALE),
        person(nhs_number="9434765919"),
    ]
    a = encode(PartnershipKey(bytes(range(32))), *identities)
    b = encode(PartnershipKey(bytes(range(1, 33))), *identities)
    tokens_a = {row[name] for row in a for name in TOKEN_COLUMNS} - {None}
    tokens_b = {row[name] for row in b for name in TOKEN_COLUMNS} - {None}
    assert tokens_a and not tokens_a & tokens_b
    for row_a, row_b in zip(a, b, strict=True):
        assert dice(row_a["bf_family"], row_b["bf_family"]) < 0.35


def test_the_table_has_the_spec_columns_in_order_and_keeps_the_input_order(
    key: PartnershipKey,
) -> None:
    records = [
        AgencyRecord("b", person(), Demographics(Sex.MALE, "WBRI", "2014-03", 4)),
        AgencyRecord("a", person(given_name="Amelia")),
    ]
    table = encode_records(records, key)
    assert table.schema.equals(RECORDS_SCHEMA)
    assert table.column("record_id").to_pylist() == ["b", "a"]
    assert table.slice(0, 1).to_pylist()[0]["deprivation_decile"] == 4
    assert table.column("sex").to_pylist() == ["M", "U"]
    empty = encode_records([], key)
    assert empty.num_rows == 0 and empty.schema.equals(RECORDS_SCHEMA)
    assert isinstance(empty, pa.Table)


def test_the_fast_token_paths_agree_with_the_definition() -> None:
    from seen.encode.tokens import Tokeniser, token

    secret = bytes(range(32))
    tokeniser = Tokeniser(secret)
    values = ["2014-03-07", "smith\x1fw\x1fM\x1f2014-03-07", "zoë", ""]
    expected = [token(secret, "tok_dob", value) for value in values]
    assert [tokeniser.field("tok_dob")(value) for value in values] == expected
    assert tokeniser.many("tok_dob", [*values, None]) == [*expected, None]
    # a value repeated within one call is computed once but given to each of its places
    assert tokeniser.many("tok_dob", [None, *values, *values]) == [None, *expected, *expected]
