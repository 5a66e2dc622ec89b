"""The partnership report's tables count what happened in the store: requests, what came of
each record asked for (from the audit log, settled by answers), answers and break-glass; the
young people's choices in force, contests and "my voice"; linkage."""

from __future__ import annotations

import datetime as dt

from seen.domain.sharing import Choice
from seen.report.linkage import linkage_tables
from seen.report.sharing import answer_times, sharing_tables
from seen.report.table import Table
from seen.report.voice import voice_tables
from seen.sharing.break_glass import review_break_glass
from seen.sharing.chronology import ask, releases, view
from seen.sharing.inbox import respond
from seen.sharing.voice import add_voice
from seen.sharing.world_slice import Reader
from seen.store import Store
from seen.store.governance import PreferenceRecord, record_preference
from sharing.factories import NOW, linked_partnership

LATER = NOW + dt.timedelta(hours=30)


def cell(table: Table, row: str, column: str | None = None) -> object:
    r = table.layout.rows.categories.index(row)
    c = 0 if column is None else table.layout.columns.categories.index(column)  # type: ignore[union-attr]
    return table.counts[0][r][c]


def by_id(tables: list[Table]) -> dict[str, Table]:
    return {t.id: t for t in tables}


def school_asks(store: Store, justification: str | None = None) -> str:
    request = ask(
        store,
        practitioner="dsl-ben",
        agency="northshire-schools",
        person_id="P0001",
        purpose="safeguarding",
        lawful_basis="uk-gdpr-6-1-e",
        justification=justification,
        now=NOW,
    )
    view(store, request, NOW)
    return request.id


def test_requests_and_what_came_of_each_record_asked_for(store: Store) -> None:
    linked_partnership(store)
    school_asks(store)
    tables = by_id(sharing_tables(store, NOW))
    requests = tables["sharing_requests"]
    assert cell(requests, "Safeguarding", "School") == 1
    assert sum(sum(row) for row in requests.counts[0]) == 1  # type: ignore[arg-type]
    outcomes = tables["sharing_outcomes"]
    # The police record waits for the police's approval; the school's own is shown.
    assert cell(outcomes, "Police", "Pending") == 1
    assert cell(outcomes, "School", "Allowed") == 1
    assert str(cell(outcomes, "Police", "Withdrawn")) == "z"
    # The same records by who asked (the recipient) and who holds them (the originator).
    flows = tables["sharing_flows"]
    assert cell(flows, "School", "Police") == 1 and cell(flows, "School", "School") == 1
    assert sum(map(sum, flows.counts[0])) == sum(  # type: ignore[arg-type]
        n for row in outcomes.counts[0] for n in row if isinstance(n, int)
    )
    # The police answer: the record is settled as allowed, without another view.
    (waiting,) = releases(store, agency="northshire-police", pending_on="originator")
    respond(
        store,
        Reader("pc-cara", "northshire-police"),
        waiting.id,
        approve=True,
        reason="",
        now=LATER,
    )
    tables = by_id(sharing_tables(store, LATER))
    assert cell(tables["sharing_outcomes"], "Police", "Pending") == 0
    assert cell(tables["sharing_outcomes"], "Police", "Allowed") == 1
    # ... which took 30 hours: between 1 and 3 days, from the first view to the answer.
    assert cell(tables["sharing_answer_times"], "Police", "1 to 3 days") == 1
    times = answer_times(store, LATER, dt.timedelta(days=3))
    assert (times.answers, times.within_target, times.median) == (1, 1, None)  # too few
    assert (times.answers_shown, times.within_target_shown) == ("c", "c")  # 1 to 5


def test_the_holders_own_reads_for_its_inbox_are_not_outcomes(store: Store) -> None:
    linked_partnership(store)
    school_asks(store)
    before = by_id(sharing_tables(store, NOW))["sharing_outcomes"].counts
    from seen.sharing.inbox import inbox

    inbox(store, Reader("pc-cara", "northshire-police"), NOW)  # an own-agency read
    assert by_id(sharing_tables(store, NOW))["sharing_outcomes"].counts == before


def test_break_glass_is_counted_with_its_review(store: Store) -> None:
    linked_partnership(store)
    first = school_asks(store, justification="Serious harm tonight: seen with a wanted adult")
    school_asks(store, justification="Missing overnight from a place of danger")
    review_break_glass(
        store,
        first,
        agency=None,
        reviewer="admin-rosa",
        outcome="appropriate",
        notes="Justified",
        now=LATER,
    )
    table = by_id(sharing_tables(store, LATER))["break_glass"]
    assert cell(table, "School", "Appropriate") == 1
    assert cell(table, "School", "Not yet reviewed") == 1


def test_only_the_choices_in_force_are_counted(store: Store) -> None:
    linked_partnership(store)
    for n, choice in enumerate((Choice.SHARE, Choice.ASK_FIRST)):
        record_preference(
            store,
            PreferenceRecord(
                "P0001",
                "health",
                "*",
                choice,
                NOW + dt.timedelta(minutes=n),
                "P0001",
                "self_service",
                "notice-1",
            ),
        )
    add_voice(store, "P0001", "I want my side heard", None, NOW)
    tables = by_id(voice_tables(store))
    assert cell(tables["voice_choices"], "Hospital visits", "Ask me first") == 1
    assert cell(tables["voice_choices"], "Hospital visits", "Share") == 0
    assert cell(tables["voice_entries"], "Nothing in particular") == 1


def test_linkage_counts_records_joined_across_agencies(store: Store) -> None:
    linked_partnership(store)
    rates, pairs, queue = linkage_tables(store)
    # P0001 is held by all four agencies; P0002 by the schools only.
    assert cell(rates, "northshire-police", "Joined to another agency's record") == 1
    assert cell(rates, "northshire-schools", "Not joined to another agency's") == 1
    # Four agencies holding one record each about P0001 make six pairs, one per pair.
    assert len(pairs.layout.rows.categories) == 6
    assert cell(pairs, "northshire-police and northshire-schools") == 1
    assert sum(row[0] for row in pairs.counts[0]) == 6  # type: ignore[misc]
    assert cell(queue, "Waiting for review") == 0


def test_answers_within_the_target_hide_what_the_total_would_give_away() -> None:
    from seen.report.sharing import AnswerTimes

    day = dt.timedelta(days=1)
    assert AnswerTimes(40, day, day, day, 37).within_target_shown == "c"  # 3 outside
    assert AnswerTimes(40, day, day, day, 30).within_target_shown == "30"
    assert AnswerTimes(40, day, day, day, 40).within_target_shown == "40"  # 0 outside
    assert AnswerTimes(0, None, None, day, 0).answers_shown == "0"
