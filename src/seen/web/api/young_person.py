"""The young person's JSON API under /api/v1/me, and the agency side of contests under
/api/v1/inbox/contests: the same functions as the pages, so the same decisions, records
and refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from seen.domain.agencies import AgencyKind
from seen.domain.categories import CATEGORY_LABELS
from seen.errors import InvalidInput, NotFound
from seen.sharing import subject
from seen.sharing.contests import (
    Contest,
    agency_contest,
    agency_contests,
    answer_contest,
    my_contests,
    open_contest,
)
from seen.sharing.export import subject_export
from seen.sharing.voice import (
    VoiceEntry,
    add_voice,
    state_young_carer,
    voice_entries,
    young_carer_statement,
)
from seen.sharing.world_slice import Reader
from seen.store.governance import preference_history
from seen.store.tables import CONTEST_TEXT_LENGTH, VOICE_TEXT_LENGTH
from seen.web.access import AGENCY_API, YOUNG_PERSON_API, Viewer
from seen.web.api.problems import INVALID
from seen.web.api.tokens import Problem
from seen.web.context import WebContext
from seen.web.pages.inbox import agency_reader
from seen.web.params import MAX_ROW_ID, RowId

router = APIRouter(prefix="/api/v1", tags=["young person"])

_SIGNED_IN: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "No bearer token, or it has lapsed"},
    403: {"model": Problem, "description": "Only a young person's account may use this"},
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "Not yours, or not there: the same answer"},
}
_INVALID = INVALID
_AGENCY: dict[int | str, dict[str, Any]] = {
    401: _SIGNED_IN[401],
    403: {"model": Problem, "description": "Only an agency's practitioners and DPO may use this"},
}


def _context(request: Request) -> WebContext:
    context: WebContext = request.app.state.seen
    return context


def _person(viewer: Viewer) -> str:
    person = viewer.signed_in.person_id
    if person is None:
        raise HTTPException(404, detail="Not found.")
    return person


def _not_found() -> HTTPException:
    return HTTPException(404, detail="Not found.")


# Models -----------------------------------------------------------------------------------


class Record(BaseModel):
    event_id: int
    agency: str
    agency_kind: str
    what: str
    category: str
    category_label: str
    start: str
    end: str | None


class Access(BaseModel):
    at: str
    practitioner: str
    practitioner_agency: str | None
    record_agency: str
    category: str | None
    purpose: str
    outcome: Literal["allow", "deny", "pending"]
    pending_on: str | None
    break_glass: bool


class ChoiceNow(BaseModel):
    category: str
    recipient_kind: str
    choice: Literal["share", "ask_first", "do_not_share"] | None


class ChoiceChange(BaseModel):
    category: str = Field(description="A kind of record: " + ", ".join(CATEGORY_LABELS))
    recipient_kind: AgencyKind
    choice: Literal["share", "ask_first", "do_not_share"]


class ChoiceHistory(BaseModel):
    category: str
    recipient_kind: str
    choice: str
    recorded_at: dt.datetime
    recorded_by: str
    method: str
    notice: str


class Choices(BaseModel):
    notice: str
    choices: list[ChoiceNow]
    history: list[ChoiceHistory]


class WaitingRequest(BaseModel):
    id: int
    asked_by: str
    asked_by_agency: str | None
    purpose: str
    record: Record
    status: Literal["pending", "approved", "declined"]
    asked_at: dt.datetime
    answered_at: dt.datetime | None


class RequestAnswer(BaseModel):
    approve: bool


class Voice(BaseModel):
    id: int
    text: str
    about_event_id: int | None
    created_at: dt.datetime


class NewVoice(BaseModel):
    text: str = Field(min_length=1, max_length=VOICE_TEXT_LENGTH)
    about_event_id: int | None = Field(default=None, ge=0, le=MAX_ROW_ID)


class ContestOut(BaseModel):
    id: int
    event_id: int
    agency: str
    what: str
    text: str
    created_at: dt.datetime
    status: Literal["open", "answered"]
    outcome: Literal["agreed", "disagreed"] | None
    answer: str | None
    answered_at: dt.datetime | None


class AgencyContest(ContestOut):
    record_ref: str
    answered_by: str | None


class NewContest(BaseModel):
    text: str = Field(min_length=1, max_length=CONTEST_TEXT_LENGTH)


class ContestAnswer(BaseModel):
    outcome: Literal["agreed", "disagreed"]
    answer: str = Field(min_length=1, max_length=CONTEST_TEXT_LENGTH)


class YoungCarer(BaseModel):
    looks_after_someone: bool
    who_may_know: list[AgencyKind]
    stated_at: dt.datetime | None = None


def _voice(entry: VoiceEntry) -> Voice:
    return Voice(
        id=entry.id,
        text=entry.text,
        about_event_id=entry.about_event_id,
        created_at=entry.created_at,
    )


def _contest(contest: Contest) -> dict[str, Any]:
    return {
        "id": contest.id,
        "event_id": contest.event_id,
        "agency": contest.agency,
        "what": contest.what,
        "text": contest.text,
        "created_at": contest.created_at,
        "status": contest.status,
        "outcome": None if contest.outcome is None else contest.outcome.value,
        "answer": contest.answer,
        "answered_at": contest.answered_at,
    }


# Routes -----------------------------------------------------------------------------------


@router.get("/me/records", responses=_SIGNED_IN)
def records(request: Request, viewer: Viewer = YOUNG_PERSON_API) -> list[Record]:
    """Every record about you that you may see, decided and recorded now."""
    context = _context(request)
    shown = subject.my_records(context.store, _person(viewer), context.now())
    return [Record(**subject.record_fields(event)) for event in shown]


@router.get("/me/access", responses=_SIGNED_IN)
def access(request: Request, viewer: Viewer = YOUNG_PERSON_API) -> list[Access]:
    """Who asked to see your records, when, why and what happened, newest first."""
    context = _context(request)
    found = subject.access_history(context.store, _person(viewer))
    return [Access(**subject.access_fields(a)) for a in found]


def _choices(request: Request, person: str) -> Choices:
    context = _context(request)
    latest = subject.latest_choices(context.store, person)
    return Choices(
        notice=subject.CHOICES_NOTICE,
        choices=[
            ChoiceNow(
                category=category,
                recipient_kind=kind.value,
                choice=None if choice is None else choice.value,
            )
            for category in CATEGORY_LABELS
            for kind in AgencyKind
            for choice in [subject.effective_choice(latest, category, kind.value)]
        ],
        history=[
            ChoiceHistory(
                category=c.category,
                recipient_kind=c.recipient_kind,
                choice=c.choice.value,
                recorded_at=c.recorded_at,
                recorded_by=c.recorded_by,
                method=c.method,
                notice=c.notice,
            )
            for c in preference_history(context.store, person)
        ],
    )


@router.get("/me/choices", responses=_SIGNED_IN)
def choices(request: Request, viewer: Viewer = YOUNG_PERSON_API) -> Choices:
    """Your sharing choice for each kind of record and kind of agency, and their history."""
    return _choices(request, _person(viewer))


@router.post("/me/choices", responses={**_SIGNED_IN, **_INVALID})
def change_choice(
    change: ChoiceChange, request: Request, viewer: Viewer = YOUNG_PERSON_API
) -> Choices:
    """Make a choice for one kind of record going to one kind of agency."""
    context = _context(request)
    person = _person(viewer)
    try:
        subject.change_choice(
            context.store,
            person,
            change.category,
            change.recipient_kind.value,
            change.choice,
            context.now(),
        )
    except InvalidInput as problem:
        raise problem from None
    return _choices(request, person)


def _waiting(waiting: subject.WaitingRequest) -> WaitingRequest:
    release = waiting.release
    return WaitingRequest(
        id=release.id,
        asked_by=release.asked_by,
        asked_by_agency=waiting.asked_by_agency,
        purpose=release.purpose,
        record=Record(**subject.record_fields(waiting.event)),
        status=release.status,  # type: ignore[arg-type]
        asked_at=release.created_at,
        answered_at=release.answered_at,
    )


@router.get("/me/requests", responses=_SIGNED_IN)
def requests(request: Request, viewer: Viewer = YOUNG_PERSON_API) -> list[WaitingRequest]:
    """Requests to see your records that had to ask you first, answered or not."""
    context = _context(request)
    return [_waiting(w) for w in subject.my_requests(context.store, _person(viewer), context.now())]


@router.post("/me/requests/{release_id}", responses={**_SIGNED_IN, **_NOT_FOUND, **_INVALID})
def answer_request(
    release_id: RowId, body: RequestAnswer, request: Request, viewer: Viewer = YOUNG_PERSON_API
) -> WaitingRequest:
    """Say yes or no to a request waiting for your answer."""
    context = _context(request)
    try:
        answered = subject.answer_request(
            context.store, _person(viewer), release_id, body.approve, context.now()
        )
    except NotFound:
        raise _not_found() from None
    return _waiting(answered)


@router.get("/me/voice", responses=_SIGNED_IN)
def voice(request: Request, viewer: Viewer = YOUNG_PERSON_API) -> list[Voice]:
    """What you have said in your own words, oldest first."""
    context = _context(request)
    return [_voice(entry) for entry in voice_entries(context.store, _person(viewer))]


@router.post("/me/voice", status_code=201, responses={**_SIGNED_IN, **_NOT_FOUND, **_INVALID})
def new_voice(body: NewVoice, request: Request, viewer: Viewer = YOUNG_PERSON_API) -> Voice:
    """Say something in your own words, about one of your records or about nothing in
    particular."""
    context = _context(request)
    try:
        entry = add_voice(
            context.store, _person(viewer), body.text, body.about_event_id, context.now()
        )
    except NotFound:
        raise _not_found() from None
    except InvalidInput as problem:
        raise problem from None
    return _voice(entry)


@router.post(
    "/me/records/{event_id}/contests",
    status_code=201,
    responses={**_SIGNED_IN, **_NOT_FOUND, **_INVALID},
)
def new_contest(
    event_id: RowId, body: NewContest, request: Request, viewer: Viewer = YOUNG_PERSON_API
) -> ContestOut:
    """Say one of your records is wrong: it goes to the agency that holds it."""
    context = _context(request)
    try:
        contest = open_contest(context.store, _person(viewer), event_id, body.text, context.now())
    except NotFound:
        raise _not_found() from None
    except InvalidInput as problem:
        raise problem from None
    return ContestOut(**_contest(contest))


@router.get("/me/contests", responses=_SIGNED_IN)
def contests(request: Request, viewer: Viewer = YOUNG_PERSON_API) -> list[ContestOut]:
    """The records you said are wrong, and the agencies' answers."""
    context = _context(request)
    found = my_contests(context.store, _person(viewer), context.now())
    return [ContestOut(**_contest(c)) for c in found]


