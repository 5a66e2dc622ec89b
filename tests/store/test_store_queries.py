"""What the command line summarises: agencies, counts and the last ingest."""

from __future__ import annotations

import datetime as dt

from seen.domain.agencies import Agency, AgencyKind
from seen.domain.events import Event, EventKind
from seen.formats.extract import RejectedRow
from seen.ingest import ingest_extract
from seen.store import Store, agency_summaries, list_agencies
from store import factories


def test_an_empty_store_has_no_agencies(store: Store) -> None:
    assert list_agencies(store) == []
    assert agency_summaries(store) == []


def test_summaries_count_each_agencys_records_and_events(store: Store) -> None:
    before = dt.datetime.now(dt.UTC)
    ingest_extract(store, "northshire-council", factories.children_extract(people=4, events_each=3))
    police = factories.extract(
        [
            factories.record(
                1,
                [Event(EventKind.POLICE_INCIDENT, dt.date(2024, 2, 1), code="ASB")],
                ref="P-1",
            )
        ],
        kind=AgencyKind.POLICE,
        rejected=[RejectedRow("police.csv", "row 3", "P-9", ("bad date",))],
        problems=[],
        tag="police",
    )
    ingest_extract(store, "northshire-police", police)

    assert list_agencies(store) == [
        Agency("northshire-council", AgencyKind.CHILDRENS_SERVICES),
        Agency("northshire-police", AgencyKind.POLICE),
    ]
    council, force = agency_summaries(store)
    assert (council.name, council.kind, council.records, council.events) == (
        "northshire-council",
        AgencyKind.CHILDRENS_SERVICES,
        4,
        12,
    )
    assert council.events_by_kind == {
        EventKind.CIN_REFERRAL: 4,
        EventKind.CIN_ASSESSMENT_FACTOR: 4,
        EventKind.MISSING_EPISODE: 4,
    }
    assert council.rejected_rows_last_run == 0
    assert council.last_ingest is not None and council.last_ingest >= before
    assert council.last_ingest.tzinfo is not None
    assert (force.records, force.events, force.rejected_rows_last_run) == (1, 1, 1)
    assert force.events_by_kind == {EventKind.POLICE_INCIDENT: 1}


def test_the_summary_reports_the_latest_run(store: Store) -> None:
    ingest_extract(store, "northshire-council", factories.children_extract(people=2, tag="a"))
    first = agency_summaries(store)[0].last_ingest
    ingest_extract(store, "northshire-council", factories.children_extract(people=3, tag="b"))
    (summary,) = agency_summaries(store)
    assert summary.records == 3
    assert first is not None and summary.last_ingest is not None
    assert summary.last_ingest >= first
