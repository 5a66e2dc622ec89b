"""The kinds of agency in a safeguarding partnership."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class AgencyKind(StrEnum):
    CHILDRENS_SERVICES = "childrens_services"
    SCHOOL = "school"
    HEALTH = "health"
    POLICE = "police"
    YOUNG_CARERS_SERVICE = "young_carers_service"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    AgencyKind.CHILDRENS_SERVICES: "Children's services",
    AgencyKind.SCHOOL: "School",
    AgencyKind.HEALTH: "Health",
    AgencyKind.POLICE: "Police",
    AgencyKind.YOUNG_CARERS_SERVICE: "Young carers' service",
}

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


@dataclass(frozen=True, slots=True)
class Agency:
    """A partner agency, named by a short slug such as `northshire-police`."""

    name: str
    kind: AgencyKind

    def __post_init__(self) -> None:
        if not valid_agency_name(self.name):
            raise ValueError(agency_name_rule(self.name))


def valid_agency_name(name: str) -> bool:
    return bool(_NAME.match(name))


def agency_name_rule(name: str) -> str:
    return (
        f"agency name {name!r} is not allowed: use 2 to 63 lower-case letters, digits and "
        "hyphens, starting with a letter or digit (e.g. northshire-police)"
    )
