"""How an agency's record of a child differs from the child: the identifier errors.

Each kind of error is drawn for every record at once; only the few records it hits are then
edited one by one, so the cost is in numpy, not in Python loops.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from seen.domain.demographics import DFE_ETHNICITY
from seen.domain.identifiers import (
    UPN_ALPHABET,
    is_valid_nhs_number,
    make_nhs_number,
    upn_check_letter,
)
from seen.synth.dates import NO_DATE, Days, from_ymd, ymd
from seen.synth.identifier_errors import IdentifierErrors
from seen.synth.names import NameData, Strings
from seen.synth.population import Children, Households
from seen.synth.rates import Bools, Ints

_LOWER = "abcdefghijklmnopqrstuvwxyz"
_CODES = tuple(DFE_ETHNICITY)
_REAL_CODES = tuple(c for c in _CODES if c not in ("REFU", "NOBT"))
_GROUP = {code: group for code, (_, group) in DFE_ETHNICITY.items()}


@dataclass
class Recorded:
    """Identity as one agency holds it, one entry per agency record."""

    forename: Strings
    middle: Strings
    surname: Strings
    dob: Days
    sex: Strings  # M, F or U
    ethnicity: Strings  # a DfE code, or '' when blank
    nhs: Strings
    upn: Strings
    stale_postcode: Bools
    no_postcode: Bools


def typo(name: str, kind: float, where: float, letter: float) -> str:
    """One keying slip: a letter substituted, two neighbours transposed, or a letter dropped.
    Only letters are touched, so apostrophes, hyphens and spaces survive."""
    positions = [i for i, ch in enumerate(name) if ch.isalpha()]
    if len(positions) < 2:
        return name
    i = positions[min(int(where * len(positions)), len(positions) - 1)]
    op = min(int(kind * 3), 2)
    if op == 1 and i + 1 < len(name) and name[i + 1].isalpha() and name[i + 1] != name[i]:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if op == 2:
        return name[:i] + name[i + 1 :]
    current = name[i].lower()
    choices = [c for c in _LOWER if c != current]
    new = choices[min(int(letter * len(choices)), len(choices) - 1)]
    return name[:i] + (new.upper() if name[i].isupper() else new) + name[i + 1 :]


def wrong_nhs_number(true: str, draw: float) -> str:
    """Another valid number in the same test range, as a mis-keyed or mixed-up record holds."""
    stem = int(draw * 1_000_000)
    for step in range(1_000_000):
        candidate = make_nhs_number(f"999{(stem + step) % 1_000_000:06d}")
        if candidate is not None and candidate != true:
            return candidate
    raise ValueError("no other NHS number available")


def invalid_nhs_number(true: str, draw: float) -> str:
    """The number with a slip that breaks its check digit: a wrong last digit, or two
    neighbouring digits swapped where that is enough to fail the check."""
    if draw < 0.5:
        i = int(draw * 16)  # positions 0-7
        swapped = true[:i] + true[i + 1] + true[i] + true[i + 2 :]
        if not is_valid_nhs_number(swapped):
            return swapped
    wrong = (int(true[9]) + 1 + int(draw * 9)) % 10
    return true[:9] + str(wrong)


def wrong_upn(true: str, draw: float) -> str:
    body = true[1:]
    serial = (int(body[-3:]) + 1 + int(draw * 998)) % 1000
    new_body = f"{body[:-3]}{serial:03d}"
    return upn_check_letter(new_body) + new_body


def invalid_upn(true: str, draw: float) -> str:
    others = [c for c in UPN_ALPHABET if c != true[0]]
    return others[min(int(draw * len(others)), len(others) - 1)] + true[1:]


def _ethnicity_slip(code: str, draw: float, spread: float) -> str:
    same = [c for c in _REAL_CODES if _GROUP[c] == _GROUP.get(code) and c != code]
    pool = same if same and spread < 0.7 else [c for c in _REAL_CODES if c != code]
    return pool[min(int(draw * len(pool)), len(pool) - 1)]


def _surname_base(
    u: np.ndarray,
    errors: IdentifierErrors,
    kids: Children,
    hh: Households,
    h: Ints,
    registered: Days,
) -> tuple[Strings, Strings, Strings]:
    change = hh.surname_change_day[h]
    old = (change != NO_DATE) & (registered < change) & (u[:, 0] < errors.stale_surname_rate)
    full = np.where(old, hh.former_surname[h], hh.surname[h])
    first = np.where(old, hh.former_parts[0][h], hh.surname_parts[0][h])
    second = np.where(old, hh.former_parts[1][h], hh.surname_parts[1][h])
    return full, first, second


def record_identities(
    rng: np.random.Generator,
    errors: IdentifierErrors,
    kids: Children,
    hh: Households,
    names: NameData,
    person: Ints,
    registered: Days,
) -> Recorded:
    n = len(person)
    u = rng.random((n, 20))
    h = kids.household[person]
    surname, first, second = _surname_base(u, errors, kids, hh, h, registered)
    surname = surname.copy()
    for i in np.flatnonzero((second != "") & (u[:, 1] < errors.surname_part_rate)).tolist():
        a, b, full = str(first[i]), str(second[i]), str(surname[i])
        hyphen = full[len(a)] == "-"
        r = u[i, 2]
        surname[i] = a if r < 0.45 else b if r < 0.8 else f"{a}{' ' if hyphen else '-'}{b}"

    forename = kids.given[person].copy()
    for i in np.flatnonzero(u[:, 3] < errors.nickname_rate).tolist():
        options = names.nicknames.get(str(forename[i]))
        if options:
            forename[i] = options[min(int(u[i, 4] * len(options)), len(options) - 1)]
    for i in np.flatnonzero(u[:, 5] < errors.typo_rate).tolist():
        forename[i] = typo(str(forename[i]), u[i, 6], u[i, 7], u[i, 8])
    for i in np.flatnonzero(u[:, 9] < errors.typo_rate).tolist():
        surname[i] = typo(str(surname[i]), u[i, 6], u[i, 8], u[i, 7])
    swap = u[:, 10] < errors.name_swap_rate
    forename, surname = np.where(swap, surname, forename), np.where(swap, forename, surname)
    middle = np.where(u[:, 11] < errors.middle_name_missing_rate, "", kids.middle[person])

    dob = kids.dob[person].copy()
    y, m, d = ymd(dob)
    swappable = (d <= 12) & (d != m)
    swap_dob = swappable & (u[:, 12] < errors.dob_swap_rate)
    dob = np.where(swap_dob, from_ymd(y, d, m), dob)
    slip = ~swap_dob & (u[:, 13] < errors.dob_error_rate)
    shift = np.where(u[:, 14] < 0.5, np.where(u[:, 14] < 0.25, -1, 1), 0)
    year_slip = from_ymd(y + np.where(u[:, 14] < 0.75, -1, 1), m, np.minimum(d, 28))
    dob = np.where(slip, np.where(shift != 0, dob + shift, year_slip), dob)

    sex = np.where(kids.female[person], "F", "M").astype(object)
    sex[u[:, 15] < errors.sex_unknown_rate] = "U"

    ethnicity = kids.ethnicity[person].copy()
    missing_eth = u[:, 16] < errors.ethnicity_missing_rate
    for i in np.flatnonzero(missing_eth).tolist():
        r = u[i, 17]
        ethnicity[i] = "NOBT" if r < 0.5 else "REFU" if r < 0.7 else ""
    for i in np.flatnonzero(~missing_eth & (u[:, 17] < errors.ethnicity_mismatch_rate)).tolist():
        ethnicity[i] = _ethnicity_slip(str(ethnicity[i]), u[i, 18], u[i, 19])

    nhs = _numbers(
        rng,
        kids.nhs[person],
        errors.nhs_missing_rate,
        errors.nhs_wrong_rate,
        errors.nhs_invalid_rate,
        wrong_nhs_number,
        invalid_nhs_number,
    )
    upn = _numbers(
        rng,
        kids.upn[person],
        errors.upn_missing_rate,
        errors.upn_wrong_rate,
        errors.upn_invalid_rate,
        wrong_upn,
        invalid_upn,
    )
    v = rng.random((n, 2))
    return Recorded(
        forename=forename,
        middle=middle,
        surname=surname,
        dob=dob,
        sex=sex,
        ethnicity=ethnicity,
        nhs=nhs,
        upn=upn,
        stale_postcode=v[:, 0] < errors.postcode_stale_rate,
        no_postcode=v[:, 1] < errors.postcode_missing_rate,
    )


def _numbers(
    rng: np.random.Generator,
    true: Strings,
    missing: float,
    wrong: float,
    invalid: float,
    make_wrong: Callable[[str, float], str],
    make_invalid: Callable[[str, float], str],
) -> Strings:
    """Blank, replace or break a share of identifier numbers (where the child has one)."""
    out = true.copy()
    u = rng.random((len(true), 2))
    has = true != ""
    out[has & (u[:, 0] < missing)] = ""
    for i in np.flatnonzero(has & (u[:, 0] >= missing) & (u[:, 0] < missing + wrong)).tolist():
        out[i] = make_wrong(str(true[i]), u[i, 1])
    bad = has & (u[:, 0] >= missing + wrong) & (u[:, 0] < missing + wrong + invalid)
    for i in np.flatnonzero(bad).tolist():
        out[i] = make_invalid(str(true[i]), u[i, 1])
    return out
