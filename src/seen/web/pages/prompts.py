"""The prompt review queue (docs/identify.md, "Review and tracking"): the practitioners of the
kind of agency a prompt is for see the prompts waiting for a decision, open one with its
evidence, record their decision and why, and later what came of it.

The rules live in seen.identify.review; the JSON API calls the same functions
(seen.web.api.prompts). A practitioner whose agency reviews no prompts is refused (403)
everywhere here; a prompt or decision that is not their agency's, or no longer open, is
"Page not found", exactly as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from seen.errors import InvalidInput, NotFound
from seen.identify import review
from seen.identify.decisions import MAX_REASON_LENGTH, PromptDecision, PromptOutcome
from seen.identify.review import AlreadyRecorded, DecisionForOutcome, Reviewer
from seen.identify.words import likelihood
from seen.sharing.decisions import parse_day
from seen.web.access import PRACTITIONER_PAGE, Forbidden, Viewer
from seen.web.context import WebContext
from seen.web.params import RowId
from seen.web.templating import Pages
from seen.web.words import error_list, field_errors

router = APIRouter(include_in_schema=False)

DECISION_LABELS = {d.value: d.label for d in PromptDecision}
OUTCOME_LABELS = {o.value: o.label for o in PromptOutcome}


@contextmanager
def not_found() -> Iterator[None]:
    """Whatever is not the reviewer's agency's is "Page not found", the same as nothing."""
    try:
        yield
    except NotFound:
        raise HTTPException(404) from None


def _context(request: Request) -> tuple[WebContext, Pages]:
    return request.app.state.seen, request.app.state.pages


def reviewer_of(context: WebContext, viewer: Viewer) -> Reviewer:
    """The signed-in practitioner as a reviewer; refused (403) if their agency reviews no
    prompts (the same answer for every prompt id, so an id says nothing)."""
    account = viewer.signed_in
    if account.practitioner is None or account.agency is None:
        raise Forbidden()
    found = review.reviewer_for(context.store, account.practitioner, account.agency)
    if found is None:
        raise Forbidden()
    return found


# The queue ----------------------------------------------------------------------------------


NOTICES = {
    "decision": "Your decision has been recorded. The prompt has left the list of prompts to "
    "review; record its outcome below when you know it.",
    "outcome": "The outcome has been recorded.",
}


@router.get("/prompts")
def queue_page(
    request: Request, recorded: str = "", viewer: Viewer = PRACTITIONER_PAGE
) -> Response:
    context, pages = _context(request)
    reviewer = reviewer_of(context, viewer)
    queue = review.review_queue(context.store, reviewer, context.now())
    return pages.render(
        request,
        viewer,
        "identify/queue.html",
        "Prompts to review",
        column="full",
        queue=queue,
        needs=[(need, [q for q in queue.waiting if q.need is need]) for need in reviewer.needs],
        likelihood=likelihood,
        decision_labels=DECISION_LABELS,
        notice=NOTICES.get(recorded),
    )


# One prompt and its decision ----------------------------------------------------------------


@router.get("/prompts/{prompt_id:int}")
def prompt_page(request: Request, prompt_id: RowId, viewer: Viewer = PRACTITIONER_PAGE) -> Response:
    return _prompt(request, viewer, prompt_id)


@router.post("/prompts/{prompt_id:int}/decisions")
def record_decision(
    request: Request,
    prompt_id: RowId,
    decision: Annotated[str, Form(max_length=64)] = "",
    reason: Annotated[str, Form(max_length=MAX_REASON_LENGTH + 100)] = "",
    viewer: Viewer = PRACTITIONER_PAGE,
) -> Response:
    context, _ = _context(request)
    reviewer = reviewer_of(context, viewer)
    form = {"decision": decision, "reason": reason}
    try:
        with not_found():
            review.decide(
                context.store,
                reviewer,
                prompt_id,
                decision=decision,
                reason=reason,
                now=context.now(),
            )
    except InvalidInput as problems:
        errors = error_list(problems.problems, {})
        return _prompt(request, viewer, prompt_id, form=form, errors=errors)
    except AlreadyRecorded:
        errors = [{"text": "A decision on this prompt is already recorded", "href": "#decisions"}]
        return _prompt(request, viewer, prompt_id, errors=errors, status=409)
    return RedirectResponse("/prompts?recorded=decision", status_code=303)


def _prompt(
    request: Request,
    viewer: Viewer,
    prompt_id: int,
    *,
    form: dict[str, str] | None = None,
    errors: list[dict[str, str]] | None = None,
    status: int = 400,
) -> HTMLResponse:
    context, pages = _context(request)
    reviewer = reviewer_of(context, viewer)
    with not_found():
        view = review.open_prompt(context.store, reviewer, prompt_id, context.now())
    form = form or {"decision": "", "reason": ""}
    need = view.queued.need
    return pages.render(
        request,
        viewer,
        "identify/prompt.html",
        f"{need.spec.title}: child {view.prompt.person_id}",
        status=status if errors else 200,
        errors=errors or [],
        field_errors=field_errors(errors or []),
        column="full",
        view=view,
        need=need,
        reviewer=reviewer,
        likelihood=likelihood(view.prompt.probability),
        decision_labels=DECISION_LABELS,
        outcome_labels=OUTCOME_LABELS,
        form=form,
        decision_items=[
            {
                "value": d.value,
                "text": d.label,
                "hint": {"text": d.hint},
                "checked": d.value == form["decision"],
            }
            for d in PromptDecision
        ],
        max_reason=MAX_REASON_LENGTH,
    )


# Outcomes -----------------------------------------------------------------------------------


@router.get("/prompts/decisions/{decision_id:int}/outcome")
def outcome_page(
    request: Request, decision_id: RowId, viewer: Viewer = PRACTITIONER_PAGE
) -> Response:
    context, _ = _context(request)
    reviewer = reviewer_of(context, viewer)
    with not_found():
        found = review.decision_for_outcome(context.store, reviewer, decision_id, context.now())
    return _outcome(request, viewer, found)


@router.post("/prompts/decisions/{decision_id:int}/outcome")
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
    reviewer = reviewer_of(context, viewer)
    form = {"outcome": outcome, "note": note, "day": day, "month": month, "year": year}
    try:
        with not_found():
            review.record_outcome(
                context.store,
                reviewer,
                decision_id,
                outcome=outcome,
                note=note,
                on=parse_day(day, month, year),
                now=context.now(),
            )
    except (InvalidInput, AlreadyRecorded) as problem:
        with not_found():
            found = review.decision_for_outcome(context.store, reviewer, decision_id, context.now())
        if isinstance(problem, AlreadyRecorded):
            errors = [
                {"text": "An outcome for this decision is already recorded", "href": "#recorded"}
            ]
            return _outcome(request, viewer, found, errors=errors, status=409)
        errors = error_list(problem.problems, {"outcome_on": "outcome_on-day"})
        return _outcome(request, viewer, found, form, errors)
    return RedirectResponse("/prompts?recorded=outcome", status_code=303)


def _outcome(
    request: Request,
    viewer: Viewer,
    found: DecisionForOutcome,
    form: dict[str, str] | None = None,
    errors: list[dict[str, str]] | None = None,
    status: int = 400,
) -> HTMLResponse:
    _, pages = _context(request)
    form = form or {"outcome": "", "note": "", "day": "", "month": "", "year": ""}
    recorded = found.decision.outcome is not None
    return pages.render(
        request,
        viewer,
        "identify/outcome.html",
        "Outcome of the decision" if recorded else "Record the outcome",
        status=status if errors else 200,
        errors=errors or [],
        field_errors=field_errors(errors or []),
        found=found,
        recorded=recorded,
        decision_labels=DECISION_LABELS,
        outcome_labels=OUTCOME_LABELS,
        form=form,
        outcome_items=_items({o.value: o.label for o in found.outcomes}, form["outcome"]),
        max_reason=MAX_REASON_LENGTH,
    )


def _items(labels: dict[str, str], chosen: str) -> list[dict[str, Any]]:
    return [
        {"value": value, "text": label, "checked": value == chosen}
        for value, label in labels.items()
    ]
