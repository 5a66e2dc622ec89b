"""The few degraded attributes the hub keeps for equity monitoring, and their code lists.

The hub never holds a date of birth, only its month and year; never a postcode, only the
deprivation decile of its area; ethnicity as a DfE code and its major group.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"
    UNKNOWN = "U"


class EthnicGroup(StrEnum):
    WHITE = "White"
    MIXED = "Mixed"
    ASIAN = "Asian"
    BLACK = "Black"
    OTHER = "Other"
    UNKNOWN = "Unknown"


# DfE main ethnicity codes (school census and children's social care returns).
DFE_ETHNICITY: Final = MappingProxyType(
    {
        "WBRI": ("White British", EthnicGroup.WHITE),
        "WIRI": ("White Irish", EthnicGroup.WHITE),
        "WIRT": ("Traveller of Irish heritage", EthnicGroup.WHITE),
        "WOTH": ("Any other White background", EthnicGroup.WHITE),
        "WROM": ("Gypsy/Roma", EthnicGroup.WHITE),
        "MWBC": ("White and Black Caribbean", EthnicGroup.MIXED),
        "MWBA": ("White and Black African", EthnicGroup.MIXED),
        "MWAS": ("White and Asian", EthnicGroup.MIXED),
        "MOTH": ("Any other mixed background", EthnicGroup.MIXED),
        "AIND": ("Indian", EthnicGroup.ASIAN),
        "APKN": ("Pakistani", EthnicGroup.ASIAN),
        "ABAN": ("Bangladeshi", EthnicGroup.ASIAN),
        "AOTH": ("Any other Asian background", EthnicGroup.ASIAN),
        "CHNE": ("Chinese", EthnicGroup.ASIAN),
        "BCRB": ("Black Caribbean", EthnicGroup.BLACK),
        "BAFR": ("Black African", EthnicGroup.BLACK),
        "BOTH": ("Any other Black background", EthnicGroup.BLACK),
        "OOTH": ("Any other ethnic group", EthnicGroup.OTHER),
        "REFU": ("Refused", EthnicGroup.UNKNOWN),
        "NOBT": ("Information not yet obtained", EthnicGroup.UNKNOWN),
    }
)

# NHS Data Dictionary ethnic category (2001 census based), mapped to the nearest DfE code.
NHS_ETHNIC_CATEGORY_TO_DFE: Final = MappingProxyType(
    {
        "A": "WBRI",
        "B": "WIRI",
        "C": "WOTH",
        "D": "MWBC",
        "E": "MWBA",
        "F": "MWAS",
        "G": "MOTH",
        "H": "AIND",
        "J": "APKN",
        "K": "ABAN",
        "L": "AOTH",
        "M": "BCRB",
        "N": "BAFR",
        "P": "BOTH",
        "R": "CHNE",
        "S": "OOTH",
        "Z": "REFU",
    }
)


def ethnic_group(dfe_code: str | None) -> EthnicGroup:
    if dfe_code is None or dfe_code not in DFE_ETHNICITY:
        return EthnicGroup.UNKNOWN
    return DFE_ETHNICITY[dfe_code][1]


def birth_month(date_of_birth: dt.date) -> str:
    """Degrade a date of birth to `YYYY-MM`."""
    return f"{date_of_birth.year:04d}-{date_of_birth.month:02d}"


@dataclass(frozen=True, slots=True)
class Demographics:
    """What the hub may keep about a person for equity monitoring, and nothing more."""

    sex: Sex = Sex.UNKNOWN
    ethnicity: str | None = None  # a DfE code
    birth_month: str | None = None  # YYYY-MM
    deprivation_decile: int | None = None  # 1 = most deprived, 10 = least

    def __post_init__(self) -> None:
        if self.ethnicity is not None and self.ethnicity not in DFE_ETHNICITY:
            raise ValueError(f"unknown DfE ethnicity code {self.ethnicity!r}")
        if self.deprivation_decile is not None and not 1 <= self.deprivation_decile <= 10:
            raise ValueError("a deprivation decile runs from 1 to 10")
        if self.birth_month is not None and (
            len(self.birth_month) != 7 or self.birth_month[4] != "-"
        ):
            raise ValueError("birth month is written YYYY-MM")

    @property
    def ethnic_group(self) -> EthnicGroup:
        return ethnic_group(self.ethnicity)
