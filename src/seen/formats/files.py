"""The files of an extract: folders expanded, each file with what is learnt while reading it."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from seen.domain.records import Problem
from seen.errors import InvalidInput
from seen.formats.detect import Detected
from seen.formats.extract import FileReport, KeptRow, RejectedRow
from seen.formats.problems import ProblemSink

READ_SUFFIXES = frozenset({".csv", ".xml"})
SKIPPED = "skipped"
UNRECOGNISED = "unrecognised"
# Rejected rows listed per file; FileReport.rejected_rows still counts them all.
MAX_REJECTED_LISTED = 100_000


@dataclass(slots=True)
class InputFile:
    path: Path
    shown: str  # the path as the user gave it (or the folder as given, joined to the name)
    skipped: bool = False
    detected: Detected | None = None
    sink: ProblemSink = field(default_factory=ProblemSink)
    rows: int = 0
    rejected_rows: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    rejected_mistyped: int = 0  # of rejected_rows, those whose only problems were mistyped numbers
    kept: list[KeptRow] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name

    def problem(self, location: str, field_name: str, message: str) -> None:
        self.sink.add(Problem(self.shown, location, field_name, message))

    def reject(
        self,
        location: str,
        record_id: str | None,
        reasons: tuple[str, ...],
        *,
        only_mistyped: bool = False,
    ) -> None:
        self.rejected_rows += 1
        self.rejected_mistyped += only_mistyped
        if len(self.rejected) < MAX_REJECTED_LISTED:
            self.rejected.append(RejectedRow(self.shown, location, record_id, reasons))

    def keep(self, location: str, record_id: str | None, reasons: tuple[str, ...]) -> None:
        """A row kept with a mistyped number (listed like rejected rows, and as many)."""
        if len(self.kept) < MAX_REJECTED_LISTED:
            self.kept.append(KeptRow(self.shown, location, record_id, reasons))

    def report(self) -> FileReport:
        if self.skipped:
            fmt = SKIPPED
        elif self.detected is None or self.detected.format is None:
            fmt = UNRECOGNISED
        else:
            fmt = self.detected.format.name
        return FileReport(self.shown, fmt, sha256_of(self.path), self.rows, self.rejected_rows)


def expand(paths: Sequence[Path | str]) -> tuple[list[InputFile], list[Problem]]:
    """Every file to consider, in order; folders give their .csv and .xml files, sorted.

    InvalidInput when a path does not exist: that is a mistake in the request, not the data.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    if not paths:
        raise InvalidInput("give at least one extract file or folder to read")
    missing = [str(path) for path in paths if not Path(path).exists()]
    if missing:
        raise InvalidInput(f"not found: {', '.join(missing)}")
    files: list[InputFile] = []
    problems: list[Problem] = []
    seen: set[Path] = set()

    def add(path: Path, shown: str, skipped: bool = False) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            files.append(InputFile(path, shown, skipped))

    for given in paths:
        path = Path(given)
        if not path.is_dir():
            add(path, str(given))
            continue
        entries = sorted((entry for entry in path.iterdir() if entry.is_file()), key=_name)
        readable = [entry for entry in entries if entry.suffix.lower() in READ_SUFFIXES]
        if not readable:
            problems.append(
                Problem(str(given), "folder", "", "the folder has no .csv or .xml files")
            )
        for entry in entries:
            add(entry, str(entry), skipped=entry not in readable)
    return files, problems


def _name(path: Path) -> str:
    return path.name


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()
