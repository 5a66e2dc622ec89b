"""Any CSV or Parquet file, with its columns mapped onto identity fields (`--map`).

For an agency whose system exports none of the recognised formats: `--map
"PersonRef=record_id,Forename=given_name,DOB=date_of_birth"` says which column holds what.
Rows are validated as `seen.formats` validates them (every problem with its file, row and
column; identifying values never quoted), a row with any problem is rejected whole, and the
records carry identity and demographics only (no events).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Final

import pyarrow as pa
import pyarrow.parquet as pq

from seen.domain.demographics import Sex
from seen.domain.records import Identity
from seen.encode.mapping import FIELDS, check_mapping
from seen.errors import InvalidInput
from seen.formats.assemble import RecordBuilder
from seen.formats.csvfile import first_look, iter_rows, text_problem
from seen.formats.dates import DateFormat
from seen.formats.extract import Extract, FileReport
from seen.formats.files import InputFile, sha256_of
from seen.formats.lookup import DeprivationLookup
from seen.formats.read import add_file
from seen.formats.spec import RowOutput
from seen.formats.validate import RowCheck

SEX_CODES: Final[Mapping[str, Sex]] = {
    "M": Sex.MALE,
    "F": Sex.FEMALE,
    "U": Sex.UNKNOWN,
    "1": Sex.MALE,  # SSDA903 and NHS person stated gender codes
    "2": Sex.FEMALE,
    "9": Sex.UNKNOWN,
    "0": Sex.UNKNOWN,
}
SUFFIXES: Final = (".csv", ".parquet")
PARQUET_MAGIC: Final = b"PAR1"
_BATCH_ROWS = 65_536

Getter = Mapping[str, object]


def read_mapped_extract(
    paths: Sequence[Path],
    mapping: Mapping[str, str],
    lookup: DeprivationLookup | None = None,
    *,
    today: dt.date | None = None,
    keep_mistyped: bool = False,
) -> Extract:
    """Read CSV and Parquet files (or folders of them) through a column mapping.

    Raises InvalidInput when the mapping is wrong or a path does not exist; everything wrong
    with the files is reported in the result, like `seen.formats.read_extract` (and
    `keep_mistyped` is its option too).
    """
    mapping = check_mapping(mapping.items())
    files = _expand(paths)
    builder = RecordBuilder()
    check = partial(RowCheck, today=today or dt.date.today(), keep_mistyped=keep_mistyped)
    formats = []
    for file in files:
        fmt = "unrecognised"
        try:
            fmt = _read_file(file, mapping, builder, check(file.shown))
        except OSError as error:
            file.problem("file", "", f"the file could not be read: {error.strerror or error}")
        formats.append(fmt)
    extract = Extract(agency_kind=None, records=builder.finish(lookup))
    for file, fmt in zip(files, formats, strict=True):
        report = FileReport(file.shown, fmt, sha256_of(file.path), file.rows, file.rejected_rows)
        add_file(extract, file, report)
    return extract


def standard_mapping(paths: Sequence[Path]) -> dict[str, str] | None:
    """The mapping of each column onto itself, when every file given is a CSV or Parquet file
    whose columns are all named as the identity fields are (record_id among them), and all
    name the same ones: such files need no `--map`. None otherwise. (A column named twice is
    then reported as the mapped reader reports it.)"""
    try:
        files = _expand(paths)
    except InvalidInput:
        return None
    found: set[frozenset[str]] = set()
    for file in files:
        header = _header(file.path)
        if header is None:
            return None
        names = frozenset(name.strip().casefold() for name in header)
        if not names <= set(FIELDS) or "record_id" not in names:
            return None
        found.add(names)
    if len(found) != 1:
        return None
    (names,) = found
    return {field: field for field in FIELDS if field in names}


def _header(path: Path) -> tuple[str, ...] | None:
    """A CSV or Parquet file's column names; None for anything else or a file unread."""
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
        if magic == PARQUET_MAGIC:
            return tuple(pq.ParquetFile(path).schema_arrow.names)
        look = first_look(path)
    except (OSError, pa.ArrowException, ValueError):
        return None
    return look.header if look.kind == "csv" else None


def _expand(paths: Sequence[Path]) -> list[InputFile]:
    if not paths:
        raise InvalidInput("give at least one file or folder to read")
    missing = [str(path) for path in paths if not Path(path).exists()]
    if missing:
        raise InvalidInput(f"not found: {', '.join(missing)}")
    files: list[InputFile] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(
                p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
            )
            files.extend(InputFile(entry, str(entry)) for entry in found)
        else:
            files.append(InputFile(path, str(given)))
    return files


