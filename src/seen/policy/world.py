"""What a sharing decision is made over (a World) and what is asked (an AccessRequest), and
reading both from the JSON documents of `seen policy check` (docs/policy.md, "Files").

Reading checks shapes and vocabularies and reports every problem at once, naming the file,
the entry and the field. A reference to something the world does not hold (an agency, a
child, a practitioner) is not a reading error: it is a question the rules answer, with deny.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from seen.domain.agencies import AgencyKind
from seen.domain.agreements import SharingAgreement
from seen.domain.records import Problem
from seen.domain.sharing import ANY, AgreementStatus, Choice, Release, Role, Sensitivity
from seen.errors import InvalidInput

E = TypeVar("E")


@dataclass(frozen=True, slots=True)
class Practitioner:
    id: str
    agency: str
    roles: frozenset[Role]


@dataclass(frozen=True, slots=True)
class Child:
    id: str
    relationships: frozenset[str]  # practitioner ids with a legitimate relationship


@dataclass(frozen=True, slots=True)
class Record:
    id: str
    child: str
    agency: str
    category: str
    sensitivity: Sensitivity
    withheld_from_subject: bool = False


@dataclass(frozen=True, slots=True)
class Flow:
    """Records of these categories may go from one agency to another ("*": every category
    but restricted records)."""

    source: str
    recipient: str
    categories: frozenset[str]


@dataclass(frozen=True, slots=True)
class Agreement:
    id: str
    status: AgreementStatus
    start: dt.datetime
    end: dt.datetime | None  # exclusive; None: no end date
    purposes: frozenset[str]
    lawful_bases: frozenset[str]
    release: Release
    flows: tuple[Flow, ...]

    def in_force(self, at: dt.datetime) -> bool:
        return (
            self.status is AgreementStatus.ACTIVE
            and self.start <= at
            and (self.end is None or at < self.end)
        )


def agreement_from_register(terms: SharingAgreement) -> Agreement:
    """The policy's view of a registered agreement: its dates as times (the start of the
    first day to the start of the day after the last, UTC), its flows, purposes, bases and
    release."""
    midnight = dt.time(tzinfo=dt.UTC)
    ends = terms.ends + dt.timedelta(days=1) if terms.ends is not None else None
    return Agreement(
        terms.ref,
        terms.status,
        dt.datetime.combine(terms.starts, midnight),
        dt.datetime.combine(ends, midnight) if ends is not None else None,
        frozenset(map(str, terms.purposes)),
        frozenset(map(str, terms.lawful_bases)),
        terms.release,
        tuple(Flow(f.source, f.recipient, f.categories) for f in terms.flows),
    )


@dataclass(frozen=True, slots=True)
class Preference:
    child: str
    category: str  # or "*"
    recipient_kind: str  # an agency kind, or "*"
    choice: Choice
    recorded_at: dt.datetime
    recorded_by: str


@dataclass(frozen=True, slots=True)
class World:
    """A snapshot: what a PolicyEngine decides over. The engine keeps Cedar's answers for as
    long as it lives, so a World must not change under it: the mappings given are copied
    and read-only, and a changed world (an agreement suspended, a wish or relationship
    recorded) is a new World and a new engine."""

    agencies: Mapping[str, AgencyKind]
    practitioners: Mapping[str, Practitioner]
    children: Mapping[str, Child]
    records: Mapping[str, Record]
    agreements: tuple[Agreement, ...] = ()
    preferences: tuple[Preference, ...] = ()

    def __post_init__(self) -> None:
        for name in ("agencies", "practitioners", "children", "records"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))
        for name in ("agreements", "preferences"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    def wishes(self, child: str, at: dt.datetime) -> dict[tuple[str, str], Choice]:
        """The child's choice for each (category, recipient kind) they have set, as of `at`:
        the latest recorded then."""
        latest: dict[tuple[str, str], Preference] = {}
        for preference in self.preferences:
            if preference.child != child or preference.recorded_at > at:
                continue
            key = (preference.category, preference.recipient_kind)
            if key not in latest or latest[key].recorded_at <= preference.recorded_at:
                latest[key] = preference
        return {key: preference.choice for key, preference in latest.items()}


@dataclass(frozen=True, slots=True)
class Principal:
    kind: str  # "practitioner" or "child"
    id: str


@dataclass(frozen=True, slots=True)
class AccessRequest:
    principal: Principal
    record: str
    purpose: str
    lawful_basis: str
    at: dt.datetime
    justification: str | None = None  # present: break-glass is asked for
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def break_glass(self) -> bool:
        return self.justification is not None


# Reading ------------------------------------------------------------------------------------


class _Reader:
    """Collects every problem of one file, each located by a JSON path."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, where: str, name: str, message: str) -> None:
        self.problems.append(Problem(self.file, where, name, message))

    def entries(self, document: Mapping[str, Any], name: str, required: bool = True) -> list[Any]:
        value = document.get(name)
        if value is None:
            if required:
                self.problem("top level", name, "is missing: give a list (it may be empty)")
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problem("top level", name, "must be a list of objects")
            return []
        return value

    def text(self, entry: Mapping[str, Any], where: str, name: str) -> str:
        value = entry.get(name)
        if not isinstance(value, str) or not value.strip():
            self.problem(where, name, "is missing or not a non-empty string")
            return ""
        return value

    def texts(self, entry: Mapping[str, Any], where: str, name: str) -> frozenset[str]:
        value = entry.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.problem(where, name, "must be a list of non-empty strings")
            return frozenset()
        return frozenset(value)

    def choice(
        self, entry: Mapping[str, Any], where: str, name: str, parse: Callable[[str], E]
    ) -> E | None:
        value = self.text(entry, where, name)
        if not value:
            return None
        try:
            return parse(value)
        except ValueError:
            allowed = ", ".join(sorted(getattr(parse, "__members__", {}).values()))
            self.problem(where, name, f"{value!r} is not one of: {allowed}")
            return None

    def time(self, entry: Mapping[str, Any], where: str, name: str, *, end: bool = False) -> Any:
        value = self.text(entry, where, name)
        if not value:
            return None
        try:
            return parse_time(value, end=end)
        except ValueError as error:
            self.problem(where, name, str(error))
            return None

    def flag(self, entry: Mapping[str, Any], where: str, name: str) -> bool:
        value = entry.get(name, False)
        if not isinstance(value, bool):
            self.problem(where, name, "must be true or false")
            return False
        return value

    def unique(self, items: Sequence[Any], section: str) -> None:
        seen: set[str] = set()
        for index, item in enumerate(items):
            if item.id in seen:
                self.problem(f"{section}[{index}]", "id", f"{item.id!r} appears twice")
            seen.add(item.id)

    def finish(self, what: str) -> None:
        if self.problems:
            count = len(self.problems)
            raise InvalidInput(
                f"{self.file}: not a valid {what} ({count} problem{'s' * (count != 1)})",
                self.problems,
            )


