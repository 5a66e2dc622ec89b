"""Review and tracking of prompts (docs/identify.md, "Review and tracking"): each kind of
agency's review queue, a prompt with its evidence, the reviewer's decision and later its
outcome. The pages, the API and the command line all call these functions.

**Who.** A prompt names the kind of agency that should act on it (`acting_agency`: the
young carers' service for a possible hidden young carer, children's services for a possible
exploitation risk). The practitioners of an agency of that kind review it; nobody else sees
it, and any other prompt id is not found, exactly like one that does not exist.

**Every look is recorded first.** A prompt's evidence is derived from other agencies'
records about the child, so listing prompts in the queue, opening one and opening the form
for a decision's outcome each append a `prompt_view` audit entry (ids and a code only)
before anything is returned; if the log cannot record it, nothing is returned.

**Decisions.** One per prompt and evidence: a prompt is decided for the evidence it was
raised (or last renewed) with, and a second decision on it is an error (`AlreadyRecorded`).
If new evidence renews it later, it comes back to the queue marked as such and takes a new
decision; the earlier ones are kept. The written reason stays in `identify_decisions`; the
`prompt_decision` audit entry, appended in the same transaction, holds the codes.

**Nothing is permanent.** A prompt past its expiry leaves the queue and can no longer be
opened or decided; a decision waits for its outcome for `OUTCOME_DAYS`, then leaves too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, select

from seen.audit.entry import AuditEntry, EntryKind, prompt_ref
from seen.audit.log import append, append_in
from seen.domain.agencies import AgencyKind
from seen.domain.decisions import written_problems
from seen.domain.records import Problem
from seen.errors import InvalidInput, NotFound, SeenError
from seen.identify.decisions import (
    OUTCOME_DAYS,
    OUTCOMES,
    PromptDecision,
    PromptOutcome,
)
from seen.identify.labels import NEEDS, Need
from seen.identify.words import indicator_label, indicator_source, value_words
from seen.sharing.world_slice import agencies_holding
from seen.store import Store, write_transaction
from seen.store.prompt_reviews import (
    StoredDecision,
    decision_by_id,
    decisions_on,
    first_view,
    insert_decision,
    note_first_view,
    practitioner_ids,
    set_outcome,
    waiting_for_outcome,
)
from seen.store.prompts import StoredPrompt, open_prompts_for, prompt_by_id, prompts_by_id
from seen.store.tables import agencies

NO_SUCH_PROMPT: Final = "no such prompt for your agency to review"
NO_SUCH_DECISION: Final = "no such decision waiting for its outcome"


class AlreadyRecorded(SeenError):
    """A prompt already decided for its evidence, or a decision whose outcome is recorded:
    both are final, so a second is refused and nothing changes."""

    exit_code = 2
    http_status = 409


@dataclass(frozen=True, slots=True)
class Reviewer:
    """A practitioner reviewing prompts for their agency's kind."""

    practitioner: str  # pseudonymous ref
    agency: str
    kind: AgencyKind

    @property
    def needs(self) -> tuple[Need, ...]:
        return needs_reviewed_by(self.kind)


def needs_reviewed_by(kind: AgencyKind) -> tuple[Need, ...]:
    return tuple(need for need, spec in NEEDS.items() if spec.acting_agency is kind)


# An agency's kind never changes once it is registered, so it is read once per store: the
# navigation asks on every practitioner page whether their agency reviews prompts.
_KINDS: WeakKeyDictionary[Any, dict[str, str]] = WeakKeyDictionary()


def reviewer_for(store: Store, practitioner: str, agency: str) -> Reviewer | None:
    """The practitioner as a reviewer, or None if their agency's kind reviews no prompts."""
    known = _KINDS.setdefault(store.engine, {})
    kind = known.get(agency)
    if kind is None:
        with store.engine.connect() as conn:
            kind = conn.execute(select(agencies.c.kind).where(agencies.c.name == agency)).scalar()
        if kind is None:
            return None
        known[agency] = kind
    if not needs_reviewed_by(AgencyKind(kind)):
        return None
    return Reviewer(practitioner, agency, AgencyKind(kind))


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One indicator behind a prompt, in the reviewer's words; never the events themselves."""

    indicator: str
    label: str
    source: str  # whose records it reads, as a kind of agency ("" for age)
    value: float
    value_words: str
    points: float  # log-odds it added to the prompt (negative: took away)


