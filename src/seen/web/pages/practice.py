"""A practitioner's journeys: find a child by their own agency's reference, see who else is
involved, ask for a joined-up chronology (or break-glass), read it, and record the decision
they took and later its outcome (docs/web.md, "A practitioner's journeys").

The rules live in seen.sharing (involvement, chronology, decisions); the JSON API calls the
same functions (seen.web.api.practice). A child, request or decision the practitioner has no
business with is "Page not found", exactly as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from seen.domain.decisions import MAX_REASON_LENGTH, CaseDecision, CaseOutcome
from seen.domain.sharing import MIN_JUSTIFICATION_LETTERS, LawfulBasis, Purpose
from seen.errors import InvalidInput, NotFound
from seen.sharing import chronology, decisions, involvement
from seen.sharing.chronology import Status
from seen.web.access import PRACTITIONER_PAGE, Viewer
from seen.web.context import WebContext
from seen.web.params import RowId
from seen.web.templating import Pages
from seen.web.words import error_list, field_errors

router = APIRouter(include_in_schema=False)

MAX_JUSTIFICATION = 4000
PURPOSES = {p.value: p.label for p in Purpose}
BASES = {b.value: b.label for b in LawfulBasis}
# status -> (tag text, tag colour) for a record not shown
TAGS = {
    Status.WITHHELD.value: ("Not shared", "govuk-tag--grey"),
    Status.WAITING_ON_YOUNG_PERSON.value: ("Waiting on the young person", "govuk-tag--blue"),
    Status.WAITING_ON_AGENCY.value: ("Waiting on an agency", "govuk-tag--yellow"),
    Status.DECLINED.value: ("Declined", "govuk-tag--red"),
}


@contextmanager
def not_found() -> Iterator[None]:
    """Whatever is not the viewer's is "Page not found", the same as what does not exist."""
    try:
        yield
    except NotFound:
        raise HTTPException(404) from None


def _context(request: Request) -> tuple[WebContext, Pages]:
    return request.app.state.seen, request.app.state.pages


def _practitioner(viewer: Viewer) -> tuple[str, str]:
    account = viewer.signed_in
    if account.practitioner is None or account.agency is None:
        raise HTTPException(404)  # a practitioner account always names both
    return account.practitioner, account.agency


# Finding a child ----------------------------------------------------------------------------


@router.get("/children")
def find_child(
    request: Request, reference: str | None = None, viewer: Viewer = PRACTITIONER_PAGE
) -> Response:
    context, pages = _context(request)
    _, agency = _practitioner(viewer)
    errors = []
    if reference is not None:
        if not reference.strip():
            errors.append({"text": "Enter your reference for the child", "href": "#reference"})
        else:
            person = involvement.find_child(context.store, agency, reference)
            if person is not None:
                return RedirectResponse(f"/children/{person}", status_code=303)
            errors.append(
                {"text": f"No child with that reference at {agency}", "href": "#reference"}
            )
    return pages.render(
        request,
        viewer,
        "practice/find_child.html",
        "Find a child",
        status=(400 if reference is not None and not reference.strip() else 404) if errors else 200,
        errors=errors,
        agency=agency,
        reference=(reference or "")[:200],
    )


# A child's page and asking for a chronology ------------------------------------------------


@router.get("/children/{person_id}")
def child_page(request: Request, person_id: str, viewer: Viewer = PRACTITIONER_PAGE) -> Response:
    return _child(request, viewer, person_id)


@router.post("/children/{person_id}/requests")
def ask_for_chronology(
    request: Request,
    person_id: str,
    purpose: Annotated[str, Form(max_length=64)] = "",
    lawful_basis: Annotated[str, Form(max_length=64)] = "",
    break_glass: Annotated[str, Form(max_length=8)] = "",
    justification: Annotated[str, Form(max_length=MAX_JUSTIFICATION)] = "",
    viewer: Viewer = PRACTITIONER_PAGE,
) -> Response:
    context, _ = _context(request)
    practitioner, agency = _practitioner(viewer)
    try:
        with not_found():
            asked = chronology.ask(
                context.store,
                practitioner=practitioner,
                agency=agency,
                person_id=person_id,
                purpose=purpose,
                lawful_basis=lawful_basis,
                justification=justification if break_glass == "yes" else None,
                now=context.now(),
            )
    except InvalidInput as problems:
        form = {
            "purpose": purpose,
            "lawful_basis": lawful_basis,
            "break_glass": break_glass == "yes",
            "justification": justification,
        }
        errors = error_list(problems.problems, {})
        return _child(request, viewer, person_id, form=form, errors=errors)
    return RedirectResponse(f"/requests/{asked.id}", status_code=303)


def _child(
    request: Request,
    viewer: Viewer,
    person_id: str,
    form: dict[str, Any] | None = None,
    errors: list[dict[str, str]] | None = None,
) -> HTMLResponse:
    context, pages = _context(request)
    practitioner, agency = _practitioner(viewer)
    with not_found():
        child = involvement.open_child(
            context.store,
            practitioner=practitioner,
            agency=agency,
            person_id=person_id,
            now=context.now(),
        )
    form = form or {"purpose": "", "lawful_basis": "", "break_glass": False, "justification": ""}
    return pages.render(
        request,
        viewer,
        "practice/child.html",
        f"Child {child.person_id}",
        status=400 if errors else 200,
        errors=errors or [],
        field_errors=field_errors(errors or []),
        column="full",
        child=child,
        decisions=child.decisions,
        purposes=PURPOSES,
        form=form,
        purpose_items=_items(PURPOSES, form["purpose"]),
        basis_items=_items(BASES, form["lawful_basis"]),
        min_letters=MIN_JUSTIFICATION_LETTERS,
        max_justification=MAX_JUSTIFICATION,
    )


