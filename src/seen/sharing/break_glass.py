"""The break-glass review queue: every chronology request made with a written justification,
for a data protection officer or the partnership's administrator to say whether it was
appropriate (docs/web.md, "Governance").

A DPO sees the break-glass requests made by their own agency's practitioners and those about
a child their agency holds a record of (every record the hub holds about the child is
decided for a request, so their agency's records were asked for); the administrator sees
all. Any other request is not found, exactly like one that does not exist. A review is one
per request; its notes stay in the hub's tables, and its `break_glass_review` audit entry,
written in the same transaction, holds ids and the outcome code only.

Looking is recorded too: the queue and a request show who asked, about which child, and why
in the practitioner's own words, so every request shown is a `review_view` entry in the audit
log (the viewer, the child's person id, the request id and what was looked at) appended
before anything is returned; if the log cannot record it, nothing is.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from sqlalchemy import exists, insert, or_, select

from seen.audit.entry import AuditEntry, EntryKind
from seen.audit.log import append, append_in, stream_entries
from seen.errors import InvalidInput, NotFound
from seen.store import Store, write_transaction
from seen.store.tables import (
    agencies,
    break_glass_reviews,
    people,
    practitioners,
    records,
    sharing_requests,
)

NOTES_LENGTH: Final = 2000
ALREADY_REVIEWED: Final = "This break-glass request has been reviewed already"


class Outcome(StrEnum):
    APPROPRIATE = "appropriate"
    NOT_APPROPRIATE = "not_appropriate"

    @property
    def label(self) -> str:
        return "Appropriate" if self is Outcome.APPROPRIATE else "Not appropriate"


@dataclass(frozen=True, slots=True)
class Review:
    reviewer: str
    outcome: Outcome
    notes: str
    reviewed_at: dt.datetime


@dataclass(frozen=True, slots=True)
class BreakGlassRequest:
    id: str
    practitioner: str
    agency: str  # the practitioner's
    person_id: str
    purpose: str
    lawful_basis: str
    justification: str
    asked_at: dt.datetime
    records_shown: int  # distinct records shown under it, counted from the audit log
    review: Review | None


def break_glass_requests(
    store: Store, *, agency: str | None, viewer: str, now: dt.datetime
) -> list[BreakGlassRequest]:
    """The break-glass requests `agency`'s DPO may review (None: the administrator, all),
    newest first, with how many records each showed and its review if it has one; the look
    at each is recorded for `viewer` first."""
    query = _query(agency).order_by(sharing_requests.c.asked_at.desc(), sharing_requests.c.id)
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    shown = records_shown(store, {row.id for row in rows})
    found = [_request(row, shown.get(row.id, 0)) for row in rows]
    _record_looks(store, found, "break_glass_queue", viewer=viewer, agency=agency, now=now)
    return found


def break_glass_request(
    store: Store, request_id: str, *, agency: str | None, viewer: str, now: dt.datetime
) -> BreakGlassRequest:
    """One break-glass request the viewer may review, the look recorded first; NotFound
    otherwise, whether it exists or not."""
    found = _find(store, request_id, agency)
    _record_looks(store, [found], "break_glass_request", viewer=viewer, agency=agency, now=now)
    return found


def _find(store: Store, request_id: str, agency: str | None) -> BreakGlassRequest:
    with store.engine.connect() as conn:
        row = conn.execute(_query(agency).where(sharing_requests.c.id == request_id)).first()
    if row is None:
        raise NotFound("no such break-glass request")
    return _request(row, records_shown(store, {row.id}).get(row.id, 0))


def _record_looks(
    store: Store,
    found: Collection[BreakGlassRequest],
    looked_at: str,
    *,
    viewer: str,
    agency: str | None,
    now: dt.datetime,
) -> None:
    """A review_view entry for each request shown (none for an empty queue: it shows no
    child); raises AuditWriteError when the log cannot record them, so nothing is shown."""
    if not found:
        return
    append(
        store,
        [
            AuditEntry(
                kind=EntryKind.REVIEW_VIEW,
                at=now,
                actor=viewer,
                actor_agency=agency,
                person=request.person_id,
                request=request.id,
                reasons=(looked_at,),
            )
            for request in found
        ],
        now,
    )


def review_break_glass(
    store: Store,
    request_id: str,
    *,
    agency: str | None,
    reviewer: str,
    outcome: str,
    notes: str,
    now: dt.datetime,
) -> BreakGlassRequest:
    """Record the review of a break-glass request and its audit entry together, or neither.
    InvalidInput (a Problem per field) for a missing outcome or notes, or a request that has
    been reviewed already; NotFound for a request the viewer may not review."""
    from seen.domain.records import Problem

    request = _find(store, request_id, agency)
    problems = []
    if outcome not in {o.value for o in Outcome}:
        problems.append(
            Problem("review", "form", "outcome", "Choose whether the break-glass was appropriate")
        )
    notes = notes.strip()
    if not notes:
        problems.append(Problem("review", "form", "notes", "Write what the review found"))
    elif len(notes) > NOTES_LENGTH:
        problems.append(
            Problem("review", "form", "notes", f"Notes must be {NOTES_LENGTH} characters or fewer")
        )
    if request.review is not None:
        problems.append(Problem("review", "form", "outcome", ALREADY_REVIEWED))
    if problems:
        raise InvalidInput("the review was not recorded", problems)
    chosen = Outcome(outcome)
    entry = AuditEntry(
        kind=EntryKind.BREAK_GLASS_REVIEW,
        at=now,
        actor=reviewer,
        actor_agency=agency,
        person=request.person_id,
        request=request.id,
        reasons=(f"review_{chosen.value}",),
    )
    with write_transaction(store) as conn:
        # The request's row, locked, makes two reviews at one moment take turns here: on
        # PostgreSQL a write transaction alone excludes no other writer.
        conn.execute(
            select(sharing_requests.c.id)
            .where(sharing_requests.c.id == request.id)
            .with_for_update()
        )
        taken = conn.execute(
            select(break_glass_reviews.c.id).where(break_glass_reviews.c.request_id == request.id)
        ).first()
        if taken is not None:
            raise InvalidInput(
                "the review was not recorded",
                [Problem("review", "form", "outcome", ALREADY_REVIEWED)],
            )
        append_in(conn, [entry], now)
        conn.execute(
            insert(break_glass_reviews).values(
                request_id=request.id,
                reviewer=reviewer,
                outcome=chosen.value,
                notes=notes,
                reviewed_at=now,
            )
        )
    # What is returned was looked at under the review itself: its break_glass_review entry
    # names the reviewer, the child and the request, so no review_view is added.
    return _find(store, request_id, agency)


def records_shown(store: Store, request_ids: Collection[str]) -> dict[str, int]:
    """How many distinct records each request showed under break-glass, from the audit log:
    its `decision` entries that allowed a record with break_glass true, and the approvals of
    records that were pending for it. One pass over the log for every request asked."""
    if not request_ids:
        return {}
    wanted = set(request_ids)
    shown: dict[str, set[str]] = {}
    for _, data, _ in stream_entries(store):
        allowed = b'"decision":"allow"' in data and b'"break_glass":true' in data
        if not allowed and b'"kind":"approval"' not in data:
            continue
        body: Any = json.loads(data)
        request = body.get("request")
        if request in wanted:
            shown.setdefault(request, set()).add(str(body.get("record_ref", "")))
    return {request: len(refs) for request, refs in shown.items()}


def _query(agency: str | None) -> Any:
    asking_agency = agencies.alias("asking_agency")
    query = (
        select(
            sharing_requests,
            practitioners.c.ref.label("practitioner"),
            asking_agency.c.name.label("agency"),
            break_glass_reviews.c.reviewer,
            break_glass_reviews.c.outcome,
            break_glass_reviews.c.notes,
            break_glass_reviews.c.reviewed_at,
        )
        .join(practitioners, practitioners.c.id == sharing_requests.c.practitioner_id)
        .join(asking_agency, asking_agency.c.id == practitioners.c.agency_id)
        .outerjoin(break_glass_reviews, break_glass_reviews.c.request_id == sharing_requests.c.id)
        .where(sharing_requests.c.justification.is_not(None))
    )
    if agency is None:
        return query
    holding = (
        exists()
        .where(
            people.c.person_id == sharing_requests.c.person_id,
            records.c.id == people.c.record_id,
            agencies.c.id == records.c.agency_id,
            agencies.c.name == agency,
        )
        .correlate(sharing_requests)
    )
    return query.where(or_(asking_agency.c.name == agency, holding))


def _request(row: Any, shown: int) -> BreakGlassRequest:
    review = (
        None
        if row.reviewer is None
        else Review(row.reviewer, Outcome(row.outcome), row.notes, row.reviewed_at)
    )
    return BreakGlassRequest(
        id=row.id,
        practitioner=row.practitioner,
        agency=row.agency,
        person_id=row.person_id,
        purpose=row.purpose,
        lawful_basis=row.lawful_basis,
        justification=row.justification,
        asked_at=row.asked_at,
        records_shown=shown,
        review=review,
    )