def _young_carer(request: Request, person: str) -> YoungCarer:
    statement = young_carer_statement(_context(request).store, person)
    if statement is None:
        return YoungCarer(looks_after_someone=False, who_may_know=[])
    return YoungCarer(
        looks_after_someone=statement.looks_after,
        who_may_know=list(statement.who_may_know),
        stated_at=statement.stated_at,
    )


@router.get("/me/young-carer", responses=_SIGNED_IN)
def young_carer(request: Request, viewer: Viewer = YOUNG_PERSON_API) -> YoungCarer:
    """Whether you told Seen you look after someone at home, and who may know (no
    `stated_at`: you have not said)."""
    return _young_carer(request, _person(viewer))


@router.put("/me/young-carer", responses={**_SIGNED_IN, **_INVALID})
def state(body: YoungCarer, request: Request, viewer: Viewer = YOUNG_PERSON_API) -> YoungCarer:
    """Say you look after someone at home and who may know, change it, or take it back
    (`looks_after_someone: false`). Sets your choices for young carer records with it."""
    context = _context(request)
    person = _person(viewer)
    state_young_carer(
        context.store,
        person,
        body.looks_after_someone,
        [kind.value for kind in body.who_may_know],
        context.now(),
    )
    return _young_carer(request, person)


@router.get("/me/export", responses=_SIGNED_IN)
def export(request: Request, viewer: Viewer = YOUNG_PERSON_API) -> dict[str, Any]:
    """Everything Seen holds about you, as on /me/download."""
    context = _context(request)
    return subject_export(context.store, _person(viewer), context.now())


