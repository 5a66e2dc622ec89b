"""Rules that hold for every input, checked with Hypothesis."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formats.samples import PERSON, SCHOOL, csv_text
from seen.formats import read_extract
from seen.formats.dates import DateFormat
from seen.formats.validate import normalise_postcode

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
cells = st.text(max_size=30)


@FAST
@given(st.lists(st.lists(cells, max_size=12), max_size=8), st.sampled_from([PERSON, SCHOOL]))
def test_any_text_rows_under_a_known_header_never_raise_and_are_all_accounted_for(
    rows: list[list[str]], sample: dict[str, str]
) -> None:
    columns = list(sample)
    text = csv_text([dict(zip(columns, row, strict=False)) for row in rows], columns)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.csv"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        extract = read_extract([path])
    [report] = extract.files
    assert report.rejected_rows <= report.rows
    assert report.rejected_rows == len(extract.rejected)
    kept = report.rows - report.rejected_rows
    assert len(extract.records) <= kept


@FAST
@given(st.binary(max_size=2000))
def test_any_bytes_never_raise(data: bytes) -> None:
    for name in ("x.csv", "x.xml"):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / name
            path.write_bytes(data)
            extract = read_extract([path])
        assert len(extract.files) == 1


@FAST
@given(st.text(max_size=300))
def test_any_text_after_an_xml_start_never_raises(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.xml"
        path.write_bytes(("<Message><Children><Child>" + text).encode("utf-8", "surrogatepass"))
        read_extract([path])


@given(st.dates(min_value=dt.date(1, 1, 1)), st.sampled_from(list(DateFormat)))
def test_every_date_reads_back_in_its_layout(date: dt.date, layout: DateFormat) -> None:
    assert layout.parse(layout.format(date)) == date


@given(st.text(max_size=12))
def test_a_normalised_postcode_normalises_to_itself(raw: str) -> None:
    postcode = normalise_postcode(raw)
    if postcode is not None:
        assert normalise_postcode(postcode) == postcode
        assert " " in postcode and postcode == postcode.upper()


IDENTIFYING_FIELDS = ("DOB", "Postcode", "NHSNumber", "UPN")


@FAST
@given(
    st.sampled_from(IDENTIFYING_FIELDS),
    st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUVWXZéë/-' ", min_size=6).filter(
        lambda v: len(v.strip()) >= 6
    ),
)
def test_problems_never_echo_an_identifying_value(field: str, value: str) -> None:
    # Problems are printed, logged and written to rejects reports at the hub: they may say
    # what is wrong with a date of birth or an identifier number, never what it is.
    text = csv_text([{**PERSON, field: value}], list(PERSON))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.csv"
        path.write_text(text, encoding="utf-8")
        extract = read_extract([path])
    said = [p.message for p in extract.problems] + [
        reason for rejected in extract.rejected for reason in rejected.reasons
    ]
    assert not [message for message in said if value.strip() in message]
