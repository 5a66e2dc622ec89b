"""The part of the store one child's decisions need, as the policy's World (docs/policy.md).

A chronology decides every event the hub holds about one person, so the world is built for
that person only: their events (each a policy record, `ev-<event id>`, of the category
`seen.domain.categories` gives it), the agencies, the practitioners with a relationship and
the one asking, the register's agreements and the person's wishes.

An agency's inbox reads its own records about many children: `own_records_slice` builds the
world for those events only, with the reader (a practitioner or the agency's DPO) asking.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import ColumnElement, Connection, Engine, func, select

from seen.domain.agencies import AgencyKind
from seen.domain.categories import classify
from seen.domain.events import EventKind
from seen.domain.sharing import Choice, Role, Sensitivity
from seen.policy.world import (
    Agreement,
    Child,
    Practitioner,
    Preference,
    Record,
    World,
    agreement_from_register,
)
from seen.store import Store
from seen.store.governance import list_agreements
from seen.store.tables import (
    agencies,
    agreement_status_changes,
    events,
    people,
    practitioners,
    records,
    relationships,
    sharing_preferences,
    withheld_from_subject,
)


@dataclass(frozen=True, slots=True)
class HeldEvent:
    """One event about the child, as the pages show it: codes turned into words, no
    identifiers (the hub holds none)."""

    policy_id: str  # ev-<id>: the record the policy decides and the audit log names
    event_id: int
    agency: str
    agency_kind: AgencyKind
    record_ref: str  # the holding agency's own reference for the child's record
    kind: EventKind
    description: str
    start: dt.date
    end: dt.date | None
    category: str
    sensitivity: Sensitivity
    withheld_from_subject: bool


@dataclass(frozen=True, slots=True)
class ChildSlice:
    world: World
    events: dict[str, HeldEvent]  # by policy id, in date order


def policy_id(event_id: int) -> str:
    return f"ev-{event_id}"


def person_for_reference(store: Store, agency: str, record_ref: str) -> str | None:
    """The person the agency's own record belongs to, as of the latest link run."""
    query = (
        select(people.c.person_id)
        .join(records, records.c.id == people.c.record_id)
        .join(agencies, agencies.c.id == records.c.agency_id)
        .where(agencies.c.name == agency, records.c.record_ref == record_ref)
    )
    with store.engine.connect() as conn:
        found = conn.execute(query).scalar()
    return None if found is None else str(found)


def agencies_holding(store: Store, person_id: str) -> dict[str, list[str]]:
    """The agencies holding records about the person, each with its record references."""
    query = (
        select(agencies.c.name, records.c.record_ref)
        .join(records, records.c.agency_id == agencies.c.id)
        .join(people, people.c.record_id == records.c.id)
        .where(people.c.person_id == person_id)
        .order_by(agencies.c.name, records.c.record_ref)
    )
    held: dict[str, list[str]] = {}
    with store.engine.connect() as conn:
        for row in conn.execute(query):
            held.setdefault(row.name, []).append(row.record_ref)
    return held


def child_slice(store: Store, person_id: str, asking: str | None, at: dt.datetime) -> ChildSlice:
    """The world for deciding the person's events at `at`, asked by practitioner `asking`
    (None: the young person themselves)."""
    # The register first, then the child: read in this order, a register changed in between
    # is found out by the next view (its version moved on), never kept as current.
    register = _register(store)
    with store.engine.connect() as conn:
        held = _events(conn, person_id)
        staff, related = _staff(conn, person_id, asking, at)
        wishes = _wishes(conn, {person_id})
    world = World(
        agencies=register.agencies,
        practitioners=staff,
        children={person_id: Child(person_id, frozenset(related))},
        records={
            event.policy_id: Record(
                id=event.policy_id,
                child=person_id,
                agency=event.agency,
                category=event.category,
                sensitivity=event.sensitivity,
                withheld_from_subject=event.withheld_from_subject,
            )
            for event in held.values()
        },
        agreements=register.agreements,
        preferences=wishes,
    )
    return ChildSlice(world, held)


@dataclass(frozen=True, slots=True)
class _Register:
    """What every child's world shares: the agencies and the agreements register."""

    version: tuple[object, ...]
    agencies: dict[str, AgencyKind]
    agreements: tuple[Agreement, ...]


