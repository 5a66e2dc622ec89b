"""The governance register in the store: agreements and their status history, practitioners
and their relationships with children, and the young people's sharing choices with history.

Each write is one transaction. Agreements are imported whole and never edited: a change of
terms is a new agreement under a new reference; only the status moves, and every move is
kept with who made it and why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import Connection, Row, insert, select, update

from seen.domain.agreements import DataFlow, Party, PartyRole, SharingAgreement
from seen.domain.sharing import (
    ANY,
    AgreementStatus,
    Choice,
    LawfulBasis,
    Purpose,
    Release,
    Role,
)
from seen.errors import InvalidInput, NotFound
from seen.store.engine import Store, refused_if_taken, write_transaction
from seen.store.tables import (
    agencies,
    agreement_reviews,
    agreement_status_changes,
    agreements,
    practitioners,
    relationships,
    sharing_preferences,
)

STATUS_REASON_LENGTH: Final = 500

# The moves the register allows: a suspended agreement can be reinstated, an expired one is
# over for good (a renewal is a new agreement).
MOVES: Final = {
    AgreementStatus.ACTIVE: {AgreementStatus.DRAFT, AgreementStatus.SUSPENDED},
    AgreementStatus.SUSPENDED: {AgreementStatus.ACTIVE},
    AgreementStatus.EXPIRED: {
        AgreementStatus.DRAFT,
        AgreementStatus.ACTIVE,
        AgreementStatus.SUSPENDED,
    },
}


@dataclass(frozen=True, slots=True)
class StatusChange:
    status: AgreementStatus
    reason: str
    changed_by: str
    changed_at: dt.datetime


@dataclass(frozen=True, slots=True)
class AgreementReview:
    """A review of an agreement: who reviewed it, when, and the next review date it set."""

    reviewed_by: str
    reviewed_at: dt.datetime
    next_review: dt.date
    notes: str


@dataclass(frozen=True, slots=True)
class RegisteredAgreement:
    agreement: SharingAgreement
    history: tuple[StatusChange, ...]
    reviews: tuple[AgreementReview, ...] = ()

    @property
    def next_review(self) -> dt.date:
        """The latest review's next review date, or the agreement's own review date."""
        return self.reviews[-1].next_review if self.reviews else self.agreement.review

    def review_due(self, at: dt.datetime) -> bool:
        """The next review date has passed (expired agreements are never due)."""
        return (
            self.agreement.status is not AgreementStatus.EXPIRED
            and self.next_review < at.astimezone(dt.UTC).date()
        )

    def in_force(self, at: dt.datetime) -> bool:
        terms = self.agreement
        day = at.astimezone(dt.UTC).date()
        return (
            terms.status is AgreementStatus.ACTIVE
            and terms.starts <= day
            and (terms.ends is None or day <= terms.ends)
        )


def import_agreements(
    store: Store,
    found: Sequence[SharingAgreement],
    file: str,
    imported_by: str,
    now: dt.datetime,
) -> None:
    """Add agreements to the register, all or none: a reference already registered is
    refused, since registered terms never change."""
    from seen.domain.records import Problem

    with write_transaction(store) as conn:
        taken = set(conn.execute(select(agreements.c.ref)).scalars())
        clashes = [a.ref for a in found if a.ref in taken]
        if clashes:
            raise InvalidInput(
                f"{file}: {len(clashes)} agreement(s) already registered; registered terms "
                "never change, so give a changed agreement a new reference",
                [
                    Problem(file, "agreements", "ref", f"{ref!r} is already registered")
                    for ref in clashes
                ],
            )
        for agreement in found:
            with refused_if_taken(
                f"{file}: 1 agreement(s) already registered (just now, by someone else); "
                "registered terms never change, so give a changed agreement a new reference",
                [Problem(file, "agreements", "ref", f"{agreement.ref!r} is already registered")],
            ):
                inserted = conn.execute(
                    insert(agreements).values(**_row(agreement), imported_at=now)
                )
            assert inserted.inserted_primary_key is not None
            agreement_id = inserted.inserted_primary_key[0]
            conn.execute(
                insert(agreement_status_changes).values(
                    agreement_id=agreement_id,
                    status=str(agreement.status),
                    reason=f"imported from {file.rsplit('/', 1)[-1]}",
                    changed_by=imported_by,
                    changed_at=now,
                )
            )


def list_agreements(store: Store, ref: str | None = None) -> list[RegisteredAgreement]:
    """The register, by reference (or only the agreement `ref`), with each agreement's status
    history and reviews, oldest first."""
    query = select(agreements).order_by(agreements.c.ref)
    if ref is not None:
        query = query.where(agreements.c.ref == ref)
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
        changes = conn.execute(
            select(agreement_status_changes).order_by(
                agreement_status_changes.c.changed_at, agreement_status_changes.c.id
            )
        ).all()
        review_rows = conn.execute(
            select(agreement_reviews).order_by(
                agreement_reviews.c.reviewed_at, agreement_reviews.c.id
            )
        ).all()
    reviews: dict[int, list[AgreementReview]] = {}
    for review in review_rows:
        reviews.setdefault(review.agreement_id, []).append(
            AgreementReview(
                review.reviewed_by, review.reviewed_at, review.next_review, review.notes
            )
        )
    history: dict[int, list[StatusChange]] = {}
    for change in changes:
        history.setdefault(change.agreement_id, []).append(
            StatusChange(
                AgreementStatus(change.status),
                change.reason,
                change.changed_by,
                change.changed_at,
            )
        )
    return [
        RegisteredAgreement(
            _agreement(row), tuple(history.get(row.id, ())), tuple(reviews.get(row.id, ()))
        )
        for row in rows
    ]


def get_agreement(store: Store, ref: str) -> RegisteredAgreement:
    """One agreement of the register; NotFound if there is none by that reference."""
    found = list_agreements(store, ref)
    if not found:
        raise NotFound(f"no agreement {ref!r} in the register")
    return found[0]


def _locked_agreement(conn: Connection, ref: str) -> Row[Any, Any] | None:
    """The agreement's id and status, its row locked until the transaction ends: on
    PostgreSQL a write transaction excludes no other writer, so two changes at one moment
    would both pass a check of the status read without it."""
    return conn.execute(
        select(agreements.c.id, agreements.c.status)
        .where(agreements.c.ref == ref)
        .with_for_update()
    ).one_or_none()


REVIEW_NOTES_LENGTH: Final = 1000


def review_agreement(
    store: Store,
    ref: str,
    next_review: dt.date,
    notes: str,
    reviewed_by: str,
    now: dt.datetime,
) -> None:
    """Record that an agreement was reviewed and when it is next due; its terms stay as
    they are (a change of terms is a new agreement)."""
    from seen.domain.records import Problem

    problems = []
    if next_review <= now.astimezone(dt.UTC).date():
        problems.append(
            Problem("review", "form", "next_review", "The next review date must be in the future")
        )
    if len(notes.strip()) > REVIEW_NOTES_LENGTH:
        problems.append(
            Problem(
                "review",
                "form",
                "notes",
                f"Notes must be {REVIEW_NOTES_LENGTH} characters or fewer",
            )
        )
    with write_transaction(store) as conn:
        row = _locked_agreement(conn, ref)
        if row is None:
            raise NotFound(f"no agreement {ref!r} in the register")
        if row.status == AgreementStatus.EXPIRED:
            problems.append(
                Problem("review", "form", "next_review", "An expired agreement is not reviewed")
            )
        if problems:
            raise InvalidInput("the review was not recorded", problems)
        conn.execute(
            insert(agreement_reviews).values(
                agreement_id=row.id,
                reviewed_by=reviewed_by,
                reviewed_at=now,
                next_review=next_review,
                notes=notes.strip(),
            )
        )


def change_status(
    store: Store,
    ref: str,
    status: AgreementStatus,
    reason: str,
    changed_by: str,
    now: dt.datetime,
) -> None:
    """Move an agreement to `status`, recording why; refused unless MOVES allows it."""
    if not reason.strip():
        raise InvalidInput("give a reason: the register keeps why every agreement changed")
    if len(reason.strip()) > STATUS_REASON_LENGTH:
        raise InvalidInput(f"a reason is at most {STATUS_REASON_LENGTH} characters")
    with write_transaction(store) as conn:
        row = _locked_agreement(conn, ref)
        if row is None:
            raise NotFound(f"no agreement {ref!r} in the register")
        current = AgreementStatus(row.status)
        if current not in MOVES.get(status, set()):
            raise InvalidInput(f"agreement {ref!r} is {current}: it cannot become {status}")
        conn.execute(update(agreements).where(agreements.c.id == row.id).values(status=status))
        conn.execute(
            insert(agreement_status_changes).values(
                agreement_id=row.id,
                status=str(status),
                reason=reason.strip(),
                changed_by=changed_by,
                changed_at=now,
            )
        )


# Practitioners, relationships and wishes ----------------------------------------------------


def add_practitioner(store: Store, ref: str, agency: str, roles: Sequence[str]) -> None:
    """Add a practitioner of `agency`; refused if the ref is taken or a role is unknown."""
    known = {str(role) for role in Role}
    unknown = sorted(set(roles) - known)
    if not roles or unknown:
        raise InvalidInput(
            f"cannot add practitioner {ref!r}: give one or more roles of "
            f"{', '.join(sorted(known))}" + (f" (not {', '.join(unknown)})" if unknown else "")
        )
    with write_transaction(store) as conn:
        taken = f"cannot add practitioner {ref!r}: the reference is taken"
        if conn.execute(select(practitioners.c.id).where(practitioners.c.ref == ref)).first():
            raise InvalidInput(taken)
        agency_id = _agency_id(conn, agency)
        with refused_if_taken(taken):
            conn.execute(
                insert(practitioners).values(
                    ref=ref, agency_id=agency_id, roles=sorted(roles), active=True
                )
            )


def add_relationship(
    store: Store, practitioner: str, person_id: str, reason: str, now: dt.datetime
) -> None:
    with write_transaction(store) as conn:
        conn.execute(
            insert(relationships).values(
                practitioner_id=_practitioner_id(conn, practitioner),
                person_id=person_id,
                starts=now,
                reason=reason,
            )
        )


def end_relationship(store: Store, practitioner: str, person_id: str, now: dt.datetime) -> None:
    with write_transaction(store) as conn:
        ended = conn.execute(
            update(relationships)
            .where(
                relationships.c.practitioner_id == _practitioner_id(conn, practitioner),
                relationships.c.person_id == person_id,
                relationships.c.ends.is_(None),
            )
            .values(ends=now)
        ).rowcount
        if not ended:
            raise NotFound(f"{practitioner} has no open relationship with {person_id}")


def related_practitioners(store: Store, person_id: str, at: dt.datetime) -> set[str]:
    """Refs of the practitioners with a legitimate relationship with the child at `at`."""
    query = (
        select(practitioners.c.ref)
        .join(relationships, relationships.c.practitioner_id == practitioners.c.id)
        .where(
            relationships.c.person_id == person_id,
            relationships.c.starts <= at,
            (relationships.c.ends.is_(None)) | (relationships.c.ends > at),
            practitioners.c.active,
        )
    )
    with store.engine.connect() as conn:
        return set(conn.execute(query).scalars())


@dataclass(frozen=True, slots=True)
class PreferenceRecord:
    person_id: str
    category: str
    recipient_kind: str
    choice: Choice
    recorded_at: dt.datetime
    recorded_by: str
    method: str
    notice: str


def record_preference(store: Store, preference: PreferenceRecord) -> None:
    """Add a choice to the young person's history (the latest per (category, kind) holds),
    and its `preference_change` entry to the audit log, in one transaction: a choice the log
    cannot record is not kept."""
    with write_transaction(store) as conn:
        record_preference_in(conn, preference)


def record_preference_in(conn: Connection, preference: PreferenceRecord) -> None:
    """`record_preference` inside the caller's write transaction, so a choice can be kept
    together with what it came from (a young carer's statement) or not at all."""
    from seen.audit.entry import AuditEntry, EntryKind, Preference
    from seen.audit.log import append_in

    entry = AuditEntry(
        kind=EntryKind.PREFERENCE_CHANGE,
        at=preference.recorded_at,
        actor=preference.recorded_by,
        person=preference.person_id,
        # The log's terms start with a letter: "*" (every category or kind) is logged as "all".
        category=_term(preference.category),
        recipient_kind=_term(preference.recipient_kind),
        preference=Preference(str(preference.choice)),
    )
    append_in(conn, [entry])
    conn.execute(
        insert(sharing_preferences).values(
            person_id=preference.person_id,
            category=preference.category,
            recipient_kind=preference.recipient_kind,
            choice=str(preference.choice),
            recorded_at=preference.recorded_at,
            recorded_by=preference.recorded_by,
            method=preference.method,
            notice=preference.notice,
        )
    )


def preference_history(store: Store, person_id: str) -> list[PreferenceRecord]:
    """Every choice the young person has made, oldest first."""
    query = (
        select(sharing_preferences)
        .where(sharing_preferences.c.person_id == person_id)
        .order_by(sharing_preferences.c.recorded_at, sharing_preferences.c.id)
    )
    with store.engine.connect() as conn:
        return [
            PreferenceRecord(
                row.person_id,
                row.category,
                row.recipient_kind,
                Choice(row.choice),
                row.recorded_at,
                row.recorded_by,
                row.method,
                row.notice,
            )
            for row in conn.execute(query)
        ]


def _term(value: str) -> str:
    return "all" if value == ANY else value


def _agency_id(conn: Connection, name: str) -> int:
    found = conn.execute(select(agencies.c.id).where(agencies.c.name == name)).scalar()
    if found is None:
        raise NotFound(f"no agency {name!r}: agencies join the hub when they first ingest")
    return int(found)


def _practitioner_id(conn: Connection, ref: str) -> int:
    found = conn.execute(select(practitioners.c.id).where(practitioners.c.ref == ref)).scalar()
    if found is None:
        raise NotFound(f"no practitioner {ref!r}")
    return int(found)


def _row(agreement: SharingAgreement) -> dict[str, Any]:
    return {
        "ref": agreement.ref,
        "title": agreement.title,
        "purpose_description": agreement.purpose_description,
        "parties": [{"agency": p.agency, "role": str(p.role)} for p in agreement.parties],
        "flows": [
            {"from": f.source, "to": f.recipient, "categories": sorted(f.categories)}
            for f in agreement.flows
        ],
        "purposes": sorted(map(str, agreement.purposes)),
        "lawful_bases": sorted(map(str, agreement.lawful_bases)),
        "special_category": agreement.special_category,
        "criminal_offence_data": agreement.criminal_offence_data,
        "release": str(agreement.release),
        "retention": agreement.retention,
        "starts": agreement.starts,
        "review": agreement.review,
        "ends": agreement.ends,
        "signed_off_by": agreement.signed_off_by,
        "signed_off_on": agreement.signed_off_on,
        "status": str(agreement.status),
    }


def _agreement(row: Any) -> SharingAgreement:
    return SharingAgreement(
        ref=row.ref,
        title=row.title,
        purpose_description=row.purpose_description,
        parties=tuple(Party(p["agency"], PartyRole(p["role"])) for p in row.parties),
        flows=tuple(DataFlow(f["from"], f["to"], frozenset(f["categories"])) for f in row.flows),
        purposes=frozenset(Purpose(p) for p in row.purposes),
        lawful_bases=frozenset(LawfulBasis(b) for b in row.lawful_bases),
        special_category=row.special_category,
        criminal_offence_data=row.criminal_offence_data,
        release=Release(row.release),
        retention=row.retention,
        starts=row.starts,
        review=row.review,
        ends=row.ends,
        signed_off_by=row.signed_off_by,
        signed_off_on=row.signed_off_on,
        status=AgreementStatus(row.status),
    )


def has_practitioner(store: Store, ref: str) -> bool:
    with store.engine.connect() as conn:
        found = conn.execute(select(practitioners.c.id).where(practitioners.c.ref == ref))
        return found.first() is not None
