"""The small pieces the generator is built from hold for all inputs: dates, postcodes, names,
record splitting and CSV writing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seen.synth.dates import DayFormatter, add_years, age_on, census_days, from_ymd, ymd
from seen.synth.geography import POSTCODE_PATTERN, build_geography, draw_postcodes
from seen.synth.names import ETHNICITY_TRADITIONS, TRADITIONS, load_names
from seen.synth.records import split_records
from seen.synth.writers import Fragment, Output

dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31))


@given(day=dates)
def test_day_numbers_round_trip_through_year_month_day(day: dt.date) -> None:
    n = np.array([day.toordinal()])
    y, m, d = ymd(n)
    assert (int(y[0]), int(m[0]), int(d[0])) == (day.year, day.month, day.day)
    assert int(from_ymd(y, m, d)[0]) == day.toordinal()


@given(born=dates, on=dates)
def test_age_is_whole_years_completed(born: dt.date, on: dt.date) -> None:
    expected = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    assert int(age_on(np.array([born.toordinal()]), on.toordinal())[0]) == expected


@given(day=dates, years=st.integers(-30, 30))
def test_adding_years_keeps_the_calendar_day(day: dt.date, years: int) -> None:
    moved = dt.date.fromordinal(int(add_years(np.array([day.toordinal()]), years)[0]))
    if (day.month, day.day) == (2, 29) and moved.month == 3:
        assert moved == dt.date(day.year + years, 3, 1)
    else:
        assert (moved.year, moved.month, moved.day) == (day.year + years, day.month, day.day)


def test_day_formats_and_census_days() -> None:
    fmt = DayFormatter(dt.date(2020, 1, 1).toordinal(), dt.date(2021, 1, 1).toordinal())
    day = dt.date(2020, 3, 4).toordinal()
    assert fmt.iso(np.array([day, -1])) == ["2020-03-04", ""]
    assert fmt.uk(np.array([day])) == ["04/03/2020"]
    days = [dt.date.fromordinal(d) for d in census_days(dt.date(2024, 9, 1), dt.date(2025, 8, 31))]
    assert days == [dt.date(2024, 10, 3), dt.date(2025, 1, 16), dt.date(2025, 5, 15)]
    assert all(d.weekday() == 3 for d in days)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32), areas=st.integers(2, 10))
def test_postcodes_are_format_valid_in_fictional_areas(seed: int, areas: int) -> None:
    rng = np.random.default_rng(seed)
    geo = build_geography(rng, areas)
    assert len(set(geo.sector_code)) == len(geo.sector_code)
    assert set(geo.sector_area.tolist()) == set(range(areas))
    codes = draw_postcodes(rng, geo, np.arange(len(geo.sector_code)))
    assert all(re.match(POSTCODE_PATTERN, c) for c in codes)
    assert all(c.startswith(("ZX", "ZY")) for c in codes)


def test_name_lists_cover_every_tradition_and_exercise_normalisation() -> None:
    names = load_names()
    all_names = {n for group in names.given.values() for n in group}
    surnames = {n for group in names.surnames.values() for n in group}
    assert len(all_names) >= 300 and len(surnames) >= 300
    for needed in ("Zoë", "Siobhán"):
        assert needed in all_names
    for needed in ("O'Brien", "Nuñez", "D'Souza", "Van der Berg"):
        assert needed in surnames
    assert set(names.nicknames["William"]) >= {"Bill", "Will", "Liam"}
    assert set(names.nicknames["Elizabeth"]) >= {"Beth", "Liz"}
    for tradition in TRADITIONS:
        assert names.surnames[tradition] and names.given[(tradition, "F")]
        assert names.given[(tradition, "M")]
    assert all(set(mix) <= set(TRADITIONS) for mix in ETHNICITY_TRADITIONS.values())


@given(
    events=st.lists(st.tuples(st.integers(0, 20), st.integers(0, 1000)), min_size=1, max_size=60),
    rate=st.floats(0.0, 1.0),
    seed=st.integers(0, 1000),
)
def test_each_event_goes_to_a_record_of_its_own_child(
    events: list[tuple[int, int]], rate: float, seed: int
) -> None:
    child = np.array([c for c, _ in events])
    day = np.array([d for _, d in events])
    record, person, registered = split_records(np.random.default_rng(seed), child, day, rate)
    assert (person[record] == child).all()
    assert (registered[record] <= day).all()
    assert len(set(person.tolist())) == len(set(child.tolist()))
    if rate == 0.0:
        assert len(person) == len(set(child.tolist()))


@given(
    values=st.lists(st.text(max_size=8), min_size=1, max_size=10),
    numbers=st.lists(st.integers(), min_size=10, max_size=10),
)
def test_csv_writing_round_trips_any_text(
    tmp_path_factory: pytest.TempPathFactory, values: list[str], numbers: list[int]
) -> None:
    n = len(values)
    out = Output(tmp_path_factory.mktemp("csv"))
    fragment = Fragment.of([values, numbers[:n]])
    out.csv("x.csv", ("a", "b", "c", "d"), [values, fragment, numbers[:n]])
    text = Path(out.root / "x.csv").read_bytes().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["a", "b", "c", "d"]
    assert rows[1:] == [[v, v, str(k), str(k)] for v, k in zip(values, numbers[:n], strict=True)]
    assert out.files[0].rows == n
