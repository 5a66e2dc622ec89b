"""An agency's inbox: requests from other agencies' practitioners to see one of its records,
which its agreement releases only with its approval (docs/web.md, "A practitioner's
journeys"). Its practitioners and its DPO approve or decline each, declining with a reason;
the answer and its audit entry are written together (seen.sharing.chronology.answer).

The inbox shows the holding agency its own record (what it is and when), which it holds
anyway; it never shows another agency's. Each record shown is still decided by the policy
for the reader and recorded in the audit log first (seen.sharing.own_records), under the
request it was asked for: a release whose record the policy does not allow is not listed, and
if the log cannot record the reads, nothing is shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from seen.domain.records import Problem
from seen.errors import InvalidInput, NotFound
from seen.sharing.chronology import PendingRelease, answer, releases
from seen.sharing.own_records import OwnRead, read_own_records
from seen.sharing.world_slice import HeldEvent, Reader
from seen.store import Store
from seen.store.tables import agencies, practitioners

NO_SUCH_RELEASE = "no such request waiting for your answer"
MAX_ANSWER_REASON = 1000  # pending_releases.reason
# Answers shown (and so decided and recorded) on each view: the most recently asked. Every
# answer ever given would make each view slower and the audit log longer as the inbox ages.
ANSWERED_SHOWN = 25


@dataclass(frozen=True, slots=True)
class InboxItem:
    release: PendingRelease
    asked_by_agency: str
    event: HeldEvent  # the agency's own record that was asked for

    def waited(self, now: dt.datetime) -> dt.timedelta:
        """How long the answer took, or while waiting, how long it has waited so far."""
        return self.release.waited or (now - self.release.created_at)


@dataclass(frozen=True, slots=True)
class Inbox:
    agency: str
    waiting: tuple[InboxItem, ...]  # oldest first: the longest wait at the top
    answered: tuple[InboxItem, ...]  # most recently asked first, at most ANSWERED_SHOWN
    answered_total: int  # answers given, shown or not


def inbox(store: Store, reader: Reader, now: dt.datetime) -> Inbox:
    """The releases pending on the reader's agency as the holder of the record, waiting and
    answered; each record decided and recorded now."""
    found = releases(store, agency=reader.agency, pending_on="originator")
    answered = [release for release in found if release.status != "pending"]
    shown = [release for release in found if release.status == "pending"]
    shown += answered[:ANSWERED_SHOWN]
    items = _items(store, reader, shown, now)
    waiting = [item for item in items if item.release.status == "pending"]
    return Inbox(
        reader.agency,
        tuple(sorted(waiting, key=lambda item: (item.release.created_at, item.release.id))),
        tuple(item for item in items if item.release.status != "pending"),
        len(answered),
    )


def inbox_item(store: Store, reader: Reader, release_id: int, now: dt.datetime) -> InboxItem:
    """One release in the reader's agency's inbox, decided and recorded now; one for another
    agency, or none, or whose record the policy does not let the reader see, is not found."""
    items = _items(store, reader, [_release(store, reader.agency, release_id)], now)
    if not items:
        raise NotFound(NO_SUCH_RELEASE)
    return items[0]


def respond(
    store: Store,
    reader: Reader,
    release_id: int,
    *,
    approve: bool | None,
    reason: str,
    now: dt.datetime,
) -> InboxItem:
    """Approve or decline, as `reader`, a release waiting in their agency's inbox (a reason
    is needed to decline). One not in this agency's inbox, already answered, or whose record
    the reader may not see, is not found."""
    release = _release(store, reader.agency, release_id)
    if release.status != "pending":
        raise NotFound(NO_SUCH_RELEASE)
    problems = []
    if approve is None:
        problems.append(Problem("answer", "form", "answer", "Choose whether to share the record"))
    elif not approve and not reason.strip():
        problems.append(
            Problem("answer", "form", "reason", "Write why you are declining to share it")
        )
    if len(reason.strip()) > MAX_ANSWER_REASON:
        problems.append(
            Problem("answer", "form", "reason", f"Write {MAX_ANSWER_REASON} characters or fewer")
        )
    if problems:
        raise InvalidInput("the answer is not complete", problems)
    assert approve is not None
    # The record is decided (and the read recorded) before it is released or returned.
    items = _items(store, reader, [release], now)
    if not items:
        raise NotFound(NO_SUCH_RELEASE)
    answered = answer(
        store,
        release_id,
        approve=approve,
        by=reader.id,
        reason=reason,
        now=now,
        agency=reader.agency,
    )
    return InboxItem(answered, items[0].asked_by_agency, items[0].event)


def _release(store: Store, agency: str, release_id: int) -> PendingRelease:
    """The release if it is in the agency's inbox (nothing about its record yet)."""
    for release in releases(store, agency=agency, pending_on="originator"):
        if release.id == release_id:
            return release
    raise NotFound(NO_SUCH_RELEASE)


def _items(
    store: Store, reader: Reader, found: list[PendingRelease], now: dt.datetime
) -> list[InboxItem]:
    reads = [
        OwnRead(release.event_id, release.request_id, release.purpose, release.lawful_basis)
        for release in found
    ]
    shown = read_own_records(store, reader, reads, now)
    askers = {release.asked_by for release in found}
    if not askers:
        return []
    with store.engine.connect() as conn:
        agency_of = {
            row.ref: row.name
            for row in conn.execute(
                select(practitioners.c.ref, agencies.c.name)
                .join(agencies, agencies.c.id == practitioners.c.agency_id)
                .where(practitioners.c.ref.in_(sorted(askers)))
            )
        }
    return [
        InboxItem(release, agency_of[release.asked_by], event)
        for release, event in zip(found, shown, strict=True)
        if event is not None and event.agency == reader.agency
    ]
