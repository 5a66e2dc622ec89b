"""What the young person sees of themselves: their records, who looked at them and why, their
sharing choices, the requests waiting for their answer, and all of it as one export.

The pages and the API call these functions, so both enforce the same thing. Every read of a
record is decided by the policy with the young person as the principal (docs/policy.md, rule
2: they see their own records except any withheld from them; purpose and lawful basis are not
asked of them, so the request carries the fixed terms below) and recorded in the audit log
before anything is returned; if the log cannot record it, this raises and nothing is shown.
A record withheld from them is not returned, and nothing about it is: not its access entries,
not a request about it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import select

from seen.audit.people import entries_about
from seen.domain.agencies import AgencyKind
from seen.domain.categories import CATEGORY_LABELS
from seen.domain.sharing import ANY, Choice
from seen.errors import InvalidInput, NotFound
from seen.policy.audited import decide_and_record, new_request_id
from seen.policy.engine import ALLOW, PolicyEngine
from seen.policy.world import AccessRequest, Principal
from seen.sharing import chronology
from seen.sharing.world_slice import HeldEvent, child_slice, policy_id
from seen.store import Store
from seen.store.governance import PreferenceRecord, preference_history, record_preference
from seen.store.tables import (
    agencies,
    events,
    people,
    practitioners,
    withheld_from_subject,
)

# The terms a young person's own request carries: the policy does not ask them of a child,
# but every decision entry in the audit log names a purpose and a lawful basis. The right of
# access is UK GDPR Article 15.
SUBJECT_PURPOSE: Final = "subject_access"
SUBJECT_BASIS: Final = "uk-gdpr-art-15"

# The explanation shown with the sharing choices; its digest is the `notice` each choice
# records, so the history says which words the young person was shown.
CHOICES_EXPLANATION: Final = (
    "Agencies are the organisations that work with you, like your school, the council's "
    "children's services, the NHS and the police. Each one keeps its own records about you. "
    "You can choose whether Seen shares each kind of record with other agencies. "
    "Share: they can see it when the rules allow it. "
    "Ask me first: Seen asks you before they can see it. "
    "Don't share: they cannot see it. "
    "In an emergency, when someone is worried you are not safe, a worker can still see "
    "some records. Records about your mental health are never shown this way."
)


def notice_version(name: str, text: str) -> str:
    """A short name for the words shown: changes whenever they do."""
    return f"{name}:{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}"


CHOICES_NOTICE: Final = notice_version("yp-choices-1", CHOICES_EXPLANATION)

# Plain words for what each kind of record is, for the young person's pages.
CATEGORY_EXPLANATIONS: Final[Mapping[str, str]] = {
    "social_care": "When someone asked the council's children's services to help you.",
    "child_protection": "When workers checked whether you were safe, and plans to keep you safe.",
    "looked_after": "Times you lived in care, away from your family.",
    "missing": "Times people did not know where you were.",
    "young_carer": "That you look after someone at home.",
    "attendance": "How often you were at school.",
    "exclusion": "Times you were told not to come to school for a while.",
    "police_contact": "Times the police were involved with you or your family.",
    "health": "Visits to hospital.",
    "mental_health": "Hospital visits about how you were feeling inside.",
}

PURPOSE_WORDS: Final[Mapping[str, str]] = {
    "safeguarding": "to keep you safe",
    "early_help": "to offer you or your family some help early on",
    "service_planning": "to plan services",
}

CHOICE_WORDS: Final[Mapping[Choice, str]] = {
    Choice.SHARE: "Share",
    Choice.ASK_FIRST: "Ask me first",
    Choice.DO_NOT_SHARE: "Don't share",
}

# Most restrictive first: of the wishes that apply, this one wins (docs/policy.md, rule 6).
_STRICTNESS: Final = (Choice.DO_NOT_SHARE, Choice.ASK_FIRST, Choice.SHARE)


# Records --------------------------------------------------------------------------------


def _decide(
    store: Store, person_id: str, now: dt.datetime, only: int | None = None
) -> list[HeldEvent]:
    """Decide the person's records (or one of them) as the person, record every decision,
    and return the ones they may see, in date order."""
    piece = child_slice(store, person_id, None, now)
    held = [e for e in piece.events.values() if only is None or e.event_id == only]
    if not held:
        return []
    view_id = new_request_id()
    asked = [
        AccessRequest(
            principal=Principal("child", person_id),
            record=event.policy_id,
            purpose=SUBJECT_PURPOSE,
            lawful_basis=SUBJECT_BASIS,
            at=now,
        )
        for event in held
    ]
    decisions = decide_and_record(
        PolicyEngine(piece.world), store, asked, [view_id] * len(asked), now
    )
    return [
        event
        for event, decision in zip(held, decisions, strict=True)
        if decision.decision == ALLOW and not event.withheld_from_subject
    ]


def my_records(store: Store, person_id: str, now: dt.datetime) -> list[HeldEvent]:
    """Every record the young person may see about themselves, decided and recorded now."""
    return _decide(store, person_id, now)


def my_record(store: Store, person_id: str, event_id: int, now: dt.datetime) -> HeldEvent:
    """One of the young person's records; NotFound for any other (another's, one withheld
    from them, or none), all alike."""
    found = _decide(store, person_id, now, only=event_id)
    if not found:
        raise NotFound("no such record")
    return found[0]


def by_agency(shown: Iterable[HeldEvent]) -> dict[str, list[HeldEvent]]:
    grouped: dict[str, list[HeldEvent]] = {}
    for event in shown:
        grouped.setdefault(event.agency, []).append(event)
    return dict(sorted(grouped.items()))


def withheld_refs(store: Store, person_id: str) -> set[str]:
    """The policy ids of the person's records withheld from them."""
    query = (
        select(withheld_from_subject.c.event_id)
        .join(events, events.c.id == withheld_from_subject.c.event_id)
        .join(people, people.c.record_id == events.c.record_id)
        .where(people.c.person_id == person_id)
    )
    with store.engine.connect() as conn:
        return {policy_id(int(event_id)) for event_id in conn.execute(query).scalars()}


