"""The demo's web set-up (seen.web_demo) over the small linked partnership: an account per
role that signs in, practitioners working with a child known to every agency, the young
person's wish that makes a practitioner wait for them, and nothing added twice on a re-run."""

from __future__ import annotations

import datetime as dt

import pytest

from seen.domain.accounts import AccountRole
from seen.settings import Settings
from seen.sharing.chronology import Status, ask, view
from seen.store import Store
from seen.store.accounts import Passwords, sign_in
from seen.store.governance import list_agreements, preference_history, related_practitioners
from seen.web_demo import DEMO_PRACTITIONERS, account_rows, demo_children, set_up_web_demo
from sharing.factories import NOW, linked_partnership


@pytest.fixture
def config(store_settings: Settings) -> Settings:
    return store_settings.model_copy(update={"password_hash_profile": "cheapest"})


@pytest.fixture(autouse=True)
def partnership(store: Store) -> None:
    linked_partnership(store)


def signs_in(store: Store, username: str, password: str) -> bool:
    return sign_in(store, Passwords("cheapest"), username, password, NOW) is not None


def test_one_account_per_role_each_signing_in_with_its_printed_password(
    store: Store, config: Settings
) -> None:
    demo = set_up_web_demo(store, config, NOW)
    roles = [account.role for account in demo.accounts]
    assert set(roles) == set(AccountRole)
    assert roles.count(AccountRole.PRACTITIONER) == len(DEMO_PRACTITIONERS)
    assert roles.count(AccountRole.DPO) == 2
    for account in demo.accounts:
        assert len(account.password) >= 20
        assert signs_in(store, account.username, account.password), account.username
    rows = {
        username: (role, agency, note) for role, username, _, agency, note in account_rows(demo)
    }
    # Each practitioner is told their own agency's reference for the demo child.
    assert rows["sw-amara"] == (
        "practitioner",
        "northshire-council",
        "search C-1001; prompts to review",
    )
    assert rows["ycw-yara"] == (
        "practitioner",
        "northshire-young-carers",
        "(no record of the demo child); prompts to review",
    )
    assert rows["pc-cara"] == ("practitioner", "northshire-police", "search N-3001")
    assert rows["dpo-police"] == ("dpo", "northshire-police", "the inbox")
    assert rows["yp-p0001"] == ("young person", "", "the demo child, P0001")


def test_the_demo_child_is_known_to_every_agency_and_every_practitioner_works_with_them(
    store: Store, config: Settings
) -> None:
    demo = set_up_web_demo(store, config, NOW)
    assert demo.children == ("P0001", "P0002")  # P0001 is known to all four agencies
    assert related_practitioners(store, "P0001", NOW) == {ref for ref, *_ in DEMO_PRACTITIONERS}
    assert demo_children(store, 1, first="P0002") == ["P0002"]  # an earlier run's child leads


def test_the_young_persons_wish_makes_the_social_worker_wait_for_them(
    store: Store, config: Settings
) -> None:
    set_up_web_demo(store, config, NOW)
    (wish,) = preference_history(store, "P0001")
    assert (wish.category, wish.recipient_kind, str(wish.choice)) == (
        "attendance",
        "childrens_services",
        "ask_first",
    )
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
    entries = {e.event.description: e.status for e in view(store, request, NOW).entries}
    assert entries["School attendance for a term"] is Status.WAITING_ON_YOUNG_PERSON
    assert entries["Police incident: Domestic incident"] is Status.SHOWN


def test_running_again_adds_nothing_twice_and_resets_the_passwords(
    store: Store, config: Settings
) -> None:
    first = set_up_web_demo(store, config, NOW)
    assert first.audit_key_created and config.resolved_audit_key().exists()
    second = set_up_web_demo(store, config, NOW + dt.timedelta(minutes=5))
    assert second.agreements_imported == 0 and not second.audit_key_created
    assert second.children == first.children
    assert len(list_agreements(store)) == 2
    assert len(preference_history(store, "P0001")) == 1
    for old, new in zip(first.accounts, second.accounts, strict=True):
        assert old.username == new.username and old.password != new.password
        assert signs_in(store, new.username, new.password)
        assert not signs_in(store, old.username, old.password)


def test_an_empty_agreements_register_gets_the_examples(store: Store, config: Settings) -> None:
    # linked_partnership imported them already; a store without them gets both.
    assert set_up_web_demo(store, config, NOW).agreements_imported == 0
