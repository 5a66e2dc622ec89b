"""Signing in and out: sessions, throttling, expiry and CSRF (docs/web.md)."""

from __future__ import annotations

from typing import Any

import pytest

from seen.store import Store
from web.accounts import PASSWORD, add_accounts
from web.clock import Clock
from web.conftest import CheckedClient


@pytest.fixture(autouse=True)
def accounts(store: Store) -> None:
    add_accounts(store)


def sign_in(client: CheckedClient, username: str, password: str = PASSWORD) -> Any:
    token = client.csrf("/sign-in")
    return client.post(
        "/sign-in", data={"username": username, "password": password, "csrf_token": token}
    )


def test_a_right_password_opens_a_session_in_a_secure_cookie(client: CheckedClient) -> None:
    response = sign_in(client, "sw-amara")
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "seen_session=" in cookie
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=strict" in cookie
    home = client.get("/")
    assert "Signed in as sw-amara" in home.text


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(client: CheckedClient) -> None:
    wrong = sign_in(client, "sw-amara", "not the password")
    unknown = sign_in(client, "nobody-here", "not the password")
    assert wrong.status_code == unknown.status_code == 400
    assert "Enter a correct user name and password" in wrong.text
    assert wrong.text.replace("sw-amara", "X") == unknown.text.replace("nobody-here", "X")


def test_five_failures_close_the_account_for_fifteen_minutes(
    client: CheckedClient, clock: Clock
) -> None:
    for _ in range(5):
        assert sign_in(client, "sw-amara", "wrong password!").status_code == 400
    assert sign_in(client, "sw-amara").status_code == 400  # right password, but closed
    clock.advance(minutes=14)
    assert sign_in(client, "sw-amara").status_code == 400
    clock.advance(minutes=2)
    assert sign_in(client, "sw-amara").status_code == 303


def test_a_session_ends_after_thirty_idle_minutes(client: CheckedClient, clock: Clock) -> None:
    sign_in(client, "sw-amara")
    clock.advance(minutes=29)
    assert client.get("/sign-out").status_code == 200
    clock.advance(minutes=31)
    response = client.get("/sign-out")
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=/sign-out"


def test_a_session_ends_after_eight_hours_however_busy(client: CheckedClient, clock: Clock) -> None:
    sign_in(client, "sw-amara")
    for _ in range(16):  # 16 x 29 minutes: 7 h 44 min
        clock.advance(minutes=29)
        assert client.get("/sign-out").status_code == 200
    clock.advance(minutes=29)
    assert client.get("/sign-out").status_code == 303


def test_a_form_without_its_token_changes_nothing(client: CheckedClient) -> None:
    response = client.post("/sign-in", data={"username": "sw-amara", "password": PASSWORD})
    assert response.status_code == 400
    assert "seen_session" not in response.headers.get("set-cookie", "")
    sign_in(client, "sw-amara")
    assert client.post("/sign-out", data={"csrf_token": "forged"}).status_code == 400
    assert "Signed in as sw-amara" in client.get("/").text


def test_signing_out_ends_the_session(client: CheckedClient) -> None:
    sign_in(client, "sw-amara")
    token = client.csrf("/sign-out")
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 303
    assert client.get("/sign-out").status_code == 303


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil"])
def test_sign_in_never_sends_you_to_another_site(client: CheckedClient, target: str) -> None:
    token = client.csrf("/sign-in")
    response = client.post(
        "/sign-in",
        data={"username": "sw-amara", "password": PASSWORD, "csrf_token": token, "next": target},
    )
    assert response.headers["location"] == "/"


def test_the_api_takes_a_bearer_token_and_never_the_page_cookie(client: CheckedClient) -> None:
    assert client.get("/api/v1/me").status_code == 401
    sign_in(client, "sw-amara")
    assert client.get("/api/v1/me").status_code == 401  # the cookie is not enough
    issued = client.post("/api/v1/tokens", json={"username": "sw-amara", "password": PASSWORD})
    assert issued.status_code == 201
    token = issued.json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json() == {
        "username": "sw-amara",
        "role": "practitioner",
        "agency": "northshire-council",
    }
    client.delete("/api/v1/tokens/current", headers={"Authorization": f"Bearer {token}"})
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
