"""The young person's sharing choices (/me/choices): what each kind of agency may see of each
kind of record about them, changed by them, with the history of every change. Part of the
young person's pages (seen.web.pages.young_person)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape

from seen.domain.agencies import AgencyKind
from seen.domain.categories import CATEGORY_LABELS
from seen.domain.sharing import Choice
from seen.sharing import subject
from seen.sharing.subject import (
    CATEGORY_EXPLANATIONS,
    CHOICE_WORDS,
    CHOICES_EXPLANATION,
)
from seen.store.governance import preference_history
from seen.web.access import YOUNG_PERSON_PAGE, Viewer
from seen.web.forms import PostedForm
from seen.web.pages.young_person import (
    AGENCY_WORDS,
    CHOICE_HINTS,
    _context,
    _person,
    _render,
    moment,
)
from seen.web.templating import Pages

router = APIRouter(include_in_schema=False)


def _choices_rows(latest: Mapping[tuple[str, str], Any]) -> list[dict[str, Any]]:
    """Summary list rows: each kind of record, what it is, and what the young person chose."""
    rows = []
    for category, label in CATEGORY_LABELS.items():
        parts = [
            f"{kind.label}: {CHOICE_WORDS[choice]}"
            for kind in AgencyKind
            if (choice := subject.effective_choice(latest, category, kind.value)) is not None
        ]
        lines = [CATEGORY_EXPLANATIONS.get(category, ""), *(parts or ["Not chosen yet"])]
        rows.append(
            {
                "key": {"text": label},
                "value": {"html": Markup("<br>").join(escape(line) for line in lines)},
                "actions": {
                    "items": [
                        {
                            "href": f"/me/choices/{category}",
                            "text": "Change",
                            "visuallyHiddenText": label,
                        }
                    ]
                },
            }
        )
    return rows


@router.get("/me/choices")
def choices(request: Request, viewer: Viewer = YOUNG_PERSON_PAGE) -> HTMLResponse:
    context = _context(request)
    person = _person(viewer)
    latest = subject.latest_choices(context.store, person)
    history = [
        {"when": moment(choice.recorded_at), "what": subject.history_words(choice, person)}
        for choice in reversed(preference_history(context.store, person))
    ]
    return _render(
        request,
        viewer,
        "me/choices.html",
        "Your sharing choices",
        explanation=CHOICES_EXPLANATION.split(". "),
        rows=_choices_rows(latest),
        history=history,
    )


def _category(category: str) -> str:
    if category not in CATEGORY_LABELS:
        raise HTTPException(404)
    return category


def _choice_form(
    request: Request,
    viewer: Viewer,
    category: str,
    current: Mapping[str, str | None],
    errors: Sequence[dict[str, str]] = (),
) -> HTMLResponse:
    pages: Pages = request.app.state.pages
    groups = [
        {
            "kind": kind.value,
            "legend": AGENCY_WORDS[kind],
            "items": [
                {
                    "value": choice.value,
                    "text": CHOICE_WORDS[choice],
                    "hint": {"text": CHOICE_HINTS[choice]},
                    "checked": current.get(kind.value) == choice.value,
                }
                for choice in Choice
            ],
        }
        for kind in AgencyKind
    ]
    return pages.render(
        request,
        viewer,
        "me/choice_change.html",
        f"Who can see: {CATEGORY_LABELS[category]}",
        status=400 if errors else 200,
        errors=errors,
        category=category,
        explanation=CATEGORY_EXPLANATIONS.get(category, ""),
        groups=groups,
    )


@router.get("/me/choices/{category}")
def change_choices_page(
    category: str, request: Request, viewer: Viewer = YOUNG_PERSON_PAGE
) -> HTMLResponse:
    context = _context(request)
    person = _person(viewer)
    _category(category)
    latest = subject.latest_choices(context.store, person)
    current = {
        kind.value: _value(subject.effective_choice(latest, category, kind.value))
        for kind in AgencyKind
    }
    return _choice_form(request, viewer, category, current)


def _value(choice: Choice | None) -> str | None:
    return None if choice is None else choice.value


@router.post("/me/choices/{category}")
def change_choices(
    category: str, request: Request, *, viewer: Viewer = YOUNG_PERSON_PAGE, form: PostedForm
) -> Response:
    context = _context(request)
    person = _person(viewer)
    _category(category)
    wanted = {kind.value: form.get(kind.value) for kind in AgencyKind}
    allowed = {choice.value for choice in Choice}
    errors = [
        {
            "text": f"Choose share, ask me first or don't share for {AGENCY_WORDS[kind]}",
            "href": f"#{kind.value}",
        }
        for kind in AgencyKind
        if wanted[kind.value] is not None and wanted[kind.value] not in allowed
    ]
    if errors:
        return _choice_form(
            request,
            viewer,
            category,
            {k: v if isinstance(v, str) else None for k, v in wanted.items()},
            errors,
        )
    latest = subject.latest_choices(context.store, person)
    now = context.now()
    for kind in AgencyKind:
        choice = wanted[kind.value]
        if not isinstance(choice, str):
            continue
        if _value(subject.effective_choice(latest, category, kind.value)) != choice:
            subject.change_choice(context.store, person, category, kind.value, choice, now)
    return RedirectResponse("/me/choices", status_code=303)
