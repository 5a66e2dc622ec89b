"""Near sets: two values share an element exactly when they are within one typo, every set
has its column's fixed number of elements in increasing order, and the encoder's bytes are
the spec's written out plainly."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from encode import reference
from seen.domain.records import AgencyRecord, Identity
from seen.encode import PartnershipKey, encode_records
from seen.encode.near import (
    NearEncoder,
    near_set,
    nhs_number_shape,
    postcode_shape,
    shares_element,
    upn_shape,
)
from seen.encode.schema import NEAR_ELEMENT_BYTES, NEAR_SIZES

NEAR_KEY = hashlib.sha256(b"near").digest()
ENCODER = NearEncoder(NEAR_KEY)
digits = st.from_regex(r"[0-9]{10}", fullmatch=True)
postcodes = st.from_regex(r"[A-Z][A-Z0-9]{4,6}", fullmatch=True)


def elements(stored: bytes) -> list[bytes]:
    width = NEAR_ELEMENT_BYTES
    return [stored[i : i + width] for i in range(0, len(stored), width)]


def one_typo(value: str, kind: int, at: int, char: str) -> str:
    """`value` with one typo: a character replaced, two neighbours swapped, one inserted or
    one deleted."""
    at %= len(value)
    if kind == 0:
        return value[:at] + char + value[at + 1 :]
    if kind == 1 and at + 1 < len(value):
        return value[:at] + value[at + 1] + value[at] + value[at + 2 :]
    if kind == 2:
        return value[:at] + char + value[at:]
    return value[:at] + value[at + 1 :]


@settings(max_examples=300, deadline=None)
@given(
    st.from_regex(r"[A-Z][A-Z0-9]{4,5}", fullmatch=True),
    st.integers(0, 3),
    st.integers(0, 20),
    st.sampled_from("0123456789AZ"),
)
def test_values_within_one_typo_share_an_element(value: str, kind: int, at: int, char: str) -> None:
    typo = one_typo(value, kind, at, char)
    [a, b] = ENCODER.many("near_postcode", [value, typo])
    assert shares_element(a, b)
    assert (a == b) == (typo == value)


@settings(max_examples=200, deadline=None)
@given(digits, st.integers(0, 1), st.integers(0, 20), st.sampled_from("0123456789"))
def test_nhs_numbers_with_a_digit_replaced_or_two_swapped_share_an_element(
    value: str, kind: int, at: int, char: str
) -> None:
    typo = one_typo(value, kind, at, char)
    [a, b] = ENCODER.many("near_nhs", [value, typo])
    assert shares_element(a, b)


@settings(max_examples=300, deadline=None)
@given(digits, st.integers(0, 9), st.integers(0, 9), st.integers(1, 9), st.integers(1, 9))
def test_values_two_replacements_apart_share_nothing(
    value: str, first: int, second: int, shift_a: int, shift_b: int
) -> None:
    """Two digits replaced, far enough apart that no deletion lines them up."""
    if abs(first - second) < 2:
        second = (first + 5) % 10
    chars = list(value)
    chars[first] = str((int(chars[first]) + shift_a) % 10)
    chars[second] = str((int(chars[second]) + shift_b) % 10)
    other = "".join(chars)
    [a, b] = ENCODER.many("near_nhs", [value, other])
    if not reference_within_one_move(value, other):
        assert not shares_element(a, b)


def reference_within_one_move(a: str, b: str) -> bool:
    """Whether a deletion of one equals a deletion of the other (what sharing means)."""
    left = {a} | {a[:i] + a[i + 1 :] for i in range(len(a))}
    right = {b} | {b[:i] + b[i + 1 :] for i in range(len(b))}
    return bool(left & right)


@settings(max_examples=200, deadline=None)
@given(st.lists(postcodes, min_size=1, max_size=20))
def test_sets_have_a_fixed_size_in_increasing_order_and_match_the_definition(
    values: list[str],
) -> None:
    made = ENCODER.many("near_postcode", values)
    for value, stored in zip(values, made, strict=True):
        found = elements(stored)
        assert len(found) == NEAR_SIZES["near_postcode"]
        assert found == sorted(set(found))  # increasing, none twice
        assert stored == near_set(NEAR_KEY, "near_postcode", value)
        assert stored == reference.near(NEAR_KEY, "near_postcode", value)


@settings(max_examples=200, deadline=None)
@given(postcodes, postcodes)
def test_sharing_an_element_is_exactly_one_deletion_of_each_meeting(a: str, b: str) -> None:
    [x, y] = ENCODER.many("near_postcode", [a, b])
    assert shares_element(x, y) == reference_within_one_move(a, b)


def test_the_size_says_nothing_of_runs_or_length() -> None:
    sets = ENCODER.many("near_postcode", ["ZX37AB", "ZX107AB", "ZZ11AA", "Z1AAA"])
    assert {len(s) for s in sets} == {NEAR_SIZES["near_postcode"] * NEAR_ELEMENT_BYTES}


def test_the_shapes_take_mistyped_numbers_and_leave_out_what_is_no_value() -> None:
    assert nhs_number_shape("943 476 5991") == "9434765991"  # check digit fails
    assert nhs_number_shape("943-476-591") is None  # nine digits
    assert upn_shape(" w990200114070 ") == "W990200114070"  # check letter fails
    assert upn_shape("W99020011407") is None
    assert postcode_shape("zx3 7a8") == "ZX37A8"  # not a postcode, but a typo of one
    assert postcode_shape("ZX10 2YA") == "ZX102YA"
    for no_value in ("UNKNOWN", "NFA", "1234", "ZX3 7AB 99", ""):
        assert postcode_shape(no_value) is None


def test_a_mistyped_nhs_number_has_a_near_set_but_no_token() -> None:
    key = PartnershipKey(bytes(range(32)))

    def record(ref: str, nhs: str, postcode: str) -> AgencyRecord:
        return AgencyRecord(
            ref,
            Identity(
                given_name="Zoe",
                family_name="Obrien",
                date_of_birth=dt.date(2014, 3, 7),
                postcode=postcode,
                nhs_number=nhs,
            ),
        )

    rows = encode_records(
        [record("A", "943 476 5919", "ZX3 7AB"), record("B", "943 476 5991", "ZX8 7AB")], key
    ).to_pylist()
    right, typo = rows
    assert right["tok_nhs"] is not None and typo["tok_nhs"] is None
    assert shares_element(right["near_nhs"], typo["near_nhs"])
    assert right["tok_postcode"] != typo["tok_postcode"]  # another district: no sector either
    assert right["tok_postcode_district"] != typo["tok_postcode_district"]
    assert shares_element(right["near_postcode"], typo["near_postcode"])


def test_the_near_key_is_its_own() -> None:
    key = PartnershipKey(bytes(range(32)))
    assert key.derive("near") not in {key.derive(p) for p in ("token", "bloom")}
    with pytest.raises(KeyError):
        ENCODER.many("near_nothing", ["1"])
    with pytest.raises(ValueError, match="1 to 10 characters"):
        ENCODER.many("near_nhs", ["12345678901"])
