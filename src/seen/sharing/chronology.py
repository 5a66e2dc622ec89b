"""A practitioner's joined-up chronology: asked for a purpose and lawful basis, decided event by
event by the policy, recorded in the audit log before anything is shown (docs/web.md).

Viewing a request decides it again, at the time of viewing: an agreement suspended since, or
a wish changed, takes effect at once. Events pending on someone (the young person asked to be
asked first; the holding agency releases by approval) get a pending release, which the young
person or the agency answers; an approved one is shown from then on, for that request.
Anything that fails on the way (the policy, the audit log, the store) raises, so nothing is
shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, insert, select, update

from seen.audit.entry import AuditEntry, EntryKind
from seen.audit.log import append_in
from seen.domain.sharing import MIN_JUSTIFICATION_LETTERS, LawfulBasis, Purpose
from seen.errors import InvalidInput, NotFound
from seen.policy.audited import decide_and_record, new_request_id
from seen.policy.engine import ALLOW, PENDING, Decision, PolicyEngine
from seen.policy.world import AccessRequest, Principal
from seen.sharing.world_slice import HeldEvent, agencies_holding, child_slice
from seen.store import Store, write_transaction
from seen.store.tables import (
    agencies,
    pending_releases,
    practitioners,
    sharing_requests,
    voice_entries,
)


class Status(StrEnum):
    SHOWN = "shown"
    WITHHELD = "withheld"
    WAITING_ON_YOUNG_PERSON = "waiting_on_young_person"
    WAITING_ON_AGENCY = "waiting_on_agency"
    DECLINED = "declined"


@dataclass(frozen=True, slots=True)
class SharingRequest:
    id: str
    practitioner: str
    person_id: str
    purpose: str
    lawful_basis: str
    justification: str | None
    asked_at: dt.datetime

    @property
    def break_glass(self) -> bool:
        return self.justification is not None


@dataclass(frozen=True, slots=True)
class ChronologyEntry:
    event: HeldEvent
    status: Status
    reasons: tuple[str, ...]  # plain English, for the practitioner
    # What the young person said about this record in their own words ("my voice"): it
    # travels with the record, shown wherever the record is and nowhere else.
    young_person_says: tuple[str, ...] = ()

    @property
    def shown(self) -> bool:
        return self.status is Status.SHOWN


@dataclass(frozen=True, slots=True)
class Chronology:
    request: SharingRequest
    entries: list[ChronologyEntry]  # every event the hub holds about the child, by date


def may_open(store: Store, agency: str, person_id: str) -> bool:
    """A practitioner opens a child's page only if their own agency holds a record of the
    child: they found the child by their own reference. Anything else is not found."""
    return agency in agencies_holding(store, person_id)


def ask(
    store: Store,
    *,
    practitioner: str,
    agency: str,
    person_id: str,
    purpose: str,
    lawful_basis: str,
    justification: str | None,
    now: dt.datetime,
) -> SharingRequest:
    """Record a request for the child's chronology; every problem with it is reported at once
    (InvalidInput with a Problem per field)."""
    from seen.domain.records import Problem

    if not may_open(store, agency, person_id):
        raise NotFound("no such child for your agency")
    problems = []
    if purpose not in {p.value for p in Purpose}:
        problems.append(Problem("request", "form", "purpose", "Choose the purpose of the request"))
    if lawful_basis not in {b.value for b in LawfulBasis}:
        problems.append(
            Problem("request", "form", "lawful_basis", "Choose the lawful basis for sharing")
        )
    if justification is not None:
        justification = justification.strip()
        letters = sum(ch.isalpha() for ch in justification)
        if letters < MIN_JUSTIFICATION_LETTERS:
            problems.append(
                Problem(
                    "request",
                    "form",
                    "justification",
                    f"Write why this is a safeguarding emergency, in at least "
                    f"{MIN_JUSTIFICATION_LETTERS} letters",
                )
            )
    if problems:
        raise InvalidInput("the request is not complete", problems)
    request = SharingRequest(
        id=new_request_id(),
        practitioner=practitioner,
        person_id=person_id,
        purpose=purpose,
        lawful_basis=lawful_basis,
        justification=justification,
        asked_at=now,
    )
    with write_transaction(store) as conn:
        conn.execute(
            insert(sharing_requests).values(
                id=request.id,
                practitioner_id=_practitioner_id(conn, practitioner),
                person_id=person_id,
                purpose=purpose,
                lawful_basis=lawful_basis,
                justification=justification,
                asked_at=now,
            )
        )
    return request


def load_request(store: Store, request_id: str, practitioner: str) -> SharingRequest:
    """The practitioner's own request; another's, or none, is not found."""
    query = (
        select(sharing_requests, practitioners.c.ref)
        .join(practitioners, practitioners.c.id == sharing_requests.c.practitioner_id)
        .where(sharing_requests.c.id == request_id, practitioners.c.ref == practitioner)
    )
    with store.engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        raise NotFound("no such request")
    return SharingRequest(
        row.id,
        row.ref,
        row.person_id,
        row.purpose,
        row.lawful_basis,
        row.justification,
        row.asked_at,
    )


def view(store: Store, request: SharingRequest, now: dt.datetime) -> Chronology:
    """Decide every event about the child for this request, now; record the decisions; open
    a pending release for each event pending on someone; and say what may be shown."""
    piece = child_slice(store, request.person_id, request.practitioner, now)
    engine = PolicyEngine(piece.world)
    held = list(piece.events.values())
    asked = [
        AccessRequest(
            principal=Principal("practitioner", request.practitioner),
            record=event.policy_id,
            purpose=request.purpose,
            lawful_basis=request.lawful_basis,
            at=now,
            justification=request.justification,
        )
        for event in held
    ]
    decisions = decide_and_record(engine, store, asked, [request.id] * len(asked), now)
    answers = _open_releases(store, request, held, decisions, now)
    entries = [
        _entry(event, decision, answers.get(event.event_id))
        for event, decision in zip(held, decisions, strict=True)
    ]
    return Chronology(request, _with_their_words(store, request.person_id, entries))


def _with_their_words(
    store: Store, person_id: str, entries: list[ChronologyEntry]
) -> list[ChronologyEntry]:
    """Each shown record with the young person's own words about it, beside it."""
    shown = {entry.event.event_id for entry in entries if entry.shown}
    if not shown:
        return entries
    query = (
        select(voice_entries.c.about_event_id, voice_entries.c.text)
        .where(
            voice_entries.c.person_id == person_id,
            voice_entries.c.about_event_id.in_(sorted(shown)),
        )
        .order_by(voice_entries.c.created_at, voice_entries.c.id)
    )
    said: dict[int, list[str]] = {}
    with store.engine.connect() as conn:
        for row in conn.execute(query):
            said.setdefault(row.about_event_id, []).append(row.text)
    return [
        replace(entry, young_person_says=tuple(said.get(entry.event.event_id, ())))
        if entry.shown
        else entry
        for entry in entries
    ]


