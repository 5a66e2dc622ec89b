"""Writing files byte-for-byte reproducibly: UTF-8 without a byte-order mark, `\\n` line ends,
minimal CSV quoting, and a manifest of every file with its row count and SHA-256."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from seen.synth.rates import Ints

_SPECIAL = (",", '"', "\n", "\r")


def _quote(value: str) -> str:
    if any(ch in value for ch in _SPECIAL):
        return '"' + value.replace('"', '""') + '"'
    return value


def csv_column(values: Sequence[Any]) -> list[str]:
    """A column as CSV text fields: numbers as text, quoted only where RFC 4180 needs it."""
    texts = values if isinstance(values, list) and (not values or type(values[0]) is str) else None
    strings: list[str] = texts if texts is not None else [str(v) for v in values]
    joined = "\x00".join(strings)
    if any(ch in joined for ch in _SPECIAL):
        return [_quote(v) for v in strings]
    return strings


@dataclass(frozen=True)
class Fragment:
    """Several adjacent columns already joined into CSV text, one entry per row: a record's
    fields are joined once per record, not once per row."""

    values: list[str]
    width: int

    @classmethod
    def of(cls, columns: Sequence[Sequence[Any]]) -> Fragment:
        texts = [csv_column(c) for c in columns]
        return cls(list(map(",".join, zip(*texts, strict=True))), len(columns))

    def take(self, index: Ints) -> Fragment:
        values = np.array(self.values, dtype=object)[index].tolist() if len(self.values) else []
        return Fragment(values, self.width)


@dataclass(frozen=True)
class WrittenFile:
    path: str  # relative to the output folder, with forward slashes
    rows: int  # data rows (CSV) or children (CIN XML)


@dataclass
class Output:
    """The output folder, the files written to it and every agency record in them."""

    root: Path
    files: list[WrittenFile] = field(default_factory=list)
    # (agency, file name, record ids, truth person index of each id)
    records: list[tuple[str, str, list[str], list[int]]] = field(default_factory=list)

    def csv(
        self, relative: str, header: Sequence[str], columns: Sequence[Sequence[Any] | Fragment]
    ) -> int:
        """Write a CSV file from its columns (a Fragment stands for several)."""
        texts = [c.values if isinstance(c, Fragment) else csv_column(c) for c in columns]
        width = sum(c.width if isinstance(c, Fragment) else 1 for c in columns)
        rows = len(texts[0]) if texts else 0
        if any(len(t) != rows for t in texts) or width != len(header):
            raise ValueError(f"{relative}: columns do not match the header")
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = map(",".join, zip(*texts, strict=True))
        with path.open("wb") as fh:
            fh.write((",".join(csv_column(list(header))) + "\n").encode("utf-8"))
            # In blocks, so a million rows never sit in memory as one string.
            while block := list(itertools.islice(lines, 100_000)):
                fh.write(("\n".join(block) + "\n").encode("utf-8"))
        self.files.append(WrittenFile(relative, rows))
        return rows

    def text(self, relative: str, text: str, rows: int) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        self.files.append(WrittenFile(relative, rows))

    def register(self, agency: str, file: str, ids: Sequence[str], person: Ints) -> None:
        """Note the agency records in a file: each distinct id once, with its person."""
        id_array = np.asarray(ids, dtype=object)
        if len(id_array) == 0:
            self.records.append((agency, file, [], []))
            return
        unique, first = np.unique(id_array.astype(str), return_index=True)
        self.records.append((agency, file, unique.tolist(), person[first].tolist()))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(out: Output, header: dict[str, Any]) -> Path:
    """manifest.json: the header given, then every file written, sorted by path."""
    listing = [
        {"path": f.path, "rows": f.rows, "sha256": sha256_of(out.root / f.path)}
        for f in sorted(out.files, key=lambda f: f.path)
    ]
    document = {**header, "files": listing}
    path = out.root / "manifest.json"
    path.write_bytes((json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return path
