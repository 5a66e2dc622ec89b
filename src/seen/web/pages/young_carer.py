"""Telling Seen once that I look after someone at home (/me/young-carer), and choosing who may
know. Part of the young person's pages (seen.web.pages.young_person)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from seen.domain.agencies import AgencyKind
from seen.errors import InvalidInput
from seen.sharing.voice import (
    YOUNG_CARER_EXPLANATION,
    state_young_carer,
    young_carer_statement,
)
from seen.web.access import YOUNG_PERSON_PAGE, Viewer
from seen.web.pages.young_person import (
    AGENCY_WORDS,
    _context,
    _person,
    _render,
    day,
)
from seen.web.templating import Pages

router = APIRouter(include_in_schema=False)


def _kind_items(chosen: Sequence[str]) -> list[dict[str, Any]]:
    return [
        {"value": kind.value, "text": AGENCY_WORDS[kind], "checked": kind.value in chosen}
        for kind in AgencyKind
    ]


@router.get("/me/young-carer")
def young_carer_page(
    request: Request, change: int = 0, viewer: Viewer = YOUNG_PERSON_PAGE
) -> HTMLResponse:
    context = _context(request)
    statement = young_carer_statement(context.store, _person(viewer))
    if statement is None or change:
        return _render(
            request,
            viewer,
            "me/young_carer_question.html",
            "Do you look after someone at home?",
            explanation=YOUNG_CARER_EXPLANATION,
        )
    return _render(
        request,
        viewer,
        "me/young_carer.html",
        "Looking after someone at home",
        looks_after=statement.looks_after,
        stated=day(statement.stated_at),
        who=[AGENCY_WORDS[kind] for kind in statement.who_may_know],
    )


@router.post("/me/young-carer")
def young_carer_answer(
    request: Request,
    looks_after: Annotated[str, Form(max_length=8)] = "",
    viewer: Viewer = YOUNG_PERSON_PAGE,
) -> Response:
    context = _context(request)
    if looks_after == "yes":
        return RedirectResponse("/me/young-carer/who-may-know", status_code=303)
    if looks_after != "no":
        pages: Pages = request.app.state.pages
        return pages.render(
            request,
            viewer,
            "me/young_carer_question.html",
            "Do you look after someone at home?",
            status=400,
            errors=[{"text": "Choose yes or no", "href": "#looks_after"}],
            explanation=YOUNG_CARER_EXPLANATION,
        )
    state_young_carer(context.store, _person(viewer), False, [], context.now())
    return RedirectResponse("/me/young-carer", status_code=303)


@router.get("/me/young-carer/who-may-know")
def who_may_know_page(request: Request, viewer: Viewer = YOUNG_PERSON_PAGE) -> HTMLResponse:
    context = _context(request)
    statement = young_carer_statement(context.store, _person(viewer))
    chosen = [k.value for k in statement.who_may_know] if statement else []
    return _render(
        request, viewer, "me/who_may_know.html", "Who may know?", items=_kind_items(chosen)
    )


@router.post("/me/young-carer/who-may-know")
def who_may_know(
    request: Request,
    who_may_know: Annotated[list[str] | None, Form(max_length=32)] = None,
    viewer: Viewer = YOUNG_PERSON_PAGE,
) -> Response:
    context = _context(request)
    chosen = who_may_know or []
    try:
        state_young_carer(context.store, _person(viewer), True, chosen, context.now())
    except InvalidInput as problem:
        pages: Pages = request.app.state.pages
        return pages.render(
            request,
            viewer,
            "me/who_may_know.html",
            "Who may know?",
            status=400,
            errors=[{"text": problem.message, "href": "#who_may_know"}],
            items=_kind_items([]),
        )
    return RedirectResponse("/me/young-carer", status_code=303)


@router.post("/me/young-carer/withdraw")
def young_carer_withdraw(request: Request, viewer: Viewer = YOUNG_PERSON_PAGE) -> Response:
    context = _context(request)
    state_young_carer(context.store, _person(viewer), False, [], context.now())
    return RedirectResponse("/me/young-carer", status_code=303)