@dataclass(frozen=True, slots=True)
class _Answer:
    status: str
    answered_by: str | None
    reason: str | None
    pending_on: str


def _open_releases(
    store: Store,
    request: SharingRequest,
    held: Sequence[HeldEvent],
    decisions: Sequence[Decision],
    now: dt.datetime,
) -> dict[int, _Answer]:
    pending = [
        (event, decision)
        for event, decision in zip(held, decisions, strict=True)
        if decision.decision == PENDING
    ]
    if not pending:
        return {}
    with store.engine.connect() as conn:
        known = _answers(conn, request.id)
    if not _changes(pending, known):
        return known  # every view after the first, while no question moves: no write
    with write_transaction(store) as conn:
        # Two first views of one request at once must not both open its releases. SQLite's
        # write transaction already excludes the other; on PostgreSQL the request's row lock
        # does (the other view waits here, then reads the releases this one opened).
        conn.execute(
            select(sharing_requests.c.id)
            .where(sharing_requests.c.id == request.id)
            .with_for_update()
        )
        known = _answers(conn, request.id)  # again, now no one else can change them
        agency_ids = {
            row.name: row.id for row in conn.execute(select(agencies.c.name, agencies.c.id))
        }
        new = [
            {
                "request_id": request.id,
                "event_id": event.event_id,
                "pending_on": decision.pending_on,
                "agency_id": agency_ids[event.agency],
                "person_id": request.person_id,
                "urgent": decision.urgent,
                "status": "pending",
                "created_at": now,
            }
            for event, decision in pending
            if event.event_id not in known
        ]
        if new:
            conn.execute(insert(pending_releases), new)
        # A question still open goes to whoever must answer it now: a record withheld from
        # the young person since they were asked is answered by its holder instead.
        for event, decision in _moved(pending, known):
            conn.execute(
                update(pending_releases)
                .where(
                    pending_releases.c.request_id == request.id,
                    pending_releases.c.event_id == event.event_id,
                    pending_releases.c.status == "pending",
                )
                .values(pending_on=decision.pending_on, urgent=decision.urgent)
            )
        known = _answers(conn, request.id)
    return known


