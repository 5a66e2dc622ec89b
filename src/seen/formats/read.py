"""`read_extract`: an agency's files in, canonical records and every problem out.

Rules, in the order they apply:

1. Folders give their .csv and .xml files (sorted by name, not recursing); other files in a
   folder, such as a LICENSE, are listed in `Extract.files` with format "skipped". A file is
   recognised by its content, never its name; one that is not is a problem.
2. An extract comes from one agency. Its kind is that of the first recognised file; a file
   implying another kind (say a police file among children's services files) is a problem
   and is not read.
3. Identity indexes (SSDA903 header, persons.csv, CIN census, SSDA903 XML) are read first,
   then the other files, each in the order given.
4. A row (CSV) or child (XML) with any problem yields no record and no events, and is listed
   in `Extract.rejected` with its reasons. With `keep_mistyped`, an NHS number or UPN that
   fails only its check digit is no problem: the row is kept with the number, and listed in
   `Extract.kept` (docs/formats.md, "Mistyped NHS numbers and UPNs").
5. When a person's row in an identity index is rejected, their rows in every other file are
   rejected too, with the reason "record X was rejected in FILE", so that no events are held
   for someone whose identity the agency has not given correctly.
6. Each file keeps its first 1,000 problems and 10,000 rejected rows; the rest are counted
   (`Extract.problems_not_listed`, `FileReport.rejected_rows`) so memory stays bounded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from seen.domain.agencies import AgencyKind
from seen.formats.detect import detect
from seen.formats.extract import Extract, FileReport
from seen.formats.files import InputFile, expand
from seen.formats.lookup import DeprivationLookup
from seen.formats.session import Session
from seen.formats.spec import Format


def read_extract(
    paths: Sequence[Path],
    lookup: DeprivationLookup | None = None,
    *,
    today: dt.date | None = None,
    keep_mistyped: bool = False,
) -> Extract:
    """Read an agency's extract files (or folders of them) into records and problems.

    `today` is the date future dates of birth are judged against (the real date by default).
    `keep_mistyped` keeps a row whose NHS number or UPN fails its check (`RowCheck`).
    Raises InvalidInput only when a path does not exist or none is given; everything wrong
    with the files themselves is reported in the result.
    """
    files, folder_problems = expand(paths)
    for file in files:
        if not file.skipped:
            try:
                file.detected = detect(file.path)
            except OSError as error:
                file.problem("file", "", f"the file could not be read: {error.strerror or error}")
    kind, chosen = _agency_kind(files)
    session = Session(today or dt.date.today(), keep_mistyped=keep_mistyped)
    identity_first = sorted(chosen, key=lambda pair: not pair[1].identity_index)
    indexes_done = False
    for file, fmt in identity_first:
        if not fmt.identity_index and not indexes_done:
            session.drop_rejected_records()
            indexes_done = True
        session.read(file, fmt)
    if not indexes_done:
        session.drop_rejected_records()
    extract = Extract(agency_kind=kind, records=session.builder.finish(lookup))
    extract.problems.extend(folder_problems)
    for file in files:
        add_file(extract, file)
    return extract


def add_file(extract: Extract, file: InputFile, report: FileReport | None = None) -> None:
    """What reading `file` found, added to `extract`, whose records are final; `report`
    replaces the file's own (a reader that names its formats itself)."""
    extract.problems.extend(file.sink.kept)
    extract.problems_not_listed += file.sink.not_listed
    extract.rejected.extend(file.rejected)
    extract.rejected_mistyped += file.rejected_mistyped
    # A row kept with a mistyped number whose record was then rejected elsewhere (rule 5)
    # is listed as rejected, not kept.
    extract.kept.extend(row for row in file.kept if row.record_id in extract.records)
    extract.files.append(report or file.report())


def _agency_kind(
    files: list[InputFile],
) -> tuple[AgencyKind | None, list[tuple[InputFile, Format]]]:
    """The extract's agency kind, and the files to read (those of that kind), in order."""
    kind: AgencyKind | None = None
    first = ""
    chosen: list[tuple[InputFile, Format]] = []
    for file in files:
        if file.detected is None:
            continue
        fmt = file.detected.format
        if fmt is None:
            if file.detected.problem:
                file.problem(file.detected.location, "", file.detected.problem)
            continue
        if kind is None:
            kind, first = fmt.agency_kind, file.name
        if fmt.agency_kind is not kind:
            file.problem(
                "file",
                "",
                f"this is a {fmt.label} file ({fmt.agency_kind.label}), but this extract is from "
                f"{kind.label} ({first}); read each agency's files separately",
            )
            continue
        chosen.append((file, fmt))
    return kind, chosen
