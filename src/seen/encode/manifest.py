"""`manifest.json`: what a package says about itself, written and checked field by field.

The hub trusts nothing in it that it can check: member digests are recomputed and record and
event counts recounted (see `seen.encode.reader`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from seen.domain.agencies import AgencyKind, agency_name_rule, valid_agency_name
from seen.domain.records import Problem
from seen.encode.schema import (
    BLOOM_M,
    BLOOM_WEIGHT,
    ENCODING,
    EVENTS_MEMBER,
    MANIFEST_MEMBER,
    PACKAGE_FORMAT,
    PACKAGE_VERSION,
    RECORDS_MEMBER,
)

_SHA256 = re.compile(r"[0-9a-f]{64}")
_FINGERPRINT = re.compile(r"[0-9a-f]{16}")
KEYS: Final = (
    "format",
    "version",
    "encoding",
    "agency",
    "agency_kind",
    "created",
    "key_fingerprint",
    "duplicate_free",
    "records",
    "events",
    "bloom",
    "members",
    "source_files",
)
SOURCE_FILE_KEYS: Final = ("name", "format", "sha256", "rows", "rejected_rows")


@dataclass(frozen=True, slots=True)
class BloomParameters:
    m: int = BLOOM_M
    weight: int = BLOOM_WEIGHT


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One extract file the package was encoded from (its name only, never its folder)."""

    name: str
    format: str
    sha256: str
    rows: int
    rejected_rows: int


@dataclass(frozen=True, slots=True)
class PackageManifest:
    agency: str
    agency_kind: AgencyKind
    created: dt.datetime  # UTC, whole seconds
    key_fingerprint: str
    duplicate_free: bool
    records: int
    events: int
    members: Mapping[str, str]  # member name -> SHA-256 of its bytes
    source_files: tuple[SourceFile, ...] = ()
    bloom: BloomParameters = field(default_factory=BloomParameters)
    format: str = PACKAGE_FORMAT
    version: int = PACKAGE_VERSION
    encoding: str = ENCODING

    def to_json(self) -> bytes:
        """The manifest as written: UTF-8 JSON, two-space indent, keys in the spec's order."""
        document = {
            "format": self.format,
            "version": self.version,
            "encoding": self.encoding,
            "agency": self.agency,
            "agency_kind": self.agency_kind.value,
            "created": format_created(self.created),
            "key_fingerprint": self.key_fingerprint,
            "duplicate_free": self.duplicate_free,
            "records": self.records,
            "events": self.events,
            "bloom": {"m": self.bloom.m, "weight": self.bloom.weight},
            "members": {name: self.members[name] for name in (RECORDS_MEMBER, EVENTS_MEMBER)},
            "source_files": [
                {key: getattr(source, key) for key in SOURCE_FILE_KEYS}
                for source in self.source_files
            ],
        }
        return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def format_created(created: dt.datetime) -> str:
    return utc_seconds(created).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_seconds(moment: dt.datetime) -> dt.datetime:
    """An aware UTC time in whole seconds (a naive time is taken to be UTC already)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).replace(microsecond=0)


class _Checker:
    """Reads the manifest's fields one by one, recording a Problem for each that is wrong."""

    def __init__(self, package: str) -> None:
        self.package = package
        self.problems: list[Problem] = []

    def fail(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.package, MANIFEST_MEMBER, key, message))

    def exact(self, document: Mapping[str, Any], key: str, expected: object) -> None:
        value = document.get(key)
        if value != expected or type(value) is not type(expected):
            self.fail(key, f"{key} is {_show(value)}; this reader understands {_show(expected)}")

    def count(self, document: Mapping[str, Any], key: str, where: str = "") -> int:
        value = document.get(key)
        if type(value) is not int or value < 0:
            self.fail(where + key, f"{where + key} must be a whole number of zero or more")
            return 0
        return value

    def text(
        self, document: Mapping[str, Any], key: str, pattern: re.Pattern[str], what: str
    ) -> str:
        value = document.get(key)
        if not isinstance(value, str) or not pattern.fullmatch(value):
            self.fail(key, f"{key} must be {what}")
            return ""
        return value