def _moved(
    pending: Sequence[tuple[HeldEvent, Decision]], known: dict[int, _Answer]
) -> list[tuple[HeldEvent, Decision]]:
    return [
        (event, decision)
        for event, decision in pending
        if (answer := known.get(event.event_id)) is not None
        and answer.status == "pending"
        and answer.pending_on != decision.pending_on
    ]


def _changes(pending: Sequence[tuple[HeldEvent, Decision]], known: dict[int, _Answer]) -> bool:
    return any(event.event_id not in known for event, _ in pending) or bool(_moved(pending, known))


def _answers(conn: Connection, request_id: str) -> dict[int, _Answer]:
    query = select(
        pending_releases.c.event_id,
        pending_releases.c.status,
        pending_releases.c.answered_by,
        pending_releases.c.reason,
        pending_releases.c.pending_on,
    ).where(pending_releases.c.request_id == request_id)
    return {
        row.event_id: _Answer(row.status, row.answered_by, row.reason, row.pending_on)
        for row in conn.execute(query)
    }


# Policies whose plain reasons are about the request (its purpose, basis or justification),
# never about the record, so they may be shown beside a withheld record as they are.
_ABOUT_THE_REQUEST = frozenset({"break-glass-invalid", "unknown-purpose-or-basis"})


def _withheld_because(event: HeldEvent, decision: Decision) -> tuple[str, ...]:
    """Why a record is not shown, without saying what it is: the policy's own reasons name the
    record's category (a "mental_health" record withheld is itself something about the child),
    so a withheld record gets a reason that names only who holds it."""
    policies = set(decision.policies)
    if policies & _ABOUT_THE_REQUEST:
        return decision.reasons
    if "do-not-share" in policies:
        return ("The young person asked for this not to be shared with your kind of agency.",)
    if policies & {"evaluation-error", "unknown-entity"}:
        return ("The sharing rules could not be checked for this record, so it is not shown.",)
    return (
        f"No agreement in force lets {event.agency} share this kind of record with your "
        "agency for this purpose and lawful basis.",
    )


def _entry(event: HeldEvent, decision: Decision, answer: _Answer | None) -> ChronologyEntry:
    if decision.decision == ALLOW:
        return ChronologyEntry(event, Status.SHOWN, decision.reasons)
    if decision.decision != PENDING or answer is None:
        return ChronologyEntry(event, Status.WITHHELD, _withheld_because(event, decision))
    on_young_person = decision.pending_on == "young_person"
    if answer.status == "approved":
        who = "The young person" if on_young_person else event.agency
        return ChronologyEntry(event, Status.SHOWN, (f"{who} agreed to share this.",))
    if answer.status == "declined":
        who = "The young person" if on_young_person else event.agency
        because = f": {answer.reason}" if answer.reason and not on_young_person else "."
        return ChronologyEntry(event, Status.DECLINED, (f"{who} declined to share this{because}",))
    if on_young_person:
        return ChronologyEntry(
            event,
            Status.WAITING_ON_YOUNG_PERSON,
            ("The young person asked to be asked first: a request has been sent to them.",),
        )
    urgent = " It is marked urgent (break-glass)." if decision.urgent else ""
    return ChronologyEntry(
        event,
        Status.WAITING_ON_AGENCY,
        (f"Waiting for {event.agency} to approve sharing it: a request is in its inbox.{urgent}",),
    )


# Answering a pending release ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PendingRelease:
    id: int
    request_id: str
    event_id: int
    pending_on: str
    agency: str
    person_id: str
    urgent: bool
    status: str
    created_at: dt.datetime
    answered_by: str | None
    answered_at: dt.datetime | None
    reason: str | None
    asked_by: str
    purpose: str
    lawful_basis: str

    @property
    def waited(self) -> dt.timedelta | None:
        """How long the answer took; None while it is still waiting."""
        return None if self.answered_at is None else self.answered_at - self.created_at


