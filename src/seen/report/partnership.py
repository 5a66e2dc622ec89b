"""The partnership report: every table, counted from the store and put through disclosure
control, and the headline figures the public page shows.

`produce` counts and protects; `seen report --out DIR` writes what it produced as CSV and
Excel and keeps it in the store (`seen.store.published_reports`) for the analyst's dashboard
and the public transparency page, which show the latest kept report and never count anything
themselves: what they show has been through the same control as the files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from seen.errors import InvalidInput
from seen.report import fairness, needs, sharing
from seen.report.fairness import fairness_tables
from seen.report.linkage import linkage_tables
from seen.report.linked import protect_linked
from seen.report.needs import needs_tables
from seen.report.outputs import CsvFiles, write_csv, write_xlsx
from seen.report.published import ProtectedTable, PublishedCell
from seen.report.rules import DisclosureRules
from seen.report.sharing import sharing_tables
from seen.report.table import Table
from seen.report.voice import voice_tables
from seen.store import Store

# The sections of the report, in order, each with the tables it holds (by id prefix).
SECTIONS: Final = (
    ("sharing", "Sharing", ("sharing_", "break_glass")),
    ("voice", "Young people's voice", ("voice_",)),
    ("needs", "Hidden needs", ("young_carers_", "prompts_", "fairness_")),
    ("linkage", "Linkage", ("linkage_",)),
)

# Tables that publish the same figures, protected together.
LINKS: Final = (*sharing.LINKS, *needs.LINKS, *fairness.LINKS)

# The public page's headline figures: the grand total of these tables, as published.
HEADLINES: Final = (
    ("sharing_requests", "Requests for a joined-up chronology"),
    ("break_glass", "Break-glass requests in a safeguarding emergency"),
    ("voice_choices", "Sharing choices young people have made"),
    ("voice_contests", "Records young people said were wrong"),
    ("young_carers_by_year", "Young carers identified"),
    ("prompts_reviews", "Prompts to consider offering support"),
)

Stage = Callable[[str, int, int], None]  # (what, step, steps)


@dataclass(frozen=True)
class Headline:
    label: str
    figure: PublishedCell


def count_tables(store: Store, now: dt.datetime, stage: Stage | None = None) -> list[Table]:
    """Every table of the report, counted from the store (not yet protected)."""
    steps: list[tuple[str, Callable[[], list[Table]]]] = [
        ("sharing", lambda: sharing_tables(store, now)),
        ("young people's voice", lambda: voice_tables(store)),
        ("hidden needs", lambda: needs_tables(store, now.date())),
        ("fairness", lambda: fairness_tables(store)),
        ("linkage", lambda: linkage_tables(store)),
    ]
    tables: list[Table] = []
    for step, (what, count) in enumerate(steps):
        if stage is not None:
            stage(what, step, len(steps))
        tables.extend(count())
    if stage is not None:
        stage("done", len(steps), len(steps))
    return tables


def produce(
    store: Store,
    now: dt.datetime,
    rules: DisclosureRules | None = None,
    stage: Stage | None = None,
) -> list[ProtectedTable]:
    """The report's tables after disclosure control (`stage` hears of the counting, then of
    each table protected)."""
    tables = count_tables(store, now, stage)

    def protecting(done: int, of: int) -> None:
        if stage is not None:
            stage("disclosure control", done, of)

    return protect_linked(tables, LINKS, rules, progress=protecting)


def write_files(tables: Sequence[ProtectedTable], folder: Path) -> tuple[CsvFiles, Path]:
    """seen-report.csv (with its guidance file) and seen-report.xlsx in `folder`. Each file
    is written beside its name and moved into place only when complete (seen.report.outputs)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return write_csv(tables, folder / "seen-report.csv"), write_xlsx(
            tables, folder / "seen-report.xlsx"
        )
    except OSError as error:
        raise InvalidInput(
            f"cannot write the report to {folder}: {error.strerror or error}"
        ) from None


def headlines(tables: Sequence[ProtectedTable]) -> list[Headline]:
    """The headline figures: each a published grand total (so `c` where it was suppressed)."""
    by_id = {t.id: t for t in tables}
    found = []
    for table_id, label in HEADLINES:
        table = by_id.get(table_id)
        if table is None:
            continue
        n_rows, n_columns = table.layout.grid_shape
        found.append(Headline(label, table.cell(0, (n_rows - 1, n_columns - 1))))
    return found


def section_of(table: ProtectedTable) -> str:
    for key, _, prefixes in SECTIONS:
        if table.id.startswith(prefixes):
            return key
    return "other"
