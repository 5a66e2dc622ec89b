"""Reading a package at the hub: no key needed, nothing trusted.

The zip must hold exactly the three members, none encrypted, within a size cap checked both
against the sizes the zip declares and against the bytes actually inflated (a zip bomb can lie
about the first). The manifest's member digests are recomputed, its counts recounted, and both
tables checked column by column (`seen.encode.tables`). Every problem is collected, then raised
together as one InvalidInput.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from seen.encode.manifest import PackageManifest, parse_manifest
from seen.encode.problems import PackageProblems
from seen.encode.schema import EVENTS_MEMBER, MANIFEST_MEMBER, MEMBERS, RECORDS_MEMBER
from seen.encode.tables import check_events, check_records
from seen.errors import InvalidInput

MAX_TOTAL_BYTES = 2 * 1024**3  # uncompressed, all members together
MAX_MANIFEST_BYTES = 1024**2
_ALLOWED_COMPRESSION = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_READ_BLOCK = 1 << 20


@dataclass(frozen=True, slots=True)
class Package:
    """A checked package: its manifest and its two tables, in the schemas of docs/encoding.md."""

    manifest: PackageManifest
    records: pa.Table
    events: pa.Table


def read_package(path: Path) -> Package:
    """Read and check a package; InvalidInput lists every problem found."""
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise InvalidInput(f"the package {name} does not exist or is not a file")
    problems = PackageProblems(name)
    members = _read_members(path, problems)
    manifest = records = events = None
    if MANIFEST_MEMBER in members:
        manifest, found = parse_manifest(members[MANIFEST_MEMBER], name)
        for problem in found:
            problems.add_problem(problem)
    if manifest is not None:
        for member in (RECORDS_MEMBER, EVENTS_MEMBER):
            if member in members:
                digest = hashlib.sha256(members[member]).hexdigest()
                if digest != manifest.members.get(member):
                    problems.add(
                        member,
                        "",
                        f"{member} does not match its SHA-256 in manifest.json: the package was "
                        "changed or damaged after it was written",
                    )
    record_ids: set[str] | None = None
    if RECORDS_MEMBER in members:
        table = _parquet(members[RECORDS_MEMBER], RECORDS_MEMBER, problems)
        if table is not None:
            records, record_ids = check_records(table, problems)
            _count(problems, manifest, RECORDS_MEMBER, "records", table.num_rows)
    if EVENTS_MEMBER in members:
        table = _parquet(members[EVENTS_MEMBER], EVENTS_MEMBER, problems)
        if table is not None:
            events = check_events(table, record_ids, problems)
            _count(problems, manifest, EVENTS_MEMBER, "events", table.num_rows)
    if len(problems) or manifest is None or records is None or events is None:
        count = max(len(problems), 1)
        raise InvalidInput(
            f"{name} is not a valid Seen package: {count:,} problem{'s' if count > 1 else ''} "
            "found; nothing was read",
            problems.listed(),
        )
    return Package(manifest, records, events)


def _read_members(path: Path, problems: PackageProblems) -> dict[str, bytes]:
    """The three members' bytes; zip-level problems recorded (or raised, when fatal)."""
    name = str(path)
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise InvalidInput(f"{name} is not a Seen package: {_not_zip(path)}") from None
    except OSError as error:
        raise InvalidInput(f"{name} could not be read: {error.strerror or error}") from None
    with archive:
        infos = archive.infolist()
        names = [info.filename for info in infos]
        for member in sorted(set(names)):
            if member not in MEMBERS:
                problems.add(
                    "zip",
                    member,
                    f"{member!r} is not a member of a package (a package holds only "
                    f"{', '.join(MEMBERS)})",
                )
            elif names.count(member) > 1:
                problems.add("zip", member, f"{member} appears more than once in the zip")
        for member in MEMBERS:
            if member not in names:
                problems.add("zip", member, f"the package has no {member}")
        chosen = [
            info for info in infos if info.filename in MEMBERS and names.count(info.filename) == 1
        ]
        declared = sum(info.file_size for info in chosen)
        if declared > MAX_TOTAL_BYTES:
            problems.add(
                "zip",
                "",
                f"the members would take {declared:,} bytes unpacked; a package may take at most "
                f"{MAX_TOTAL_BYTES:,}",
            )
            return {}
        members: dict[str, bytes] = {}
        for info in chosen:
            data = _read_member(archive, info, problems)
            if data is not None:
                members[info.filename] = data
        return members


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, problems: PackageProblems
) -> bytes | None:
    member = info.filename
    if info.flag_bits & 0x1:
        problems.add(member, "", f"{member} is encrypted; a package's members never are")
        return None
    if info.compress_type not in _ALLOWED_COMPRESSION:
        problems.add(member, "", f"{member} uses a compression method other than stored or deflate")
        return None
    limit = MAX_MANIFEST_BYTES if member == MANIFEST_MEMBER else info.file_size
    if info.file_size > limit:
        problems.add(member, "", f"{member} is larger than {limit:,} bytes")
        return None
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as handle:
            # Read no more than declared (plus a byte to catch a lie), whatever it inflates to.
            while size <= limit and (block := handle.read(min(_READ_BLOCK, limit + 1 - size))):
                chunks.append(block)
                size += len(block)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
        problems.add(member, "", f"{member} is damaged and cannot be unpacked ({error})")
        return None
    if size > limit:
        problems.add(member, "", f"{member} unpacks to more bytes than the zip declares")
        return None
    return b"".join(chunks)


def _parquet(data: bytes, member: str, problems: PackageProblems) -> pa.Table | None:
    try:
        return pq.read_table(pa.BufferReader(data))
    except (pa.ArrowException, OSError, ValueError) as error:
        problems.add(member, "", f"{member} is not a readable Parquet file ({_short(error)})")
        return None


def _count(
    problems: PackageProblems,
    manifest: PackageManifest | None,
    member: str,
    field: str,
    rows: int,
) -> None:
    stated = None if manifest is None else getattr(manifest, field)
    if stated is not None and stated != rows:
        problems.add(
            member, "", f"{member} has {rows:,} rows, but manifest.json says {field}: {stated:,}"
        )


def _not_zip(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            start = handle.read(4)
    except OSError:
        start = b""
    if start.startswith(b"PK"):
        return "the zip file is damaged or incomplete (was the copy cut short?)"
    return "it is not a zip file (a package is the .seenpkg file `seen encode` writes)"


def _short(error: Exception) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text if len(text) <= 120 else text[:120] + "…"