# The register as last read, per database. Reading it whole costs more than the rest of a
# child's world together, and it changes rarely: every change to an agreement that the
# policy reads (an import, a status change) adds a row to agreement_status_changes, and
# agencies are only ever added, so the largest ids of the two say whether it changed.
_REGISTERS: WeakKeyDictionary[Engine, _Register] = WeakKeyDictionary()
_VERSION = select(
    select(func.max(agreement_status_changes.c.id)).scalar_subquery(),
    select(func.max(agencies.c.id)).scalar_subquery(),
)


def _register(store: Store) -> _Register:
    with store.engine.connect() as conn:
        version = tuple(conn.execute(_VERSION).one())
    kept = _REGISTERS.get(store.engine)
    if kept is not None and kept.version == version:
        return kept
    with store.engine.connect() as conn:
        kinds = {
            row.name: AgencyKind(row.kind)
            for row in conn.execute(select(agencies.c.name, agencies.c.kind))
        }
    agreements = tuple(agreement_from_register(e.agreement) for e in list_agreements(store))
    found = _REGISTERS[store.engine] = _Register(version, kinds, agreements)
    return found


def held_events(store: Store, event_ids: Collection[int]) -> dict[int, HeldEvent]:
    """These events, by id, described as a chronology describes them (for the holding
    agency's own inbox: its own records)."""
    if not event_ids:
        return {}
    with store.engine.connect() as conn:
        found = _events(conn, events.c.id.in_(sorted(event_ids)))
    return {event.event_id: event for event in found.values()}


def _events(conn: Connection, person_id: str | ColumnElement[bool]) -> dict[str, HeldEvent]:
    where = people.c.person_id == person_id if isinstance(person_id, str) else person_id
    query = (
        select(
            events.c.id,
            events.c.kind,
            events.c.code,
            events.c.start_date,
            events.c.end_date,
            agencies.c.name.label("agency"),
            agencies.c.kind.label("agency_kind"),
            records.c.record_ref,
            withheld_from_subject.c.event_id.label("withheld"),
        )
        .join(records, records.c.id == events.c.record_id)
        .join(people, people.c.record_id == records.c.id)
        .join(agencies, agencies.c.id == records.c.agency_id)
        .outerjoin(withheld_from_subject, withheld_from_subject.c.event_id == events.c.id)
        .where(where)
        .order_by(events.c.start_date, events.c.id)
    )
    held = {}
    for row in conn.execute(query):
        kind = EventKind(row.kind)
        category, sensitivity = classify(kind, row.code)
        spec = kind.spec
        description = spec.label
        if row.code is not None and spec.codes is not None and row.code in spec.codes:
            description = f"{spec.label}: {spec.codes[row.code]}"
        event = HeldEvent(
            policy_id=policy_id(row.id),
            event_id=row.id,
            agency=row.agency,
            agency_kind=AgencyKind(row.agency_kind),
            record_ref=row.record_ref,
            kind=kind,
            description=description,
            start=row.start_date,
            end=row.end_date,
            category=category,
            sensitivity=sensitivity,
            withheld_from_subject=row.withheld is not None,
        )
        held[event.policy_id] = event
    return held


def _staff(
    conn: Connection, person_id: str, asking: str | None, at: dt.datetime
) -> tuple[dict[str, Practitioner], set[str]]:
    """The active practitioners working with the person at `at` (their relationships), and
    the one asking, whether or not they are among them."""
    columns = (practitioners.c.ref, practitioners.c.roles, agencies.c.name)
    related = (
        select(*columns)
        .join(relationships, relationships.c.practitioner_id == practitioners.c.id)
        .join(agencies, agencies.c.id == practitioners.c.agency_id)
        .where(
            relationships.c.person_id == person_id,
            relationships.c.starts <= at,
            relationships.c.ends.is_(None) | (relationships.c.ends > at),
            practitioners.c.active,
        )
    )
    staff = {row.ref: _practitioner(row) for row in conn.execute(related)}
    working = set(staff)
    if asking is not None and asking not in staff:
        alone = (
            select(*columns)
            .join(agencies, agencies.c.id == practitioners.c.agency_id)
            .where(practitioners.c.ref == asking, practitioners.c.active)
        )
        staff.update((row.ref, _practitioner(row)) for row in conn.execute(alone))
    return staff, working


def _practitioner(row: Any) -> Practitioner:
    return Practitioner(row.ref, row.name, frozenset(Role(r) for r in row.roles))


