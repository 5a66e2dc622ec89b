"""The fairness page shows the latest stored evaluation's report to the partnership's
governance and analyst, with a GOV.UK notification banner when an alert was raised; the
model card and transparency record made from the same report are for anyone signed in;
practitioners and young people are refused the fairness report, on the page and the API;
and before any evaluation is stored every page says how to store one."""

from __future__ import annotations

import json
from typing import Any

import pytest

from seen.identify.transparency import atrs_record, est, model_card, to_json
from seen.store import Store
from seen.store.evaluations import save_evaluation
from web.accounts import add_accounts, bearer, sign_in
from web.conftest import CheckedClient
from web.identification import NOW, hand_built_report

FAIRNESS = "/identification/fairness"
CARD = "/identification/model-card"
RECORD = "/identification/transparency-record"
API = "/api/v1/identification"
OVERSIGHT = ["dpo-council", "admin-rosa", "analyst-gus"]


@pytest.fixture(autouse=True)
def accounts(store: Store) -> None:
    add_accounts(store)


def stored(store: Store, *, gap: bool = True) -> tuple[int, dict[str, Any]]:
    report = hand_built_report(gap=gap)
    return save_evaluation(store, report, NOW), report


@pytest.mark.parametrize("username", OVERSIGHT)
def test_governance_and_the_analyst_see_the_alert_as_a_banner_and_the_tables(
    client: CheckedClient, store: Store, username: str
) -> None:
    stored(store, gap=False)
    number, report = stored(store)  # the latest is shown
    sign_in(client, username)
    page = client.get(FAIRNESS)
    assert page.status_code == 200
    html = page.text
    assert 'class="govuk-notification-banner"' in html and "Fairness alert" in html
    assert "2 fairness alerts: a gap between groups is above the threshold" in " ".join(
        html.split()
    )
    for alert in report["alerts"]:
        assert alert["text"] in html
    assert f"Number {number}, stored 1 November 2026" in html
    deprivation = report["needs"][0]["fairness"]["breakdowns"][1]
    most_deprived = deprivation["groups"][0]
    assert most_deprived["group"] == "Quintile 1 (most deprived)"
    fpr = est(most_deprived["rates"]["false_positive_rate"])
    assert f'<td class="govuk-table__cell">{fpr}</td>' in html
    assert "False positive rate" in html and "ALERT: above the threshold" in html
    assert 'href="/identification/model-card"' in html
    active = html.split("govuk-service-navigation__item--active")[1]
    assert active.index("Fairness") < active.index("</li>")  # the navigation's current item


def test_without_an_alert_there_is_no_banner(client: CheckedClient, store: Store) -> None:
    stored(store, gap=False)
    sign_in(client, "dpo-council")
    html = client.get(FAIRNESS).text
    assert "govuk-notification-banner" not in html
    assert "No fairness alert was raised in this evaluation." in html


@pytest.mark.parametrize("username", ["sw-amara", "yp-child-1"])
def test_practitioners_and_young_people_are_refused_the_fairness_report(
    client: CheckedClient, store: Store, username: str
) -> None:
    stored(store)
    sign_in(client, username)
    page = client.get(FAIRNESS)
    assert page.status_code == 403 and "Fairness alert" not in page.text
    api = client.get(f"{API}/evaluation", headers=bearer(client, username))
    assert api.status_code == 403 and "report" not in api.json()


def test_signed_out_the_fairness_report_asks_to_sign_in_and_its_api_refuses(
    client: CheckedClient, store: Store
) -> None:
    stored(store)
    answer = client.get(FAIRNESS)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/sign-in")
    assert client.get(f"{API}/evaluation").status_code == 401


@pytest.mark.parametrize("username", [None, *OVERSIGHT, "sw-amara", "yp-child-1"])
def test_anyone_reads_the_model_card_and_the_record(
    client: CheckedClient, store: Store, username: str | None
) -> None:
    # Public, like the transparency page that links to them: the partnership publishes them.
    number, report = stored(store)
    if username is not None:
        sign_in(client, username)
    card = client.get(CARD)
    assert card.status_code == 200
    assert (
        '<h1 class="govuk-heading-l">Model card: early identification of hidden needs</h1>'
        in card.text
    )
    assert f"Generated from stored evaluation {number}, run 2026-11-01" in card.text
    assert "missing_reports_12m" in card.text and "+1.250" in card.text
    record = client.get(RECORD)
    assert record.status_code == 200
    assert "2.3.4 Human decisions and review" in record.text
    assert report["alerts"][0]["text"] in record.text


def test_the_api_gives_the_pages_objects(client: CheckedClient, store: Store) -> None:
    number, report = stored(store)
    headers = bearer(client, "analyst-gus")
    evaluation = client.get(f"{API}/evaluation", headers=headers)
    assert evaluation.status_code == 200
    body = evaluation.json()
    assert body["id"] == number and body["alerts"] == 2
    assert body["report"] == json.loads(json.dumps(report))
    card = client.get(f"{API}/model-card").json()  # no credentials needed
    assert card == json.loads(to_json(model_card(report, number)))
    record = client.get(f"{API}/transparency-record").json()
    assert record == json.loads(to_json(atrs_record(report, number)))
    assert record["standard_version"] == "3.0"


def test_before_any_evaluation_every_page_says_how_to_store_one(client: CheckedClient) -> None:
    sign_in(client, "admin-rosa")
    for path in (FAIRNESS, CARD, RECORD):
        page = client.get(path)
        assert page.status_code == 200
        assert "seen identify evaluate PARTNERSHIP --save" in page.text
    headers = bearer(client, "admin-rosa")
    for path in ("evaluation", "model-card", "transparency-record"):
        answer = client.get(f"{API}/{path}", headers=headers)
        assert answer.status_code == 404
        assert "seen identify evaluate PARTNERSHIP --save" in answer.json()["detail"]
