"""Indicators as of a date read events that started before it and nothing else: adding
events on or after the date, or changing when an open event later ended, changes nothing;
and computing on a history cut at the date gives the same values as on the whole history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from seen.domain.agencies import AgencyKind
from seen.domain.events import EVENT_SPECS, EventKind
from seen.identify.history import History, build_history
from seen.identify.indicators import LIBRARY, Indicators

BASE = dt.date(2022, 1, 1)
PEOPLE = {
    f"p{i}": {"sex": "F", "ethnicity": "WBRI", "birth_month": f"20{10 + i}-0{1 + i}"}
    for i in range(4)
}
# Every kind with a code an indicator may read (or none), so every indicator is exercised.
CODES: dict[str, list[str | None]] = {
    kind.value: (list(spec.codes) if spec.codes is not None else [None])
    for kind, spec in EVENT_SPECS.items()
}


@st.composite
def events(draw: Any, first: int, last: int, count: int) -> list[dict[str, Any]]:
    rows = []
    for _ in range(draw(st.integers(0, count))):
        kind = draw(st.sampled_from(sorted(CODES)))
        start = BASE + dt.timedelta(days=draw(st.integers(first, last)))
        spec = EventKind(kind).spec
        rows.append(
            {
                "person_id": draw(st.sampled_from(sorted(PEOPLE))),
                "agency": spec.agency_kind.value,
                "kind": kind,
                "code": draw(st.sampled_from(CODES[kind])),
                "qualifier": draw(st.sampled_from(sorted(spec.qualifiers)))
                if spec.qualifiers
                else None,
                "start": start,
                "end": draw(
                    st.one_of(
                        st.none(),
                        st.integers(0, 900).map(lambda d, s=start: s + dt.timedelta(days=d)),
                    )
                ),
                "value": draw(st.one_of(st.none(), st.floats(0, 100))),
                "ref": "",
            }
        )
    return rows


def values(history: History, as_of: dt.date) -> np.ndarray:
    return Indicators(history, LIBRARY).at(as_of.toordinal())


@settings(max_examples=60, deadline=None)
@given(
    past=events(first=0, last=1400, count=40),
    future=events(first=1400, last=2200, count=20),
    as_of_day=st.integers(200, 1400),
)
def test_events_on_or_after_the_as_of_date_change_no_indicator(
    past: list[dict[str, Any]], future: list[dict[str, Any]], as_of_day: int
) -> None:
    as_of = BASE + dt.timedelta(days=as_of_day)
    before = [e for e in past if e["start"] < as_of]
    # What was later recorded about events open on the as-of date: their end moves on.
    later_ends = [
        {**e, "end": None if e["end"] is None or e["end"] >= as_of else e["end"]} for e in before
    ]
    # Events on or after the as-of date, however many, of any kind.
    moved = [{**e, "start": max(e["start"], as_of)} for e in past + future]
    baseline = values(build_history(PEOPLE, before), as_of)
    assert np.array_equal(values(build_history(PEOPLE, before + moved), as_of), baseline)
    assert np.array_equal(values(build_history(PEOPLE, later_ends), as_of), baseline)


@settings(max_examples=40, deadline=None)
@given(rows=events(first=0, last=1800, count=50), days=st.lists(st.integers(100, 1800), min_size=2))
def test_moving_the_as_of_date_reads_only_what_came_before_each(
    rows: list[dict[str, Any]], days: list[int]
) -> None:
    whole = build_history(PEOPLE, rows)
    everything = Indicators(whole, LIBRARY)
    for offset in days:
        as_of = (BASE + dt.timedelta(days=offset)).toordinal()
        cut = whole.select_events(whole.start < as_of)
        assert np.array_equal(everything.at(as_of), Indicators(cut, LIBRARY).at(as_of))
        for indicator in LIBRARY:
            for person in range(whole.people):
                shown = everything.evidence(person, as_of, indicator.name)
                assert (whole.start[shown] < as_of).all()
                assert (whole.person[shown] == person).all()


def test_every_indicator_cites_the_codes_it_reads_and_whose_records() -> None:
    for indicator in LIBRARY:
        assert indicator.reads and indicator.description
        if indicator.agency is not None:
            assert indicator.kinds
            for kind in indicator.kinds:
                assert EventKind(kind).spec.agency_kind is indicator.agency or (
                    indicator.agency is AgencyKind.CHILDRENS_SERVICES
                )
            if indicator.codes is not None:
                for kind in indicator.kinds:
                    assert indicator.codes <= set(CODES[kind]) | {None}
