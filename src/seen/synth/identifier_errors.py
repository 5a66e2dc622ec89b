"""How error-prone each agency's recording of a child's identifiers is.

Rates are per agency record (a PupilID, PersonID, PatientID or LAchildID), applied once when
the record is made, so that every row of that record carries the same mistakes. Defaults
follow the usual ordering: the school roll and the council index are the cleanest (UPN and
forms filled in by parents), police records made at the roadside the least clean.
"""

from __future__ import annotations

from dataclasses import dataclass

from seen.synth._fields import rate


@dataclass(frozen=True)
class IdentifierErrors:
    """Per-record chances of each kind of identifier error in one agency's records."""

    typo_rate: float = rate(
        0.01, "each name (forename, surname) has a substitution, transposition or deletion"
    )
    nickname_rate: float = rate(0.03, "forename recorded as a nickname, where it has one")
    surname_part_rate: float = rate(
        0.2, "a compound surname recorded as one part only, or with the hyphen changed"
    )
    name_swap_rate: float = rate(0.003, "forename and surname swapped")
    stale_surname_rate: float = rate(
        0.4, "a record made before a surname change keeps the old surname"
    )
    middle_name_missing_rate: float = rate(
        0.2, "middle names left blank (files with a MiddleNames column)"
    )
    dob_swap_rate: float = rate(
        0.005, "date of birth with day and month transposed (only where the day is 1-12)"
    )
    dob_error_rate: float = rate(0.003, "date of birth out by a day, or by a year")
    sex_unknown_rate: float = rate(
        0.003, "sex recorded as unknown (never in the school census, which has M/F only)"
    )
    ethnicity_missing_rate: float = rate(0.05, "ethnicity not obtained, refused or blank")
    ethnicity_mismatch_rate: float = rate(
        0.03, "ethnicity recorded as a different code from the child's own"
    )
    nhs_missing_rate: float = rate(0.0, "NHS number blank (files with an NHSNumber column)")
    nhs_wrong_rate: float = rate(0.0, "NHS number replaced by another valid-looking number")
    nhs_invalid_rate: float = rate(0.0, "NHS number mistyped so that its check digit fails")
    upn_missing_rate: float = rate(0.0, "UPN blank (files with a UPN column)")
    upn_wrong_rate: float = rate(0.0, "UPN replaced by another valid UPN")
    upn_invalid_rate: float = rate(0.0, "UPN mistyped so that its check letter fails")
    postcode_stale_rate: float = rate(
        0.2, "record keeps the postcode it was made with after the family moves"
    )
    postcode_missing_rate: float = rate(0.01, "postcode blank")


def council_defaults() -> IdentifierErrors:
    return IdentifierErrors(
        nickname_rate=0.02,
        stale_surname_rate=0.3,
        middle_name_missing_rate=0.3,
        nhs_missing_rate=0.3,
        nhs_wrong_rate=0.01,
        nhs_invalid_rate=0.01,
        upn_missing_rate=0.3,
        upn_wrong_rate=0.01,
        upn_invalid_rate=0.02,
    )


def school_defaults() -> IdentifierErrors:
    return IdentifierErrors(
        stale_surname_rate=0.3,
        middle_name_missing_rate=0.1,
        dob_swap_rate=0.003,
        dob_error_rate=0.002,
        sex_unknown_rate=0.0,
        ethnicity_missing_rate=0.02,
        ethnicity_mismatch_rate=0.02,
        upn_wrong_rate=0.005,
        upn_invalid_rate=0.005,
        postcode_stale_rate=0.15,
        postcode_missing_rate=0.0,
    )


def police_defaults() -> IdentifierErrors:
    return IdentifierErrors(
        typo_rate=0.04,
        nickname_rate=0.10,
        surname_part_rate=0.4,
        name_swap_rate=0.01,
        stale_surname_rate=0.6,
        dob_swap_rate=0.02,
        dob_error_rate=0.01,
        sex_unknown_rate=0.01,
        ethnicity_missing_rate=0.10,
        ethnicity_mismatch_rate=0.10,
        postcode_stale_rate=0.3,
        postcode_missing_rate=0.05,
    )


def health_defaults() -> IdentifierErrors:
    return IdentifierErrors(
        typo_rate=0.02,
        nickname_rate=0.05,
        surname_part_rate=0.3,
        name_swap_rate=0.005,
        stale_surname_rate=0.5,
        dob_swap_rate=0.01,
        dob_error_rate=0.005,
        sex_unknown_rate=0.005,
        ethnicity_missing_rate=0.15,
        ethnicity_mismatch_rate=0.05,
        nhs_missing_rate=0.03,
        nhs_wrong_rate=0.005,
        nhs_invalid_rate=0.005,
        postcode_stale_rate=0.25,
        postcode_missing_rate=0.02,
    )