def _items(labels: dict[str, str], chosen: str) -> list[dict[str, Any]]:
    return [
        {"value": value, "text": label, "checked": value == chosen}
        for value, label in labels.items()
    ]


# The chronology and decisions ---------------------------------------------------------------


@router.get("/requests/{request_id}")
def chronology_page(
    request: Request, request_id: str, viewer: Viewer = PRACTITIONER_PAGE
) -> Response:
    return _chronology(request, viewer, request_id)


@router.post("/requests/{request_id}/decisions")
def record_decision(
    request: Request,
    request_id: str,
    decision: Annotated[str, Form(max_length=64)] = "",
    reason: Annotated[str, Form(max_length=MAX_REASON_LENGTH + 100)] = "",
    viewer: Viewer = PRACTITIONER_PAGE,
) -> Response:
    context, _ = _context(request)
    practitioner, agency = _practitioner(viewer)
    with not_found():
        asked = chronology.load_request(context.store, request_id, practitioner)
    try:
        decisions.record_decision(
            context.store,
            asked,
            agency=agency,
            decision=decision,
            reason=reason,
            now=context.now(),
        )
    except InvalidInput as problems:
        errors = error_list(problems.problems, {})
        form = {"decision": decision, "reason": reason}
        return _chronology(request, viewer, request_id, form=form, errors=errors)
    return RedirectResponse(f"/requests/{request_id}", status_code=303)


def _chronology(
    request: Request,
    viewer: Viewer,
    request_id: str,
    form: dict[str, str] | None = None,
    errors: list[dict[str, str]] | None = None,
) -> HTMLResponse:
    context, pages = _context(request)
    practitioner, _ = _practitioner(viewer)
    now = context.now()
    with not_found():
        asked = chronology.load_request(context.store, request_id, practitioner)
    seen = chronology.view(context.store, asked, now)  # decided and recorded, or raises
    form = form or {"decision": "", "reason": ""}
    return pages.render(
        request,
        viewer,
        "practice/chronology.html",
        f"Chronology for child {asked.person_id}",
        status=400 if errors else 200,
        errors=errors or [],
        field_errors=field_errors(errors or []),
        asked=asked,
        checked_at=now,
        shown=[entry for entry in seen.entries if entry.shown],
        withheld=[entry for entry in seen.entries if not entry.shown],
        tags=TAGS,
        purposes=PURPOSES,
        bases=BASES,
        decisions=decisions.decisions_for(context.store, practitioner, request_id=asked.id),
        form=form,
        decision_items=_items({d.value: d.label for d in CaseDecision}, form["decision"]),
        max_reason=MAX_REASON_LENGTH,
    )


@router.get("/decisions/{decision_id:int}/outcome")
def outcome_page(
    request: Request, decision_id: RowId, viewer: Viewer = PRACTITIONER_PAGE
) -> Response:
    context, _ = _context(request)
    practitioner, _ = _practitioner(viewer)
    with not_found():
        decided = decisions.load_decision(context.store, decision_id, practitioner)
    if decided.outcome is not None:
        return RedirectResponse(f"/requests/{decided.request_id}", status_code=303)
    return _outcome(request, viewer, decided)


@router.post("/decisions/{decision_id:int}/outcome")
def record_outcome(
    request: Request,
    decision_id: RowId,
    outcome: Annotated[str, Form(max_length=64)] = "",
    note: Annotated[str, Form(max_length=MAX_REASON_LENGTH + 100)] = "",
    day: Annotated[str, Form(alias="outcome_on-day", max_length=8)] = "",
    month: Annotated[str, Form(alias="outcome_on-month", max_length=8)] = "",
    year: Annotated[str, Form(alias="outcome_on-year", max_length=8)] = "",
    viewer: Viewer = PRACTITIONER_PAGE,
) -> Response:
    context, _ = _context(request)
    practitioner, agency = _practitioner(viewer)
    try:
        with not_found():
            decided = decisions.record_outcome(
                context.store,
                decision_id,
                practitioner=practitioner,
                agency=agency,
                outcome=outcome,
                note=note,
                on=decisions.parse_day(day, month, year),
                now=context.now(),
            )
    except InvalidInput as problems:
        with not_found():
            decided = decisions.load_decision(context.store, decision_id, practitioner)
        errors = error_list(problems.problems, {"outcome_on": "outcome_on-day"})
        form = {"outcome": outcome, "note": note, "day": day, "month": month, "year": year}
        return _outcome(request, viewer, decided, form, errors)
    return RedirectResponse(f"/requests/{decided.request_id}", status_code=303)


def _outcome(
    request: Request,
    viewer: Viewer,
    decided: decisions.TrackedDecision,
    form: dict[str, str] | None = None,
    errors: list[dict[str, str]] | None = None,
) -> HTMLResponse:
    _, pages = _context(request)
    form = form or {"outcome": "", "note": "", "day": "", "month": "", "year": ""}
    return pages.render(
        request,
        viewer,
        "practice/outcome.html",
        "Record the outcome",
        status=400 if errors else 200,
        errors=errors or [],
        field_errors=field_errors(errors or []),
        decided=decided,
        form=form,
        outcome_items=_items({o.value: o.label for o in CaseOutcome}, form["outcome"]),
        max_reason=MAX_REASON_LENGTH,
    )
