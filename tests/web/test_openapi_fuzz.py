"""schemathesis over the API's OpenAPI document: every operation in it, fuzzed with data that
fits its schema and data that does not, once without credentials and once with a bearer
token of each role, must never answer with a server error, must answer as its schema says,
and must refuse a request without valid credentials when it declares bearer security
(schemathesis's `ignored_auth` check sends each case again without the token, and with a
made-up one).

Operations are read from the document when the test runs, so routes added later are fuzzed
too. Deterministic (derandomize) and bounded: SEEN_FUZZ_EXAMPLES cases per operation, per
role and per mode (positive, negative).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import ignored_auth, response_schema_conformance

from seen.domain.accounts import AccountRole
from seen.store import open_store
from seen.store.accounts import Passwords, create_account
from seen.web import create_app
from sharing.factories import NOW, linked_partnership
from store.factories import make_settings
from web.clock import Clock

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("SEEN_FUZZ_EXAMPLES", "4"))
PASSWORD = "correct horse battery"
# One account per role over the small linked partnership: username -> (role, links)
ACCOUNTS: dict[str, tuple[AccountRole, dict[str, str]]] = {
    "sw-amara": (AccountRole.PRACTITIONER, {"practitioner": "sw-amara"}),
    "dpo-police": (AccountRole.DPO, {"agency": "northshire-police"}),
    "admin-rosa": (AccountRole.ADMINISTRATOR, {}),
    "analyst-gus": (AccountRole.ANALYST, {}),
    "yp-p0001": (AccountRole.YOUNG_PERSON, {"person_id": "P0001"}),
}
CHECKS = [not_a_server_error, response_schema_conformance, ignored_auth]


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The app over a SQLite store with the small partnership and an account per role."""
    data: Path = tmp_path_factory.mktemp("fuzz") / "data"
    config = make_settings(data).model_copy(update={"password_hash_profile": "cheapest"})
    store = open_store(config)
    linked_partnership(store)
    passwords = Passwords("cheapest")
    for username, (role, links) in ACCOUNTS.items():
        create_account(
            store, passwords, username=username, password=PASSWORD, role=role, now=NOW, **links
        )
    yield create_app(config, store=store, now=Clock(NOW))
    store.close()


class Tokens:
    """A bearer token for a user, renewed after any call that is not a GET (a fuzzed
    DELETE /api/v1/tokens/current, say, may have ended it); reads reuse it."""

    def __init__(self, client: TestClient, username: str | None) -> None:
        self.client = client
        self.username = username
        self.token: str | None = None

    def headers(self) -> dict[str, str]:
        if self.username is None:
            return {}
        if self.token is None:
            answer = self.client.post(
                "/api/v1/tokens", json={"username": self.username, "password": PASSWORD}
            )
            assert answer.status_code == 201, answer.text
            self.token = answer.json()["token"]
        return {"Authorization": f"Bearer {self.token}"}

    def after(self, method: str) -> None:
        if method.upper() != "GET":
            self.token = None


def fuzz(app: Any, username: str | None) -> tuple[list[str], list[str]]:
    """(operations fuzzed, failures) for every operation in the document."""
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    fuzzed, failures = [], []
    with TestClient(app, base_url="https://testserver") as client:
        tokens = Tokens(client, username)
        for result in schema.get_all_operations():
            operation = result.ok()
            fuzzed.append(operation.label)
            for mode in _modes(operation.definition.raw):

                @given(case=operation.as_strategy(generation_mode=mode))
                @settings(
                    max_examples=EXAMPLES,
                    derandomize=True,
                    database=None,
                    deadline=None,
                    suppress_health_check=list(HealthCheck),
                )
                def run(case: Any) -> None:
                    try:
                        case.call_and_validate(headers=tokens.headers(), checks=CHECKS)
                    finally:
                        tokens.after(case.method)

                try:
                    run()
                # schemathesis raises a BaseExceptionGroup of its failures; collect every
                # operation's, not just the first.
                except (Exception, BaseExceptionGroup) as failure:
                    label = f"{operation.label} ({mode}, as {username})"
                    failures.append(f"{label}: {str(failure) or repr(failure)}")
    return fuzzed, failures


def _modes(definition: dict[str, Any]) -> tuple[GenerationMode, ...]:
    """Both modes; positive only for an operation with no parameter, body or credentials,
    such as the public transparency page's: there is nothing to make invalid."""
    if any(definition.get(key) for key in ("parameters", "requestBody", "security")):
        return (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    return (GenerationMode.POSITIVE,)


@pytest.mark.parametrize("username", [None, *ACCOUNTS], ids=["anonymous", *ACCOUNTS])
def test_every_operation_holds_up_to_fuzzing(fuzzed_app: Any, username: str | None) -> None:
    fuzzed, failures = fuzz(fuzzed_app, username)
    document = fuzzed_app.openapi()
    in_document = {
        f"{method.upper()} {path}" for path, item in document["paths"].items() for method in item
    }
    assert set(fuzzed) == in_document
    assert not failures, "\n\n".join(failures)


def test_every_operation_but_signing_in_and_the_public_ones_declares_bearer_security(
    fuzzed_app: Any,
) -> None:
    # So `ignored_auth` above checks each of them refuses a request without a valid token.
    document = fuzzed_app.openapi()
    open_operations = {
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if not operation.get("security")
    }
    assert open_operations == {
        "POST /api/v1/tokens",
        # What the partnership publishes (docs/reporting.md): nothing about any child.
        "GET /api/v1/transparency",
        "GET /api/v1/identification/model-card",
        "GET /api/v1/identification/transparency-record",
    }
