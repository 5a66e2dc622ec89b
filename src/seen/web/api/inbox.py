"""An agency's inbox as JSON: requests to release its records, approved or declined with a
reason. The same seen.sharing.inbox functions as the pages: another agency's release is 404,
exactly as one that does not exist."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from seen.sharing import inbox as agency_inbox
from seen.sharing.inbox import MAX_ANSWER_REASON, InboxItem
from seen.sharing.world_slice import Reader
from seen.web.access import AGENCY_API, Viewer
from seen.web.api.practice import not_found, responses
from seen.web.context import WebContext
from seen.web.pages.inbox import agency_reader
from seen.web.params import RowId

router = APIRouter(prefix="/api/v1", tags=["agencies"])


class Record(BaseModel):
    """Your agency's own record that was asked for."""

    record_ref: str
    description: str
    start: dt.date
    end: dt.date | None


class Release(BaseModel):
    id: int
    status: str = Field(description="pending, approved or declined")
    urgent: bool = Field(description="Asked under break-glass")
    asked_by: str
    asked_by_agency: str
    purpose: str
    lawful_basis: str
    record: Record
    asked_at: dt.datetime
    answered_by: str | None
    answered_at: dt.datetime | None
    reason: str | None
    waited_seconds: int = Field(description="How long it took, or has waited so far")


class InboxView(BaseModel):
    agency: str
    waiting: list[Release] = Field(description="Longest waiting first")
    answered: list[Release] = Field(description="The most recently asked answers")
    answered_total: int = Field(description="Answers given, including those not listed")


class Answer(BaseModel):
    approve: bool
    reason: str = Field(default="", max_length=MAX_ANSWER_REASON + 100)


def _reader(viewer: Viewer) -> Reader:
    if viewer.signed_in.agency is None:
        raise HTTPException(404, detail="Not found.")
    return agency_reader(viewer)


def _release(item: InboxItem, now: dt.datetime) -> Release:
    release, event = item.release, item.event
    return Release(
        id=release.id,
        status=release.status,
        urgent=release.urgent,
        asked_by=release.asked_by,
        asked_by_agency=item.asked_by_agency,
        purpose=release.purpose,
        lawful_basis=release.lawful_basis,
        record=Record(
            record_ref=event.record_ref,
            description=event.description,
            start=event.start,
            end=event.end,
        ),
        asked_at=release.created_at,
        answered_by=release.answered_by,
        answered_at=release.answered_at,
        reason=release.reason,
        waited_seconds=int(item.waited(now).total_seconds()),
    )


@router.get("/inbox", responses=responses())
def inbox(request: Request, viewer: Viewer = AGENCY_API) -> InboxView:
    """Requests from other agencies' practitioners to release your agency's records."""
    context: WebContext = request.app.state.seen
    now = context.now()
    box = agency_inbox.inbox(context.store, _reader(viewer), now)
    return InboxView(
        agency=box.agency,
        waiting=[_release(item, now) for item in box.waiting],
        answered=[_release(item, now) for item in box.answered],
        answered_total=box.answered_total,
    )


@router.get("/inbox/{release_id:int}", responses=responses(404))
def release(request: Request, release_id: RowId, viewer: Viewer = AGENCY_API) -> Release:
    """One release in your agency's inbox, waiting or answered, as on /inbox/{id}."""
    context: WebContext = request.app.state.seen
    now = context.now()
    with not_found():
        item = agency_inbox.inbox_item(context.store, _reader(viewer), release_id, now)
    return _release(item, now)


@router.post("/inbox/{release_id}", responses=responses(404, 422))
def answer(
    request: Request, release_id: RowId, body: Answer, viewer: Viewer = AGENCY_API
) -> Release:
    """Approve or decline one waiting release (a reason is needed to decline)."""
    context: WebContext = request.app.state.seen
    now = context.now()
    with not_found():
        item = agency_inbox.respond(
            context.store,
            _reader(viewer),
            release_id,
            approve=body.approve,
            reason=body.reason,
            now=now,
        )
    return _release(item, now)