@dataclass(frozen=True, slots=True)
class QueuedPrompt:
    prompt: StoredPrompt
    decisions: tuple[StoredDecision, ...]  # all of them, oldest first

    @property
    def need(self) -> Need:
        return Need(self.prompt.need)

    @property
    def current(self) -> StoredDecision | None:
        """The decision on the prompt's current evidence, if taken."""
        return next(
            (d for d in self.decisions if d.evidence_on == self.prompt.last_evidence_on), None
        )

    @property
    def new_evidence(self) -> bool:
        """Decided before, and renewed by new evidence since: it takes a new decision."""
        return self.current is None and bool(self.decisions)

    @property
    def evidence(self) -> tuple[EvidenceItem, ...]:
        return evidence_items(self.prompt)


@dataclass(frozen=True, slots=True)
class AwaitingOutcome:
    decision: StoredDecision
    prompt: StoredPrompt

    @property
    def need(self) -> Need:
        return Need(self.prompt.need)


@dataclass(frozen=True, slots=True)
class Queue:
    reviewer: Reviewer
    on: dt.date
    waiting: tuple[QueuedPrompt, ...]  # open and not decided for their current evidence
    awaiting_outcome: tuple[AwaitingOutcome, ...]


@dataclass(frozen=True, slots=True)
class InvolvedAgency:
    name: str
    kind: AgencyKind


@dataclass(frozen=True, slots=True)
class PromptView:
    queued: QueuedPrompt
    own_references: tuple[str, ...]  # the reviewer's agency's references for the child
    involved: tuple[InvolvedAgency, ...]  # every agency holding records about the child

    @property
    def prompt(self) -> StoredPrompt:
        return self.queued.prompt


def evidence_items(prompt: StoredPrompt) -> tuple[EvidenceItem, ...]:
    """The prompt's stored evidence, largest contribution first, in plain words."""
    items = [
        EvidenceItem(
            indicator=str(part["indicator"]),
            label=indicator_label(str(part["indicator"])),
            source=indicator_source(str(part["indicator"])),
            value=float(part["value"]),
            value_words=value_words(str(part["indicator"]), float(part["value"])),
            points=float(part["points"]),
        )
        for part in prompt.evidence
    ]
    return tuple(sorted(items, key=lambda item: -item.points))


def today(now: dt.datetime) -> dt.date:
    """The day prompts are open or expired on: the UTC date of `now`."""
    return now.astimezone(dt.UTC).date()


# The queue ----------------------------------------------------------------------------------


def review_queue(store: Store, reviewer: Reviewer, now: dt.datetime) -> Queue:
    """The prompts open today for the reviewer's kind of agency that wait for a decision
    (oldest evidence first), and the decisions waiting for an outcome. Every prompt listed is
    recorded (`prompt_view`, `prompt_queue`) before it is returned."""
    on = today(now)
    open_now = open_prompts_for(store, reviewer.kind.value, on)
    with store.engine.connect() as conn:
        decided = decisions_on(conn, [p.id for p in open_now])
        awaiting = waiting_for_outcome(
            conn, reviewer.kind.value, now - dt.timedelta(days=OUTCOME_DAYS)
        )
        awaiting_prompts = prompts_by_id(conn, {d.prompt_id for d in awaiting})
    queued = [QueuedPrompt(p, tuple(decided.get(p.id, ()))) for p in open_now]
    waiting = sorted(
        (q for q in queued if q.current is None),
        key=lambda q: (q.prompt.last_evidence_on, q.prompt.id),
    )
    outcomes = [AwaitingOutcome(d, awaiting_prompts[d.prompt_id]) for d in awaiting]
    listed = {q.prompt.id: q.prompt for q in waiting} | {a.prompt.id: a.prompt for a in outcomes}
    entries = [_view_entry(reviewer, p, "prompt_queue", now) for p in listed.values()]
    append(store, entries, now)  # raises AuditWriteError: then nothing is shown
    return Queue(reviewer, on, tuple(waiting), tuple(outcomes))


