"""A child as a practitioner first meets them in the hub: found by their own agency's
reference, then who else is involved (which agencies hold records, and whom to contact
there) without any of those records' content or how many there are (docs/web.md).

Opening a child's page is itself recorded in the audit log (an `involvement_view` entry)
before anything is returned: which agencies know a child is itself something about the child.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from seen.audit.entry import AuditEntry, EntryKind
from seen.audit.log import append
from seen.domain.agencies import AgencyKind
from seen.domain.sharing import Role
from seen.errors import NotFound
from seen.sharing.chronology import SharingRequest, may_open
from seen.sharing.decisions import TrackedDecision, decisions_for
from seen.sharing.world_slice import agencies_holding, person_for_reference
from seen.store import Store
from seen.store.tables import REF_LENGTH, agencies, practitioners, relationships, sharing_requests

NO_SUCH_CHILD = "no such child for your agency"


@dataclass(frozen=True, slots=True)
class Contact:
    """A practitioner of another agency who works with the child now: pseudonymous ref."""

    ref: str
    roles: tuple[Role, ...]


@dataclass(frozen=True, slots=True)
class InvolvedAgency:
    name: str
    kind: AgencyKind
    contacts: tuple[Contact, ...]  # none: ask for the agency's safeguarding lead


@dataclass(frozen=True, slots=True)
class ChildPage:
    person_id: str
    agency: str  # the practitioner's own
    references: tuple[str, ...]  # the practitioner's agency's own references for the child
    others: tuple[InvolvedAgency, ...]
    requests: tuple[SharingRequest, ...]  # the practitioner's own, newest first
    decisions: tuple[TrackedDecision, ...]  # the practitioner's own, newest first


def find_child(store: Store, agency: str, reference: str) -> str | None:
    """The person id behind the agency's own reference, or None (another agency's reference
    is not found either: each agency finds children only by its own)."""
    reference = reference.strip()
    if not reference or len(reference) > REF_LENGTH:
        return None
    return person_for_reference(store, agency, reference)


def open_child(
    store: Store, *, practitioner: str, agency: str, person_id: str, now: dt.datetime
) -> ChildPage:
    """The child's page for a practitioner whose agency holds a record of the child (anyone
    else: NotFound, as for a child that does not exist). Recorded before it is returned."""
    if not may_open(store, agency, person_id):
        raise NotFound(NO_SUCH_CHILD)
    held = agencies_holding(store, person_id)
    contacts = _contacts(store, person_id, now)
    kinds = _agency_kinds(store)
    page = ChildPage(
        person_id=person_id,
        agency=agency,
        references=tuple(held[agency]),
        others=tuple(
            InvolvedAgency(name, kinds[name], tuple(contacts.get(name, ())))
            for name in sorted(held)
            if name != agency
        ),
        requests=tuple(requests_for(store, practitioner, person_id)),
        decisions=tuple(decisions_for(store, practitioner, person_id=person_id)),
    )
    entry = AuditEntry(
        kind=EntryKind.INVOLVEMENT_VIEW,
        at=now,
        actor=practitioner,
        actor_agency=agency,
        person=person_id,
    )
    append(store, [entry], now)  # raises AuditWriteError: then nothing is shown
    return page


def requests_for(store: Store, practitioner: str, person_id: str) -> list[SharingRequest]:
    """The practitioner's own requests for the child's chronology, newest first."""
    query = (
        select(sharing_requests, practitioners.c.ref)
        .join(practitioners, practitioners.c.id == sharing_requests.c.practitioner_id)
        .where(practitioners.c.ref == practitioner, sharing_requests.c.person_id == person_id)
        .order_by(sharing_requests.c.asked_at.desc(), sharing_requests.c.id)
    )
    with store.engine.connect() as conn:
        return [
            SharingRequest(
                row.id,
                row.ref,
                row.person_id,
                row.purpose,
                row.lawful_basis,
                row.justification,
                row.asked_at,
            )
            for row in conn.execute(query)
        ]


def _contacts(store: Store, person_id: str, at: dt.datetime) -> dict[str, list[Contact]]:
    query = (
        select(practitioners.c.ref, practitioners.c.roles, agencies.c.name)
        .join(relationships, relationships.c.practitioner_id == practitioners.c.id)
        .join(agencies, agencies.c.id == practitioners.c.agency_id)
        .where(
            relationships.c.person_id == person_id,
            relationships.c.starts <= at,
            relationships.c.ends.is_(None) | (relationships.c.ends > at),
            practitioners.c.active,
        )
        .order_by(agencies.c.name, practitioners.c.ref)
    )
    found: dict[str, list[Contact]] = {}
    with store.engine.connect() as conn:
        for row in conn.execute(query):
            contact = Contact(row.ref, tuple(Role(role) for role in row.roles))
            listed = found.setdefault(row.name, [])
            if contact not in listed:  # two relationships, one contact
                listed.append(contact)
    return found


def _agency_kinds(store: Store) -> dict[str, AgencyKind]:
    with store.engine.connect() as conn:
        return {
            row.name: AgencyKind(row.kind)
            for row in conn.execute(select(agencies.c.name, agencies.c.kind))
        }
