"""The demo partnership made usable in the web app: after `seen demo` has loaded and linked the
synthetic agencies, `set_up_web_demo` adds what every web journey needs.

- the example agreements register (examples/agreements.yaml), unless it is already there;
- a practitioner in each agency (`DEMO_PRACTITIONERS`), each working with the demo children;
- one or two demo children, known to as many agencies as possible (council, school and police
  at least, when the partnership has such a child);
- one sharing wish of the first demo child (ask first before school attendance goes to
  children's services), so the "waiting for the young person" path shows;
- a young carers' service (the synthetic partnership has no extract of one), whose worker
  reviews the young-carer prompts, as children's services' social worker reviews the
  exploitation ones (`raise_demo_prompts`);
- one account per role, with a new random password on every run (argon2id hashes only are
  stored), and the audit log's signing key if there is none.

Everything is idempotent: running the demo again adds nothing twice and only resets the
demo accounts' passwords.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import yaml
from sqlalchemy import func, select

from seen.domain.accounts import AccountRole
from seen.domain.agencies import AgencyKind
from seen.domain.sharing import Choice
from seen.errors import ConfigurationError, InvalidInput, NotFound
from seen.settings import Settings
from seen.store import Store
from seen.store.accounts import Passwords, account_by_username, create_account, set_password
from seen.store.governance import (
    PreferenceRecord,
    add_practitioner,
    add_relationship,
    has_practitioner,
    import_agreements,
    list_agreements,
    preference_history,
    record_preference,
    related_practitioners,
)
from seen.store.tables import accounts, agencies, events, identify_prompts, people, records

AGREEMENTS: Final = Path(__file__).resolve().parents[2] / "examples" / "agreements.yaml"
LOG_ORIGIN: Final = "seen.example/northshire/audit"
COUNCIL: Final = "northshire-council"
YOUNG_CARERS: Final = "northshire-young-carers"
# (ref, agency, practitioner roles): one practitioner in each agency of the synthetic
# partnership, and one in the young carers' service the demo adds
DEMO_PRACTITIONERS: Final = (
    ("sw-amara", COUNCIL, ("social_worker",)),
    ("dsl-ben", "northshire-schools", ("designated_safeguarding_lead",)),
    ("pc-cara", "northshire-police", ("police_officer",)),
    ("hv-dev", "northshire-health", ("health_visitor",)),
    ("ycw-yara", YOUNG_CARERS, ("young_carers_worker",)),
)
# Prompts raised per need, as a share of the children the hub knows (1%, as in the issue).
DEMO_PROMPT_CAPACITY: Final = 0.01
# Agencies a demo child should be known to, best first: each missing one costs a place.
WANTED_AGENCIES: Final = (COUNCIL, "northshire-schools", "northshire-police", "northshire-health")
DPOS: Final = (("dpo-police", "northshire-police"), ("dpo-council", COUNCIL))
ADMINISTRATOR: Final = "admin-rosa"
ANALYST: Final = "analyst-gus"
# The first demo child's wish: ask them before their school attendance goes to the council.
WISH: Final = ("attendance", "childrens_services", Choice.ASK_FIRST)
PASSWORD_BYTES: Final = 15  # 20 characters of URL-safe base64


@dataclass(frozen=True, slots=True)
class DemoAccount:
    role: AccountRole
    username: str
    password: str
    agency: str | None
    # For a practitioner: their own agency's reference for the first demo child, to search
    # for; for a young person: their person id.
    search_for: str | None


@dataclass(frozen=True, slots=True)
class WebDemo:
    children: tuple[str, ...]  # person ids
    accounts: tuple[DemoAccount, ...]
    agreements_imported: int
    audit_key: Path
    audit_key_created: bool


def set_up_web_demo(
    store: Store,
    config: Settings,
    now: dt.datetime,
    agreements_file: Path = AGREEMENTS,
    children: int = 2,
) -> WebDemo:
    """Make every web journey usable on a loaded, linked partnership (see the module)."""
    imported = _import_agreements(store, agreements_file, now)
    _add_young_carers_service(store, now)
    for ref, agency, roles in DEMO_PRACTITIONERS:
        if not has_practitioner(store, ref):
            add_practitioner(store, ref, agency, roles)
    chosen = demo_children(store, children, _young_person(store))
    for person in chosen:
        related = related_practitioners(store, person, now)
        for ref, _agency, _roles in DEMO_PRACTITIONERS:
            if ref not in related:
                add_relationship(store, ref, person, "demo: allocated worker", now)
    _record_wish(store, chosen[0], now)
    held = _references(store, chosen[0])
    wanted: list[tuple[str, AccountRole, dict[str, str], str | None, str | None]] = [
        (ref, AccountRole.PRACTITIONER, {"practitioner": ref}, agency, held.get(agency))
        for ref, agency, _roles in DEMO_PRACTITIONERS
    ]
    wanted += [(name, AccountRole.DPO, {"agency": agency}, agency, None) for name, agency in DPOS]
    wanted += [
        (ADMINISTRATOR, AccountRole.ADMINISTRATOR, {}, None, None),
        (ANALYST, AccountRole.ANALYST, {}, None, None),
        (
            _young_person_name(chosen[0]),
            AccountRole.YOUNG_PERSON,
            {"person_id": chosen[0]},
            None,
            chosen[0],
        ),
    ]
    passwords = Passwords(config.password_hash_profile)
    made = []
    for username, role, links, of_agency, search_for in wanted:
        password = secrets.token_urlsafe(PASSWORD_BYTES)
        if account_by_username(store, username) is None:
            create_account(
                store, passwords, username=username, password=password, role=role, now=now, **links
            )
        else:
            set_password(store, passwords, username, password)
        made.append(DemoAccount(role, username, password, of_agency, search_for))
    key, created = _audit_key(config)
    return WebDemo(tuple(chosen), tuple(made), imported, key, created)


def demo_children(store: Store, count: int, first: str | None = None) -> list[str]:
    """Up to `count` person ids known to the most of WANTED_AGENCIES (then the most events),
    `first` (an earlier run's demo child) leading; the same store gives the same children."""
    query = (
        select(
            people.c.person_id,
            agencies.c.name,
            func.count(func.distinct(events.c.id)).label("events"),
        )
        .join(records, records.c.id == people.c.record_id)
        .join(agencies, agencies.c.id == records.c.agency_id)
        .outerjoin(events, events.c.record_id == records.c.id)
        .group_by(people.c.person_id, agencies.c.name)
    )
    known: dict[str, tuple[set[str], int]] = {}
    with store.engine.connect() as conn:
        for row in conn.execute(query):
            names, total = known.get(row.person_id, (set(), 0))
            names.add(row.name)
            known[row.person_id] = (names, total + row.events)
    if not known:
        raise NotFound("the hub holds no linked people yet: load and link the agencies first")

    def rank(person: str) -> tuple[int, int, int, str]:
        names, total = known[person]
        missing = sum(
            1 << (len(WANTED_AGENCIES) - i) for i, a in enumerate(WANTED_AGENCIES) if a not in names
        )
        return (person != first, missing, -total, person)

    return sorted(known, key=rank)[:count]


def _import_agreements(store: Store, path: Path, now: dt.datetime) -> int:
    from seen.domain.agreements import agreements_from_document

    try:
        document: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigurationError(f"the example agreements are not at {path}") from None
    found, problems = agreements_from_document(document, str(path))
    if problems:
        raise InvalidInput(f"{path}: not valid agreements", problems)
    registered = {entry.agreement.ref for entry in list_agreements(store)}
    new = [agreement for agreement in found if agreement.ref not in registered]
    if new:
        import_agreements(store, new, str(path), "seen demo", now)
    return len(new)


def _add_young_carers_service(store: Store, now: dt.datetime) -> None:
    from seen.store import write_transaction
    from seen.store.writes import insert_agency

    with write_transaction(store) as conn:
        known = conn.execute(select(agencies.c.id).where(agencies.c.name == YOUNG_CARERS)).first()
        if known is None:
            insert_agency(conn, YOUNG_CARERS, AgencyKind.YOUNG_CARERS_SERVICE.value, now)


def raise_demo_prompts(store: Store, today: dt.date) -> dict[str, str]:
    """Prompts for each need as of `today`, from the hub's linked history: need title -> what
    happened, in words. Running the demo again on the same day raises none twice. A need whose
    model the partnership cannot train (too few recorded cases, in a small demo) is said so."""
    from seen.identify.history import history_from_store
    from seen.identify.labels import Need
    from seen.identify.lifecycle import run_prompts

    history = history_from_store(store)
    raised = {}
    for need in Need:
        if _raised_on(store, need.value, today):
            raised[need.spec.title] = "prompts were raised earlier today; none raised again"
            continue
        try:
            plan = run_prompts(store, history, need, today, capacity_share=DEMO_PROMPT_CAPACITY)
        except InvalidInput as error:
            raised[need.spec.title] = f"no prompts: {error}"
            continue
        raised[need.spec.title] = (
            f"{len(plan.new)} new prompt(s) for {need.spec.acting_agency.label} to review, "
            f"{len(plan.renewed)} renewed by new evidence"
        )
    return raised


def _raised_on(store: Store, need: str, day: dt.date) -> bool:
    # Each run of the lifecycle prompts the next highest children without an open prompt, so
    # a second run on the same day would double the queue.
    with store.engine.connect() as conn:
        found = conn.execute(
            select(identify_prompts.c.id)
            .where(identify_prompts.c.need == need, identify_prompts.c.raised_on == day)
            .limit(1)
        ).first()
    return found is not None


def _young_person(store: Store) -> str | None:
    """The demo child of an earlier run, if its young person's account exists."""
    with store.engine.connect() as conn:
        found = conn.execute(
            select(accounts.c.person_id)
            .where(accounts.c.role == AccountRole.YOUNG_PERSON.value)
            .where(accounts.c.username.like("yp-%"))
            .order_by(accounts.c.id)
        ).scalar()
    return None if found is None else str(found)


def _young_person_name(person_id: str) -> str:
    return f"yp-{person_id.lower()}"


def _record_wish(store: Store, person: str, now: dt.datetime) -> None:
    category, kind, choice = WISH
    history = preference_history(store, person)
    if any(p.category == category and p.recipient_kind == kind for p in history):
        return
    record_preference(
        store,
        PreferenceRecord(person, category, kind, choice, now, person, "self_service", "demo-1"),
    )


def _references(store: Store, person: str) -> dict[str, str]:
    """Each agency's first record reference for the person."""
    from seen.sharing.world_slice import agencies_holding

    return {agency: refs[0] for agency, refs in agencies_holding(store, person).items()}


def _audit_key(config: Settings) -> tuple[Path, bool]:
    """The audit log's signing key, written if there is none (it is never overwritten)."""
    from seen.audit.keys import write_log_key
    from seen.audit.note import NoteSigner

    path = config.resolved_audit_key()
    if path.exists():
        return path, False
    write_log_key(path, NoteSigner.generate(LOG_ORIGIN))
    return path, True


# The agencies whose practitioners review prompts: the young carers' service (young carers)
# and children's services (exploitation).
PROMPT_REVIEWERS: Final = frozenset({YOUNG_CARERS, COUNCIL})


def account_rows(demo: WebDemo) -> Sequence[tuple[str, str, str, str, str]]:
    """(role, user name, password, agency, what to look for) for the printed table."""
    rows = []
    for account in demo.accounts:
        if account.role is AccountRole.PRACTITIONER:
            note = (
                f"search {account.search_for}"
                if account.search_for
                else "(no record of the demo child)"
            )
            if account.agency in PROMPT_REVIEWERS:
                note += "; prompts to review"
        elif account.role is AccountRole.DPO:
            note = "the inbox"
        elif account.role is AccountRole.YOUNG_PERSON:
            note = f"the demo child, {account.search_for}"
        else:
            note = ""
        role = account.role.value.replace("_", " ")
        rows.append((role, account.username, account.password, account.agency or "", note))
    return rows