def _read_file(
    file: InputFile, mapping: Mapping[str, str], builder: RecordBuilder, check: RowCheck
) -> str:
    """Read one file's rows into the builder; the format name for its report."""
    with file.path.open("rb") as handle:
        magic = handle.read(4)
    rows: Iterator[tuple[str, Getter | str]]
    if magic == PARQUET_MAGIC:
        try:
            header = tuple(pq.ParquetFile(file.path).schema_arrow.names)
        except (pa.ArrowException, ValueError) as error:
            file.problem("file", "", f"the Parquet file could not be read: {_first_line(error)}")
            return "unrecognised"
        rows, fmt, where = _parquet_rows(file), "mapped-parquet", "file"
    else:
        look = first_look(file.path)
        if look.kind != "csv":
            why = look.problem or "this is an XML file; give a CSV or Parquet file"
            file.problem(look.location, "", why)
            return "unrecognised"
        header = look.header
        rows, fmt, where = _csv_rows(file, header), "mapped-csv", "row 1"
    columns = _columns(file, header, mapping, where)
    if columns is None:
        return fmt
    seen: dict[str, str] = {}
    for location, values in rows:
        file.rows += 1
        check.start(location)
        if isinstance(values, str):
            check.fail("", values)
        else:
            _check_row(check, values, columns, builder, seen)
        if check.problems:
            file.sink.extend(check.problems)
            reasons = tuple(p.message for p in check.problems)
            file.reject(location, check.record_id, reasons, only_mistyped=check.only_mistyped)
        elif check.mistyped:
            file.keep(location, check.record_id, tuple(p.message for p in check.mistyped))
    if file.rows == 0:
        file.problem("file", "", "the file has no data rows")
    return fmt


def _columns(
    file: InputFile, header: Sequence[str], mapping: Mapping[str, str], where: str
) -> dict[str, str] | None:
    """field -> the header's column for it; None after reporting the columns missing."""
    exact = {column: column for column in header}
    folded = {column.strip().casefold(): column for column in header}
    columns: dict[str, str] = {}
    for source, field in mapping.items():
        found = exact.get(source) or folded.get(source.strip().casefold())
        if found is None:
            shown = ", ".join(header[:20]) + (", …" if len(header) > 20 else "")
            message = f"the column {source} (mapped to {field}) is missing; the file has {shown}"
            file.problem(where, source, message)
        elif list(header).count(found) > 1:
            file.problem(where, source, f"the column {found} appears more than once; keep one")
        else:
            columns[field] = found
    return columns if len(columns) == len(mapping) else None


def _check_row(
    check: RowCheck,
    values: Getter,
    columns: Mapping[str, str],
    builder: RecordBuilder,
    seen: dict[str, str],
) -> None:
    def get(field: str) -> tuple[str, str | None]:
        column = columns.get(field, field)
        value = values.get(column) if field in columns else None
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, float) and value.is_integer():
            value = int(value)  # a number column holding NHS numbers, say
        return column, None if value is None else str(value)

    record_id = check.record_id_value(*get("record_id"))
    column, raw = get("date_of_birth")
    identity = Identity(
        given_name=check.name(*get("given_name")),
        middle_names=check.name(*get("middle_names")),
        family_name=check.name(*get("family_name")),
        date_of_birth=_date_of_birth(check, column, raw),
        sex=check.sex(*get("sex"), SEX_CODES),
        postcode=check.postcode(*get("postcode")),
        nhs_number=check.nhs_number(*get("nhs_number")),
        upn=check.upn(*get("upn")),
    )
    ethnicity = check.ethnicity(*get("ethnicity"))
    if record_id is not None:
        first = seen.setdefault(record_id, check.location)
        if first != check.location:
            column = columns["record_id"]
            check.fail(
                column,
                f"{column} {record_id} appears more than once in this file (first at {first}); "
                "each person must appear once",
            )
    if record_id is not None and not check.problems:
        builder.add(RowOutput(record_id, identity, ethnicity))


def _date_of_birth(check: RowCheck, column: str, raw: str | None) -> dt.date | None:
    text = check.value(column, raw)
    if text is None:
        return None
    date = DateFormat.ISO.parse(text) or DateFormat.DMY.parse(text)
    if date is None:
        # Say what is wrong with a date of birth, never what it is.
        check.fail(column, f"{column} is not a date in the form YYYY-MM-DD or dd/mm/YYYY")
        return None
    if date > check.today:
        check.fail(column, f"{column} is in the future")
        return None
    return date


def _csv_rows(file: InputFile, header: Sequence[str]) -> Iterator[tuple[str, Getter | str]]:
    names = [column.strip() for column in header]
    width = len(names)
    for number, values in iter_rows(file.path):
        where = f"row {number}"
        if isinstance(values, str):
            yield where, values
        elif not any(value.strip() for value in values):
            continue
        elif len(values) < width or any(value.strip() for value in values[width:]):
            yield where, f"row {number} has {len(values)} values but the header has {width} columns"
        elif (bad := text_problem(values, tuple(names), number)) is not None:
            yield where, bad[1]
        else:
            yield where, dict(zip(header, values, strict=False))


def _parquet_rows(file: InputFile) -> Iterator[tuple[str, Getter | str]]:
    try:
        parquet = pq.ParquetFile(file.path)
        number = 0
        for batch in parquet.iter_batches(batch_size=_BATCH_ROWS):
            for row in pa.Table.from_batches([batch]).to_pylist():
                number += 1
                yield f"record {number}", row
    except (pa.ArrowException, OSError, ValueError) as error:
        yield "file", f"the Parquet file could not be read: {_first_line(error)}"


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0][:200] if text else type(error).__name__