def parse_time(value: str, *, end: bool = False) -> dt.datetime:
    """An ISO 8601 date or time with an offset, as UTC to the second. A date alone is the
    start of that day, or for an end date the start of the next (an agreement runs to the end
    of its last day)."""
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            start = dt.datetime.combine(day, dt.time(), dt.UTC)
            return start + dt.timedelta(days=1) if end else start
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO 8601 date or time") from None
    if moment.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone: add Z or an offset such as +01:00")
    # Decisions compare whole seconds (Cedar compares times as whole seconds since 1970).
    return moment.astimezone(dt.UTC).replace(microsecond=0)


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidInput(f"{path}: not a JSON document ({error})") from None


def load_world(path: Path) -> World:
    return world_from_json(_json(path), str(path))


def load_request(path: Path) -> AccessRequest:
    return request_from_json(_json(path), str(path))


def world_from_json(document: Any, file: str = "world") -> World:
    read = _Reader(file)
    if not isinstance(document, dict):
        read.problem("top level", "-", "must be a JSON object")
        read.finish("world")
    agencies: dict[str, AgencyKind] = {}
    for i, entry in enumerate(read.entries(document, "agencies")):
        where = f"agencies[{i}]"
        name = read.text(entry, where, "id")
        kind = read.choice(entry, where, "kind", AgencyKind)
        if name in agencies:
            read.problem(where, "id", f"{name!r} appears twice")
        if name and kind is not None:
            agencies[name] = kind
    practitioners = [
        Practitioner(
            read.text(entry, f"practitioners[{i}]", "id"),
            read.text(entry, f"practitioners[{i}]", "agency"),
            _roles(read, entry, f"practitioners[{i}]"),
        )
        for i, entry in enumerate(read.entries(document, "practitioners"))
    ]
    children = [
        Child(
            read.text(entry, f"children[{i}]", "id"),
            read.texts(entry, f"children[{i}]", "relationships"),
        )
        for i, entry in enumerate(read.entries(document, "children"))
    ]
    records = [
        _record(read, entry, f"records[{i}]")
        for i, entry in enumerate(read.entries(document, "records"))
    ]
    agreements = [
        _agreement(read, entry, f"agreements[{i}]")
        for i, entry in enumerate(read.entries(document, "agreements", required=False))
    ]
    preferences = [
        _preference(read, entry, f"preferences[{i}]")
        for i, entry in enumerate(read.entries(document, "preferences", required=False))
    ]
    for items, section in (
        (practitioners, "practitioners"),
        (children, "children"),
        (records, "records"),
        (agreements, "agreements"),
    ):
        read.unique(items, section)
    read.finish("world")
    return World(
        agencies,
        {p.id: p for p in practitioners},
        {c.id: c for c in children},
        {r.id: r for r in records},
        tuple(agreements),
        tuple(p for p in preferences if p is not None),
    )


