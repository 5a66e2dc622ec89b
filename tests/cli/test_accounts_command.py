"""`seen accounts`, `seen practitioners` and `seen relationships`: set up who signs in and who
works with which child, with clear errors, and never a password on the command line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from seen.cli import app
from seen.store import open_store
from seen.store.accounts import Passwords, account_by_username, sign_in
from seen.store.governance import related_practitioners
from sharing.factories import linked_partnership
from store.factories import make_settings

PASSWORD = "a long enough password"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data folder whose SQLite store holds the small linked partnership."""
    store = open_store(make_settings(tmp_path / "data"))
    linked_partnership(store)
    store.close()
    return tmp_path / "data"


def run(data: Path, *args: str, input: str | None = None) -> tuple[int, str, str]:
    env = {
        "SEEN_DATA_DIR": str(data),
        "SEEN_DATABASE_URL": "",
        "SEEN_PASSWORD_HASH_PROFILE": "cheapest",
    }
    result = CliRunner().invoke(app, list(args), env=env, input=input)
    return result.exit_code, result.stdout, " ".join(result.stderr.split())


def signs_in(data: Path, username: str, password: str) -> bool:
    with open_store(make_settings(data)) as store:
        now = dt.datetime.now(dt.UTC)
        return sign_in(store, Passwords("cheapest"), username, password, now) is not None


def test_a_password_typed_at_the_prompt_twice(data: Path) -> None:
    code, out, err = run(
        data,
        *("accounts", "add", "sw-amara", "--role", "practitioner", "--practitioner", "sw-amara"),
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert code == 0, err
    assert "Added practitioner account sw-amara" in out
    assert PASSWORD not in out
    assert signs_in(data, "sw-amara", PASSWORD)
    with open_store(make_settings(data)) as store:
        account = account_by_username(store, "sw-amara")
    assert account is not None and account.agency == "northshire-council"


def test_a_password_read_from_a_file(data: Path, tmp_path: Path) -> None:
    secret = tmp_path / "password.txt"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    code, _, err = run(
        data, "accounts", "add", "dpo-police", "--role", "dpo",
        "--agency", "northshire-police", "--password-file", str(secret),
    )  # fmt: skip
    assert code == 0, err
    assert signs_in(data, "dpo-police", PASSWORD)


def test_there_is_no_password_option(data: Path) -> None:
    code, _, err = run(data, "accounts", "add", "admin-rosa", "--role", "administrator",
                       "--password", PASSWORD)  # fmt: skip
    assert code == 2 and "No such option" in err


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--role", "wizard"], 2, "unknown role 'wizard'"),
        (["--role", "dpo", "--agency", "no-such-agency"], 3, "no agency 'no-such-agency'"),
        (["--role", "practitioner", "--practitioner", "nobody"], 3, "no practitioner 'nobody'"),
        (["--role", "young_person", "--person", "P9999"], 3, "no person 'P9999'"),
        (["--role", "dpo"], 2, "a DPO's an agency"),
    ],
)
def test_clear_errors_and_exit_codes(data: Path, args: list[str], code: int, message: str) -> None:
    got, _, err = run(data, "accounts", "add", "new-user", *args,
                      input=f"{PASSWORD}\n{PASSWORD}\n")  # fmt: skip
    assert got == code, err
    assert message in err


def test_a_short_password_is_refused(data: Path) -> None:
    code, _, err = run(data, "accounts", "add", "analyst-gus", "--role", "analyst",
                       input="short\nshort\n")  # fmt: skip
    assert code == 2 and "at least 12 characters" in err


def test_a_young_person_account_for_a_linked_person(data: Path) -> None:
    code, _, err = run(data, "accounts", "add", "yp-p0001", "--role", "young_person",
                       "--person", "P0001", input=f"{PASSWORD}\n{PASSWORD}\n")  # fmt: skip
    assert code == 0, err
    assert signs_in(data, "yp-p0001", PASSWORD)


def test_reset_password_replaces_the_old_one(data: Path) -> None:
    run(data, "accounts", "add", "admin-rosa", "--role", "administrator",
        input=f"{PASSWORD}\n{PASSWORD}\n")  # fmt: skip
    new = "another long password"
    code, out, err = run(data, "accounts", "reset-password", "admin-rosa",
                         input=f"{new}\n{new}\n")  # fmt: skip
    assert code == 0, err
    assert "sessions have ended" in out
    assert signs_in(data, "admin-rosa", new)
    assert not signs_in(data, "admin-rosa", PASSWORD)
    code, _, err = run(data, "accounts", "reset-password", "nobody",
                       input=f"{new}\n{new}\n")  # fmt: skip
    assert code == 3 and "no account 'nobody'" in err


def test_add_a_practitioner_and_a_relationship(data: Path) -> None:
    code, out, err = run(data, "practitioners", "add", "tm-eve", "--agency",
                         "northshire-council", "--role", "team_manager",
                         "--role", "social_worker")  # fmt: skip
    assert code == 0, err
    assert "Added practitioner tm-eve of northshire-council" in out
    code, out, err = run(data, "relationships", "add", "tm-eve", "P0002", "--reason",
                         "team manager")  # fmt: skip
    assert code == 0, err
    with open_store(make_settings(data)) as store:
        assert "tm-eve" in related_practitioners(store, "P0002", dt.datetime.now(dt.UTC))


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["practitioners", "add", "sw-amara", "--agency", "northshire-council",
          "--role", "social_worker"], 2, "the reference is taken"),
        (["practitioners", "add", "x-1", "--agency", "northshire-council",
          "--role", "wizard"], 2, "not wizard"),
        (["practitioners", "add", "x-1", "--agency", "nowhere", "--role", "teacher"],
         3, "no agency 'nowhere'"),
        (["relationships", "add", "sw-amara", "P0001", "--reason", "again"], 2,
         "already works with P0001"),
        (["relationships", "add", "sw-amara", "P9999", "--reason", "x"], 3, "no person 'P9999'"),
        (["relationships", "add", "nobody", "P0002", "--reason", "x"], 3,
         "no practitioner 'nobody'"),
        (["relationships", "add", "sw-amara", "P0002", "--reason", " "], 2, "give a reason"),
    ],
)  # fmt: skip
def test_practitioner_and_relationship_errors(
    data: Path, args: list[str], code: int, message: str
) -> None:
    got, _, err = run(data, *args)
    assert got == code, err
    assert message in err
