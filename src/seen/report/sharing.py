"""Is sharing working? Requests, what came of each record asked for, how long answers took,
and break-glass, as tables of counts for the partnership report (issue 7).

Where the figures come from:

- **requests**: `sharing_requests`, each with the asking practitioner's agency (the
  recipient) and whether it was made under break-glass (it carries a justification);
- **what came of each record asked for**, by holding agency and by asking agency (the
  recipient) and holding agency (the originator): the audit log. Every view of a chronology records
  a policy decision for each record about the child, made as the practitioner who asked; the
  latest decision on a (request, record) is where it stands, and an originator's or young
  person's answer (`approval`, `refusal`) settles a pending one. A record is counted once per
  request, under the kind of agency that holds it. The inbox's own-agency reads, recorded
  under the same request but by the holder, are not decisions on the request and are left out;
- **answers**: `pending_releases`, from the moment a record waited for an answer to the
  answer, by who had to answer (the holding agency or the young person);
- **break-glass reviews**: `break_glass_reviews`.

Only counts and durations leave this module: no person id, request id or record reference.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import median, quantiles
from typing import Any, Final

from sqlalchemy import select

from seen.audit.log import stream_entries
from seen.domain.agencies import AgencyKind
from seen.domain.sharing import Purpose
from seen.report.linked import SharedMargin
from seen.report.markers import Marker
from seen.report.table import Dimension, Entry, Table
from seen.store import Store
from seen.store.tables import (
    agencies,
    break_glass_reviews,
    pending_releases,
    practitioners,
    sharing_requests,
)

SOURCE: Final = "Seen hub: sharing requests, the audit log and the answers to pending requests"

AGENCY_KINDS: Final = Dimension("Agency kind", tuple(kind.label for kind in AgencyKind))
# A purpose's name without its explanation ("Safeguarding", not "Safeguarding: protecting...").
PURPOSE_NAMES: Final = {purpose: purpose.label.split(":")[0] for purpose in Purpose}
PURPOSES: Final = Dimension("Purpose", tuple(PURPOSE_NAMES.values()))
OUTCOMES: Final = Dimension("Outcome", ("Allowed", "Declined", "Pending", "Withdrawn"))
# How long an answer took, in bands a partnership's target is usually set in.
WAIT_BANDS: Final = (
    ("Within 1 day", dt.timedelta(days=1)),
    ("1 to 3 days", dt.timedelta(days=3)),
    ("3 to 10 days", dt.timedelta(days=10)),
    ("Over 10 days", dt.timedelta.max),
)
WAITS: Final = Dimension("Time to answer", (*(band for band, _ in WAIT_BANDS), "Still waiting"))
ANSWERERS: Final = Dimension(
    "Who had to answer", (*(kind.label for kind in AgencyKind), "The young person")
)
REVIEWS: Final = Dimension("Review", ("Appropriate", "Not appropriate", "Not yet reviewed"))
# A median or 90th percentile of fewer answers than this is not published: with a handful of
# answers it is close to one person's answer.
MIN_ANSWERS_FOR_TIMES: Final = 10

Progress = Callable[[int], None]

# The records asked for, by holding agency, are the rows of one table and the columns of
# another: the same figures, protected together (seen.report.linked).
LINKS: Final = (SharedMargin("sharing_outcomes", "rows", "sharing_flows", "columns"),)


@dataclass(frozen=True)
class AnswerTimes:
    """Time from a record waiting for an answer to the answer, against the target."""

    answers: int
    median: dt.timedelta | None  # None: too few answers to publish
    p90: dt.timedelta | None
    target: dt.timedelta
    within_target: int

    @property
    def answers_shown(self) -> str:
        return "c" if 1 <= self.answers <= 5 else str(self.answers)

    @property
    def within_target_shown(self) -> str:
        """Answers within the target as published: c when it, or the answers outside the
        target (which the total gives away), is from 1 to 5."""
        outside = self.answers - self.within_target
        if any(1 <= n <= 5 for n in (self.within_target, outside)):
            return "c"
        return str(self.within_target)


def sharing_tables(store: Store, now: dt.datetime, progress: Progress | None = None) -> list[Table]:
    """The sharing tables, in the order the report shows them."""
    kinds = _agency_kinds(store)
    requests = _requests(store)
    asked = _records_asked_for(store, requests, kinds, progress)
    return [
        _requests_table(requests),
        _outcomes_table(asked),
        _flows_table(asked),
        _answers_table(store, kinds, now),
        _break_glass_table(store, requests),
    ]


@dataclass(frozen=True)
class _Request:
    purpose: str
    recipient_kind: str
    asker: str
    break_glass: bool


def _agency_kinds(store: Store) -> dict[str, str]:
    with store.engine.connect() as conn:
        return {
            row.name: AgencyKind(row.kind).label
            for row in conn.execute(select(agencies.c.name, agencies.c.kind))
        }


def _requests(store: Store) -> dict[str, _Request]:
    query = (
        select(
            sharing_requests.c.id,
            sharing_requests.c.purpose,
            sharing_requests.c.justification,
            practitioners.c.ref,
            agencies.c.kind,
        )
        .join(practitioners, practitioners.c.id == sharing_requests.c.practitioner_id)
        .join(agencies, agencies.c.id == practitioners.c.agency_id)
    )
    with store.engine.connect() as conn:
        return {
            row.id: _Request(
                PURPOSE_NAMES[Purpose(row.purpose)],
                AgencyKind(row.kind).label,
                row.ref,
                row.justification is not None,
            )
            for row in conn.execute(query)
        }


def _requests_table(requests: dict[str, _Request]) -> Table:
    counts: Counter[tuple[str, ...]] = Counter(
        (r.purpose, r.recipient_kind) for r in requests.values()
    )
    return Table.from_counts(
        id="sharing_requests",
        title="Requests for a joined-up chronology, by purpose and the asking agency",
        unit="requests",
        source=SOURCE,
        rows=PURPOSES,
        columns=Dimension("Asking agency", AGENCY_KINDS.categories),
        counts=dict(counts),
        footer=("A request is one practitioner asking, once, for one child's chronology.",),
    )


@dataclass(frozen=True)
class _Asked:
    """One record asked for under one request, as it stands."""

    asking_kind: str
    holding_kind: str
    outcome: str


def _records_asked_for(
    store: Store,
    requests: dict[str, _Request],
    kinds: dict[str, str],
    progress: Progress | None,
) -> list[_Asked]:
    latest: dict[tuple[str, str], str] = {}  # (request, record ref) -> latest decision
    holder: dict[tuple[str, str], str] = {}  # ... -> the holding agency's name
    for index, data, _ in stream_entries(store):
        if progress is not None and index % 10_000 == 0:
            progress(index)
        entry = json.loads(data)
        request = requests.get(entry.get("request", ""))
        if entry["kind"] != "decision" or request is None or entry["actor"] != request.asker:
            continue
        key = (entry["request"], entry["record_ref"])
        latest[key] = entry["decision"]
        holder[key] = entry["record_agency"]
    answers = _answer_outcomes(store)
    asked = []
    for key, decision in latest.items():
        outcome = {"allow": "Allowed", "deny": "Declined", "pending": "Pending"}[decision]
        if decision == "pending":
            outcome = answers.get(key, outcome)
        asked.append(_Asked(requests[key[0]].recipient_kind, kinds[holder[key]], outcome))
    return asked


def _outcomes_table(asked: Sequence[_Asked]) -> Table:
    counts: Counter[tuple[str, ...]] = Counter((a.holding_kind, a.outcome) for a in asked)
    cells: dict[tuple[str, ...], Entry] = dict(counts)
    for kind in AGENCY_KINDS.categories:
        cells[(kind, "Withdrawn")] = Marker.NOT_APPLICABLE
    return Table.from_counts(
        id="sharing_outcomes",
        title="Records asked for, by the agency that holds them and what came of the asking",
        unit="records asked for",
        source=SOURCE,
        rows=Dimension("Holding agency", AGENCY_KINDS.categories),
        columns=OUTCOMES,
        counts=cells,
        footer=(
            "Each record about the child is counted once per request, as it stands at the "
            "latest view: allowed (shown), declined (the policy did not allow it, or the "
            "holder or the young person said no) or pending (waiting for an answer).",
            "Withdrawn: not applicable (z): Seen has no withdrawal of a request; a young "
            "person's changed choice applies from the next view.",
        ),
    )


def _flows_table(asked: Sequence[_Asked]) -> Table:
    counts: Counter[tuple[str, ...]] = Counter((a.asking_kind, a.holding_kind) for a in asked)
    return Table.from_counts(
        id="sharing_flows",
        title="Records asked for, by the asking agency (the recipient) and the holding agency",
        unit="records asked for",
        source=SOURCE,
        rows=Dimension("Asking agency", AGENCY_KINDS.categories),
        columns=Dimension("Holding agency", AGENCY_KINDS.categories),
        counts=dict(counts),
        footer=(
            "The same records as the table of what came of the asking: each record about the "
            "child once per request. A record can be asked for by a practitioner of the "
            "agency that holds it, as part of a joined-up chronology.",
        ),
    )


def _answer_outcomes(store: Store) -> dict[tuple[str, str], str]:
    """(request, record ref) -> Allowed or Declined, for answered pending releases."""
    query = select(
        pending_releases.c.request_id, pending_releases.c.event_id, pending_releases.c.status
    ).where(pending_releases.c.status != "pending")
    with store.engine.connect() as conn:
        return {
            (row.request_id, f"ev-{row.event_id}"): (
                "Allowed" if row.status == "approved" else "Declined"
            )
            for row in conn.execute(query)
        }


def answer_times(store: Store, now: dt.datetime, target: dt.timedelta) -> AnswerTimes:
    """How long records that needed an answer waited for it, answered ones only."""
    waits = [row.answered_at - row.created_at for row in _answered(store)]
    seconds = sorted(w.total_seconds() for w in waits)
    enough = len(seconds) >= MIN_ANSWERS_FOR_TIMES
    return AnswerTimes(
        answers=len(seconds),
        median=dt.timedelta(seconds=median(seconds)) if enough else None,
        p90=dt.timedelta(seconds=quantiles(seconds, n=10)[-1]) if enough else None,
        target=target,
        within_target=sum(1 for w in waits if w <= target),
    )


def _answered(store: Store) -> Sequence[Any]:
    query = select(pending_releases.c.created_at, pending_releases.c.answered_at).where(
        pending_releases.c.answered_at.is_not(None)
    )
    with store.engine.connect() as conn:
        return list(conn.execute(query))


def _answers_table(store: Store, kinds: dict[str, str], now: dt.datetime) -> Table:
    query = select(
        pending_releases.c.pending_on,
        pending_releases.c.created_at,
        pending_releases.c.answered_at,
        agencies.c.name,
    ).join(agencies, agencies.c.id == pending_releases.c.agency_id)
    counts: Counter[tuple[str, ...]] = Counter()
    with store.engine.connect() as conn:
        for row in conn.execute(query):
            who = "The young person" if row.pending_on == "young_person" else kinds[row.name]
            counts[(who, _band(row.created_at, row.answered_at))] += 1
    return Table.from_counts(
        id="sharing_answer_times",
        title="Records that waited for an answer, by who had to answer and how long it took",
        unit="records",
        source=SOURCE,
        rows=ANSWERERS,
        columns=WAITS,
        counts=dict(counts),
        footer=(
            "A record waits for an answer when the young person asked to be asked first, or "
            "when the agreement releases it only with the holding agency's approval. The time "
            "is from the first view that asked to the answer.",
            f"Counted as at {now:%d %B %Y}.",
        ),
    )


def _band(asked: dt.datetime, answered: dt.datetime | None) -> str:
    if answered is None:
        return "Still waiting"
    took = answered - asked
    return next(band for band, upto in WAIT_BANDS if took <= upto)


def _break_glass_table(store: Store, requests: dict[str, _Request]) -> Table:
    with store.engine.connect() as conn:
        reviewed = {
            row.request_id: row.outcome
            for row in conn.execute(
                select(break_glass_reviews.c.request_id, break_glass_reviews.c.outcome)
            )
        }
    names = {"appropriate": "Appropriate", "not_appropriate": "Not appropriate"}
    counts: Counter[tuple[str, ...]] = Counter(
        (request.recipient_kind, names.get(reviewed.get(id_, ""), "Not yet reviewed"))
        for id_, request in requests.items()
        if request.break_glass
    )
    return Table.from_counts(
        id="break_glass",
        title="Break-glass requests, by the asking agency and their review",
        unit="requests",
        source=SOURCE,
        rows=Dimension("Asking agency", AGENCY_KINDS.categories),
        columns=REVIEWS,
        counts=dict(counts),
        footer=(
            "Break-glass: a safeguarding emergency overriding the young person's wishes, with "
            "a written justification, reviewed afterwards by a data protection officer or the "
            "partnership's administrator.",
        ),
    )