# Who looked -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Access:
    """One time a worker asked to see one of the young person's records."""

    at: str  # UTC, as the audit log has it
    practitioner: str  # pseudonymous ref
    practitioner_agency: str | None
    record_agency: str
    category: str | None
    purpose: str
    outcome: str  # allow, deny, pending
    pending_on: str | None
    break_glass: bool
    entry_index: int
    request: str = ""  # the audit log's request id: contest-<id> when answering their contest

    @property
    def when(self) -> dt.datetime:
        return dt.datetime.strptime(self.at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)


def access_history(store: Store, person_id: str) -> list[Access]:
    """Who asked to see the young person's records, when, why and what happened, from the
    audit log, newest first; their own looks and records withheld from them are left out.

    These are the `decision` entries: every read of a record, a chronology's and an agency's
    own inbox's alike. A DPO's or the administrator's governance looks (`review_view`: a
    break-glass request, an audit entry) are not reads of their records and are left out."""
    hidden = withheld_refs(store, person_id)
    found = [
        Access(
            at=entry["at"],
            practitioner=entry["actor"],
            practitioner_agency=entry.get("actor_agency"),
            record_agency=entry["record_agency"],
            category=entry.get("category"),
            purpose=entry["purpose"],
            outcome=entry["decision"],
            pending_on=entry.get("pending_on"),
            break_glass=bool(entry.get("break_glass", False)),
            entry_index=entry["index"],
            request=entry["request"],
        )
        for entry in entries_about(store, person_id)
        if entry["kind"] == "decision"
        and entry["actor"] != person_id
        and entry["record_ref"] not in hidden
    ]
    return sorted(found, key=lambda a: a.entry_index, reverse=True)


def access_why(access: Access) -> str:
    """Why they looked, in the young person's words: the purpose asked for, or, for the
    agency reading its record to answer what the young person said was wrong, that."""
    if access.request.startswith("contest-"):
        return "to answer you when you said a record was wrong"
    return PURPOSE_WORDS.get(access.purpose, access.purpose)


def access_words(access: Access) -> str:
    if access.outcome == "allow":
        return "They were shown it"
    if access.outcome == "pending":
        if access.pending_on == "young_person":
            return "Waiting: they had to ask you first"
        return "Waiting: the agency that holds it had to agree first"
    return "They were not shown it"


# Choices --------------------------------------------------------------------------------


def categories() -> list[str]:
    return list(CATEGORY_LABELS)


def latest_choices(store: Store, person_id: str) -> dict[tuple[str, str], PreferenceRecord]:
    """The latest choice for each (category, kind of agency) the young person has one for."""
    latest: dict[tuple[str, str], PreferenceRecord] = {}
    for choice in preference_history(store, person_id):
        latest[(choice.category, choice.recipient_kind)] = choice
    return latest


def effective_choice(
    latest: Mapping[tuple[str, str], PreferenceRecord], category: str, kind: str
) -> Choice | None:
    """The choice that holds for one category going to one kind of agency: of those that
    apply (including choices for every category or every kind), the most restrictive."""
    applying = {
        latest[key].choice
        for key in ((category, kind), (category, ANY), (ANY, kind), (ANY, ANY))
        if key in latest
    }
    return next((choice for choice in _STRICTNESS if choice in applying), None)


