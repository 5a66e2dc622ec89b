"""The analyst's clerical review: each uncertain pair explained comparison by comparison
without plaintext, and a decision with a reason that later link runs honour; the API the
same."""

from __future__ import annotations

import pytest

from seen.store import Store
from seen.store.linkage import latest_decisions, open_review_pairs
from web.conftest import CheckedClient
from web.governance import bearer, governed_partnership, post_form, review_queue, sign_in

REVIEW = "/linkage/review"


@pytest.fixture
def pairs(store: Store) -> list[str]:
    governed_partnership(store)
    return review_queue(store)


def test_each_pair_is_explained_field_by_field(client: CheckedClient, pairs: list[str]) -> None:
    sign_in(client, "analyst-gus")
    page = client.get(REVIEW)
    assert page.status_code == 200
    text = " ".join(page.text.split())
    assert "2 of" in text and "uncertain pairs wait for a decision" in text
    first, second = pairs
    assert text.index(f"Pair {first}") < text.index(f"Pair {second}")  # most probable first
    assert "northshire-council record C-1001 and northshire-schools record S-2002" in text
    assert "match probability 0.820" in text
    assert "prior: two records picked at random" in text and "-9.96" in text
    assert "Dice of bf_given at or above threshold 1 (0.90)" in text  # what agreed, how strongly
    assert "disagree: no level of agreement held" in text
    assert "missing on either side" in text
    assert "+7.50" in text and "-2.20" in text  # the weight each added


@pytest.mark.parametrize("username", ["admin-rosa", "dpo-council", "sw-amara", "yp-p0001"])
def test_only_the_analyst_reviews_links(
    client: CheckedClient, pairs: list[str], username: str
) -> None:
    sign_in(client, username)
    response = client.get(REVIEW)
    assert response.status_code == 403 and "S-2002" not in response.text


def test_a_decision_with_a_reason_leaves_the_queue_and_is_kept_for_later_runs(
    client: CheckedClient, pairs: list[str], store: Store
) -> None:
    sign_in(client, "analyst-gus")
    first = pairs[0]
    response = post_form(
        client,
        REVIEW,
        f"{REVIEW}/{first}",
        {"decision": "non_match", "reason": "Family names disagree outright"},
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert f"Your decision on pair {first} has been recorded." in page
    assert f"Pair {first}" not in page
    queue = open_review_pairs(store)
    assert queue is not None and queue.open == 1
    (decided,) = latest_decisions(store)
    assert decided.decision == "non_match"
    assert {decided.left, decided.right} == {
        ("northshire-schools", "S-2002"),
        ("northshire-council", "C-1001"),
    }


def test_a_decision_needs_a_choice_and_a_reason(client: CheckedClient, pairs: list[str]) -> None:
    sign_in(client, "analyst-gus")
    first = pairs[0]
    response = post_form(client, REVIEW, f"{REVIEW}/{first}", {"reason": " "})
    assert response.status_code == 400
    assert "Choose whether the two records are one person" in response.text
    assert "Write why you decided this" in response.text
    assert (
        f'href="#decision-{first}"' in response.text and f'href="#reason-{first}"' in response.text
    )


def test_a_pair_not_in_the_queue_is_not_found(client: CheckedClient, pairs: list[str]) -> None:
    sign_in(client, "analyst-gus")
    for pair in ("999998-999999", "PX7"):
        response = post_form(
            client, REVIEW, f"{REVIEW}/{pair}", {"decision": "match", "reason": "x"}
        )
        assert response.status_code == 404


def test_before_any_link_run_the_page_says_so(client: CheckedClient, store: Store) -> None:
    from web.governance import ACCOUNTS  # noqa: F401  (the accounts need the partnership)

    governed_partnership(store)
    with store.engine.begin() as conn:
        from sqlalchemy import text

        conn.execute(text("DELETE FROM people"))
        conn.execute(text("DELETE FROM link_runs"))
    sign_in(client, "analyst-gus")
    assert "There has been no link run yet" in client.get(REVIEW).text


def test_the_api_lists_and_decides_what_the_pages_do(
    client: CheckedClient, pairs: list[str], store: Store
) -> None:
    headers = bearer(client, "analyst-gus")
    listed = client.get("/api/v1/linkage/review", headers=headers)
    assert listed.status_code == 200
    body = listed.json()
    assert [p["pair_id"] for p in body["pairs"]] == pairs and body["open"] == 2
    comparisons = body["pairs"][0]["comparisons"]
    assert comparisons[0] == {
        "comparison": "given_name",
        "level": "dice_0",
        "label": "Dice of bf_given at or above threshold 1 (0.90)",
        "weight": 6.1,
    }
    decided = client.post(
        f"/api/v1/linkage/review/{pairs[1]}",
        json={"decision": "match", "reason": "Same school, names close"},
        headers=headers,
    )
    assert decided.status_code == 201, decided.text
    assert decided.json()["pair"]["pair_id"] == pairs[1]
    assert [d.decision for d in latest_decisions(store)] == ["match"]
    missing = client.post(
        "/api/v1/linkage/review/999998-999999",
        json={"decision": "match", "reason": "x"},
        headers=headers,
    )
    assert missing.status_code == 404
    no_reason = client.post(
        f"/api/v1/linkage/review/{pairs[0]}",
        json={"decision": "match", "reason": ""},
        headers=headers,
    )
    assert no_reason.status_code == 422
    admin = bearer(client, "admin-rosa")
    assert client.get("/api/v1/linkage/review", headers=admin).status_code == 403