def _roles(read: _Reader, entry: Mapping[str, Any], where: str) -> frozenset[Role]:
    roles = set()
    for value in read.texts(entry, where, "roles"):
        try:
            roles.add(Role(value))
        except ValueError:
            read.problem(where, "roles", f"{value!r} is not one of: {', '.join(Role)}")
    return frozenset(roles)


def _record(read: _Reader, entry: Mapping[str, Any], where: str) -> Record:
    sensitivity = read.choice(entry, where, "sensitivity", Sensitivity)
    return Record(
        read.text(entry, where, "id"),
        read.text(entry, where, "child"),
        read.text(entry, where, "agency"),
        read.text(entry, where, "category"),
        sensitivity or Sensitivity.RESTRICTED,
        read.flag(entry, where, "withheld_from_subject"),
    )


def _agreement(read: _Reader, entry: Mapping[str, Any], where: str) -> Agreement:
    flows = []
    raw_flows = entry.get("flows")
    if not isinstance(raw_flows, list) or not raw_flows:
        read.problem(where, "flows", "must be a non-empty list of {from, to, categories}")
        raw_flows = []
    for j, flow in enumerate(raw_flows):
        at = f"{where}.flows[{j}]"
        if not isinstance(flow, dict):
            read.problem(at, "-", "must be an object with from, to and categories")
            continue
        categories = read.texts(flow, at, "categories")
        if not categories:
            read.problem(at, "categories", f"name at least one category, or {ANY!r} for all")
        flows.append(Flow(read.text(flow, at, "from"), read.text(flow, at, "to"), categories))
    end = read.time(entry, where, "end", end=True) if entry.get("end") is not None else None
    return Agreement(
        read.text(entry, where, "id"),
        read.choice(entry, where, "status", AgreementStatus) or AgreementStatus.DRAFT,
        read.time(entry, where, "start") or dt.datetime.max.replace(tzinfo=dt.UTC),
        end,
        read.texts(entry, where, "purposes"),
        read.texts(entry, where, "lawful_bases"),
        read.choice(entry, where, "release", Release) or Release.ORIGINATOR_APPROVAL,
        tuple(flows),
    )


def _preference(read: _Reader, entry: Mapping[str, Any], where: str) -> Preference | None:
    kind = read.text(entry, where, "recipient_kind")
    if kind and kind != ANY and kind not in AgencyKind.__members__.values():
        read.problem(where, "recipient_kind", f"{kind!r} is not an agency kind or {ANY!r}")
    choice = read.choice(entry, where, "choice", Choice)
    recorded_at = read.time(entry, where, "recorded_at")
    preference = Preference(
        read.text(entry, where, "child"),
        read.text(entry, where, "category"),
        kind,
        choice or Choice.DO_NOT_SHARE,
        recorded_at,
        read.text(entry, where, "recorded_by"),
    )
    return preference if choice is not None and recorded_at is not None else None


def request_from_json(document: Any, file: str = "request") -> AccessRequest:
    read = _Reader(file)
    if not isinstance(document, dict):
        read.problem("top level", "-", "must be a JSON object")
        read.finish("request")
    principal = document.get("principal")
    kind = name = ""
    if not isinstance(principal, dict):
        read.problem("top level", "principal", 'must be {"type": "practitioner" or "child", "id"}')
    else:
        kind = read.text(principal, "principal", "type")
        name = read.text(principal, "principal", "id")
        if kind and kind not in ("practitioner", "child"):
            read.problem("principal", "type", f"{kind!r} is not practitioner or child")
    justification = None
    break_glass = document.get("break_glass")
    if break_glass is not None:
        if not isinstance(break_glass, dict) or not isinstance(
            break_glass.get("justification"), str
        ):
            read.problem("top level", "break_glass", 'must be {"justification": "..."}')
        else:
            justification = break_glass["justification"]
    request = AccessRequest(
        Principal(kind, name),
        read.text(document, "top level", "record"),
        read.text(document, "top level", "purpose"),
        read.text(document, "top level", "lawful_basis"),
        read.time(document, "top level", "at"),
        justification,
    )
    read.finish("request")
    return request
