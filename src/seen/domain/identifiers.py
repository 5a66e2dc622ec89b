"""National identifiers and their check digits.

- NHS number: 10 digits, the last a modulus 11 check digit over the first nine
  (weights 10 down to 2); a remainder giving 10 means the number cannot be valid.
- Scottish CHI number: 10 digits, DDMMYY date of birth then four digits, with the same
  modulus 11 check digit as the NHS number.
- Unique Pupil Number (DfE): 13 characters. Character 1 is a check letter; 2-4 the LA code,
  5-8 the establishment, 9-10 the year of allocation, 11-13 a serial. The check letter is
  sum(value(char_i) * i for i = 2..13) mod 23, read from the alphabet without I, O and S.
  A temporary UPN ends in a letter, whose value in that sum is its position in the same
  alphabet (A=0 ... Z=22).
"""

from __future__ import annotations

import datetime as dt

UPN_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"  # 23 letters: no I, O or S


def _mod11_check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit for nine digits, or None where none can be valid."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def nhs_number_check_digit(first_nine: str) -> int | None:
    if len(first_nine) != 9 or not first_nine.isascii() or not first_nine.isdigit():
        raise ValueError("an NHS number check digit needs exactly nine digits")
    return _mod11_check_digit(first_nine)


def normalise_nhs_number(raw: str) -> str:
    """Strip the spaces and hyphens people type (`943 476 5919`, `943-476-5919`)."""
    return raw.replace(" ", "").replace("-", "")


def is_valid_nhs_number(raw: str) -> bool:
    number = normalise_nhs_number(raw)
    if len(number) != 10 or not number.isascii() or not number.isdigit():
        return False
    return _mod11_check_digit(number[:9]) == int(number[9])


def is_valid_chi_number(raw: str) -> bool:
    """A CHI number: a real DDMMYY date in its first six digits and a valid check digit."""
    number = normalise_nhs_number(raw)
    if len(number) != 10 or not number.isascii() or not number.isdigit():
        return False
    day, month, year = int(number[0:2]), int(number[2:4]), int(number[4:6])
    try:
        # 20YY is a leap year whenever 19YY or 20YY is, so this admits every real date.
        dt.date(2000 + year, month, day)
    except ValueError:
        return False
    return _mod11_check_digit(number[:9]) == int(number[9])


def upn_check_letter(last_twelve: str) -> str:
    """The check letter for UPN characters 2-13 (11 digits then a digit or a letter)."""
    if len(last_twelve) != 12 or not last_twelve[:11].isascii() or not last_twelve[:11].isdigit():
        raise ValueError("a UPN check letter needs eleven digits then a digit or letter")
    total = 0
    for weight, char in enumerate(last_twelve, start=2):
        if char.isdigit():
            value = int(char)
        elif char in UPN_ALPHABET and weight == 13:
            value = UPN_ALPHABET.index(char)
        else:
            raise ValueError(f"UPN character {char!r} is not allowed at position {weight}")
        total += value * weight
    return UPN_ALPHABET[total % 23]


def upn_problem(raw: str) -> str | None:
    """Why a UPN is not valid, in plain English, or None when it is."""
    upn = raw.strip().upper()
    problem = _upn_shape_problem(upn)
    if problem is not None:
        return problem
    expected = upn_check_letter(upn[1:])
    if upn[0] != expected:
        return f"the UPN check letter is {upn[0]} but the digits give {expected}"
    return None


def is_mistyped_upn(raw: str) -> bool:
    """Shaped like a UPN, but its check letter is wrong: a UPN with a typo in it."""
    upn = raw.strip().upper()
    return _upn_shape_problem(upn) is None and upn_check_letter(upn[1:]) != upn[0]


def is_mistyped_nhs_number(raw: str) -> bool:
    """Ten digits, but the check digit is wrong: an NHS number with a typo in it."""
    number = normalise_nhs_number(raw)
    is_ten_digits = len(number) == 10 and number.isascii() and number.isdigit()
    return is_ten_digits and not is_valid_nhs_number(number)


def _upn_shape_problem(upn: str) -> str | None:
    """Why `upn` (trimmed, upper-case) is not even shaped like a UPN, or None."""
    if len(upn) != 13:
        return f"a UPN has 13 characters; this one has {len(upn)}"
    if upn[0] not in UPN_ALPHABET:
        return "a UPN starts with a check letter (A-Z without I, O or S)"
    if not upn[1:12].isascii() or not upn[1:12].isdigit():
        return "UPN characters 2 to 12 must be digits"
    if not (upn[12].isdigit() or upn[12] in UPN_ALPHABET):
        return "the last UPN character must be a digit, or a letter (not I, O or S) if temporary"
    return None


def is_valid_upn(raw: str) -> bool:
    return upn_problem(raw) is None


def is_temporary_upn(raw: str) -> bool:
    upn = raw.strip().upper()
    return is_valid_upn(upn) and upn[12].isalpha()


def make_upn(la_code: int, establishment: int, year: int, serial: int, temporary: str = "") -> str:
    """Build a valid UPN (permanent, or temporary when `temporary` is its final letter)."""
    body = f"{la_code:03d}{establishment:04d}{year % 100:02d}{serial:03d}"
    if temporary:
        if temporary not in UPN_ALPHABET:
            raise ValueError("a temporary UPN ends in a letter other than I, O or S")
        body = body[:-1] + temporary
    return upn_check_letter(body) + body


def make_nhs_number(first_nine: str) -> str | None:
    """Complete nine digits into a valid NHS number, or None where no check digit exists."""
    check = nhs_number_check_digit(first_nine)
    return None if check is None else first_nine + str(check)
