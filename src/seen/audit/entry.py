"""Audit entries: what the log records, as canonical JSON with pseudonymous references only.

An entry names who acted, on what, why and with what outcome, only by ids and terms: a
practitioner id, a person id from linkage, an agency's name and record reference, DPV or
local purpose and lawful-basis terms, policy ids and reason codes. It never holds a name, a
date of birth, an address, an identifier number or free text. The schema is fixed: every
key has a pattern its value must match (no spaces, so no names or addresses), and every
value is screened for shapes of personal data (dates, NHS and CHI numbers that pass their
check digit, UPNs that pass their check letter). A break-glass justification, which is
free text, is held elsewhere; the entry keeps its SHA-256 digest, which binds it.

docs/audit.md lists the schema; `AuditEntry.document(index)` gives the JSON that is hashed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any, Final

from seen.audit.canonical import canonical_json
from seen.domain.identifiers import is_valid_chi_number, is_valid_nhs_number, is_valid_upn
from seen.domain.sharing import Choice
from seen.errors import InvalidInput

SCHEMA_VERSION: Final = 1


class EntryKind(StrEnum):
    DECISION = "decision"  # a policy decision on a request: allow, deny or pending
    BREAK_GLASS = "break_glass"  # a practitioner invoked break-glass for a request
    APPROVAL = "approval"  # an originator or the young person approved a pending request
    REFUSAL = "refusal"  # ... or refused it
    PREFERENCE_CHANGE = "preference_change"  # a young person's sharing preference changed
    CONTEST_OPENED = "contest_opened"  # a young person said a record about them is wrong
    CONTEST_ANSWERED = "contest_answered"  # the holding agency answered: agreed or disagreed
    # A DPO or the administrator reviewed a break-glass request: ids and an outcome code
    # (review_appropriate, review_not_appropriate); their notes stay with the review.
    BREAK_GLASS_REVIEW = "break_glass_review"
    # A practitioner opened a child's page: which agencies hold records about the child.
    INVOLVEMENT_VIEW = "involvement_view"
    # A practitioner recorded the decision they took after a chronology (reasons: its code),
    # and later its outcome (reasons: the outcome's code). Their written reasons stay in the
    # hub's case_decisions table, never here.
    CASE_DECISION = "case_decision"
    CASE_OUTCOME = "case_outcome"
    # A DPO or the administrator looked, for their governance work, at something about a
    # child or a request: the break-glass review queue or one request in it (whose
    # justification is about the child), or an audit entry's inclusion proof (the entry
    # names whom it is about). Ids and a code saying what was looked at
    # (seen.audit.entry.REVIEW_VIEW_CODES); the text they read stays where it is.
    REVIEW_VIEW = "review_view"
    # Early identification (docs/identify.md, "Review and tracking"). A practitioner of the
    # agency a prompt is for looked at it: a prompt's evidence is derived from other
    # agencies' records about the child, so each look is a read. `request` is the prompt
    # (`prompt-<id>`), `reasons` what was looked at (PROMPT_VIEW_CODES).
    PROMPT_VIEW = "prompt_view"
    # A reviewer's decision on a prompt (reasons: the decision's code and the need), and later
    # its outcome (reasons: the outcome's code and the need). Their written reason and note
    # stay in the hub's identify_decisions table, never here.
    PROMPT_DECISION = "prompt_decision"
    PROMPT_OUTCOME = "prompt_outcome"


class Outcome(StrEnum):
    ALLOW = "allow"
    DENY = "deny"
    PENDING = "pending"


class PendingOn(StrEnum):
    YOUNG_PERSON = "young_person"
    ORIGINATOR = "originator"


# A young person's sharing choice: the domain's own vocabulary, not a copy of it.
Preference = Choice


# Patterns: no spaces (so no names or addresses), no '@' (so no e-mail addresses).
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$")
_TERM = re.compile(r"^[A-Za-z][A-Za-z0-9._:/-]{0,99}$")
_CODE = re.compile(r"^[a-z][a-z0-9_.:-]{0,63}$")
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")
_DATE_SHAPES = (
    re.compile(r"(?<!\d)(\d{4})[-/.]?(\d{2})[-/.]?(\d{2})(?!\d)"),  # 2012-03-04, 20120304
    re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})(?!\d)"),  # 4/3/2012
)
_DIGIT_RUN = re.compile(r"\d+")
# Anything the checks below could find matches this; most values do not, so they stop here.
_SUSPECT = re.compile(
    r"\d{4}[-/.]?\d{2}[-/.]?\d{2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2}|\d{10}|[A-Za-z]\d{11}"
)
_UPN_SHAPE = re.compile(r"[A-Za-z]\d{11}[0-9A-Za-z]")
MAX_LIST: Final = 64
_ENCODE: Final = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
).encode

# field -> (pattern or enum, is a list). Every key an entry can hold is here.
_RULES: Final[Mapping[str, tuple[re.Pattern[str] | type[StrEnum] | type[bool], bool]]] = {
    "actor": (_ID, False),
    "actor_agency": (_ID, False),
    "person": (_ID, False),
    "record_agency": (_ID, False),
    "record_ref": (_ID, False),
    "request": (_ID, False),
    "recipient_agency": (_ID, False),
    "recipient_kind": (_TERM, False),
    "category": (_TERM, False),
    "purpose": (_TERM, False),
    "lawful_basis": (_TERM, False),
    "decision": (Outcome, False),
    "pending_on": (PendingOn, False),
    "preference": (Preference, False),
    "break_glass": (bool, False),
    "justification_sha256": (_DIGEST, False),
    "policies": (_TERM, True),
    "reasons": (_CODE, True),
}

_ENUM_VALUES: Final = {
    name: tuple(str(member) for member in rule)
    for name, (rule, _) in _RULES.items()
    if isinstance(rule, type) and issubclass(rule, StrEnum)
}

REQUIRED: Final[Mapping[EntryKind, tuple[str, ...]]] = {
    EntryKind.DECISION: (
        "actor", "request", "record_agency", "record_ref", "purpose", "lawful_basis",
        "decision", "policies", "reasons",
    ),
    EntryKind.BREAK_GLASS: (
        "actor", "actor_agency", "request", "record_agency", "record_ref", "purpose",
        "lawful_basis", "justification_sha256",
    ),
    EntryKind.APPROVAL: ("actor", "request"),
    EntryKind.REFUSAL: ("actor", "request", "reasons"),
    EntryKind.PREFERENCE_CHANGE: ("actor", "person", "category", "recipient_kind", "preference"),
    EntryKind.CONTEST_OPENED: ("actor", "person", "request", "record_agency", "record_ref"),
    EntryKind.CONTEST_ANSWERED: (
        "actor", "actor_agency", "person", "request", "record_agency", "record_ref", "reasons",
    ),
    EntryKind.BREAK_GLASS_REVIEW: ("actor", "request", "reasons"),
    EntryKind.INVOLVEMENT_VIEW: ("actor", "actor_agency", "person"),
    EntryKind.CASE_DECISION: ("actor", "actor_agency", "person", "request", "reasons"),
    EntryKind.CASE_OUTCOME: ("actor", "actor_agency", "person", "request", "reasons"),
    EntryKind.REVIEW_VIEW: ("actor", "reasons"),
    EntryKind.PROMPT_VIEW: ("actor", "actor_agency", "person", "request", "reasons"),
    EntryKind.PROMPT_DECISION: ("actor", "actor_agency", "person", "request", "reasons"),
    EntryKind.PROMPT_OUTCOME: ("actor", "actor_agency", "person", "request", "reasons"),
}  # fmt: skip

# What a review_view entry's reasons say was looked at.
REVIEW_VIEW_CODES: Final = frozenset({"break_glass_queue", "break_glass_request", "audit_proof"})
# What a prompt_view entry's reasons say was looked at: a prompt listed in the review queue,
# one prompt with its evidence, or the form for a decision's outcome.
PROMPT_VIEW_CODES: Final = frozenset({"prompt_queue", "prompt", "prompt_outcome_form"})
_VIEW_CODES: Final = {
    EntryKind.REVIEW_VIEW: REVIEW_VIEW_CODES,
    EntryKind.PROMPT_VIEW: PROMPT_VIEW_CODES,
}


def prompt_ref(prompt_id: int) -> str:
    """A prompt named in an entry's `request`, `prompt-<id>`, its digits grouped in threes
    like `audit_entry_ref` so that no id reads as a date or an NHS number."""
    return f"prompt-{prompt_id:_}"


def audit_entry_ref(index: int) -> str:
    """An audit entry named in another entry's record_ref, `audit-entry-<index>`, its digits
    grouped in threes (`audit-entry-20_120_304`) so that no index reads as a date or an NHS
    number to the personal-data screen and is refused."""
    return f"audit-entry-{index:_}"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One thing to record. Construction validates the whole entry and raises InvalidInput
    listing every problem, so an entry that exists is one the log can hold.

    `at` is when it happened (timezone-aware); the log adds its index and its own time.
    """

    kind: EntryKind
    at: dt.datetime
    actor: str
    actor_agency: str | None = None
    person: str | None = None
    record_agency: str | None = None
    record_ref: str | None = None
    request: str | None = None
    recipient_agency: str | None = None
    recipient_kind: str | None = None
    category: str | None = None
    purpose: str | None = None
    lawful_basis: str | None = None
    decision: Outcome | None = None
    pending_on: PendingOn | None = None
    preference: Preference | None = None
    break_glass: bool | None = None
    justification_sha256: str | None = None
    policies: tuple[str, ...] | None = None
    reasons: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        for name in ("policies", "reasons"):
            value = getattr(self, name)
            if isinstance(value, list):
                object.__setattr__(self, name, tuple(value))
        problems = _problems(self.kind, self.at, self._fields())
        if problems:
            raise InvalidInput("the audit entry was not recorded: " + "; ".join(problems))

    def _fields(self) -> dict[str, Any]:
        values = {name: getattr(self, name) for name in _RULES}
        return {name: value for name, value in values.items() if value is not None}

    def document(self, index: int) -> dict[str, Any]:
        """The JSON object the log stores at `index` (its canonical bytes are hashed)."""
        body: dict[str, Any] = {"v": SCHEMA_VERSION, "index": index, "kind": self.kind.value}
        body["at"] = format_time(self.at)
        for name in _RULES:
            value = getattr(self, name)
            if value is not None:
                body[name] = list(value) if isinstance(value, tuple) else value
        return body

    def canonical(self, index: int) -> bytes:
        # Validated at construction, so only types canonical_json accepts are here: the
        # encoder is called directly, without canonical_json's walk over the values.
        return _ENCODE(self.document(index)).encode("utf-8")

    def canonical_around_index(self) -> tuple[bytes, bytes]:
        """(before, after): the canonical bytes at any index `i` are `before + str(i) + after`,
        so that the entry can be written before its index is known (seen.audit.log)."""
        body = self.document(0)
        del body["index"]
        # Keys are sorted and nothing separates them but "," and ":", so the object is the
        # keys before "index", then "index", then the keys after it, each encoded alone.
        head = _ENCODE({k: v for k, v in body.items() if k < "index"})
        tail = _ENCODE({k: v for k, v in body.items() if k > "index"})
        before = head[:-1] + ("," if head != "{}" else "") + '"index":'
        after = "," + tail[1:] if tail != "{}" else "}"
        return before.encode("utf-8"), after.encode("utf-8")