def releases(
    store: Store,
    *,
    agency: str | None = None,
    person_id: str | None = None,
    pending_on: str,
) -> list[PendingRelease]:
    """Releases pending on an agency (its inbox) or on a young person, newest first."""
    query = (
        select(
            pending_releases,
            agencies.c.name.label("agency"),
            practitioners.c.ref.label("asked_by"),
            sharing_requests.c.purpose,
            sharing_requests.c.lawful_basis,
        )
        .join(agencies, agencies.c.id == pending_releases.c.agency_id)
        .join(sharing_requests, sharing_requests.c.id == pending_releases.c.request_id)
        .join(practitioners, practitioners.c.id == sharing_requests.c.practitioner_id)
        .where(pending_releases.c.pending_on == pending_on)
        .order_by(pending_releases.c.created_at.desc(), pending_releases.c.id.desc())
    )
    if agency is not None:
        query = query.where(agencies.c.name == agency)
    if person_id is not None:
        query = query.where(pending_releases.c.person_id == person_id)
    with store.engine.connect() as conn:
        return [_release(row) for row in conn.execute(query)]


def answer(
    store: Store,
    release_id: int,
    *,
    approve: bool,
    by: str,
    reason: str,
    now: dt.datetime,
    agency: str | None = None,
    person_id: str | None = None,
) -> PendingRelease:
    """Approve or decline a pending release, as the holding agency (`agency`) or the young
    person (`person_id`); the answer and its audit entry are kept together or not at all.
    A release that is not theirs, or not waiting, is not found."""
    with write_transaction(store) as conn:
        # Locked (PostgreSQL; SQLite's write transaction excludes the rest): a second answer
        # given at the same moment waits, then finds it answered.
        row = conn.execute(
            select(pending_releases, agencies.c.name.label("agency"))
            .join(agencies, agencies.c.id == pending_releases.c.agency_id)
            .where(pending_releases.c.id == release_id)
            .with_for_update(of=pending_releases)
        ).first()
        mine = row is not None and (
            (agency is not None and row.pending_on == "originator" and row.agency == agency)
            or (
                person_id is not None
                and row.pending_on == "young_person"
                and row.person_id == person_id
            )
        )
        if row is None or not mine or row.status != "pending":
            raise NotFound("no such request waiting for your answer")
        entry = AuditEntry(
            kind=EntryKind.APPROVAL if approve else EntryKind.REFUSAL,
            at=now,
            actor=by,
            actor_agency=agency,
            person=row.person_id,
            request=row.request_id,
            record_agency=row.agency,
            record_ref=f"ev-{row.event_id}",
            reasons=None if approve else (_declined_by(person_id),),
        )
        append_in(conn, [entry])
        conn.execute(
            update(pending_releases)
            .where(pending_releases.c.id == release_id)
            .values(
                status="approved" if approve else "declined",
                answered_by=by,
                answered_at=now,
                reason=reason.strip() or None,
            )
        )
    return next(
        r
        for r in releases(
            store,
            agency=agency,
            person_id=person_id,
            pending_on="originator" if agency is not None else "young_person",
        )
        if r.id == release_id
    )


def _declined_by(person_id: str | None) -> str:
    return "declined_by_originator" if person_id is None else "declined_by_young_person"


def _release(row: Any) -> PendingRelease:
    return PendingRelease(
        id=row.id,
        request_id=row.request_id,
        event_id=row.event_id,
        pending_on=row.pending_on,
        agency=row.agency,
        person_id=row.person_id,
        urgent=row.urgent,
        status=row.status,
        created_at=row.created_at,
        answered_by=row.answered_by,
        answered_at=row.answered_at,
        reason=row.reason,
        asked_by=row.asked_by,
        purpose=row.purpose,
        lawful_basis=row.lawful_basis,
    )


def _practitioner_id(conn: Connection, ref: str) -> int:
    found = conn.execute(select(practitioners.c.id).where(practitioners.c.ref == ref)).scalar()
    if found is None:
        raise NotFound(f"no practitioner {ref!r}")
    return int(found)
