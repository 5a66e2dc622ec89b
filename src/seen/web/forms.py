"""Small helpers the page forms share: the posted form as a dependency, GOV.UK date inputs
read into ISO dates, and the problems of an InvalidInput turned into an error summary's list."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.datastructures import FormData

from seen.domain.records import Problem


async def _posted_form(request: Request) -> FormData:
    return await request.form()  # parsed once per request: the access rule's CSRF check read it


# The posted form, for a route that takes the whole form rather than named fields. Reading a
# body is asynchronous, but the route itself should not be: a plain `def` route runs in the
# thread pool, so its store calls (which wait on the database, and on SQLite for their turn
# to write) never hold up the event loop and every other request on it.
PostedForm = Annotated[FormData, Depends(_posted_form)]


def date_from_form(form: Mapping[str, Any], name: str) -> str:
    """The ISO date a GOV.UK date input (`name-day`, `name-month`, `name-year`) holds, ""
    when all three are empty, or what was typed (which then fails to parse as a date)."""
    parts = [str(form.get(f"{name}-{part}", "")).strip() for part in ("day", "month", "year")]
    day, month, year = parts
    if not any(parts):
        return ""
    if day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4:
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return "-".join(parts)


def date_parts(form: Mapping[str, Any], name: str) -> dict[str, str]:
    return {part: str(form.get(f"{name}-{part}", "")) for part in ("day", "month", "year")}


def errors_for(
    problems: Iterable[Problem],
    anchor: Callable[[str], str],
    text: Callable[[Problem], str] = lambda p: p.message,
) -> list[dict[str, str]]:
    """One error summary item per problem, linking to the field it is about (once per
    distinct message)."""
    found: list[dict[str, str]] = []
    for problem in problems:
        item = {"text": text(problem), "href": "#" + anchor(problem.field)}
        if item not in found:
            found.append(item)
    return found


def field_errors(errors: Iterable[dict[str, str]]) -> dict[str, str]:
    """The first error message for each field id, for the fields' `errorMessage`."""
    found: dict[str, str] = {}
    for error in errors:
        found.setdefault(error["href"].removeprefix("#"), error["text"])
    return found