def format_time(at: dt.datetime) -> str:
    if at.tzinfo is None:
        raise InvalidInput("audit times must be timezone-aware")
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_document(data: bytes) -> dict[str, Any]:
    """Check stored bytes are an entry as this module writes them, and return the object.

    Raises ValueError saying what is wrong: not JSON, not canonical, or not the schema.
    """
    try:
        body = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError("it is not JSON") from exc
    if not isinstance(body, dict):
        raise ValueError("it is not a JSON object")
    if canonical_json(body) != data:
        raise ValueError("it is not in canonical form")
    if body.get("v") != SCHEMA_VERSION:
        raise ValueError(f"schema version {body.get('v')!r} is not {SCHEMA_VERSION}")
    index = body.get("index")
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise ValueError("it has no index")
    try:
        kind = EntryKind(str(body.get("kind")))
    except ValueError:
        raise ValueError(f"kind {body.get('kind')!r} is not one of the entry kinds") from None
    at = body.get("at")
    if not isinstance(at, str) or not _TIME.match(at):
        raise ValueError("its time is not a UTC timestamp")
    rest = {k: v for k, v in body.items() if k not in {"v", "index", "kind", "at"}}
    problems = _problems(kind, None, rest)
    if problems:
        raise ValueError("; ".join(problems))
    return body