def parse_manifest(data: bytes, package: str) -> tuple[PackageManifest | None, list[Problem]]:
    """The manifest, or None, and every problem found in it."""
    check = _Checker(package)
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        check.fail("", "manifest.json is not UTF-8 JSON")
        return None, check.problems
    if not isinstance(document, dict):
        check.fail("", "manifest.json must hold a JSON object")
        return None, check.problems
    for key in document:
        if key not in KEYS:
            check.fail(key, f"{key!r} is not a manifest field (expected {', '.join(KEYS)})")
    for key in KEYS:
        if key not in document:
            check.fail(key, f"the manifest has no {key}")
    check.exact(document, "format", PACKAGE_FORMAT)
    check.exact(document, "version", PACKAGE_VERSION)
    check.exact(document, "encoding", ENCODING)
    check.exact(document, "bloom", {"m": BLOOM_M, "weight": BLOOM_WEIGHT})
    agency = document.get("agency")
    if not isinstance(agency, str) or not valid_agency_name(agency):
        check.fail("agency", agency_name_rule(str(agency)))
    kind = None
    try:
        kind = AgencyKind(str(document.get("agency_kind")))
    except ValueError:
        known = ", ".join(kind.value for kind in AgencyKind)
        check.fail("agency_kind", f"agency_kind must be one of {known}")
    created = _created(check, document.get("created"))
    fingerprint = check.text(document, "key_fingerprint", _FINGERPRINT, "16 lower-case hex digits")
    duplicate_free = document.get("duplicate_free")
    if not isinstance(duplicate_free, bool):
        check.fail("duplicate_free", "duplicate_free must be true or false")
    records = check.count(document, "records")
    events = check.count(document, "events")
    members = _members(check, document.get("members"))
    sources = _source_files(check, document.get("source_files"))
    if check.problems or kind is None or created is None or not isinstance(agency, str):
        return None, check.problems
    manifest = PackageManifest(
        agency=agency,
        agency_kind=kind,
        created=created,
        key_fingerprint=fingerprint,
        duplicate_free=bool(duplicate_free),
        records=records,
        events=events,
        members=members,
        source_files=sources,
    )
    return manifest, check.problems


def _created(check: _Checker, value: object) -> dt.datetime | None:
    if isinstance(value, str):
        try:
            created = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            created = None
        if created is not None and created.tzinfo is not None:
            return utc_seconds(created)
    check.fail("created", "created must be an ISO 8601 time with its time zone (…Z)")
    return None


def _members(check: _Checker, value: object) -> dict[str, str]:
    expected = (RECORDS_MEMBER, EVENTS_MEMBER)
    if not isinstance(value, dict) or sorted(value) != sorted(expected):
        check.fail("members", f"members must give the SHA-256 of {' and '.join(expected)}")
        return {}
    members: dict[str, str] = {}
    for name in expected:
        digest = value[name]
        if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
            check.fail(f"members.{name}", "a member digest is 64 lower-case hex digits")
        else:
            members[name] = digest
    return members


def _source_files(check: _Checker, value: object) -> tuple[SourceFile, ...]:
    if not isinstance(value, list):
        check.fail("source_files", "source_files must be a list")
        return ()
    sources: list[SourceFile] = []
    for index, item in enumerate(value):
        where = f"source_files[{index}]."
        if not isinstance(item, dict) or sorted(item) != sorted(SOURCE_FILE_KEYS):
            check.fail(where[:-1], f"each source file has exactly {', '.join(SOURCE_FILE_KEYS)}")
            continue
        name, fmt, digest = item["name"], item["format"], item["sha256"]
        if not isinstance(name, str) or not name or "/" in name or "\\" in name:
            check.fail(where + "name", "a source file is named without its folder")
        if not isinstance(fmt, str) or not fmt:
            check.fail(where + "format", "a source file's format is a name such as persons")
        if not isinstance(digest, str) or (digest and not _SHA256.fullmatch(digest)):
            check.fail(where + "sha256", "a source file's sha256 is 64 lower-case hex digits")
        rows = check.count(item, "rows", where)
        rejected = check.count(item, "rejected_rows", where)
        sources.append(SourceFile(str(name), str(fmt), str(digest), rows, rejected))
    return tuple(sources)


def _show(value: object) -> str:
    text = json.dumps(value) if value is not None else "missing"
    return text if len(text) <= 60 else text[:60] + "…"
