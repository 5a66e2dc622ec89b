"""Pages: Jinja2 templates with the GOV.UK Frontend macros (govuk-frontend-jinja).

`render` gives every template the page title (the `<h1>`, and the start of `<title>`), the
viewer, their form token and the service navigation for their role.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, select_autoescape
from jinja2.runtime import Macro
from markupsafe import Markup

from seen.domain.accounts import AccountRole
from seen.web.access import Viewer
from seen.web.words import FILTERS

# The prompt review queue, for practitioners of an agency that reviews prompts only
# (seen.identify.review): the others would find it refused.
PROMPTS_LINK = ("Prompts to review", "/prompts")

# (label, path) of the service navigation, by role
NAVIGATION: dict[AccountRole | None, list[tuple[str, str]]] = {
    None: [("Sign in", "/sign-in")],
    AccountRole.PRACTITIONER: [("Find a child", "/children"), ("Inbox", "/inbox")],
    AccountRole.DPO: [
        ("Inbox", "/inbox"),
        ("Break-glass reviews", "/governance/break-glass"),
        ("Prompt monitoring", "/governance/prompts"),
        ("Fairness", "/identification/fairness"),
    ],
    AccountRole.ADMINISTRATOR: [
        ("Agreements", "/governance/agreements"),
        ("Break-glass reviews", "/governance/break-glass"),
        ("Audit log", "/governance/audit"),
        ("Prompt monitoring", "/governance/prompts"),
        ("Fairness", "/identification/fairness"),
    ],
    AccountRole.ANALYST: [
        ("Dashboard", "/dashboard"),
        ("Linkage review", "/linkage/review"),
        ("Fairness", "/identification/fairness"),
    ],
    AccountRole.YOUNG_PERSON: [
        ("What is held", "/me"),
        ("Who looked", "/me/access"),
        ("My choices", "/me/choices"),
        ("My voice", "/me/voice"),
        ("Requests", "/me/requests"),
    ],
}


@lru_cache(maxsize=1)
def environment() -> Environment:
    """One environment per process: templates are files of the package, compiled once and
    shared by every app (each test builds its own app; compiling the GOV.UK macros again
    for each cost most of a page test's time)."""
    loader = ChoiceLoader(
        [
            PackageLoader("seen.web", "templates"),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    env = Environment(
        loader=loader,
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(FILTERS)
    env.globals["memo"] = memo
    return env


# Rendered GOV.UK components, by macro and arguments (see memo). Bounded: past it, it starts
# again.
_RENDERED: dict[tuple[str, Hashable], Markup] = {}
MEMO_SIZE = 2048


def memo(macro: Macro, params: Mapping[str, Any]) -> Markup:
    """`macro(params)`, rendered once per distinct `params` and then reused: a GOV.UK
    component's macro is pure (its output depends on its arguments alone) and costs a
    hundred macro calls or more, so a page's header, footer and forms come from here. Only
    for arguments with few distinct values (not a child's id or a time): text and markup
    are told apart, so an escaped string never stands for the same markup."""
    key = (macro.name, _frozen(params))
    found = _RENDERED.get(key)
    if found is None:
        if len(_RENDERED) >= MEMO_SIZE:
            _RENDERED.clear()
        found = _RENDERED[key] = Markup(macro(params))
    return found


def _frozen(value: Any) -> Hashable:
    if isinstance(value, Markup):
        return ("markup", str(value))
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return ("list", *(_frozen(v) for v in value))
    if isinstance(value, bool):  # True == 1, but renders as "True"
        return ("bool", value)
    if value is None or isinstance(value, str | int | float):
        return value
    raise TypeError(f"memo takes text, numbers, lists and mappings, not {type(value).__name__}")


class Pages:
    def __init__(self) -> None:
        self.env = environment()

    def render(
        self,
        request: Request,
        viewer: Viewer,
        template: str,
        title: str,
        *,
        status: int = 200,
        errors: Sequence[dict[str, str]] = (),
        **context: Any,
    ) -> HTMLResponse:
        path = request.url.path
        links = navigation_links(request, viewer)
        # The one item the page is under: the longest matching path (/me/voice, not /me).
        under = max(
            (href for _, href in links if path == href or path.startswith(href + "/")),
            key=len,
            default=None,
        )
        navigation = [
            {"text": label, "href": href, "active": href == under} for label, href in links
        ]
        footer_links = [
            {"text": "Accessibility", "href": "/accessibility"},
            {"text": "How information is shared", "href": "/transparency"},
        ]
        if viewer.account is not None:
            footer_links.append({"text": "Sign out", "href": "/sign-out"})
        html = self.env.get_template(template).render(
            title=title,
            viewer=viewer,
            account=viewer.account,
            csrf_token=viewer.csrf_token,
            navigation=navigation,
            footer_links=footer_links,
            errors=list(errors),
            **context,
        )
        return HTMLResponse(html, status_code=status)


def navigation_links(request: Request, viewer: Viewer) -> list[tuple[str, str]]:
    """The (label, path) links of the viewer's service navigation and start page."""
    role = viewer.account.role if viewer.account else None
    links = NAVIGATION[role]
    if role is AccountRole.PRACTITIONER and reviews_prompts(request, viewer):
        links = [*links, PROMPTS_LINK]
    return links


def reviews_prompts(request: Request, viewer: Viewer) -> bool:
    """Whether the signed-in practitioner's agency reviews prompts (one small query)."""
    from seen.identify.review import reviewer_for

    account = viewer.signed_in
    if account.practitioner is None or account.agency is None:
        return False
    return (
        reviewer_for(request.app.state.seen.store, account.practitioner, account.agency) is not None
    )