def open_prompt(store: Store, reviewer: Reviewer, prompt_id: int, now: dt.datetime) -> PromptView:
    """One open prompt of the reviewer's kind of agency, with its evidence, its decisions,
    the agencies involved and the reviewer's agency's own references for the child. Recorded
    (`prompt_view`, `prompt`) with the first time this reviewer opened it for this
    evidence, before it is returned; anything else is NotFound."""
    with store.engine.connect() as conn:
        person_id = _reviewable(conn, reviewer, prompt_id, today(now)).person_id
        kinds = {
            row.name: AgencyKind(row.kind)
            for row in conn.execute(select(agencies.c.name, agencies.c.kind))
        }
    held = agencies_holding(store, person_id)
    with write_transaction(store) as conn:
        # Again under the write lock, so what is recorded is what is shown.
        prompt = _reviewable(conn, reviewer, prompt_id, today(now))
        ids = practitioner_ids(conn, reviewer.practitioner, reviewer.agency)
        if ids is None:
            raise NotFound(NO_SUCH_PROMPT)
        append_in(conn, [_view_entry(reviewer, prompt, "prompt", now)], now)
        note_first_view(conn, prompt.id, ids[0], prompt.last_evidence_on, now)
        decided = decisions_on(conn, [prompt.id]).get(prompt.id, [])
    return PromptView(
        queued=QueuedPrompt(prompt, tuple(decided)),
        own_references=tuple(held.get(reviewer.agency, ())),
        involved=tuple(InvolvedAgency(name, kinds[name]) for name in sorted(held)),
    )


# Decisions ----------------------------------------------------------------------------------


def decide(
    store: Store,
    reviewer: Reviewer,
    prompt_id: int,
    *,
    decision: str,
    reason: str,
    now: dt.datetime,
) -> StoredDecision:
    """Record the reviewer's decision on an open prompt, for its current evidence, with their
    reason, and its `prompt_decision` audit entry, in one transaction. NotFound for a prompt
    that is not theirs or not open; AlreadyRecorded if it is decided for this evidence;
    InvalidInput listing every problem with the form."""
    with store.engine.connect() as conn:
        prompt = _reviewable(conn, reviewer, prompt_id, today(now))
        _refuse_second_decision(conn, prompt)
    problems = []
    if decision not in {d.value for d in PromptDecision}:
        problems.append(_problem("decision", "Choose your decision"))
    problems.extend(
        written_problems("prompt", "reason", reason, "Write the reason for your decision")
    )
    if problems:
        raise InvalidInput("the decision is not complete", problems)
    code = PromptDecision(decision)
    with write_transaction(store) as conn:
        # Read again under the write lock: renewed or decided meanwhile is found here.
        prompt = _reviewable(conn, reviewer, prompt_id, today(now))
        ids = practitioner_ids(conn, reviewer.practitioner, reviewer.agency)
        if ids is None:
            raise NotFound(NO_SUCH_PROMPT)
        append_in(
            conn,
            [
                AuditEntry(
                    kind=EntryKind.PROMPT_DECISION,
                    at=now,
                    actor=reviewer.practitioner,
                    actor_agency=reviewer.agency,
                    person=prompt.person_id,
                    request=prompt_ref(prompt.id),
                    reasons=(code.value, prompt.need),
                )
            ],
            now,
        )
        # After the append, which holds the log's head row to the end of the transaction:
        # a second decision at the same moment waits there, then finds the first here.
        _refuse_second_decision(conn, prompt)
        decision_id = insert_decision(
            conn,
            prompt_id=prompt.id,
            evidence_on=prompt.last_evidence_on,
            decision=code.value,
            reason=reason.strip(),
            practitioner_id=ids[0],
            agency_id=ids[1],
            first_viewed_at=first_view(conn, prompt.id, ids[0], prompt.last_evidence_on),
            decided_at=now,
        )
        stored = decision_by_id(conn, decision_id)
    assert stored is not None
    return stored


@dataclass(frozen=True, slots=True)
class DecisionForOutcome:
    decision: StoredDecision
    prompt: StoredPrompt

    @property
    def need(self) -> Need:
        return Need(self.prompt.need)

    @property
    def outcomes(self) -> tuple[PromptOutcome, ...]:
        return OUTCOMES[self.need]


def decision_for_outcome(
    store: Store, reviewer: Reviewer, decision_id: int, now: dt.datetime
) -> DecisionForOutcome:
    """A decision on a prompt of the reviewer's kind of agency, taken in the last
    `OUTCOME_DAYS`, with its outcome if recorded; recorded (`prompt_view`,
    `prompt_outcome_form`) before it is returned. Anything else is NotFound."""
    with write_transaction(store) as conn:
        found = _decision_in_reach(conn, reviewer, decision_id, now)
        append_in(conn, [_view_entry(reviewer, found.prompt, "prompt_outcome_form", now)], now)
    return found


