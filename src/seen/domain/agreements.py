"""Information-sharing agreements as the ICO's data sharing code describes them: purpose,
parties and their roles, which agency's data flows to which, categories of data, lawful bases,
special category or criminal offence data, how records are released, retention, review and
end dates, senior sign-off and status. `agreement_from_mapping` reads one from a parsed YAML
or JSON document and reports every problem at once, each naming the file, the agreement and
the field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from seen.domain.records import Problem
from seen.domain.sharing import ANY, AgreementStatus, LawfulBasis, Purpose, Release


class PartyRole(StrEnum):
    CONTROLLER = "controller"
    JOINT_CONTROLLER = "joint_controller"
    PROCESSOR = "processor"


@dataclass(frozen=True, slots=True)
class Party:
    agency: str
    role: PartyRole


@dataclass(frozen=True, slots=True)
class DataFlow:
    source: str
    recipient: str
    categories: frozenset[str]  # "*": every category but restricted records


@dataclass(frozen=True, slots=True)
class SharingAgreement:
    ref: str
    title: str
    purpose_description: str
    parties: tuple[Party, ...]
    flows: tuple[DataFlow, ...]
    purposes: frozenset[Purpose]
    lawful_bases: frozenset[LawfulBasis]
    special_category: bool
    criminal_offence_data: bool
    release: Release
    retention: str
    starts: dt.date
    review: dt.date
    ends: dt.date | None
    signed_off_by: str  # the senior officer's role, e.g. "Director of Children's Services"
    signed_off_on: dt.date
    status: AgreementStatus = AgreementStatus.DRAFT


def agreements_from_document(
    document: Any, file: str
) -> tuple[list[SharingAgreement], list[Problem]]:
    """Every agreement of a document `{agreements: [...]}` (or one agreement at top level)."""
    if isinstance(document, Mapping) and "agreements" in document:
        entries = document["agreements"]
    else:
        entries = [document]
    if not isinstance(entries, list) or not entries:
        return [], [Problem(file, "top level", "agreements", "must be a non-empty list")]
    found: list[SharingAgreement] = []
    problems: list[Problem] = []
    for index, entry in enumerate(entries):
        agreement = _Reader(file, f"agreements[{index}]", problems).agreement(entry)
        if agreement is not None:
            found.append(agreement)
    refs = [a.ref for a in found]
    for ref in sorted({r for r in refs if refs.count(r) > 1}):
        problems.append(Problem(file, "agreements", "ref", f"{ref!r} appears more than once"))
    return found, problems


class _Reader:
    def __init__(self, file: str, where: str, problems: list[Problem]) -> None:
        self.file, self.where, self.problems = file, where, problems

    def problem(self, name: str, message: str) -> None:
        self.problems.append(Problem(self.file, self.where, name, message))

    def agreement(self, entry: Any) -> SharingAgreement | None:
        if not isinstance(entry, Mapping):
            self.problem("-", "must be a mapping of the agreement's fields")
            return None
        before = len(self.problems)
        known = set(SharingAgreement.__dataclass_fields__) | {"ends"}
        for name in sorted(set(entry) - known):
            self.problem(str(name), "is not a field of an agreement")
        made = SharingAgreement(
            ref=self.text(entry, "ref", 64),
            title=self.text(entry, "title", 200),
            purpose_description=self.text(entry, "purpose_description", 2000),
            parties=self.parties(entry),
            flows=self.flows(entry),
            purposes=self.terms(entry, "purposes", Purpose),
            lawful_bases=self.terms(entry, "lawful_bases", LawfulBasis),
            special_category=self.flag(entry, "special_category"),
            criminal_offence_data=self.flag(entry, "criminal_offence_data"),
            release=self.choice(entry, "release", Release) or Release.ORIGINATOR_APPROVAL,
            retention=self.text(entry, "retention", 500),
            starts=self.date(entry, "starts") or dt.date.min,
            review=self.date(entry, "review") or dt.date.min,
            ends=self.date(entry, "ends") if entry.get("ends") is not None else None,
            signed_off_by=self.text(entry, "signed_off_by", 100),
            signed_off_on=self.date(entry, "signed_off_on") or dt.date.min,
            status=self.choice(entry, "status", AgreementStatus, required=False)
            or AgreementStatus.DRAFT,
        )
        if len(self.problems) == before:
            self.consistent(made)
        return made if len(self.problems) == before else None

    def consistent(self, made: SharingAgreement) -> None:
        parties = {party.agency for party in made.parties}
        for index, flow in enumerate(made.flows):
            for end in (flow.source, flow.recipient):
                if end not in parties:
                    self.problem(f"flows[{index}]", f"{end!r} is not one of the parties")
        if made.ends is not None and made.ends < made.starts:
            self.problem("ends", "is before the start date")
        if not made.starts <= made.review:
            self.problem("review", "is before the start date")
        if made.status is AgreementStatus.ACTIVE and made.signed_off_on > made.starts:
            self.problem("signed_off_on", "an active agreement is signed off before it starts")

    def text(self, entry: Mapping[str, Any], name: str, most: int) -> str:
        value = entry.get(name)
        if not isinstance(value, str) or not value.strip():
            self.problem(name, "is missing or empty")
            return ""
        if len(value) > most:
            self.problem(name, f"is longer than {most} characters")
        return value.strip()

    def flag(self, entry: Mapping[str, Any], name: str) -> bool:
        value = entry.get(name)
        if not isinstance(value, bool):
            self.problem(name, "must be true or false")
            return False
        return value

    def date(self, entry: Mapping[str, Any], name: str) -> dt.date | None:
        value = entry.get(name)
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value  # YAML reads an unquoted 2026-01-01 as a date
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.problem(name, "must be a date, YYYY-MM-DD")
        return None

    def choice(self, entry: Mapping[str, Any], name: str, kind: Any, required: bool = True) -> Any:
        value = entry.get(name)
        if value is None and not required:
            return None
        try:
            return kind(value)
        except ValueError:
            self.problem(name, f"{value!r} is not one of: {', '.join(kind)}")
            return None

    def terms(self, entry: Mapping[str, Any], name: str, kind: Any) -> frozenset[Any]:
        values = entry.get(name)
        if not isinstance(values, list) or not values:
            self.problem(name, f"must be a non-empty list of: {', '.join(kind)}")
            return frozenset()
        found = set()
        for value in values:
            try:
                found.add(kind(value))
            except ValueError:
                self.problem(name, f"{value!r} is not one of: {', '.join(kind)}")
        return frozenset(found)

    def parties(self, entry: Mapping[str, Any]) -> tuple[Party, ...]:
        values = entry.get("parties")
        if not isinstance(values, list) or len(values) < 2:
            self.problem("parties", "must list at least two parties: {agency, role}")
            return ()
        found = []
        for index, value in enumerate(values):
            if not isinstance(value, Mapping) or not isinstance(value.get("agency"), str):
                self.problem(f"parties[{index}]", "must be {agency, role}")
                continue
            role = self.choice(value, "role", PartyRole)
            if role is not None:
                found.append(Party(value["agency"], role))
        return tuple(found)

    def flows(self, entry: Mapping[str, Any]) -> tuple[DataFlow, ...]:
        values = entry.get("flows")
        if not isinstance(values, list) or not values:
            self.problem("flows", "must list at least one flow: {from, to, categories}")
            return ()
        found = []
        for index, value in enumerate(values):
            categories = value.get("categories") if isinstance(value, Mapping) else None
            if (
                not isinstance(value, Mapping)
                or not isinstance(value.get("from"), str)
                or not isinstance(value.get("to"), str)
                or not isinstance(categories, list)
                or not categories
                or not all(isinstance(c, str) and c for c in categories)
            ):
                self.problem(
                    f"flows[{index}]",
                    f"must be {{from, to, categories: [category or {ANY!r}]}}",
                )
                continue
            if value["from"] == value["to"]:
                self.problem(f"flows[{index}]", "an agency does not need an agreement with itself")
            found.append(DataFlow(value["from"], value["to"], frozenset(categories)))
        return tuple(found)


def describe(agreement: SharingAgreement) -> Sequence[str]:
    """One line per flow, for listings."""
    return [
        f"{flow.source} -> {flow.recipient}: {', '.join(sorted(flow.categories))}"
        for flow in agreement.flows
    ]


# The web form's fields, read into the same document `agreements_from_document` reads, so the
# web and `seen agreements import` accept exactly the same agreements.
FORM_TEXT_FIELDS = (
    "ref",
    "title",
    "purpose_description",
    "retention",
    "signed_off_by",
    "release",
    "status",
)
FORM_DATE_FIELDS = ("starts", "review", "ends", "signed_off_on")
FORM_LIST_FIELDS = ("purposes", "lawful_bases")
FORM_FLAG_FIELDS = ("special_category", "criminal_offence_data")


def document_from_form(
    form: Mapping[str, Any], file: str = "form"
) -> tuple[dict[str, Any], list[Problem]]:
    """An agreement document from a form: text fields as they are; parties one "agency, role"
    per line; flows one "from -> to: category, category" per line; dates as YYYY-MM-DD
    (an empty `ends` is an open-ended agreement); yes/no flags. Lines that are not in those
    shapes are problems here; everything else is checked by `agreements_from_document`."""
    problems: list[Problem] = []
    document: dict[str, Any] = {}
    for name in FORM_TEXT_FIELDS:
        value = form.get(name)
        if isinstance(value, str) and value.strip():
            document[name] = value.strip()
    for name in FORM_DATE_FIELDS:
        value = form.get(name)
        if isinstance(value, str) and value.strip():
            document[name] = value.strip()
        elif name != "ends":
            document[name] = None
    for name in FORM_LIST_FIELDS:
        value = form.get(name) or []
        document[name] = [value] if isinstance(value, str) else list(value)
    for name in FORM_FLAG_FIELDS:
        value = form.get(name)
        document[name] = {"yes": True, "no": False}.get(str(value).strip().lower(), value)
    parties = []
    for number, line in _lines(form.get("parties")):
        agency, comma, role = line.rpartition(",")
        if not comma or not agency.strip() or not role.strip():
            problems.append(
                Problem(
                    file,
                    "form",
                    f"parties[{number - 1}]",
                    f"write the agency, a comma, then its role ({', '.join(PartyRole)})",
                )
            )
            continue
        parties.append({"agency": agency.strip(), "role": role.strip()})
    document["parties"] = parties
    flows = []
    for number, line in _lines(form.get("flows")):
        ends, colon, categories = line.partition(":")
        source, arrow, recipient = ends.partition("->")
        found = [c.strip() for c in categories.split(",") if c.strip()]
        if not colon or not arrow or not source.strip() or not recipient.strip() or not found:
            problems.append(
                Problem(
                    file,
                    "form",
                    f"flows[{number - 1}]",
                    "write it as: from-agency -> "
                    f"to-agency: category, category (or {ANY} for every category)",
                )
            )
            continue
        flows.append({"from": source.strip(), "to": recipient.strip(), "categories": found})
    document["flows"] = flows
    return document, problems


def agreement_from_form(
    form: Mapping[str, Any], file: str = "form"
) -> tuple[SharingAgreement | None, list[Problem]]:
    """One agreement from the web form, or every problem with it."""
    document, problems = document_from_form(form, file)
    found, more = agreements_from_document(document, file)
    problems.extend(more)
    if problems or not found:
        return None, problems
    return found[0], []


def _lines(value: Any) -> list[tuple[int, str]]:
    text = value if isinstance(value, str) else ""
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
