"""An agency's inbox: requests from other agencies' practitioners to see one of its records,
which its agreement releases only with its approval (docs/web.md, "A practitioner's
journeys"). Its practitioners and its DPO approve or decline each, declining with a reason;
the answer and its audit entry are written together (seen.sharing.chronology.answer).

The inbox shows the holding agency its own record (what it is and when), which it holds
anyway; it never shows another agency's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from seen.domain.records import Problem
from seen.errors import InvalidInput, NotFound
from seen.sharing.chronology import PendingRelease, answer, releases
from seen.sharing.world_slice import HeldEvent, held_events
from seen.store import Store
from seen.store.tables import agencies, practitioners

NO_SUCH_RELEASE = "no such request waiting for your answer"
MAX_ANSWER_REASON = 1000  # pending_releases.reason


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
    answered: tuple[InboxItem, ...]  # most recently asked first


def inbox(store: Store, agency: str) -> Inbox:
    """The releases pending on `agency` as the holder of the record, waiting and answered."""
    items = _items(store, releases(store, agency=agency, pending_on="originator"))
    waiting = [item for item in items if item.release.status == "pending"]
    return Inbox(
        agency,
        tuple(sorted(waiting, key=lambda item: (item.release.created_at, item.release.id))),
        tuple(item for item in items if item.release.status != "pending"),
    )


def inbox_item(store: Store, agency: str, release_id: int) -> InboxItem:
    """One release in the agency's inbox; one for another agency, or none, is not found."""
    found = [
        release
        for release in releases(store, agency=agency, pending_on="originator")
        if release.id == release_id
    ]
    if not found:
        raise NotFound(NO_SUCH_RELEASE)
    items = _items(store, found)
    if not items:
        raise NotFound(NO_SUCH_RELEASE)
    return items[0]


def respond(
    store: Store,
    agency: str,
    release_id: int,
    *,
    approve: bool | None,
    reason: str,
    by: str,
    now: dt.datetime,
) -> InboxItem:
    """Approve or decline a release waiting in the agency's inbox (a reason is needed to
    decline). One not in this agency's inbox, or already answered, is not found."""
    item = inbox_item(store, agency, release_id)
    if item.release.status != "pending":
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
    answer(store, release_id, approve=approve, by=by, reason=reason, now=now, agency=agency)
    return inbox_item(store, agency, release_id)


def _items(store: Store, found: list[PendingRelease]) -> list[InboxItem]:
    held = held_events(store, {release.event_id for release in found})
    askers = {release.asked_by for release in found}
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
        InboxItem(release, agency_of[release.asked_by], held[release.event_id])
        for release in found
        if release.event_id in held
    ]
