"""The words sharing decisions are made in: purposes, lawful bases, roles, the young person's
choices. Each has a short id used in files and requests, and the vocabulary term it stands
for: a W3C Data Privacy Vocabulary (DPV) term where one exists, a documented local `seen:`
term otherwise (docs/policy.md, "Vocabulary")."""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Purpose(StrEnum):
    SAFEGUARDING = "safeguarding"
    EARLY_HELP = "early_help"
    SERVICE_PLANNING = "service_planning"

    @property
    def term(self) -> str:
        return _PURPOSE_TERMS[self]

    @property
    def label(self) -> str:
        return _PURPOSE_LABELS[self]


# DPV has no purpose for safeguarding children or early help: local terms, defined in
# docs/policy.md. Service planning is DPV's service optimisation for the organisation.
_PURPOSE_TERMS: Final = {
    Purpose.SAFEGUARDING: "seen:SafeguardingChildren",
    Purpose.EARLY_HELP: "seen:EarlyHelp",
    Purpose.SERVICE_PLANNING: "dpv:OptimisationForController",
}


class LawfulBasis(StrEnum):
    PUBLIC_TASK = "uk-gdpr-6-1-e"
    SUBSTANTIAL_PUBLIC_INTEREST = "uk-gdpr-9-2-g"
    HEALTH_OR_SOCIAL_CARE = "uk-gdpr-9-2-h"
    SAFEGUARDING_CHILDREN = "dpa-2018-sch1-para18"
    LAW_ENFORCEMENT_SAFEGUARDING = "dpa-2018-sch8-para4"

    @property
    def term(self) -> str:
        return _BASIS_TERMS[self]

    @property
    def label(self) -> str:
        return _BASIS_LABELS[self]


# UK GDPR keeps the EU GDPR's article numbers, so DPV's GDPR terms name the same bases; the
# Data Protection Act 2018's schedules have no DPV terms.
_BASIS_TERMS: Final = {
    LawfulBasis.PUBLIC_TASK: "eu-gdpr:A6-1-e",
    LawfulBasis.SUBSTANTIAL_PUBLIC_INTEREST: "eu-gdpr:A9-2-g",
    LawfulBasis.HEALTH_OR_SOCIAL_CARE: "eu-gdpr:A9-2-h",
    LawfulBasis.SAFEGUARDING_CHILDREN: "seen:DPA2018-Sch1-Para18",
    LawfulBasis.LAW_ENFORCEMENT_SAFEGUARDING: "seen:DPA2018-Sch8-Para4",
}


# What each is called on the pages.
_PURPOSE_LABELS: Final = {
    Purpose.SAFEGUARDING: "Safeguarding: protecting a child from harm",
    Purpose.EARLY_HELP: "Early help: support before problems grow",
    Purpose.SERVICE_PLANNING: "Planning services",
}
_BASIS_LABELS: Final = {
    LawfulBasis.PUBLIC_TASK: "A public task (UK GDPR article 6(1)(e))",
    LawfulBasis.SUBSTANTIAL_PUBLIC_INTEREST: (
        "Substantial public interest (UK GDPR article 9(2)(g))"
    ),
    LawfulBasis.HEALTH_OR_SOCIAL_CARE: "Health or social care (UK GDPR article 9(2)(h))",
    LawfulBasis.SAFEGUARDING_CHILDREN: (
        "Safeguarding children and individuals at risk (Data Protection Act 2018, "
        "schedule 1, paragraph 18)"
    ),
    LawfulBasis.LAW_ENFORCEMENT_SAFEGUARDING: (
        "Safeguarding children, for law enforcement (Data Protection Act 2018, "
        "schedule 8, paragraph 4)"
    ),
}


class Role(StrEnum):
    SOCIAL_WORKER = "social_worker"
    TEAM_MANAGER = "team_manager"
    DESIGNATED_SAFEGUARDING_LEAD = "designated_safeguarding_lead"
    TEACHER = "teacher"
    HEALTH_VISITOR = "health_visitor"
    SCHOOL_NURSE = "school_nurse"
    POLICE_OFFICER = "police_officer"
    YOUNG_CARERS_WORKER = "young_carers_worker"
    DPO = "dpo"
    ADMINISTRATOR = "administrator"
    ANALYST = "analyst"

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]


_ROLE_LABELS: Final = {
    Role.SOCIAL_WORKER: "Social worker",
    Role.TEAM_MANAGER: "Team manager",
    Role.DESIGNATED_SAFEGUARDING_LEAD: "Designated safeguarding lead",
    Role.TEACHER: "Teacher",
    Role.HEALTH_VISITOR: "Health visitor",
    Role.SCHOOL_NURSE: "School nurse",
    Role.POLICE_OFFICER: "Police officer",
    Role.YOUNG_CARERS_WORKER: "Young carers' worker",
    Role.DPO: "Data protection officer",
    Role.ADMINISTRATOR: "Administrator",
    Role.ANALYST: "Analyst",
}

# Those who may use break-glass: the roles that hold statutory safeguarding duties for a
# child in front of them. Teachers go through their designated safeguarding lead.
BREAK_GLASS_ROLES: Final = frozenset(
    {
        Role.SOCIAL_WORKER,
        Role.TEAM_MANAGER,
        Role.DESIGNATED_SAFEGUARDING_LEAD,
        Role.HEALTH_VISITOR,
        Role.POLICE_OFFICER,
    }
)


class Choice(StrEnum):
    """A young person's wish for one category of their records and one kind of recipient."""

    SHARE = "share"
    ASK_FIRST = "ask_first"
    DO_NOT_SHARE = "do_not_share"


class Release(StrEnum):
    """How an agreement releases a record once the rules allow it."""

    AUTOMATIC = "automatic"
    ORIGINATOR_APPROVAL = "originator_approval"


class AgreementStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    EXPIRED = "expired"


class Sensitivity(StrEnum):
    NORMAL = "normal"
    RESTRICTED = "restricted"


# In an agreement's categories or a preference: every category (restricted records excepted
# for agreements: they flow only under an agreement that names their category).
ANY: Final = "*"
# A written break-glass justification must say something: at least this many letters.
MIN_JUSTIFICATION_LETTERS: Final = 20
