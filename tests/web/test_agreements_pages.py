"""The agreements register in the pages: DPOs and the administrator read every term; only the
administrator adds, reviews, suspends, reinstates or expires; a change to the register
changes sharing decisions at once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from seen.domain.agreements import agreement_from_form, agreements_from_document
from seen.sharing.chronology import ask, view
from seen.store import Store
from seen.store.governance import get_agreement
from sharing.factories import NOW
from web.clock import Clock
from web.conftest import CheckedClient
from web.governance import governed_partnership, post_form, sign_in

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "agreements.yaml"
SAFEGUARDING = "/governance/agreements/ISA-NS-SAFEGUARDING"


@pytest.fixture(autouse=True)
def partnership(store: Store) -> None:
    governed_partnership(store)


def school_record_shown(store: Store) -> bool:
    request = ask(
        store,
        practitioner="sw-amara",
        agency="northshire-council",
        person_id="P0001",
        purpose="safeguarding",
        lawful_basis="uk-gdpr-6-1-e",
        justification=None,
        now=NOW,
    )
    entries = view(store, request, NOW).entries
    return any(e.shown for e in entries if e.event.agency == "northshire-schools")


def new_form(**changes: str) -> dict[str, Any]:
    form: dict[str, Any] = {
        "ref": "ISA-NS-EARLY-HELP",
        "title": "Early help between schools and the council",
        "purpose_description": "Offering families help early, before problems grow.",
        "parties": "northshire-council, controller\nnorthshire-schools, controller",
        "flows": "northshire-schools -> northshire-council: education",
        "purposes": ["early_help"],
        "lawful_bases": ["uk-gdpr-6-1-e"],
        "special_category": "no",
        "criminal_offence_data": "no",
        "release": "automatic",
        "retention": "Two years after the help ends",
        "starts-day": "1", "starts-month": "12", "starts-year": "2026",
        "review-day": "1", "review-month": "6", "review-year": "2027",
        "signed_off_by": "Director of Children's Services",
        "signed_off_on-day": "2", "signed_off_on-month": "11", "signed_off_on-year": "2026",
        "status": "active",
    }  # fmt: skip
    form.update(changes)
    return form


def test_the_register_lists_each_agreement_with_its_status_and_review_due(
    client: CheckedClient, clock: Clock
) -> None:
    clock.advance(days=70)  # 11 January 2027: the safeguarding agreement's review has passed
    sign_in(client, "dpo-council")
    page = client.get("/governance/agreements")
    assert page.status_code == 200
    text = page.text
    assert "ISA-NS-SAFEGUARDING" in text and "ISA-NS-POLICE-SCHOOLS" in text
    assert text.count("Review due") == 1
    assert "Active" in text and "Add an agreement" not in text  # a DPO cannot change it


def test_an_agreement_page_shows_every_term_and_the_history(client: CheckedClient) -> None:
    sign_in(client, "dpo-police")
    text = client.get(SAFEGUARDING).text
    for term in (
        "Sharing what partner agencies know",
        "northshire-schools: joint controller",
        "northshire-police to northshire-council",
        "Safeguarding children",
        "UK GDPR Article 6(1)(e)",
        "Special category data",
        "Criminal offence data",
        "Automatically",
        "25th birthday",
        "1 January 2026",
        "31 December 2028",
        "31 December 2026",
        "Director of Children&#39;s Services, on 1 December 2025",
        "imported from agreements.yaml",
    ):
        assert term in text, term
    assert "Change its status" not in text


@pytest.mark.parametrize("username", ["sw-amara", "yp-p0001", "analyst-gus"])
def test_practitioners_young_people_and_analysts_may_not_see_the_register(
    client: CheckedClient, username: str
) -> None:
    sign_in(client, username)
    for path in ("/governance/agreements", SAFEGUARDING, "/governance/agreements/new"):
        response = client.get(path)
        assert response.status_code == 403
        assert "ISA-NS" not in response.text


def test_a_dpo_cannot_change_the_register(client: CheckedClient, store: Store) -> None:
    sign_in(client, "dpo-council")
    token = client.csrf("/sign-out")  # the session's form token: the register has no forms
    assert client.get("/governance/agreements/new").status_code == 403
    changed = client.post(
        SAFEGUARDING + "/status",
        data={"action": "suspend", "reason": "breach", "csrf_token": token},
    )
    assert changed.status_code == 403
    assert str(get_agreement(store, "ISA-NS-SAFEGUARDING").agreement.status) == "active"


def test_an_unknown_agreement_is_not_found(client: CheckedClient) -> None:
    sign_in(client, "admin-rosa")
    assert client.get("/governance/agreements/ISA-NOPE").status_code == 404


def test_suspending_an_agreement_stops_sharing_at_once_and_reinstating_restarts_it(
    client: CheckedClient, store: Store
) -> None:
    assert school_record_shown(store)
    sign_in(client, "admin-rosa")
    response = post_form(
        client,
        SAFEGUARDING,
        SAFEGUARDING + "/status",
        {"action": "suspend", "reason": "A school reported a breach; under review"},
    )
    assert response.status_code == 303
    shown = client.get(response.headers["location"]).text
    assert "The agreement is now suspended." in shown
    assert "A school reported a breach; under review" in shown  # in the history
    assert not school_record_shown(store)
    post_form(
        client,
        SAFEGUARDING,
        SAFEGUARDING + "/status",
        {"action": "reinstate", "reason": "Review complete"},
    )
    assert school_record_shown(store)


def test_a_status_change_needs_a_reason_and_an_allowed_move(client: CheckedClient) -> None:
    sign_in(client, "admin-rosa")
    response = post_form(client, SAFEGUARDING, SAFEGUARDING + "/status", {"action": "expire"})
    assert response.status_code == 400
    assert "Write why the agreement changes" in response.text
    assert 'href="#reason"' in response.text
    response = post_form(
        client, SAFEGUARDING, SAFEGUARDING + "/status", {"action": "reinstate", "reason": "x"}
    )
    assert response.status_code == 400
    assert "Choose what to do: suspend or expire" in response.text


def test_a_review_sets_the_next_review_date_and_is_kept_in_the_history(
    client: CheckedClient, clock: Clock, store: Store
) -> None:
    clock.advance(days=70)
    sign_in(client, "admin-rosa")
    form = {
        "next_review-day": "31",
        "next_review-month": "12",
        "next_review-year": "2027",
        "notes": "Parties confirmed; no changes",
    }
    response = post_form(client, SAFEGUARDING, SAFEGUARDING + "/reviews", form)
    assert response.status_code == 303
    shown = client.get(response.headers["location"]).text
    assert "The next review is due on 31 December 2027" in shown
    assert "Reviewed: next review 31 December 2027" in shown
    assert get_agreement(store, "ISA-NS-SAFEGUARDING").next_review == dt.date(2027, 12, 31)
    assert "Review due" not in client.get("/governance/agreements").text
    past = {**form, "next_review-year": "2026"}
    response = post_form(client, SAFEGUARDING, SAFEGUARDING + "/reviews", past)
    assert response.status_code == 400
    assert "The next review date must be in the future" in response.text


def test_the_administrator_adds_an_agreement_that_then_governs_sharing(
    client: CheckedClient, store: Store
) -> None:
    sign_in(client, "admin-rosa")
    page = "/governance/agreements/new"
    assert client.get(page).status_code == 200
    response = post_form(client, page, page, new_form())
    assert response.status_code == 303
    assert response.headers["location"] == "/governance/agreements/ISA-NS-EARLY-HELP?added=1"
    shown = client.get(response.headers["location"])
    assert "The agreement has been added to the register." in shown.text
    registered = get_agreement(store, "ISA-NS-EARLY-HELP")
    assert registered.history[0].changed_by == "admin-rosa"
    assert registered.agreement.flows[0].categories == frozenset({"education"})
    again = post_form(client, page, page, new_form())
    assert again.status_code == 400
    assert "An agreement with this reference is registered" in again.text


def test_a_wrong_agreement_is_refused_naming_each_field(client: CheckedClient) -> None:
    sign_in(client, "admin-rosa")
    page = "/governance/agreements/new"
    form = new_form(
        ref="",
        parties="northshire-council controller\nnorthshire-schools, controller",
        flows="northshire-schools -> northshire-health: education",
        **{"starts-day": "31", "starts-month": "2"},
    )
    form["lawful_bases"] = []
    response = post_form(client, page, page, form)
    assert response.status_code == 400
    text = response.text
    assert "There is a problem" in text
    for message, anchor in [
        ("Enter the reference", "#ref"),
        ("Parties, line 1: write the agency, a comma, then its role", "#parties"),
        ("Lawful bases: must be a non-empty list", "#lawful_bases"),
        ("Start date must be a real date", "#starts-day"),
    ]:
        assert message in text, message
        assert f'href="{anchor}"' in text, anchor
    assert "Offering families help early" in text  # what was typed is kept


def test_the_form_and_the_importer_accept_exactly_the_same_agreement() -> None:
    document = yaml.safe_load(EXAMPLES.read_text("utf-8"))["agreements"][1]
    imported, problems = agreements_from_document(document, "agreements.yaml")
    assert not problems
    form = {
        **{k: str(v) for k, v in document.items() if isinstance(v, (str, dt.date))},
        "parties": "\n".join(f"{p['agency']}, {p['role']}" for p in document["parties"]),
        "flows": "\n".join(
            f"{f['from']} -> {f['to']}: {', '.join(f['categories'])}" for f in document["flows"]
        ),
        "purposes": document["purposes"],
        "lawful_bases": document["lawful_bases"],
        "special_category": "no",
        "criminal_offence_data": "yes",
    }
    made, problems = agreement_from_form(form)
    assert not problems
    assert made == imported[0]
