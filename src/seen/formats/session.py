"""Reading the rows of recognised files into one set of records, keeping or rejecting each.

A row (CSV) or child (XML) with any problem yields nothing and is listed as rejected. Beyond
its own fields, a row is checked against the rest of the extract:

- an identity index (SSDA903 header, persons, CIN, SSDA903 XML) names each person once;
- a row of an SSDA903 table must have its child in the header table, when that was read, and
  give the same date of birth;
- once a person's identity-index row is rejected, every row about them in any file is
  rejected too, with the reason "record X was rejected in FILE". The caller reads identity
  indexes first, then calls `drop_rejected_records` to withdraw rows already accepted.
"""

from __future__ import annotations

import datetime as dt

from seen.domain.records import Problem
from seen.formats.assemble import RecordBuilder
from seen.formats.csvfile import iter_rows, text_problem
from seen.formats.detect import describe_header
from seen.formats.files import InputFile
from seen.formats.spec import CsvFormat, Format, RowOutput, XmlFormat
from seen.formats.validate import MAX_RECORD_ID_LENGTH, RowCheck
from seen.formats.xmlfile import iter_units


class Session:
    def __init__(self, today: dt.date, *, keep_mistyped: bool = False) -> None:
        self.today = today
        self.keep_mistyped = keep_mistyped  # RowCheck: keep rows whose numbers fail a check
        self.builder = RecordBuilder()
        self.rejected_ids: dict[str, str] = {}  # record id -> file where its identity failed
        self.index_ids: dict[str, set[str]] = {}  # identity-index format -> ids it names
        self._index_files: dict[str, list[str]] = {}  # identity-index format -> file names
        self._files: dict[str, InputFile] = {}

    def read(self, file: InputFile, fmt: Format) -> None:
        self._files[file.shown] = file
        try:
            if isinstance(fmt, CsvFormat):
                self._read_csv(file, fmt)
            elif isinstance(fmt, XmlFormat):
                self._read_xml(file, fmt)
        except OSError as error:
            file.problem("file", "", f"the file could not be read: {error.strerror or error}")

    def _read_csv(self, file: InputFile, fmt: CsvFormat) -> None:
        assert file.detected is not None and fmt.read_row is not None
        header = file.detected.header
        canonical = {column.casefold(): column for column in fmt.columns}
        names = tuple(canonical.get(column.casefold(), column) for column in header)
        missing = [column for column in fmt.columns if column not in names]
        twice = sorted({column for column in names if column and names.count(column) > 1})
        for column in twice:
            file.problem(
                "row 1",
                column,
                f"the column {column} appears more than once in the header row; keep one",
            )
        for column in missing:
            file.problem(
                "row 1",
                column,
                f"the column {column} is missing; the header row has {describe_header(header)}",
            )
        if missing or twice:
            return
        self._index_files.setdefault(fmt.name, []).append(file.name)
        id_at = names.index(fmt.id_field)
        width = len(names)
        ck = RowCheck(file.shown, self.today, keep_mistyped=self.keep_mistyped)
        seen: dict[str, str] = {}
        for number, values in iter_rows(file.path):
            where = f"row {number}"
            if isinstance(values, str):
                file.rows += 1
                file.problem(where, "", values)
                file.reject(where, None, (values,))
                continue
            if not any(value.strip() for value in values):
                continue  # blank lines, and rows of empty cells a spreadsheet leaves behind
            file.rows += 1
            ck.start(where)
            output = None
            if len(values) < width or (
                len(values) > width and any(value.strip() for value in values[width:])
            ):
                ck.fail(
                    "",
                    f"row {number} has {len(values)} values but the header row has {width} columns",
                )
            elif (bad := text_problem(values, names, number)) is not None:
                ck.fail(*bad)
            else:
                output = fmt.read_row(dict(zip(names, values, strict=False)).get, ck)
            if ck.record_id is None and id_at < len(values):
                ck.record_id = _plausible_id(values[id_at])
            self._settle(file, fmt, ck, output, seen)
        if file.rows == 0:
            file.problem("file", "", "the file has a header row but no data rows")

    def _read_xml(self, file: InputFile, fmt: XmlFormat) -> None:
        assert fmt.read_unit is not None
        self._index_files.setdefault(fmt.name, []).append(file.name)
        ck = RowCheck(file.shown, self.today, keep_mistyped=self.keep_mistyped)
        seen: dict[str, str] = {}
        units = iter_units(file.path, fmt.container, fmt.unit, fmt.repeatable, file.problem)
        for unit in units:
            file.rows += 1
            ck.start(unit.path)
            for location, field, message in unit.problems:
                ck.problems.append(Problem(file.shown, location, field, message))
            output = fmt.read_unit(unit.element, unit.path, ck)
            self._settle(file, fmt, ck, output, seen)
        if file.rows == 0 and not len(file.sink):
            inside = "><".join(fmt.container)
            file.problem("file", "", f"the file has no <{fmt.unit}> elements inside <{inside}>")

    def _settle(
        self,
        file: InputFile,
        fmt: Format,
        ck: RowCheck,
        output: RowOutput | None,
        seen: dict[str, str],
    ) -> None:
        """Check a parsed row against the rest of the extract, then keep or reject it."""
        record_id = ck.record_id
        ck.location = ck.row_location
        if record_id is not None:
            if fmt.identity_index:
                self._check_once(fmt, ck, record_id, seen)
            elif isinstance(fmt, CsvFormat) and fmt.index_format and not ck.problems:
                self._check_in_index(fmt, ck, record_id, output)
        if ck.problems:
            file.sink.extend(ck.problems)
            reasons = tuple(p.message for p in ck.problems)
            file.reject(ck.row_location, record_id, reasons, only_mistyped=ck.only_mistyped)
            if fmt.identity_index and record_id is not None:
                self.rejected_ids.setdefault(record_id, file.name)
        elif record_id is not None and record_id in self.rejected_ids:
            reason = f"record {record_id} was rejected in {self.rejected_ids[record_id]}"
            file.reject(ck.row_location, record_id, (reason,))
        elif output is not None and output.creates_record:
            origin = (file.shown, ck.row_location) if fmt.identity_index else None
            self.builder.add(output, origin)
            if ck.mistyped:
                file.keep(ck.row_location, record_id, tuple(p.message for p in ck.mistyped))

    def _check_once(self, fmt: Format, ck: RowCheck, record_id: str, seen: dict[str, str]) -> None:
        self.index_ids.setdefault(fmt.name, set()).add(record_id)
        first = seen.setdefault(record_id, ck.row_location)
        if first != ck.row_location:
            ck.fail(
                fmt.id_field,
                f"{fmt.id_field} {record_id} appears more than once in this "
                f"file (first at {first}); each person must appear once",
            )

    def _check_in_index(
        self, fmt: CsvFormat, ck: RowCheck, record_id: str, output: RowOutput | None
    ) -> None:
        assert fmt.index_format is not None
        ids = self.index_ids.get(fmt.index_format)
        if ids is None:
            return
        if record_id not in ids:
            where = ", ".join(self._index_files.get(fmt.index_format, []))
            ck.fail(
                fmt.id_field,
                f"{fmt.id_field} {record_id} has no row in the header table "
                f"({where}); add the child there or remove this row",
            )
            return
        record = self.builder.records.get(record_id)
        if output is None or output.identity is None or record is None:
            return
        known, given = record.identity.date_of_birth, output.identity.date_of_birth
        if known is not None and given is not None and known != given:
            ck.fail(
                "DOB",
                f"DOB {fmt.dates.format(given)} differs from the date of birth "
                f"{fmt.dates.format(known)} already read for {fmt.id_field} {record_id}",
            )

    def drop_rejected_records(self) -> None:
        """Withdraw identity-index rows already accepted for people rejected elsewhere."""
        for record_id, where in self.rejected_ids.items():
            reason = f"record {record_id} was rejected in {where}"
            for shown, location in self.builder.drop(record_id):
                self._files[shown].reject(location, record_id, (reason,))


def _plausible_id(raw: str) -> str | None:
    """A row's id for the rejects report when the row could not be parsed."""
    text = raw.strip()
    if text and len(text) <= MAX_RECORD_ID_LENGTH and text.isprintable():
        return text
    return None