# The agency side of contests ----------------------------------------------------------------


def _reader(viewer: Viewer) -> Reader:
    if viewer.signed_in.agency is None:
        raise _not_found()
    return agency_reader(viewer)


def _agency_contest(contest: Contest) -> AgencyContest:
    return AgencyContest(
        **_contest(contest), record_ref=contest.record_ref, answered_by=contest.answered_by
    )


@router.get("/inbox/contests", tags=["inbox"], responses=_AGENCY)
def inbox_contests(request: Request, viewer: Viewer = AGENCY_API) -> list[AgencyContest]:
    """Records your agency holds that young people say are wrong, open ones first."""
    context = _context(request)
    found = agency_contests(context.store, _reader(viewer), context.now())
    return [_agency_contest(c) for c in found]


@router.get("/inbox/contests/{contest_id}", tags=["inbox"], responses={**_AGENCY, **_NOT_FOUND})
def inbox_contest(
    contest_id: RowId, request: Request, viewer: Viewer = AGENCY_API
) -> AgencyContest:
    """One contest of a record your agency holds, open or answered, as on its page."""
    context = _context(request)
    try:
        contest = agency_contest(context.store, _reader(viewer), contest_id, context.now())
    except NotFound:
        raise _not_found() from None
    return _agency_contest(contest)


@router.post(
    "/inbox/contests/{contest_id}",
    tags=["inbox"],
    responses={**_AGENCY, **_NOT_FOUND, **_INVALID},
)
def answer(
    contest_id: RowId, body: ContestAnswer, request: Request, viewer: Viewer = AGENCY_API
) -> AgencyContest:
    """Answer an open contest of your agency's record: agreed (you will correct it) or
    disagreed, with an explanation the young person reads."""
    context = _context(request)
    try:
        contest = answer_contest(
            context.store,
            contest_id,
            reader=_reader(viewer),
            outcome=body.outcome,
            answer=body.answer,
            now=context.now(),
        )
    except NotFound:
        raise _not_found() from None
    except InvalidInput as problem:
        raise problem from None
    return _agency_contest(contest)
