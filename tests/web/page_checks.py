"""Checks every HTML page the test client renders must pass (docs/web.md, "Quality").

In the manner of GOV.UK Notify's admin tests: one `<h1>`; a `<title>` that starts with it (after
"Error: " on a page with an error summary, as the Design System asks); HTML the WHATWG parser
reads without a single parse error; no duplicate ids; every form with an action, and every
form that posts with a CSRF token; every visible input, select and textarea labelled.
"""

from __future__ import annotations

import re
from collections import Counter
from xml.etree.ElementTree import Element

import html5lib

NS = "{http://www.w3.org/1999/xhtml}"
_UNLABELLED_TYPES = {"hidden", "submit", "button", "image", "reset"}


class PageProblem(AssertionError):
    pass


def _text(element: Element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def check_page(html: str, where: str) -> None:
    """Raise PageProblem naming the page and every rule it breaks."""
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=True)
    document = parser.parse(html)
    problems = [f"HTML parse error {code} at line {line}" for (line, _), code, _ in parser.errors]
    if not html.lstrip().lower().startswith("<!doctype html>"):
        problems.append("no <!DOCTYPE html>")

    headings = document.findall(f".//{NS}h1")
    titles = document.findall(f".//{NS}title")
    if len(headings) != 1:
        problems.append(f"{len(headings)} <h1> elements, not one")
    if len(titles) != 1:
        problems.append(f"{len(titles)} <title> elements, not one")
    if len(headings) == 1 and len(titles) == 1:
        heading, title = _text(headings[0]), _text(titles[0])
        has_summary = any(
            "govuk-error-summary" in (e.get("class") or "").split() for e in document.iter()
        )
        expected = f"Error: {heading}" if has_summary else heading
        if not heading or not title.startswith(expected):
            problems.append(f"title {title!r} does not start with {expected!r}")

    ids = Counter(e.get("id") for e in document.iter() if e.get("id"))
    problems += [f"duplicate id {name!r}" for name, count in ids.items() if count > 1]

    for form in document.iter(f"{NS}form"):
        if not form.get("action"):
            problems.append("a <form> without an action")
        if (form.get("method") or "get").lower() == "post":
            tokens = [
                i
                for i in form.iter(f"{NS}input")
                if i.get("name") == "csrf_token" and i.get("type") == "hidden" and i.get("value")
            ]
            if len(tokens) != 1:
                problems.append(f"form posting to {form.get('action')} has no CSRF token")

    labelled = {label.get("for") for label in document.iter(f"{NS}label")}
    for tag in ("input", "select", "textarea"):
        for field in document.iter(f"{NS}{tag}"):
            if tag == "input" and (field.get("type") or "text") in _UNLABELLED_TYPES:
                continue
            if field.get("id") not in labelled and not field.get("aria-label"):
                problems.append(f"<{tag} name={field.get('name')!r}> has no label")
    if problems:
        raise PageProblem(f"{where}: " + "; ".join(problems))
