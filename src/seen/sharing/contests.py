"""A young person saying a record about them is wrong, and the holding agency's answer.

The young person contests a record they may see (decided by the policy and recorded, like
every look at it); the contest goes to the inbox of the agency that holds the record, whose
practitioners and data protection officer answer it: agreed (and the agency corrects its
record) or disagreed, with an explanation that comes back to the young person. Opening and
answering are each recorded in the audit log by ids and codes only, in the same transaction;
the words of both sides stay in `contests`.

The agency's inbox of contests shows its practitioners and DPO the contested record and the
young person's words: each record is decided by the policy for the reader (their own
agency's record) and the read recorded in the audit log first, under the contest's id
(seen.sharing.own_records). A contest whose record the policy does not let them see is not
shown, and if the log cannot record the reads, nothing is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from sqlalchemy import insert, select, update

from seen.audit.entry import AuditEntry, EntryKind
from seen.audit.log import append_in
from seen.domain.events import EventKind
from seen.domain.sharing import LawfulBasis, Purpose
from seen.errors import InvalidInput, NotFound
from seen.sharing.own_records import OwnRead, read_own_records
from seen.sharing.subject import my_record, my_records
from seen.sharing.voice import clean_text
from seen.sharing.world_slice import HeldEvent, Reader, policy_id
from seen.store import Store, write_transaction
from seen.store.tables import CONTEST_TEXT_LENGTH, agencies, events, records
from seen.store.tables import contests as contest_table

# What an agency reads a contested record for, in the policy's vocabulary (which asks every
# practitioner's read for a purpose and lawful basis): keeping the child's records right is
# part of safeguarding them, under the agency's public task. The vocabulary has no purpose
# of its own for answering a young person's challenge; the decision entry's request,
# contest-<id>, says that this is what the read was for.
CONTEST_PURPOSE: Final = Purpose.SAFEGUARDING.value
CONTEST_BASIS: Final = LawfulBasis.PUBLIC_TASK.value
NO_SUCH_CONTEST: Final = "no such contest waiting for your answer"


class Outcome(StrEnum):
    AGREED = "agreed"  # the agency agrees the record is wrong and corrects it
    DISAGREED = "disagreed"


@dataclass(frozen=True, slots=True)
class Contest:
    id: int
    person_id: str
    event_id: int
    agency: str
    record_ref: str  # the holding agency's own reference for the child's record
    what: str  # the record, in words
    start: dt.date
    text: str
    created_at: dt.datetime
    status: str  # open or answered
    outcome: Outcome | None
    answer: str | None
    answered_by: str | None
    answered_at: dt.datetime | None

    @property
    def answered(self) -> bool:
        return self.status == "answered"


def open_contest(
    store: Store, person_id: str, event_id: int, text: str, now: dt.datetime
) -> Contest:
    """The young person says one of their records is wrong; NotFound for a record that is
    not theirs to see."""
    cleaned = clean_text(text, CONTEST_TEXT_LENGTH, "what is wrong")
    event = my_record(store, person_id, event_id, now)
    with write_transaction(store) as conn:
        agency_id = conn.execute(
            select(agencies.c.id).where(agencies.c.name == event.agency)
        ).scalar_one()
        contest_id = conn.execute(
            insert(contest_table)
            .values(
                person_id=person_id,
                event_id=event_id,
                agency_id=agency_id,
                text=cleaned,
                created_at=now,
                status="open",
            )
            .returning(contest_table.c.id)
        ).scalar_one()
        append_in(
            conn,
            [
                AuditEntry(
                    kind=EntryKind.CONTEST_OPENED,
                    at=now,
                    actor=person_id,
                    person=person_id,
                    request=f"contest-{contest_id}",
                    record_agency=event.agency,
                    record_ref=policy_id(event_id),
                )
            ],
            now,
        )
    return _one(store, int(contest_id))


def contests_of_person(store: Store, person_id: str) -> list[Contest]:
    """The young person's contests, newest first."""
    return _query(store, contest_table.c.person_id == person_id)


def my_contests(
    store: Store, person_id: str, now: dt.datetime, shown: Sequence[HeldEvent] | None = None
) -> list[Contest]:
    """The young person's contests of records they may still see (`shown`, or deciding
    those, recorded, now): a record withheld from them since is not mentioned."""
    found = contests_of_person(store, person_id)
    if not found:
        return []
    if shown is None:
        shown = my_records(store, person_id, now)
    visible = {event.event_id for event in shown}
    return [contest for contest in found if contest.event_id in visible]


