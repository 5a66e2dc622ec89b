"""The agreements register: data protection officers and the administrator read it; the
administrator adds agreements, records reviews and suspends, reinstates or expires them
(docs/web.md, "Governance"). The API (seen.web.api.agreements) calls the same functions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from seen.domain.agreements import PartyRole, document_from_form
from seen.domain.records import Problem
from seen.domain.sharing import AgreementStatus, LawfulBasis, Purpose, Release
from seen.errors import InvalidInput, NotFound
from seen.sharing.register import actions_for, create_agreement, move_agreement, record_review
from seen.store.governance import RegisteredAgreement, get_agreement, list_agreements
from seen.web.access import ADMINISTRATOR_PAGE, GOVERNANCE_PAGE, Viewer
from seen.web.context import WebContext
from seen.web.forms import PostedForm, date_from_form, date_parts, errors_for, field_errors
from seen.web.templating import Pages

router = APIRouter(include_in_schema=False)

PURPOSES = {
    Purpose.SAFEGUARDING: "Safeguarding children",
    Purpose.EARLY_HELP: "Early help",
    Purpose.SERVICE_PLANNING: "Service planning",
}
BASES = {
    LawfulBasis.PUBLIC_TASK: "UK GDPR Article 6(1)(e): public task",
    LawfulBasis.SUBSTANTIAL_PUBLIC_INTEREST: "UK GDPR Article 9(2)(g): substantial public interest",
    LawfulBasis.HEALTH_OR_SOCIAL_CARE: "UK GDPR Article 9(2)(h): health or social care",
    LawfulBasis.SAFEGUARDING_CHILDREN: "DPA 2018 Schedule 1 paragraph 18: safeguarding children",
    LawfulBasis.LAW_ENFORCEMENT_SAFEGUARDING: (
        "DPA 2018 Schedule 8 paragraph 4: safeguarding (law enforcement)"
    ),
}
RELEASES = {
    Release.AUTOMATIC: "Automatically, once the rules allow it",
    Release.ORIGINATOR_APPROVAL: "Only when the agency holding the record approves",
}
STATUS_TAGS = {
    AgreementStatus.DRAFT: ("Draft", "govuk-tag--grey"),
    AgreementStatus.ACTIVE: ("Active", "govuk-tag--green"),
    AgreementStatus.SUSPENDED: ("Suspended", "govuk-tag--orange"),
    AgreementStatus.EXPIRED: ("Expired", "govuk-tag--red"),
}
ACTION_LABELS = {
    "suspend": ("Suspend it", "Nothing is shared under it until it is reinstated."),
    "reinstate": ("Make it active", "Sharing under it starts again at once."),
    "expire": ("Expire it", "It ends for good: a renewal is a new agreement."),
}
# The form's fields: label, and the id an error links to.
FIELDS = {
    "ref": ("Reference", "ref"),
    "title": ("Title", "title"),
    "purpose_description": ("Purpose of the sharing", "purpose_description"),
    "parties": ("Parties", "parties"),
    "role": ("Parties", "parties"),
    "flows": ("Flows", "flows"),
    "purposes": ("Purposes", "purposes"),
    "lawful_bases": ("Lawful bases", "lawful_bases"),
    "special_category": ("Special category data", "special_category"),
    "criminal_offence_data": ("Criminal offence data", "criminal_offence_data"),
    "release": ("How records are released", "release"),
    "retention": ("Retention", "retention"),
    "starts": ("Start date", "starts-day"),
    "review": ("Review date", "review-day"),
    "ends": ("End date", "ends-day"),
    "signed_off_by": ("Signed off by", "signed_off_by"),
    "signed_off_on": ("Date signed off", "signed_off_on-day"),
    "status": ("Status", "status"),
}
DATE_FIELDS = ("starts", "review", "ends", "signed_off_on")


def _context(request: Request) -> WebContext:
    context: WebContext = request.app.state.seen
    return context


def _pages(request: Request) -> Pages:
    pages: Pages = request.app.state.pages
    return pages


@router.get("/governance/agreements")
def register_page(request: Request, viewer: Viewer = GOVERNANCE_PAGE) -> HTMLResponse:
    context = _context(request)
    now = context.now()
    rows = [_summary(entry, now) for entry in list_agreements(context.store)]
    return _pages(request).render(
        request,
        viewer,
        "governance/agreements.html",
        "Information-sharing agreements",
        column="full",
        rows=rows,
        may_change=_may_change(viewer),
    )


@router.get("/governance/agreements/new")
def new_page(request: Request, viewer: Viewer = ADMINISTRATOR_PAGE) -> HTMLResponse:
    return _new_form(request, viewer, {})


@router.post("/governance/agreements/new")
def create(request: Request, *, viewer: Viewer = ADMINISTRATOR_PAGE, form: PostedForm) -> Response:
    context = _context(request)
    values: dict[str, Any] = {key: form.get(key) for key in form}
    for name in ("purposes", "lawful_bases"):
        values[name] = form.getlist(name)
    for name in DATE_FIELDS:
        values[name] = date_from_form(values, name)
    document, problems = document_from_form(values, "the form")
    try:
        created = create_agreement(
            context.store,
            document,
            by=viewer.signed_in.username,
            now=context.now(),
            source="the web form",
            problems=problems,
        )
    except InvalidInput as error:
        return _new_form(request, viewer, values, _form_errors(error.problems), status=400)
    return RedirectResponse(_path(created.agreement.ref) + "?added=1", status_code=303)


@router.get("/governance/agreements/{ref}")
def agreement_page(
    request: Request,
    ref: str,
    added: int = 0,
    changed: str = "",
    reviewed: int = 0,
    viewer: Viewer = GOVERNANCE_PAGE,
) -> HTMLResponse:
    entry = _agreement(request, ref)
    notice = None
    if added:
        notice = "The agreement has been added to the register."
    elif changed in set(AgreementStatus):
        notice = f"The agreement is now {STATUS_TAGS[AgreementStatus(changed)][0].lower()}."
    elif reviewed:
        notice = f"Review recorded. The next review is due on {entry.next_review:%-d %B %Y}."
    return _detail(request, viewer, entry, notice=notice)


@router.post("/governance/agreements/{ref}/status")
def change(
    request: Request, ref: str, *, viewer: Viewer = ADMINISTRATOR_PAGE, form: PostedForm
) -> Response:
    context = _context(request)
    entry = _agreement(request, ref)
    action, reason = str(form.get("action", "")), str(form.get("reason", ""))
    try:
        changed = move_agreement(
            context.store, ref, action, reason, by=viewer.signed_in.username, now=context.now()
        )
    except InvalidInput as error:
        errors = errors_for(error.problems, lambda field: field)
        entry = _agreement(request, ref)  # as it is now, if someone else has just changed it
        return _detail(request, viewer, entry, errors=errors, status_form=form, status=400)
    return RedirectResponse(f"{_path(ref)}?changed={changed.agreement.status}", status_code=303)


@router.post("/governance/agreements/{ref}/reviews")
def review(
    request: Request, ref: str, *, viewer: Viewer = ADMINISTRATOR_PAGE, form: PostedForm
) -> Response:
    context = _context(request)
    entry = _agreement(request, ref)
    values = {key: form.get(key) for key in form}
    try:
        reviewed = record_review(
            context.store,
            ref,
            date_from_form(values, "next_review"),
            str(form.get("notes", "")),
            by=viewer.signed_in.username,
            now=context.now(),
        )
    except InvalidInput as error:
        errors = errors_for(
            error.problems, lambda field: "next_review-day" if field == "next_review" else field
        )
        return _detail(request, viewer, entry, errors=errors, review_form=values, status=400)
    return RedirectResponse(f"{_path(reviewed.agreement.ref)}?reviewed=1", status_code=303)


# Rendering ---------------------------------------------------------------------------------


def _agreement(request: Request, ref: str) -> RegisteredAgreement:
    try:
        return get_agreement(_context(request).store, ref)
    except NotFound:
        raise HTTPException(404) from None


def _may_change(viewer: Viewer) -> bool:
    from seen.domain.accounts import AccountRole

    return viewer.signed_in.role is AccountRole.ADMINISTRATOR


def _path(ref: str) -> str:
    from urllib.parse import quote

    return "/governance/agreements/" + quote(ref, safe="")


def _summary(entry: RegisteredAgreement, now: Any) -> dict[str, Any]:
    terms = entry.agreement
    text, classes = STATUS_TAGS[terms.status]
    return {
        "ref": terms.ref,
        "href": _path(terms.ref),
        "title": terms.title,
        "status": text,
        "status_classes": classes,
        "in_force": entry.in_force(now),
        "next_review": entry.next_review,
        "review_due": entry.review_due(now),
    }


def _detail(
    request: Request,
    viewer: Viewer,
    entry: RegisteredAgreement,
    *,
    notice: str | None = None,
    errors: list[dict[str, str]] | None = None,
    status_form: Any = None,
    review_form: Any = None,
    status: int = 200,
) -> HTMLResponse:
    now = _context(request).now()
    terms = entry.agreement
    history: list[dict[str, Any]] = [
        {
            "at": change.changed_at,
            "what": f"Status: {STATUS_TAGS[change.status][0].lower()}",
            "why": change.reason,
            "by": change.changed_by,
        }
        for change in entry.history
    ] + [
        {
            "at": review.reviewed_at,
            "what": f"Reviewed: next review {review.next_review:%-d %B %Y}",
            "why": review.notes,
            "by": review.reviewed_by,
        }
        for review in entry.reviews
    ]
    history.sort(key=lambda item: item["at"])
    actions = actions_for(terms.status)
    return _pages(request).render(
        request,
        viewer,
        "governance/agreement.html",
        f"Agreement {terms.ref}",
        status=status,
        errors=errors or [],
        field_errors=field_errors(errors or []),
        notice=notice,
        entry=entry,
        terms=terms,
        summary=_summary(entry, now),
        path=_path(terms.ref),
        purposes=[PURPOSES[p] for p in sorted(terms.purposes)],
        bases=[BASES[b] for b in sorted(terms.lawful_bases)],
        release=RELEASES[terms.release],
        history=history,
        may_change=_may_change(viewer),
        actions=[
            {
                "value": action,
                "text": ACTION_LABELS[action][0],
                "hint": {"text": ACTION_LABELS[action][1]},
                "checked": status_form is not None and status_form.get("action") == action,
            }
            for action in actions
        ],
        status_reason="" if status_form is None else str(status_form.get("reason", "")),
        review_values=date_parts(review_form or {}, "next_review"),
        review_notes="" if review_form is None else str(review_form.get("notes", "")),
    )


def _new_form(
    request: Request,
    viewer: Viewer,
    values: dict[str, Any],
    errors: list[dict[str, str]] | None = None,
    status: int = 200,
) -> HTMLResponse:
    chosen = {name: set(values.get(name) or []) for name in ("purposes", "lawful_bases")}
    return _pages(request).render(
        request,
        viewer,
        "governance/agreement_new.html",
        "Add an agreement",
        status=status,
        errors=errors or [],
        field_errors=field_errors(errors or []),
        values={key: value for key, value in values.items() if isinstance(value, str)},
        dates={name: date_parts(values, name) for name in DATE_FIELDS},
        purposes=[
            {"value": str(p), "text": text, "checked": str(p) in chosen["purposes"]}
            for p, text in PURPOSES.items()
        ],
        bases=[
            {
                "value": str(b),
                "text": text,
                "hint": {"text": str(b)},
                "checked": str(b) in chosen["lawful_bases"],
            }
            for b, text in BASES.items()
        ],
        releases=[
            {"value": str(r), "text": text, "checked": values.get("release") == str(r)}
            for r, text in RELEASES.items()
        ],
        roles=", ".join(PartyRole),
    )


def _form_errors(problems: list[Problem]) -> list[dict[str, str]]:
    def field_of(name: str) -> str:
        return name.split("[", 1)[0]

    def anchor(name: str) -> str:
        return FIELDS.get(field_of(name), FIELDS["ref"])[1]

    def text(problem: Problem) -> str:
        name = field_of(problem.field)
        label = FIELDS.get(name, ("The agreement", ""))[0]
        message = problem.message
        if "[" in problem.field:
            line = int(problem.field.split("[", 1)[1].rstrip("]")) + 1
            return f"{label}, line {line}: {message}"
        if message == "is missing or empty":
            return f"Enter the {label.lower()}"
        if message.startswith("must be a date"):
            return f"{label} must be a real date"
        if message.startswith("must be true or false"):
            return f"Say whether the agreement covers {label.lower()}"
        if message[:1].islower():
            return f"{label}: {message}"
        return message

    return errors_for(problems, anchor, text)
