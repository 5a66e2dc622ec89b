"""The young person's own voice: what they say in their own words ("my voice"), shown beside
the professional records with equal prominence, and their statement that they look after
someone at home (young carer self-identification) with who may know.

Their words are free text: they stay in `voice_entries` and never reach the audit log. A
young carer statement sets their sharing choices for the `young_carer` category in the same
transaction (each choice with its `preference_change` audit entry): share with the kinds of
agency they chose, don't share with the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from sqlalchemy import Connection, insert, select

from seen.domain.agencies import AgencyKind
from seen.domain.sharing import Choice
from seen.errors import InvalidInput
from seen.sharing.subject import my_record, notice_version
from seen.store import Store, write_transaction
from seen.store.engine import one_at_a_time
from seen.store.governance import PreferenceRecord, record_preference_in
from seen.store.tables import VOICE_TEXT_LENGTH, young_carer_statements
from seen.store.tables import voice_entries as voice_table

YOUNG_CARER: Final = "young_carer"
YOUNG_CARER_EXPLANATION: Final = (
    "Some young people look after someone at home, like a parent, brother or sister who is "
    "ill or disabled, or who drinks or takes drugs. If you tell Seen, the agencies you choose "
    "can know, so they can understand and help. The others will not be told by Seen. You can "
    "change this or take it back at any time."
)
YOUNG_CARER_NOTICE: Final = notice_version("yp-young-carer-1", YOUNG_CARER_EXPLANATION)


@dataclass(frozen=True, slots=True)
class VoiceEntry:
    id: int
    person_id: str
    text: str
    about_event_id: int | None
    created_at: dt.datetime


def clean_text(text: str, limit: int, what: str) -> str:
    """The text, trimmed; InvalidInput if it is empty or too long."""
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput(f"Write {what}")
    if len(cleaned) > limit:
        raise InvalidInput(f"Write {what} in {limit} characters or fewer")
    return cleaned


def add_voice(
    store: Store, person_id: str, text: str, about_event_id: int | None, now: dt.datetime
) -> VoiceEntry:
    """Keep what the young person wrote; about one of their records (one they may see, or
    NotFound), or about nothing in particular."""
    cleaned = clean_text(text, VOICE_TEXT_LENGTH, "what you want to say")
    if about_event_id is not None:
        my_record(store, person_id, about_event_id, now)
    with write_transaction(store) as conn:
        inserted = conn.execute(
            insert(voice_table)
            .values(
                person_id=person_id, text=cleaned, about_event_id=about_event_id, created_at=now
            )
            .returning(voice_table.c.id)
        ).scalar_one()
    return VoiceEntry(int(inserted), person_id, cleaned, about_event_id, now)


def voice_entries(store: Store, person_id: str) -> list[VoiceEntry]:
    """Everything the young person has said in their own words, oldest first: for their own
    pages, and for a practitioner's chronology to show beside the professional records."""
    query = (
        select(voice_table)
        .where(voice_table.c.person_id == person_id)
        .order_by(voice_table.c.created_at, voice_table.c.id)
    )
    with store.engine.connect() as conn:
        return [
            VoiceEntry(row.id, row.person_id, row.text, row.about_event_id, row.created_at)
            for row in conn.execute(query)
        ]


# Young carer ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class YoungCarerStatement:
    person_id: str
    looks_after: bool  # False: they said no, or took it back
    who_may_know: tuple[AgencyKind, ...]
    stated_at: dt.datetime


def young_carer_statement(store: Store, person_id: str) -> YoungCarerStatement | None:
    """The young person's latest statement, or None if they have never answered. Practitioner
    pages may show it to an agency whose kind is in `who_may_know`, and to no other."""
    with store.engine.connect() as conn:
        return _latest_statement(conn, person_id)


def _latest_statement(conn: Connection, person_id: str) -> YoungCarerStatement | None:
    query = (
        select(young_carer_statements)
        .where(young_carer_statements.c.person_id == person_id)
        .order_by(young_carer_statements.c.stated_at.desc(), young_carer_statements.c.id.desc())
        .limit(1)
    )
    row = conn.execute(query).first()
    if row is None:
        return None
    return YoungCarerStatement(
        row.person_id,
        row.looks_after,
        tuple(AgencyKind(kind) for kind in row.who_may_know),
        row.stated_at,
    )


def state_young_carer(
    store: Store,
    person_id: str,
    looks_after: bool,
    who_may_know: Sequence[str],
    now: dt.datetime,
) -> YoungCarerStatement:
    """Record the young person's statement and set their `young_carer` choices with it, all
    or nothing. Saying no the first time sets no choices; taking back an earlier yes sets
    don't share for every kind of agency."""
    kinds = {k.value: k for k in AgencyKind}
    unknown = [kind for kind in who_may_know if kind not in kinds]
    if unknown:
        raise InvalidInput("Choose only from the kinds of agency listed")
    chosen = tuple(k for k in AgencyKind if k.value in set(who_may_know)) if looks_after else ()
    with write_transaction(store) as conn:
        return _state_young_carer_in(conn, person_id, looks_after, chosen, now)


def _state_young_carer_in(
    conn: Connection,
    person_id: str,
    looks_after: bool,
    chosen: tuple[AgencyKind, ...],
    now: dt.datetime,
) -> YoungCarerStatement:
    # Whether a "no" must take sharing back depends on the statement before it: two
    # statements at once (two tabs) take turns, so that a "no" saved just after a "yes" sees
    # it, and the yes's choices are not left sharing.
    one_at_a_time(conn, f"young carer statement {person_id}")
    earlier = _latest_statement(conn, person_id)
    conn.execute(
        insert(young_carer_statements).values(
            person_id=person_id,
            looks_after=looks_after,
            who_may_know=[k.value for k in chosen],
            stated_at=now,
        )
    )
    if looks_after or (earlier is not None and earlier.looks_after):
        for kind in AgencyKind:
            record_preference_in(
                conn,
                PreferenceRecord(
                    person_id=person_id,
                    category=YOUNG_CARER,
                    recipient_kind=kind.value,
                    choice=Choice.SHARE if kind in chosen else Choice.DO_NOT_SHARE,
                    recorded_at=now,
                    recorded_by=person_id,
                    method="self_service",
                    notice=YOUNG_CARER_NOTICE,
                ),
            )
    return YoungCarerStatement(person_id, looks_after, chosen, now)
