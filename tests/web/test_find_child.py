"""Finding a child by your own agency's reference, and the child's page: who else is involved,
without what their records say (docs/web.md, "A practitioner's journeys")."""

from __future__ import annotations

import re
from typing import Any

import pytest

from seen.store import Store
from web.partnership import (
    audit_entries,
    main_text,
    partnership_with_accounts,
    read,
    sign_in,
    signed_in_as,
)


@pytest.fixture(autouse=True)
def partnership(store: Store) -> None:
    partnership_with_accounts(store)


def error_summary(page: str) -> str:
    found = re.search(r'govuk-error-summary__list">(.*?)</ul>', page, re.S)
    assert found, "no error summary"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def test_a_practitioner_finds_a_child_by_their_own_agencys_reference(client: Any) -> None:
    sign_in(client, "dsl-ben")
    form = client.get("/children")
    assert form.status_code == 200 and "northshire-schools" in form.text
    found = client.get("/children", params={"reference": " S-2001 "})
    assert found.status_code == 303
    assert found.headers["location"] == "/children/P0001"
    assert client.get("/children", params={"reference": ""}).status_code == 400


def test_another_agencys_reference_gets_the_same_answer_as_an_unknown_one(client: Any) -> None:
    sign_in(client, "dsl-ben")
    theirs = client.get("/children", params={"reference": "C-1001"})  # the council's
    unknown = client.get("/children", params={"reference": "S-9999"})
    assert theirs.status_code == unknown.status_code == 404
    assert error_summary(theirs.text) == error_summary(unknown.text)
    assert error_summary(theirs.text) == "No child with that reference at northshire-schools"
    assert "P0001" not in theirs.text


def test_the_child_page_names_who_else_is_involved_without_their_records(
    client: Any, store: Store
) -> None:
    sign_in(client, "dsl-ben")
    before = len(audit_entries(store))
    page = read(client, "/children/P0001")
    assert "S-2001" in page  # the school's own reference
    for agency in ("northshire-council", "northshire-police", "northshire-health"):
        assert agency in page
    assert "sw-amara (Social worker)" in page
    assert "pc-cara (Police officer)" in page
    assert "The agency's safeguarding lead" in page  # nobody at health works with P0001
    for content in ("Police incident", "Domestic", "Emergency", "Self-harm", "Referral"):
        assert content not in page
    assert "C-1001" not in page and "N-3001" not in page  # others' references stay theirs
    (opened,) = audit_entries(store)[before:]
    assert opened["kind"] == "involvement_view"
    assert (opened["actor"], opened["actor_agency"], opened["person"]) == (
        "dsl-ben",
        "northshire-schools",
        "P0001",
    )


def test_a_child_the_agency_holds_nothing_about_is_not_found_like_no_child_at_all(
    client: Any, store: Store
) -> None:
    sign_in(client, "sw-amara")  # the council holds nothing about P0002
    before = len(audit_entries(store))
    theirs = client.get("/children/P0002")
    nobody = client.get("/children/P9999")
    assert theirs.status_code == nobody.status_code == 404
    assert theirs.text == nobody.text
    assert "northshire-schools" not in theirs.text
    token = client.csrf("/children/P0001")
    asked = client.post(
        "/children/P0002/requests",
        data={"csrf_token": token, "purpose": "safeguarding", "lawful_basis": "uk-gdpr-6-1-e"},
    )
    assert asked.status_code == 404
    assert len(audit_entries(store)) == before + 1  # only the one page that opened


def test_other_roles_cannot_use_the_practitioner_pages(client: Any) -> None:
    paths = ["/children", "/children?reference=S-2001", "/children/P0001", "/requests/x"]
    paths += ["/decisions/1/outcome"]
    for username in ("dpo-police", "admin-rosa", "analyst-gus", "yp-p0001"):
        signed_in_as(client, username)
        for path in paths:
            answer = client.get(path)
            assert answer.status_code == 403, (username, path)
            assert "P0001" not in main_text(answer.text)
        for path in ("/children/P0001/requests", "/requests/x/decisions", "/decisions/1/outcome"):
            assert client.post(path, data={}).status_code == 403, (username, path)
        inbox = client.get("/inbox")
        assert inbox.status_code == (200 if username == "dpo-police" else 403), username
    client.cookies.clear()
    assert client.get("/children/P0001").status_code == 303  # to the sign-in page