def record_outcome(
    store: Store,
    reviewer: Reviewer,
    decision_id: int,
    *,
    outcome: str,
    note: str,
    on: dt.date | None,
    now: dt.datetime,
) -> StoredDecision:
    """Record, once, what came of a decision, with its `prompt_outcome` audit entry in one
    transaction. NotFound for a decision out of the reviewer's reach; AlreadyRecorded if its
    outcome is recorded; InvalidInput listing every problem with the form."""
    with store.engine.connect() as conn:
        found = _decision_in_reach(conn, reviewer, decision_id, now)
    if found.decision.outcome is not None:
        raise AlreadyRecorded("an outcome is already recorded for this decision")
    problems = []
    if outcome not in {o.value for o in found.outcomes}:
        problems.append(_problem("outcome", "Choose the outcome"))
    if outcome == PromptOutcome.OTHER and not note.strip():
        problems.append(_problem("note", "Write what the outcome was"))
    problems.extend(written_problems("prompt", "note", note, None))
    if on is None:
        problems.append(_problem("outcome_on", "Enter the date of the outcome as a real date"))
    elif on > today(now):
        problems.append(_problem("outcome_on", "The date of the outcome must be today or before"))
    elif on < today(found.decision.decided_at):
        problems.append(
            _problem("outcome_on", "The date of the outcome must be on or after the decision")
        )
    if problems:
        raise InvalidInput("the outcome is not complete", problems)
    code = PromptOutcome(outcome)
    with write_transaction(store) as conn:
        ids = practitioner_ids(conn, reviewer.practitioner, reviewer.agency)
        if ids is None:
            raise NotFound(NO_SUCH_DECISION)
        append_in(
            conn,
            [
                AuditEntry(
                    kind=EntryKind.PROMPT_OUTCOME,
                    at=now,
                    actor=reviewer.practitioner,
                    actor_agency=reviewer.agency,
                    person=found.prompt.person_id,
                    request=prompt_ref(found.prompt.id),
                    reasons=(code.value, found.prompt.need),
                )
            ],
            now,
        )
        if not set_outcome(
            conn,
            decision_id,
            outcome=code.value,
            outcome_note=note.strip() or None,
            outcome_on=on,
            outcome_by=ids[0],
            outcome_recorded_at=now,
        ):  # recorded meanwhile, in another tab
            raise AlreadyRecorded("an outcome is already recorded for this decision")
        stored = decision_by_id(conn, decision_id)
    assert stored is not None
    return stored


# Helpers ------------------------------------------------------------------------------------


def _reviewable(conn: Connection, reviewer: Reviewer, prompt_id: int, on: dt.date) -> StoredPrompt:
    """The prompt, if it is for the reviewer's kind of agency and open on `on`."""
    prompt = prompt_by_id(conn, prompt_id)
    if prompt is None or prompt.acting_agency != reviewer.kind.value or not prompt.is_open(on):
        raise NotFound(NO_SUCH_PROMPT)
    return prompt


def _refuse_second_decision(conn: Connection, prompt: StoredPrompt) -> None:
    for earlier in decisions_on(conn, [prompt.id]).get(prompt.id, []):
        if earlier.evidence_on == prompt.last_evidence_on:
            raise AlreadyRecorded(
                "a decision is already recorded on this prompt for its evidence; it takes a "
                "new one only if new evidence renews it"
            )


def _decision_in_reach(
    conn: Connection, reviewer: Reviewer, decision_id: int, now: dt.datetime
) -> DecisionForOutcome:
    decision = decision_by_id(conn, decision_id)
    prompt = None if decision is None else prompt_by_id(conn, decision.prompt_id)
    if (
        decision is None
        or prompt is None
        or prompt.acting_agency != reviewer.kind.value
        or decision.decided_at < now - dt.timedelta(days=OUTCOME_DAYS)
    ):
        raise NotFound(NO_SUCH_DECISION)
    return DecisionForOutcome(decision, prompt)


def _view_entry(
    reviewer: Reviewer, prompt: StoredPrompt, what: str, now: dt.datetime
) -> AuditEntry:
    return AuditEntry(
        kind=EntryKind.PROMPT_VIEW,
        at=now,
        actor=reviewer.practitioner,
        actor_agency=reviewer.agency,
        person=prompt.person_id,
        request=prompt_ref(prompt.id),
        reasons=(what,),
    )


def _problem(field: str, message: str) -> Problem:
    return Problem("prompt", "form", field, message)
