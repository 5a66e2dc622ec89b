"""Hidden needs: young carers identified and by which route, and what came of the prompts,
as tables of counts for the partnership report.

**Routes.** A young carer is identified when, first of these:

- *self*: the young person told Seen they look after someone at home (their latest
  statement still says so);
- *school*: a school census return recorded them as a young carer (CS118 `P` or `S`);
- *assessment*: a children-in-need assessment recorded factor 7A;
- *prompt*: a reviewer acted on a young-carer prompt and its outcome says the need was
  there (support accepted, or an assessment found it).

Each child is counted once, under the route that identified them first (the same day: in
the order above), by route and the year it happened; and by route and age band then, and by
route and the deprivation quintile of their area (the hub holds no place, only each
record's deprivation decile).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from sqlalchemy import func, select

from seen.domain.events import EventKind
from seen.identify.decisions import PromptDecision, PromptOutcome
from seen.identify.labels import Need
from seen.report.linked import SharedMargin
from seen.report.table import Dimension, Table
from seen.store import Store
from seen.store.tables import (
    events,
    identify_decisions,
    identify_prompts,
    people,
    records,
    young_carer_statements,
)

SOURCE: Final = "Seen hub: agencies' records, young people's statements and prompt reviews"

ROUTES: Final = Dimension("Route", ("Self", "School", "Assessment", "Prompt"))
# The DfE's children-in-need age bands, from 5 (the youngest a prompt is raised for).
AGE_BANDS: Final = Dimension("Age band", ("Under 10", "10 to 15", "16 and over", "Not known"))
QUINTILES: Final = Dimension(
    "Area deprivation", (*(f"Quintile {q}" for q in range(1, 6)), "Not known")
)
# The three young-carer tables count the same children by route: their route totals are the
# same figures, protected together (seen.report.linked).
LINKS: Final = (
    SharedMargin("young_carers_by_age", "rows", "young_carers_by_year", "rows"),
    SharedMargin("young_carers_by_area", "rows", "young_carers_by_year", "rows"),
)
NEEDS: Final = Dimension("Need", tuple(need.spec.title for need in Need))
DECISIONS: Final = Dimension(
    "Review",
    (
        "Offer support",
        "Refer",
        "No action",
        "Not relevant",
        "Not yet reviewed",
        "Expired unreviewed",
    ),
)
_DECISION_LABEL: Final = dict(zip(PromptDecision, DECISIONS.categories, strict=False))
IDENTIFYING_OUTCOMES: Final = frozenset(
    {PromptOutcome.SUPPORT_ACCEPTED.value, PromptOutcome.ASSESSED_NEED_FOUND.value}
)


@dataclass(frozen=True)
class Identified:
    person_id: str
    route: str
    on: dt.date


def needs_tables(store: Store, today: dt.date) -> list[Table]:
    found = young_carers_identified(store)
    about = _demographics(store, {i.person_id for i in found})
    years = sorted({i.on.year for i in found}) or [today.year]
    by_year: Counter[tuple[str, ...]] = Counter((i.route, str(i.on.year)) for i in found)
    by_age: Counter[tuple[str, ...]] = Counter(
        (i.route, _age_band(about.get(i.person_id, (None, None))[0], i.on)) for i in found
    )
    by_quintile: Counter[tuple[str, ...]] = Counter(
        (i.route, _quintile(about.get(i.person_id, (None, None))[1])) for i in found
    )
    footer = ("Each child is counted once, under the route that identified them first.",)
    return [
        Table.from_counts(
            id="young_carers_by_year",
            title="Young carers identified, by route and year",
            unit="children",
            source=SOURCE,
            rows=ROUTES,
            columns=Dimension("Year", tuple(str(y) for y in years)),
            counts=dict(by_year),
            footer=footer,
        ),
        Table.from_counts(
            id="young_carers_by_age",
            title="Young carers identified, by route and age band when identified",
            unit="children",
            source=SOURCE,
            rows=ROUTES,
            columns=AGE_BANDS,
            counts=dict(by_age),
            footer=footer,
        ),
        Table.from_counts(
            id="young_carers_by_area",
            title="Young carers identified, by route and the deprivation of their area",
            unit="children",
            source=SOURCE,
            rows=ROUTES,
            columns=QUINTILES,
            counts=dict(by_quintile),
            footer=(
                *footer,
                "Quintile 1 is the most deprived fifth of areas (Index of Multiple "
                "Deprivation deciles 1 and 2).",
            ),
        ),
        _prompts_table(store, today),
        _outcomes_table(store),
    ]


def young_carers_identified(store: Store) -> list[Identified]:
    """Each young carer once, by the route that identified them first."""
    first: dict[str, Identified] = {}

    def consider(found: Iterable[tuple[str, dt.date]], route: str) -> None:
        for person, on in found:
            known = first.get(person)
            if known is None or on < known.on:
                first[person] = Identified(person, route, on)

    consider(_self_identified(store), "Self")
    consider(_recorded(store, EventKind.SCHOOL_YOUNG_CARER, {"P", "S"}), "School")
    consider(_recorded(store, EventKind.CIN_ASSESSMENT_FACTOR, {"7A"}), "Assessment")
    consider(_prompted(store), "Prompt")
    return sorted(first.values(), key=lambda i: (i.on, i.person_id))


def _self_identified(store: Store) -> list[tuple[str, dt.date]]:
    latest = (
        select(func.max(young_carer_statements.c.id))
        .group_by(young_carer_statements.c.person_id)
        .scalar_subquery()
    )
    query = select(young_carer_statements.c.person_id, young_carer_statements.c.stated_at).where(
        young_carer_statements.c.id.in_(latest), young_carer_statements.c.looks_after.is_(True)
    )
    with store.engine.connect() as conn:
        return [(row.person_id, row.stated_at.date()) for row in conn.execute(query)]


def _recorded(store: Store, kind: EventKind, codes: set[str]) -> list[tuple[str, dt.date]]:
    query = (
        select(people.c.person_id, func.min(events.c.start_date))
        .join(records, records.c.id == people.c.record_id)
        .join(events, events.c.record_id == records.c.id)
        .where(events.c.kind == kind.value, events.c.code.in_(sorted(codes)))
        .group_by(people.c.person_id)
    )
    with store.engine.connect() as conn:
        return [(person, on) for person, on in conn.execute(query)]


def _prompted(store: Store) -> list[tuple[str, dt.date]]:
    query = (
        select(identify_prompts.c.person_id, func.min(identify_decisions.c.outcome_on))
        .join(identify_decisions, identify_decisions.c.prompt_id == identify_prompts.c.id)
        .where(
            identify_prompts.c.need == Need.YOUNG_CARER.value,
            identify_decisions.c.outcome.in_(sorted(IDENTIFYING_OUTCOMES)),
        )
        .group_by(identify_prompts.c.person_id)
    )
    with store.engine.connect() as conn:
        return [(person, on) for person, on in conn.execute(query)]


def _demographics(store: Store, persons: set[str]) -> dict[str, tuple[str | None, int | None]]:
    """Each person's month of birth and deprivation decile: the first their records give."""
    if not persons:
        return {}
    query = (
        select(people.c.person_id, records.c.birth_month, records.c.deprivation_decile)
        .join(records, records.c.id == people.c.record_id)
        .where(people.c.person_id.in_(sorted(persons)))
        .order_by(people.c.person_id, records.c.id)
    )
    found: dict[str, tuple[str | None, int | None]] = {}
    with store.engine.connect() as conn:
        for person, month, decile in conn.execute(query):
            month_was, decile_was = found.get(person, (None, None))
            found[person] = (month_was or month, decile_was or decile)
    return found


