"""Everything Seen holds about a young person, as one JSON document: their subject access
export. The records in it are decided and recorded exactly as on their own pages, so a
record withheld from them, and every trace of it, is left out here too."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from seen.domain.agencies import AgencyKind
from seen.domain.categories import CATEGORY_LABELS
from seen.sharing.contests import my_contests
from seen.sharing.subject import (
    access_fields,
    access_history,
    effective_choice,
    latest_choices,
    my_records,
    my_requests,
    record_fields,
)
from seen.sharing.voice import voice_entries, young_carer_statement
from seen.store import Store
from seen.store.governance import preference_history

EXPORT_VERSION: Final = 1


def subject_export(store: Store, person_id: str, now: dt.datetime) -> dict[str, Any]:
    shown = my_records(store, person_id, now)
    visible = {event.event_id for event in shown}
    latest = latest_choices(store, person_id)
    statement = young_carer_statement(store, person_id)
    return {
        "export_version": EXPORT_VERSION,
        "person_id": person_id,
        "made_at": now.isoformat(),
        "records": [record_fields(event) for event in shown],
        "who_looked": [access_fields(access) for access in access_history(store, person_id)],
        "choices": [
            {
                "category": category,
                "recipient_kind": kind.value,
                "choice": None if choice is None else choice.value,
            }
            for category in CATEGORY_LABELS
            for kind in AgencyKind
            for choice in [effective_choice(latest, category, kind.value)]
        ],
        "choice_history": [
            {
                "category": choice.category,
                "recipient_kind": choice.recipient_kind,
                "choice": choice.choice.value,
                "recorded_at": choice.recorded_at.isoformat(),
                "recorded_by": choice.recorded_by,
                "method": choice.method,
                "notice": choice.notice,
            }
            for choice in preference_history(store, person_id)
        ],
        "my_voice": [
            {
                "id": entry.id,
                "text": entry.text,
                "about_event_id": entry.about_event_id if entry.about_event_id in visible else None,
                "created_at": entry.created_at.isoformat(),
            }
            for entry in voice_entries(store, person_id)
        ],
        "contests": [
            {
                "id": contest.id,
                "event_id": contest.event_id,
                "agency": contest.agency,
                "text": contest.text,
                "created_at": contest.created_at.isoformat(),
                "status": contest.status,
                "outcome": None if contest.outcome is None else contest.outcome.value,
                "answer": contest.answer,
                "answered_at": None
                if contest.answered_at is None
                else contest.answered_at.isoformat(),
            }
            for contest in my_contests(store, person_id, now, shown)
        ],
        "requests": [
            {
                "id": waiting.release.id,
                "event_id": waiting.event.event_id,
                "asked_by": waiting.release.asked_by,
                "asked_by_agency": waiting.asked_by_agency,
                "purpose": waiting.release.purpose,
                "status": waiting.release.status,
                "asked_at": waiting.release.created_at.isoformat(),
            }
            for waiting in my_requests(store, person_id, now, shown)
        ],
        "young_carer": None
        if statement is None
        else {
            "looks_after_someone": statement.looks_after,
            "who_may_know": [kind.value for kind in statement.who_may_know],
            "stated_at": statement.stated_at.isoformat(),
        },
    }
