"""Who signs in to the web app, in which role, and what each role is for (docs/web.md)."""

from __future__ import annotations

from enum import StrEnum


class AccountRole(StrEnum):
    """One role per account; a person with two roles has two accounts."""

    PRACTITIONER = "practitioner"  # works with children, in one agency, with practitioner roles
    DPO = "dpo"  # an agency's data protection officer: its inbox and its break-glass reviews
    ADMINISTRATOR = "administrator"  # the partnership's: agreements register, audit log
    ANALYST = "analyst"  # the hub's operator: linkage clerical review
    YOUNG_PERSON = "young_person"  # sees and adds to what is held about them

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    AccountRole.PRACTITIONER: "Practitioner",
    AccountRole.DPO: "Data protection officer",
    AccountRole.ADMINISTRATOR: "Partnership administrator",
    AccountRole.ANALYST: "Analyst",
    AccountRole.YOUNG_PERSON: "Young person",
}