def _practitioners(conn: Connection, refs: set[str]) -> dict[str, Practitioner]:
    if not refs:
        return {}
    query = (
        select(practitioners.c.ref, practitioners.c.roles, agencies.c.name)
        .join(agencies, agencies.c.id == practitioners.c.agency_id)
        .where(practitioners.c.ref.in_(sorted(refs)), practitioners.c.active)
    )
    return {
        row.ref: Practitioner(row.ref, row.name, frozenset(Role(r) for r in row.roles))
        for row in conn.execute(query)
    }


@dataclass(frozen=True, slots=True)
class Reader:
    """Someone reading their own agency's records (its inbox): a practitioner, by their ref
    and with their roles from the store, or the agency's data protection officer, by user
    name and with the role `dpo`."""

    id: str
    agency: str
    practitioner: bool = True


@dataclass(frozen=True, slots=True)
class RecordsSlice:
    world: World
    events: dict[int, HeldEvent]  # by event id


def own_records_slice(
    store: Store, reader: Reader, event_ids: Collection[int], at: dt.datetime
) -> RecordsSlice:
    """The world for deciding whether `reader` may read these events at `at`: the events
    (of any children), their children with the reader's relationship if any, the reader (a
    practitioner only while active), the agencies, the register's agreements and the
    children's wishes, as child_slice gives them. What the rules make of it is theirs to
    say: an agency's own record is allowed by `own-agency`, anything else is not."""
    register = _register(store)
    with store.engine.connect() as conn:
        held = _events(conn, events.c.id.in_(sorted(event_ids))) if event_ids else {}
        child_of = _children_of(conn, {event.event_id for event in held.values()})
        persons = set(child_of.values())
        if reader.practitioner:
            staff = _practitioners(conn, {reader.id})
            related = _related_to(conn, reader.id, persons, at)
        else:
            staff = {reader.id: Practitioner(reader.id, reader.agency, frozenset({Role.DPO}))}
            related = set()
        wishes = _wishes(conn, persons)
    world = World(
        agencies=register.agencies,
        practitioners=staff,
        children={
            person: Child(person, frozenset({reader.id} if person in related else ()))
            for person in persons
        },
        records={
            event.policy_id: Record(
                id=event.policy_id,
                child=child_of[event.event_id],
                agency=event.agency,
                category=event.category,
                sensitivity=event.sensitivity,
                withheld_from_subject=event.withheld_from_subject,
            )
            for event in held.values()
            if event.event_id in child_of
        },
        agreements=register.agreements,
        preferences=wishes,
    )
    return RecordsSlice(world, {event.event_id: event for event in held.values()})


def _children_of(conn: Connection, event_ids: set[int]) -> dict[int, str]:
    if not event_ids:
        return {}
    query = (
        select(events.c.id, people.c.person_id)
        .join(records, records.c.id == events.c.record_id)
        .join(people, people.c.record_id == records.c.id)
        .where(events.c.id.in_(sorted(event_ids)))
    )
    return {int(row.id): str(row.person_id) for row in conn.execute(query)}


def _related_to(conn: Connection, ref: str, persons: set[str], at: dt.datetime) -> set[str]:
    """Which of these children the practitioner has a legitimate relationship with at `at`."""
    if not persons:
        return set()
    query = (
        select(relationships.c.person_id)
        .join(practitioners, practitioners.c.id == relationships.c.practitioner_id)
        .where(
            practitioners.c.ref == ref,
            practitioners.c.active,
            relationships.c.person_id.in_(sorted(persons)),
            relationships.c.starts <= at,
            relationships.c.ends.is_(None) | (relationships.c.ends > at),
        )
    )
    return {str(person) for person in conn.execute(query).scalars()}


def _wishes(conn: Connection, persons: set[str]) -> tuple[Preference, ...]:
    if not persons:
        return ()
    query = (
        select(sharing_preferences)
        .where(sharing_preferences.c.person_id.in_(sorted(persons)))
        .order_by(sharing_preferences.c.recorded_at, sharing_preferences.c.id)
    )
    return tuple(
        Preference(
            child=row.person_id,
            category=row.category,
            recipient_kind=row.recipient_kind,
            choice=Choice(row.choice),
            recorded_at=row.recorded_at,
            recorded_by=row.recorded_by,
        )
        for row in conn.execute(query)
    )
