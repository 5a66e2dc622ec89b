"""The young people's voice: the sharing choices in force, contests and how they were
answered, and "my voice" entries, as tables of counts for the partnership report."""

from __future__ import annotations

from collections import Counter
from typing import Final

from sqlalchemy import func, select

from seen.domain.agencies import AgencyKind
from seen.domain.categories import CATEGORY_LABELS
from seen.domain.sharing import ANY, Choice
from seen.report.table import Dimension, Table
from seen.store import Store
from seen.store.tables import agencies, contests, sharing_preferences, voice_entries

SOURCE: Final = "Seen hub: young people's own pages"

ALL_RECORDS: Final = "All their records"
CATEGORIES: Final = Dimension("Records about", (ALL_RECORDS, *CATEGORY_LABELS.values()))
CHOICES: Final = Dimension("Choice", ("Share", "Ask me first", "Do not share"))
_CHOICE_LABEL: Final = dict(zip(Choice, CHOICES.categories, strict=True))
HOLDERS: Final = Dimension("Holding agency", tuple(kind.label for kind in AgencyKind))
ANSWERS: Final = Dimension("Answer", ("Agreed and corrected", "Disagreed", "Waiting"))


def voice_tables(store: Store) -> list[Table]:
    return [_choices_table(store), _contests_table(store), _voice_table(store)]


def _choices_table(store: Store) -> Table:
    # The latest choice per (person, category, kind of recipient) is the one in force.
    latest = (
        select(func.max(sharing_preferences.c.id))
        .group_by(
            sharing_preferences.c.person_id,
            sharing_preferences.c.category,
            sharing_preferences.c.recipient_kind,
        )
        .scalar_subquery()
    )
    query = select(sharing_preferences.c.category, sharing_preferences.c.choice).where(
        sharing_preferences.c.id.in_(latest)
    )
    counts: Counter[tuple[str, ...]] = Counter()
    with store.engine.connect() as conn:
        for row in conn.execute(query):
            category = ALL_RECORDS if row.category == ANY else CATEGORY_LABELS[row.category]
            counts[(category, _CHOICE_LABEL[Choice(row.choice)])] += 1
    return Table.from_counts(
        id="voice_choices",
        title="Young people's sharing choices in force, by the records they are about",
        unit="choices",
        source=SOURCE,
        rows=CATEGORIES,
        columns=CHOICES,
        counts=dict(counts),
        footer=(
            "A choice is about one kind of record (or all of them) and one kind of agency "
            "(or all of them); a young person may make several. Only the latest choice of "
            "each counts.",
        ),
    )


def _contests_table(store: Store) -> Table:
    query = select(agencies.c.kind, contests.c.status, contests.c.outcome).join(
        agencies, agencies.c.id == contests.c.agency_id
    )
    names = {"agreed": "Agreed and corrected", "disagreed": "Disagreed"}
    counts: Counter[tuple[str, ...]] = Counter()
    with store.engine.connect() as conn:
        for row in conn.execute(query):
            answer = "Waiting" if row.status == "open" else names[row.outcome]
            counts[(AgencyKind(row.kind).label, answer)] += 1
    return Table.from_counts(
        id="voice_contests",
        title="Records young people said were wrong, by the holding agency and its answer",
        unit="contests",
        source=SOURCE,
        rows=HOLDERS,
        columns=ANSWERS,
        counts=dict(counts),
    )


def _voice_table(store: Store) -> Table:
    query = select(
        voice_entries.c.about_event_id.is_(None).label("general"), func.count()
    ).group_by(voice_entries.c.about_event_id.is_(None))
    with store.engine.connect() as conn:
        found = {bool(general): int(n) for general, n in conn.execute(query)}
    return Table.from_counts(
        id="voice_entries",
        title='"My voice" entries: young people\'s own accounts',
        unit="entries",
        source=SOURCE,
        rows=Dimension("About", ("A record", "Nothing in particular")),
        counts={("A record",): found.get(False, 0), ("Nothing in particular",): found.get(True, 0)},
        footer=("Shown beside the professional records, with equal prominence.",),
    )
