"""Check digits, against published examples and as properties over all inputs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seen.domain.identifiers import (
    UPN_ALPHABET,
    is_mistyped_nhs_number,
    is_mistyped_upn,
    is_temporary_upn,
    is_valid_chi_number,
    is_valid_nhs_number,
    is_valid_upn,
    make_nhs_number,
    make_upn,
    upn_check_letter,
    upn_problem,
)

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


@pytest.mark.parametrize("number", ["9434765919", "6541003238", "943 476 5919", "943-476-5919"])
def test_published_nhs_numbers_are_valid(number: str) -> None:
    assert is_valid_nhs_number(number)


@pytest.mark.parametrize("number", ["9434765918", "943476591", "94347659190", "abcdefghij", ""])
def test_wrong_nhs_numbers_are_rejected(number: str) -> None:
    assert not is_valid_nhs_number(number)


def test_nhs_number_whose_check_would_be_ten_is_never_valid() -> None:
    # 123456789: 1*10+2*9+...+9*2 = 210; 210 mod 11 = 1; 11 - 1 = 10, so no check digit exists
    assert make_nhs_number("123456789") is None
    assert not any(is_valid_nhs_number("123456789" + str(d)) for d in range(10))


@given(nine_digits)
def test_completed_nhs_numbers_validate(first_nine: str) -> None:
    number = make_nhs_number(first_nine)
    if number is not None:
        assert is_valid_nhs_number(number)


@given(nine_digits, st.integers(0, 9), st.integers(1, 9))
def test_any_single_digit_error_in_an_nhs_number_is_caught(
    first_nine: str, position: int, shift: int
) -> None:
    number = make_nhs_number(first_nine)
    if number is None:
        return
    wrong = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1 :]
    assert not is_valid_nhs_number(wrong)
    # ... and is a mistyped number (kept by `keep_mistyped`), which the valid one is not.
    assert is_mistyped_nhs_number(wrong) and not is_mistyped_nhs_number(number)
    assert not is_mistyped_nhs_number(wrong[:9]) and not is_mistyped_nhs_number(wrong + "0")


def test_published_upn_is_valid_and_the_wrong_one_is_not() -> None:
    assert is_valid_upn("H801200001001")
    assert not is_valid_upn("R247962919251")
    assert upn_problem("R247962919251") == "the UPN check letter is R but the digits give Q"


def test_temporary_upn_check_letter_follows_the_published_rule() -> None:
    # A faker in the wild expects X here; the rule (A counts as 0, weight 13) gives U.
    assert upn_check_letter("80120000100A") == "U"
    assert is_valid_upn("U80120000100A")
    assert is_temporary_upn("U80120000100A")
    assert not is_valid_upn("X80120000100A")


@pytest.mark.parametrize(
    ("upn", "reason"),
    [
        ("H80120000100", "13 characters"),
        ("I801200001001", "check letter"),
        ("H8012000010O1", "must be digits"),
        ("H80120000100I", "last UPN character"),
    ],
)
def test_malformed_upns_say_what_is_wrong(upn: str, reason: str) -> None:
    problem = upn_problem(upn)
    assert problem is not None and reason in problem
    assert not is_mistyped_upn(upn)  # not shaped like a UPN: not a typo of one


@given(
    st.integers(0, 999),
    st.integers(0, 9999),
    st.integers(0, 99),
    st.integers(0, 999),
    st.sampled_from(["", *UPN_ALPHABET]),
)
def test_made_upns_validate_and_any_other_check_letter_fails(
    la: int, school: int, year: int, serial: int, temporary: str
) -> None:
    upn = make_upn(la, school, year, serial, temporary)
    assert is_valid_upn(upn)
    assert is_temporary_upn(upn) == bool(temporary)
    assert not is_mistyped_upn(upn)
    for letter in UPN_ALPHABET:
        if letter != upn[0]:
            assert not is_valid_upn(letter + upn[1:])
            assert is_mistyped_upn(letter + upn[1:])


@given(st.integers(0, 999), st.integers(0, 9999), st.integers(0, 99), st.integers(0, 99))
def test_swapping_two_different_adjacent_upn_digits_is_caught(
    la: int, school: int, year: int, serial: int
) -> None:
    upn = make_upn(la, school, year, serial)
    for i in range(1, 12):
        if upn[i] != upn[i + 1]:
            swapped = upn[:i] + upn[i + 1] + upn[i] + upn[i + 2 :]
            assert not is_valid_upn(swapped)
            assert is_mistyped_upn(swapped)


def test_chi_numbers_need_a_real_date_and_a_valid_check_digit() -> None:
    valid = make_nhs_number("010190123")  # born 1 January 1990
    assert valid is not None and is_valid_chi_number(valid)
    leap = make_nhs_number("290200123")  # 29 February 2000 (or 1900: not a leap year)
    assert leap is not None and is_valid_chi_number(leap)
    not_leap = make_nhs_number("290201234")  # 29 February 2001 never existed
    assert not_leap is not None and not is_valid_chi_number(not_leap)
    bad_date = make_nhs_number("320190123")  # 32 January
    assert bad_date is not None and not is_valid_chi_number(bad_date)
    assert not is_valid_chi_number(valid[:9] + str((int(valid[9]) + 1) % 10))
