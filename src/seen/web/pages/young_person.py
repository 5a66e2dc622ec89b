"""The young person's own pages, under /me: what each agency holds about them, who looked at
it and why, their sharing choices, requests waiting for their answer, their own voice,
contesting a record, saying they look after someone at home, and downloading everything.

Every page asks seen.sharing (the same functions as the API under /api/v1/me), which decides
each record as the young person and records the decision before anything is shown. A record
id that is not theirs to see answers 404, like one that does not exist.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Final

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from seen.domain.agencies import AgencyKind
from seen.domain.categories import CATEGORY_LABELS
from seen.domain.sharing import Choice
from seen.errors import InvalidInput, NotFound
from seen.sharing import subject
from seen.sharing.contests import Outcome, my_contests, open_contest
from seen.sharing.export import subject_export
from seen.sharing.subject import (
    CATEGORY_EXPLANATIONS,
    PURPOSE_WORDS,
)
from seen.sharing.voice import (
    add_voice,
    voice_entries,
)
from seen.sharing.world_slice import HeldEvent
from seen.store.tables import CONTEST_TEXT_LENGTH, VOICE_TEXT_LENGTH
from seen.web.access import YOUNG_PERSON_PAGE, Viewer
from seen.web.context import WebContext
from seen.web.params import RowId
from seen.web.templating import Pages

router = APIRouter(include_in_schema=False)

# What each kind of agency is called on the young person's pages.
AGENCY_WORDS: Final[Mapping[AgencyKind, str]] = {
    AgencyKind.CHILDRENS_SERVICES: "Children's services at the council",
    AgencyKind.SCHOOL: "Your school",
    AgencyKind.HEALTH: "The NHS (health)",
    AgencyKind.POLICE: "The police",
    AgencyKind.YOUNG_CARERS_SERVICE: "The young carers' service",
}
CHOICE_HINTS: Final[Mapping[Choice, str]] = {
    Choice.SHARE: "They can see it when the rules allow it.",
    Choice.ASK_FIRST: "Seen asks you before they can see it.",
    Choice.DO_NOT_SHARE: "They cannot see it, except in an emergency.",
}
OUTCOME_WORDS: Final[Mapping[Outcome, str]] = {
    Outcome.AGREED: "They agreed it was wrong and will correct it",
    Outcome.DISAGREED: "They did not agree it was wrong",
}


def _context(request: Request) -> WebContext:
    context: WebContext = request.app.state.seen
    return context


def _person(viewer: Viewer) -> str:
    person = viewer.signed_in.person_id
    if person is None:  # a young person's account always has one; fail closed if not
        raise HTTPException(404)
    return person


def _render(
    request: Request, viewer: Viewer, template: str, title: str, **context: Any
) -> HTMLResponse:
    pages: Pages = request.app.state.pages
    return pages.render(request, viewer, template, title, **context)


def day(value: dt.date | dt.datetime) -> str:
    """A date as GOV.UK writes it: 2 November 2026."""
    return f"{value.day} {value:%B %Y}"


def moment(value: dt.datetime) -> str:
    return f"{day(value)} at {value:%H:%M}"


def _agency_kind_words(kind: str) -> str:
    try:
        return AGENCY_WORDS[AgencyKind(kind)]
    except ValueError:
        return kind


# What is held ---------------------------------------------------------------------------


def _record_item(event: HeldEvent, contested: set[int]) -> dict[str, Any]:
    when = day(event.start) + (f" to {day(event.end)}" if event.end else "")
    return {
        "kind": "record",
        "id": event.event_id,
        "heading": event.description,
        "when": when,
        "category": CATEGORY_LABELS.get(event.category, event.category),
        "explanation": CATEGORY_EXPLANATIONS.get(event.category, ""),
        "contested": event.event_id in contested,
    }


@router.get("/me")
def what_is_held(request: Request, viewer: Viewer = YOUNG_PERSON_PAGE) -> HTMLResponse:
    context = _context(request)
    person = _person(viewer)
    now = context.now()
    shown = subject.my_records(context.store, person, now)
    visible = {event.event_id for event in shown}
    contested = {c.event_id for c in my_contests(context.store, person, now, shown)}
    said = voice_entries(context.store, person)
    about: dict[int, list[dict[str, Any]]] = {}
    general = []
    for entry in said:
        item = {"kind": "voice", "text": entry.text, "when": day(entry.created_at)}
        if entry.about_event_id in visible:
            about.setdefault(entry.about_event_id, []).append(item)
        else:
            general.append(item)
    groups = []
    for agency, held in subject.by_agency(shown).items():
        items = []
        for event in held:
            items.append(_record_item(event, contested))
            items.extend(about.get(event.event_id, []))
        groups.append(
            {
                "title": AGENCY_WORDS.get(held[0].agency_kind, agency),
                "agency": agency,
                "items": items,
            }
        )
    return _render(
        request,
        viewer,
        "me/records.html",
        "What is held about you",
        groups=groups,
        general=general,
    )


# Who looked -----------------------------------------------------------------------------


@router.get("/me/access")
def who_looked(request: Request, viewer: Viewer = YOUNG_PERSON_PAGE) -> HTMLResponse:
    context = _context(request)
    person = _person(viewer)
    rows = [
        {
            "when": moment(access.when),
            "who": access.practitioner,
            "agency": access.practitioner_agency or "an unknown agency",
            "why": subject.access_why(access),
            "what": CATEGORY_LABELS.get(access.category or "", "A record")
            + f" (kept by {access.record_agency})",
            "happened": subject.access_words(access),
            "emergency": access.break_glass,
        }
        for access in subject.access_history(context.store, person)
    ]
    return _render(request, viewer, "me/access.html", "Who looked at your records", rows=rows)


# Requests waiting for them ----------------------------------------------------------------


def _request_item(waiting: subject.WaitingRequest) -> dict[str, Any]:
    release = waiting.release
    return {
        "id": release.id,
        "who": release.asked_by,
        "agency": waiting.asked_by_agency or "an agency",
        "what": waiting.event.description,
        "held_by": waiting.event.agency,
        "why": PURPOSE_WORDS.get(release.purpose, release.purpose),
        "asked": moment(release.created_at),
        "status": release.status,
        "answered": moment(release.answered_at) if release.answered_at else None,
    }


@router.get("/me/requests")
def requests_page(request: Request, viewer: Viewer = YOUNG_PERSON_PAGE) -> HTMLResponse:
    context = _context(request)
    person = _person(viewer)
    found = [_request_item(w) for w in subject.my_requests(context.store, person, context.now())]
    return _render(
        request,
        viewer,
        "me/requests.html",
        "Requests to see your records",
        waiting=[r for r in found if r["status"] == "pending"],
        answered=[r for r in found if r["status"] != "pending"],
    )


@router.post("/me/requests/{release_id}")
def answer_request(
    release_id: RowId,
    request: Request,
    answer: Annotated[str, Form(max_length=8)] = "",
    viewer: Viewer = YOUNG_PERSON_PAGE,
) -> Response:
    context = _context(request)
    person = _person(viewer)
    if answer not in ("yes", "no"):
        return _requests_with_error(request, viewer, release_id)
    try:
        subject.answer_request(context.store, person, release_id, answer == "yes", context.now())
    except NotFound:
        raise HTTPException(404) from None
    return RedirectResponse("/me/requests", status_code=303)


def _requests_with_error(request: Request, viewer: Viewer, release_id: int) -> HTMLResponse:
    context = _context(request)
    person = _person(viewer)
    found = [_request_item(w) for w in subject.my_requests(context.store, person, context.now())]
    waiting = [r for r in found if r["status"] == "pending"]
    if release_id not in {r["id"] for r in waiting}:
        raise HTTPException(404)
    pages: Pages = request.app.state.pages
    return pages.render(
        request,
        viewer,
        "me/requests.html",
        "Requests to see your records",
        status=400,
        errors=[{"text": "Choose yes or no", "href": f"#answer-{release_id}"}],
        error_id=release_id,
        waiting=waiting,
        answered=[r for r in found if r["status"] != "pending"],
    )


# My voice -------------------------------------------------------------------------------


def _voice_page(
    request: Request,
    viewer: Viewer,
    about: HeldEvent | None,
    text: str = "",
    errors: Sequence[dict[str, str]] = (),
) -> HTMLResponse:
    context = _context(request)
    person = _person(viewer)
    said = [
        {"text": entry.text, "when": day(entry.created_at)}
        for entry in reversed(voice_entries(context.store, person))
    ]
    pages: Pages = request.app.state.pages
    return pages.render(
        request,
        viewer,
        "me/voice.html",
        "Your voice",
        status=400 if errors else 200,
        errors=errors,
        about=None
        if about is None
        else {"id": about.event_id, "what": about.description, "when": day(about.start)},
        text=text,
        limit=VOICE_TEXT_LENGTH,
        said=said,
    )


def _about(request: Request, viewer: Viewer, event_id: int | None) -> HeldEvent | None:
    if event_id is None:
        return None
    context = _context(request)
    try:
        return subject.my_record(context.store, _person(viewer), event_id, context.now())
    except NotFound:
        raise HTTPException(404) from None


@router.get("/me/voice")
def voice_page(
    request: Request, about: int | None = None, viewer: Viewer = YOUNG_PERSON_PAGE
) -> HTMLResponse:
    return _voice_page(request, viewer, _about(request, viewer, about))


@router.post("/me/voice")
def add_voice_form(
    request: Request,
    text: Annotated[str, Form(max_length=4 * VOICE_TEXT_LENGTH)] = "",
    about: Annotated[int | None, Form()] = None,
    viewer: Viewer = YOUNG_PERSON_PAGE,
) -> Response:
    context = _context(request)
    record = _about(request, viewer, about)
    try:
        add_voice(context.store, _person(viewer), text, about, context.now())
    except InvalidInput as problem:
        errors = [{"text": problem.message, "href": "#text"}]
        return _voice_page(request, viewer, record, text, errors)
    except NotFound:
        raise HTTPException(404) from None
    return RedirectResponse("/me" if about is not None else "/me/voice", status_code=303)


# Contesting a record ----------------------------------------------------------------------


def _contest_page(
    request: Request,
    viewer: Viewer,
    record: HeldEvent,
    text: str = "",
    errors: Sequence[dict[str, str]] = (),
) -> HTMLResponse:
    pages: Pages = request.app.state.pages
    return pages.render(
        request,
        viewer,
        "me/contest.html",
        "Tell them what is wrong",
        status=400 if errors else 200,
        errors=errors,
        record={
            "id": record.event_id,
            "what": record.description,
            "when": day(record.start),
            "agency": AGENCY_WORDS.get(record.agency_kind, record.agency),
            "agency_name": record.agency,
        },
        text=text,
        limit=CONTEST_TEXT_LENGTH,
    )


@router.get("/me/records/{event_id}/contest")
def contest_page(
    event_id: RowId, request: Request, viewer: Viewer = YOUNG_PERSON_PAGE
) -> HTMLResponse:
    record = _about(request, viewer, event_id)
    assert record is not None
    return _contest_page(request, viewer, record)


@router.post("/me/records/{event_id}/contest")
def contest_form(
    event_id: RowId,
    request: Request,
    text: Annotated[str, Form(max_length=4 * CONTEST_TEXT_LENGTH)] = "",
    viewer: Viewer = YOUNG_PERSON_PAGE,
) -> Response:
    context = _context(request)
    record = _about(request, viewer, event_id)
    assert record is not None
    try:
        open_contest(context.store, _person(viewer), event_id, text, context.now())
    except InvalidInput as problem:
        errors = [{"text": problem.message, "href": "#text"}]
        return _contest_page(request, viewer, record, text, errors)
    except NotFound:
        raise HTTPException(404) from None
    return RedirectResponse("/me/contests?sent=1", status_code=303)


@router.get("/me/contests")
def contests_page(
    request: Request, sent: int = 0, viewer: Viewer = YOUNG_PERSON_PAGE
) -> HTMLResponse:
    context = _context(request)
    person = _person(viewer)
    found = [
        {
            "what": contest.what,
            "when": day(contest.start),
            "agency": contest.agency,
            "text": contest.text,
            "sent": day(contest.created_at),
            "answered": contest.answered,
            "outcome": OUTCOME_WORDS[contest.outcome] if contest.outcome else None,
            "agreed": contest.outcome is Outcome.AGREED,
            "answer": contest.answer,
            "answered_on": day(contest.answered_at) if contest.answered_at else None,
        }
        for contest in my_contests(context.store, person, context.now())
    ]
    return _render(
        request,
        viewer,
        "me/contests.html",
        "Records you said are wrong",
        contests=found,
        sent=bool(sent),
    )


# Download -------------------------------------------------------------------------------


@router.get("/me/download")
def download(request: Request, viewer: Viewer = YOUNG_PERSON_PAGE) -> Response:
    context = _context(request)
    now = context.now()
    document = subject_export(context.store, _person(viewer), now)
    return Response(
        json.dumps(document, indent=2, ensure_ascii=False),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="seen-about-me-{now:%Y%m%d}.json"'},
    )
