"""Near sets: two values share an element exactly when they are within one typo (one
character replaced, or two neighbours swapped), every set of a column has the same number of
elements in increasing order, and the encoder's bytes are the spec's written out plainly."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from encode import reference
from seen.domain.identifiers import is_valid_nhs_number, make_nhs_number
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
postcodes = st.from_regex(r"[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}", fullmatch=True).map(
    postcode_shape
)


def elements(stored: bytes) -> list[bytes]:
    width = NEAR_ELEMENT_BYTES
    return [stored[i : i + width] for i in range(0, len(stored), width)]


def within_one_typo(a: str, b: str) -> bool:
    """The relation near sets show: equal, one position different, or neighbours swapped."""
    differ = [i for i in range(len(a)) if a[i] != b[i]]
    if len(differ) <= 1:
        return True
    i, j = differ[0], differ[-1]
    return len(differ) == 2 and j == i + 1 and (a[i], a[j]) == (b[j], b[i])


@settings(max_examples=300, deadline=None)
@given(digits, st.integers(0, 9), st.sampled_from("0123456789"), st.booleans())
def test_a_replaced_digit_or_two_swapped_share_an_element(
    value: str, at: int, char: str, swap: bool
) -> None:
    if swap:
        at = min(at, 8)
        typo = value[:at] + value[at + 1] + value[at] + value[at + 2 :]
    else:
        typo = value[:at] + char + value[at + 1 :]
    [a, b] = ENCODER.many("near_nhs", [value, typo])
    assert shares_element(a, b)
    assert (a == b) == (typo == value)


@settings(max_examples=300, deadline=None)
@given(digits, digits)
def test_two_numbers_share_an_element_exactly_when_within_one_typo(a: str, b: str) -> None:
    # Mostly unrelated numbers; the next test brings them close.
    [x, y] = ENCODER.many("near_nhs", [a, b])
    assert shares_element(x, y) == within_one_typo(a, b)


@settings(max_examples=300, deadline=None)
@given(digits, st.lists(st.tuples(st.integers(0, 9), st.sampled_from("0123456789")), max_size=3))
def test_values_a_few_typos_apart_share_an_element_only_when_within_one(
    value: str, changes: list[tuple[int, str]]
) -> None:
    other = list(value)
    for at, char in changes:
        other[at] = char
    [x, y] = ENCODER.many("near_nhs", [value, "".join(other)])
    assert shares_element(x, y) == within_one_typo(value, "".join(other))


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10**9 - 1), st.integers(0, 10**9 - 1), st.integers(0, 8), st.integers(1, 9))
def test_two_valid_nhs_numbers_never_share_an_element(
    stem: int, other: int, at: int, step: int
) -> None:
    """A replaced digit or a swap always breaks the modulus 11 check: a near set relates a
    valid number only to its own mistyped copies, never to another child's number, however
    close (here: a random stem, and one with a digit changed)."""
    first = make_nhs_number(f"{stem:09d}")
    digits_ = list(f"{stem:09d}")
    digits_[at] = str((int(digits_[at]) + step) % 10)
    for second in (make_nhs_number("".join(digits_)), make_nhs_number(f"{other:09d}")):
        if first is None or second is None or first == second:
            continue
        assert is_valid_nhs_number(first) and is_valid_nhs_number(second)
        [x, y] = ENCODER.many("near_nhs", [first, second])
        assert not shares_element(x, y)


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
def test_postcodes_share_an_element_exactly_when_within_one_typo(a: str, b: str) -> None:
    [x, y] = ENCODER.many("near_postcode", [a, b])
    assert shares_element(x, y) == within_one_typo(a, b)


def test_postcodes_are_laid_out_so_that_a_character_more_in_the_outward_code_is_one_typo() -> None:
    assert postcode_shape("zx3 7ab") == "ZX3 7AB"
    assert postcode_shape("ZX10 2YA") == "ZX102YA"
    assert postcode_shape("zx12ya") == "ZX1 2YA"
    assert postcode_shape("Z1 2YA") == "Z1  2YA"
    [ten, one, other] = ENCODER.many(
        "near_postcode", [postcode_shape(p) or "" for p in ("ZX10 2YA", "ZX1 2YA", "ZX8 2YA")]
    )
    assert shares_element(ten, one) and shares_element(one, other)
    assert not shares_element(ten, other)


def test_the_shapes_take_mistyped_numbers_and_leave_out_what_is_no_value() -> None:
    assert nhs_number_shape("943 476 5991") == "9434765991"  # check digit fails
    assert nhs_number_shape("943-476-591") is None  # nine digits
    assert upn_shape(" w990200114070 ") == "W990200114070"  # check letter fails
    assert upn_shape("W99020011407") is None
    assert postcode_shape("zx3 7a8") == "ZX3 7A8"  # not a postcode, but a typo of one
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
    assert right["tok_postcode_district"] != typo["tok_postcode_district"]  # no sector either
    assert shares_element(right["near_postcode"], typo["near_postcode"])


def test_the_near_key_is_its_own_and_values_have_their_width() -> None:
    key = PartnershipKey(bytes(range(32)))
    assert key.derive("near") not in {key.derive(p) for p in ("token", "bloom")}
    with pytest.raises(KeyError):
        ENCODER.many("near_nothing", ["1"])
    with pytest.raises(ValueError, match="10 characters"):
        ENCODER.many("near_nhs", ["12345678901"])