def change_choice(
    store: Store,
    person_id: str,
    category: str,
    recipient_kind: str,
    choice: str,
    now: dt.datetime,
) -> PreferenceRecord:
    """Record the young person's own choice (audited with it, in one transaction)."""
    problems = []
    if category not in CATEGORY_LABELS:
        problems.append(f"{category!r} is not a kind of record")
    if recipient_kind not in {k.value for k in AgencyKind}:
        problems.append(f"{recipient_kind!r} is not a kind of agency")
    if choice not in {c.value for c in Choice}:
        problems.append(f"{choice!r} is not one of share, ask_first, do_not_share")
    if problems:
        raise InvalidInput("; ".join(problems))
    preference = PreferenceRecord(
        person_id=person_id,
        category=category,
        recipient_kind=recipient_kind,
        choice=Choice(choice),
        recorded_at=now,
        recorded_by=person_id,
        method="self_service",
        notice=CHOICES_NOTICE,
    )
    record_preference(store, preference)
    return preference


def history_words(choice: PreferenceRecord, person_id: str) -> str:
    """One line of the choices history, in plain words."""
    what = CATEGORY_LABELS.get(choice.category, "Every kind of record")
    if choice.category == ANY:
        what = "Every kind of record"
    who = (
        "All agencies"
        if choice.recipient_kind == ANY
        else AgencyKind(choice.recipient_kind).label
        if choice.recipient_kind in {k.value for k in AgencyKind}
        else choice.recipient_kind
    )
    by = "You chose" if choice.recorded_by == person_id else f"{choice.recorded_by} wrote down"
    return f"{by}: {what}, {who}: {CHOICE_WORDS[choice.choice]}"


# Requests waiting for the young person ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WaitingRequest:
    release: chronology.PendingRelease
    event: HeldEvent
    asked_by_agency: str | None


def my_requests(
    store: Store, person_id: str, now: dt.datetime, shown: Sequence[HeldEvent] | None = None
) -> list[WaitingRequest]:
    """Requests to see the young person's records that asked them first, newest first; only
    for records they may see themselves (`shown`, or deciding those, recorded, now)."""
    found = chronology.releases(store, person_id=person_id, pending_on="young_person")
    if not found:
        return []
    if shown is None:
        shown = my_records(store, person_id, now)
    mine = {event.event_id: event for event in shown}
    agency_of = _practitioner_agencies(store, {r.asked_by for r in found})
    return [
        WaitingRequest(release, mine[release.event_id], agency_of.get(release.asked_by))
        for release in found
        if release.event_id in mine
    ]


def answer_request(
    store: Store, person_id: str, release_id: int, approve: bool, now: dt.datetime
) -> WaitingRequest:
    """Say yes or no to a request waiting for the young person; NotFound for one that is not
    theirs, is about a record withheld from them, or is already answered."""
    waiting = {w.release.id: w for w in my_requests(store, person_id, now)}
    found = waiting.get(release_id)
    if found is None or found.release.status != "pending":
        raise NotFound("no such request waiting for your answer")
    answered = chronology.answer(
        store,
        release_id,
        approve=approve,
        by=person_id,
        reason="",
        now=now,
        person_id=person_id,
    )
    return WaitingRequest(answered, found.event, found.asked_by_agency)


def _practitioner_agencies(store: Store, refs: set[str]) -> dict[str, str]:
    query = (
        select(practitioners.c.ref, agencies.c.name)
        .join(agencies, agencies.c.id == practitioners.c.agency_id)
        .where(practitioners.c.ref.in_(sorted(refs)))
    )
    with store.engine.connect() as conn:
        return {row.ref: row.name for row in conn.execute(query)}


def record_fields(event: HeldEvent) -> dict[str, Any]:
    """A record as the young person's pages and export give it."""
    return {
        "event_id": event.event_id,
        "agency": event.agency,
        "agency_kind": str(event.agency_kind),
        "what": event.description,
        "category": event.category,
        "category_label": CATEGORY_LABELS.get(event.category, event.category),
        "start": event.start.isoformat(),
        "end": event.end.isoformat() if event.end else None,
    }


def access_fields(access: Access) -> dict[str, Any]:
    return {
        "at": access.at,
        "practitioner": access.practitioner,
        "practitioner_agency": access.practitioner_agency,
        "record_agency": access.record_agency,
        "category": access.category,
        "purpose": access.purpose,
        "outcome": access.outcome,
        "pending_on": access.pending_on,
        "break_glass": access.break_glass,
    }