def _problems(kind: Any, at: dt.datetime | None, values: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    if not isinstance(kind, EntryKind):
        return [f"kind {kind!r} is not one of {', '.join(k.value for k in EntryKind)}"]
    if at is not None and (not isinstance(at, dt.datetime) or at.tzinfo is None):
        problems.append("at must be a timezone-aware date and time")
    for name, value in values.items():
        rule = _RULES.get(name)
        if rule is None:
            problems.append(f"{name} is not a field of an audit entry")
            continue
        problems.extend(_value_problems(name, value, *rule))
    missing = [name for name in REQUIRED[kind] if name not in values]
    if missing:
        problems.append(f"a {kind.value} entry needs {', '.join(missing)}")
    looked_at = values.get("reasons")
    codes = _VIEW_CODES.get(kind)
    if (
        codes is not None
        and isinstance(looked_at, list | tuple)
        and not (looked_at and {str(code) for code in looked_at} <= codes)
    ):
        problems.append(f"a {kind.value} entry's reasons are {', '.join(sorted(codes))}")
    decision = values.get("decision")
    if decision == Outcome.PENDING and "pending_on" not in values:
        problems.append("a pending decision needs pending_on (young_person or originator)")
    if "pending_on" in values and decision != Outcome.PENDING:
        problems.append("pending_on belongs only to a pending decision")
    return problems


def _value_problems(
    name: str, value: Any, rule: re.Pattern[str] | type[StrEnum] | type[bool], is_list: bool
) -> list[str]:
    if is_list:
        if not isinstance(value, list | tuple):
            return [f"{name} must be a list"]
        if len(value) > MAX_LIST:
            return [f"{name} holds at most {MAX_LIST} items"]
        found: list[str] = []
        for item in value:
            found.extend(_value_problems(name, item, rule, False))
        return found
    if rule is bool:
        return [] if isinstance(value, bool) else [f"{name} must be true or false"]
    if not isinstance(value, str):
        return [f"{name} must be text"]
    problem = _text_problem(name, str(value))
    return [] if problem is None else [problem]


@lru_cache(maxsize=1 << 16)
def _text_problem(name: str, value: str) -> str | None:
    # Cached: agencies, actors, purposes and policy ids recur in entry after entry.
    rule = _RULES[name][0]
    if isinstance(rule, type):
        allowed = _ENUM_VALUES[name]
        return None if value in allowed else f"{name} must be one of {', '.join(allowed)}"
    assert isinstance(rule, re.Pattern)
    if not rule.match(value):
        return f"{name} {_shown(value)} is not an id, term or code (no spaces or '@')"
    personal = personal_data_shape(value)
    return f"{name} looks like {personal}, which the audit log never holds" if personal else None


def personal_data_shape(value: str) -> str | None:
    """What personal data `value` looks like (a date, an NHS or CHI number, a UPN), or None."""
    if not _SUSPECT.search(value):
        return None  # one pass settles most ids: no date, 10-digit run or UPN shape at all
    for shape in _DATE_SHAPES:
        for found in shape.finditer(value):
            if _plausible_date(found.groups()):
                return "a date"
    for run in _DIGIT_RUN.findall(value):
        if len(run) == 10 and (is_valid_nhs_number(run) or is_valid_chi_number(run)):
            return "an NHS or CHI number"
    for candidate in _UPN_SHAPE.findall(value):
        if is_valid_upn(candidate):
            return "a UPN"
    return None


def _plausible_date(parts: Sequence[str]) -> bool:
    numbers = [int(p) for p in parts]
    if len(parts[0]) == 4:  # year first
        year, month, day = numbers
    else:
        day, month, year = numbers
        if len(parts[2]) == 2:
            year += 2000
    if not 1 <= month <= 12 and 1 <= day <= 12:
        day, month = month, day  # US order
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= 2100


def _shown(value: str) -> str:
    # Echo a bad value only in part: it may be the personal data it is refused for.
    return repr(value[:3] + "...") if len(value) > 3 else "(a short value)"