def agency_contests(store: Store, reader: Reader, now: dt.datetime) -> list[Contest]:
    """The contests of records the reader's agency holds, open ones first, newest first;
    each record decided for the reader and the read recorded, now."""
    found = sorted(_query(store, agencies.c.name == reader.agency), key=lambda c: c.answered)
    return _readable(store, reader, found, now)


def agency_contest(
    store: Store, reader: Reader, contest_id: int, now: dt.datetime, *, open_only: bool = False
) -> Contest:
    """One contest of a record the reader's agency holds, decided and recorded now; another
    agency's, none, one the reader may not see (or, `open_only`, one answered) is not
    found, all alike."""
    found = [
        contest
        for contest in _query(store, contest_table.c.id == contest_id)
        if contest.agency == reader.agency and not (open_only and contest.answered)
    ]
    shown = _readable(store, reader, found, now)
    if not shown:
        raise NotFound(NO_SUCH_CONTEST)
    return shown[0]


def answer_contest(
    store: Store,
    contest_id: int,
    *,
    reader: Reader,
    outcome: str,
    answer: str,
    now: dt.datetime,
) -> Contest:
    """The reader's agency answers an open contest; NotFound for another agency's contest,
    one already answered, or one whose record the reader may not see (decided, and the read
    recorded, before anything is written or returned)."""
    if outcome not in {o.value for o in Outcome}:
        raise InvalidInput("Choose whether you agree or disagree")
    cleaned = clean_text(answer, CONTEST_TEXT_LENGTH, "your explanation")
    agency_contest(store, reader, contest_id, now, open_only=True)
    with write_transaction(store) as conn:
        # Locked, as a release is when answered: a second answer at the same moment waits,
        # then finds the contest answered.
        row = conn.execute(
            select(contest_table, agencies.c.name.label("agency"))
            .join(agencies, agencies.c.id == contest_table.c.agency_id)
            .where(contest_table.c.id == contest_id)
            .with_for_update(of=contest_table)
        ).first()
        if row is None or row.agency != reader.agency or row.status != "open":
            raise NotFound(NO_SUCH_CONTEST)
        append_in(
            conn,
            [
                AuditEntry(
                    kind=EntryKind.CONTEST_ANSWERED,
                    at=now,
                    actor=reader.id,
                    actor_agency=reader.agency,
                    person=row.person_id,
                    request=f"contest-{contest_id}",
                    record_agency=reader.agency,
                    record_ref=policy_id(row.event_id),
                    reasons=(f"contest_{outcome}",),
                )
            ],
            now,
        )
        conn.execute(
            update(contest_table)
            .where(contest_table.c.id == contest_id)
            .values(
                status="answered",
                outcome=outcome,
                answer=cleaned,
                answered_by=reader.id,
                answered_at=now,
            )
        )
    return _one(store, contest_id)


def _readable(
    store: Store, reader: Reader, found: list[Contest], now: dt.datetime
) -> list[Contest]:
    """The contests whose record the policy lets the reader see, every read recorded."""
    reads = [
        OwnRead(contest.event_id, f"contest-{contest.id}", CONTEST_PURPOSE, CONTEST_BASIS)
        for contest in found
    ]
    shown = read_own_records(store, reader, reads, now)
    return [
        contest
        for contest, event in zip(found, shown, strict=True)
        if event is not None and event.agency == reader.agency
    ]


def _one(store: Store, contest_id: int) -> Contest:
    (found,) = _query(store, contest_table.c.id == contest_id)
    return found


def _query(store: Store, condition: Any) -> list[Contest]:
    query = (
        select(
            contest_table,
            agencies.c.name.label("agency"),
            records.c.record_ref,
            events.c.kind,
            events.c.code,
            events.c.start_date,
        )
        .join(agencies, agencies.c.id == contest_table.c.agency_id)
        .join(events, events.c.id == contest_table.c.event_id)
        .join(records, records.c.id == events.c.record_id)
        .where(condition)
        .order_by(contest_table.c.created_at.desc(), contest_table.c.id.desc())
    )
    with store.engine.connect() as conn:
        return [_contest(row) for row in conn.execute(query)]


def _contest(row: Any) -> Contest:
    spec = EventKind(row.kind).spec
    what = spec.label
    if row.code is not None and spec.codes is not None and row.code in spec.codes:
        what = f"{spec.label}: {spec.codes[row.code]}"
    return Contest(
        id=row.id,
        person_id=row.person_id,
        event_id=row.event_id,
        agency=row.agency,
        record_ref=row.record_ref,
        what=what,
        start=row.start_date,
        text=row.text,
        created_at=row.created_at,
        status=row.status,
        outcome=Outcome(row.outcome) if row.outcome else None,
        answer=row.answer,
        answered_by=row.answered_by,
        answered_at=row.answered_at,
    )
