"""An agency's inbox of records young people say are wrong (/inbox/contests): its
practitioners and data protection officer read each contest of a record their agency holds
and answer it, agreeing (and correcting their record) or not, with an explanation the young
person reads. Another agency's contest answers 404, like one that does not exist."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from seen.errors import InvalidInput, NotFound
from seen.sharing.contests import Contest, agency_contest, agency_contests, answer_contest
from seen.store.tables import CONTEST_TEXT_LENGTH
from seen.web.access import AGENCY_PAGE, Viewer
from seen.web.context import WebContext
from seen.web.pages.inbox import agency_reader
from seen.web.pages.young_person import day
from seen.web.params import RowId
from seen.web.templating import Pages

router = APIRouter(include_in_schema=False)


def _item(contest: Contest) -> dict[str, Any]:
    return {
        "id": contest.id,
        "record_ref": contest.record_ref,
        "what": contest.what,
        "when": day(contest.start),
        "text": contest.text,
        "received": day(contest.created_at),
        "answered": contest.answered,
        "outcome": contest.outcome.value if contest.outcome else None,
        "answer": contest.answer,
        "answered_by": contest.answered_by,
        "answered_on": day(contest.answered_at) if contest.answered_at else None,
    }


@router.get("/inbox/contests")
def inbox_contests(request: Request, viewer: Viewer = AGENCY_PAGE) -> HTMLResponse:
    context: WebContext = request.app.state.seen
    reader = agency_reader(viewer)
    found = [_item(c) for c in agency_contests(context.store, reader, context.now())]
    pages: Pages = request.app.state.pages
    return pages.render(
        request,
        viewer,
        "inbox_contests.html",
        "Records contested by young people",
        agency=reader.agency,
        waiting=[c for c in found if not c["answered"]],
        answered=[c for c in found if c["answered"]],
    )


def _open_contest(request: Request, viewer: Viewer, contest_id: int) -> Contest:
    context: WebContext = request.app.state.seen
    reader = agency_reader(viewer)
    try:
        return agency_contest(context.store, reader, contest_id, context.now(), open_only=True)
    except NotFound:
        raise HTTPException(404) from None


def _answer_page(
    request: Request,
    viewer: Viewer,
    contest: Contest,
    outcome: str = "",
    answer: str = "",
    errors: Sequence[dict[str, str]] = (),
) -> HTMLResponse:
    pages: Pages = request.app.state.pages
    return pages.render(
        request,
        viewer,
        "inbox_contest_answer.html",
        "Answer the young person",
        status=400 if errors else 200,
        errors=errors,
        contest=_item(contest),
        outcome=outcome,
        answer=answer,
        limit=CONTEST_TEXT_LENGTH,
    )


@router.get("/inbox/contests/{contest_id}")
def contest_answer_page(
    contest_id: RowId, request: Request, viewer: Viewer = AGENCY_PAGE
) -> HTMLResponse:
    return _answer_page(request, viewer, _open_contest(request, viewer, contest_id))


@router.post("/inbox/contests/{contest_id}")
def contest_answer(
    contest_id: RowId,
    request: Request,
    outcome: Annotated[str, Form(max_length=16)] = "",
    answer: Annotated[str, Form(max_length=4 * CONTEST_TEXT_LENGTH)] = "",
    viewer: Viewer = AGENCY_PAGE,
) -> Response:
    context: WebContext = request.app.state.seen
    contest = _open_contest(request, viewer, contest_id)
    errors = []
    if outcome not in ("agreed", "disagreed"):
        errors.append({"text": "Choose whether you agree the record is wrong", "href": "#outcome"})
    if not answer.strip():
        errors.append({"text": "Explain your answer to the young person", "href": "#answer"})
    if not errors:
        try:
            answer_contest(
                context.store,
                contest_id,
                reader=agency_reader(viewer),
                outcome=outcome,
                answer=answer,
                now=context.now(),
            )
        except InvalidInput as problem:
            errors.append({"text": problem.message, "href": "#answer"})
        except NotFound:
            raise HTTPException(404) from None
    if errors:
        return _answer_page(request, viewer, contest, outcome, answer, errors)
    return RedirectResponse("/inbox/contests", status_code=303)