def _age_band(birth_month: str | None, on: dt.date) -> str:
    if birth_month is None:
        return "Not known"
    year, month = (int(part) for part in birth_month.split("-"))
    age = on.year - year - (1 if on.month < month else 0)
    return "Under 10" if age < 10 else "10 to 15" if age < 16 else "16 and over"


def _quintile(decile: int | None) -> str:
    return "Not known" if decile is None else f"Quintile {(decile + 1) // 2}"


def _prompts_table(store: Store, today: dt.date) -> Table:
    query = (
        select(
            identify_prompts.c.need,
            identify_prompts.c.expires_on,
            func.max(identify_decisions.c.id).label("latest"),
        )
        .outerjoin(identify_decisions, identify_decisions.c.prompt_id == identify_prompts.c.id)
        .group_by(identify_prompts.c.id, identify_prompts.c.need, identify_prompts.c.expires_on)
    )
    with store.engine.connect() as conn:
        rows = list(conn.execute(query))
        decided: dict[int, str] = dict(
            conn.execute(select(identify_decisions.c.id, identify_decisions.c.decision)).all()
        )
    counts: Counter[tuple[str, ...]] = Counter()
    for need, expires_on, latest in rows:
        if latest is not None:
            review = _DECISION_LABEL[PromptDecision(decided[latest])]
        else:
            review = "Expired unreviewed" if expires_on <= today else "Not yet reviewed"
        counts[(Need(need).spec.title, review)] += 1
    return Table.from_counts(
        id="prompts_reviews",
        title="Prompts raised, by need and the reviewer's latest decision",
        unit="prompts",
        source=SOURCE,
        rows=NEEDS,
        columns=DECISIONS,
        counts=dict(counts),
        footer=(
            "A prompt suggests that a person consider offering support; a reviewer in the "
            "agency that should act decides. Prompts expire unless new evidence renews them.",
        ),
    )


def _outcomes_table(store: Store) -> Table:
    query = (
        select(identify_prompts.c.need, identify_decisions.c.outcome)
        .join(identify_decisions, identify_decisions.c.prompt_id == identify_prompts.c.id)
        .where(identify_decisions.c.outcome.is_not(None))
    )
    outcomes = Dimension("Outcome", tuple(o.label for o in PromptOutcome))
    with store.engine.connect() as conn:
        counts: Counter[tuple[str, ...]] = Counter(
            (Need(need).spec.title, PromptOutcome(outcome).label)
            for need, outcome in conn.execute(query)
        )
    return Table.from_counts(
        id="prompts_outcomes",
        title="Outcomes recorded after prompts were reviewed, by need",
        unit="outcomes",
        source=SOURCE,
        rows=NEEDS,
        columns=outcomes,
        counts=dict(counts),
    )
