"""Field checks shared by every reader: one `RowCheck` per file, reset for each row.

Each check returns the parsed value, or None after recording a problem, so a reader can check
every field of a row and report them all at once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from functools import lru_cache

from seen.domain.demographics import DFE_ETHNICITY, NHS_ETHNIC_CATEGORY_TO_DFE, Sex
from seen.domain.events import Event, EventKind, event_problems
from seen.domain.identifiers import (
    is_mistyped_upn,
    is_valid_nhs_number,
    normalise_nhs_number,
    upn_problem,
)
from seen.domain.records import Problem
from seen.formats.dates import DateFormat
from seen.formats.problems import quote

MAX_VALUE_LENGTH = 200
MAX_RECORD_ID_LENGTH = 64

# SSDA903 and CIN write UN1-UN10 in place of a UPN the local authority does not know.
UPN_UNKNOWN_CODES = tuple(f"UN{n}" for n in range(1, 11))
NHS_ETHNICITY_NOT_KNOWN = "99"

SEX_MFU: Mapping[str, Sex] = {"M": Sex.MALE, "F": Sex.FEMALE, "U": Sex.UNKNOWN}
SEX_MF: Mapping[str, Sex] = {"M": Sex.MALE, "F": Sex.FEMALE}
SEX_SSDA903: Mapping[str, Sex] = {"1": Sex.MALE, "2": Sex.FEMALE}
# NHS person stated gender, also the CIN census GenderCurrent codes before 2024.
SEX_NHS: Mapping[str, Sex] = {"1": Sex.MALE, "2": Sex.FEMALE, "9": Sex.UNKNOWN, "0": Sex.UNKNOWN}

# The same pupil's UPN comes round once a term: check each distinct one once.
_upn_problem = lru_cache(maxsize=1 << 16)(upn_problem)
_POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})")


def normalise_postcode(raw: str) -> str | None:
    """`zx37ab` or ` ZX3  7AB ` as `ZX3 7AB`, or None if it is not shaped like a UK postcode."""
    match = _POSTCODE.fullmatch(" ".join(raw.upper().split()))
    return f"{match[1]} {match[2]}" if match else None


def _allowed(codes: Collection[str]) -> str:
    return ", ".join(codes)


class RowCheck:
    """Collects the problems of one row (CSV) or one child (XML) while parsing its fields.

    An NHS number or UPN that is shaped right but fails its check digit is a typo, not a
    different kind of value. By default it is a problem like any other. With
    `keep_mistyped`, the row keeps it instead (the encoder then gives it a near set, which
    compares it within one typo, and no exact token), and `mistyped` says so: a child's
    record is not lost over one mistyped character."""

    __slots__ = (
        "file",
        "keep_mistyped",
        "location",
        "mistyped",
        "problems",
        "record_id",
        "row_location",
        "today",
    )

    def __init__(self, file: str, today: dt.date, *, keep_mistyped: bool = False) -> None:
        self.file = file
        self.today = today
        self.keep_mistyped = keep_mistyped
        self.row_location = ""
        self.location = ""
        self.problems: list[Problem] = []
        self.mistyped: list[Problem] = []  # this row's numbers failing their check
        self.record_id: str | None = None

    def start(self, location: str) -> None:
        self.row_location = self.location = location
        self.problems = []
        self.mistyped = []
        self.record_id = None

    def fail(self, field: str, message: str) -> None:
        self.problems.append(Problem(self.file, self.location, field, message))

    @property
    def only_mistyped(self) -> bool:
        """Every problem of this row is a number failing its check: `keep_mistyped` would
        have kept the row."""
        return bool(self.problems) and self.problems == self.mistyped

    def _mistyped(self, field: str, message: str) -> bool:
        """Note a number failing its check; True when the row keeps it."""
        problem = Problem(self.file, self.location, field, message)
        self.mistyped.append(problem)
        if not self.keep_mistyped:
            self.problems.append(problem)
        return self.keep_mistyped

    def value(self, field: str, raw: str | None, *, required: bool = False) -> str | None:
        """The stripped value, None when blank; too long or required-but-blank is a problem."""
        text = raw.strip() if raw else ""
        if not text:
            if required:
                self.fail(field, f"{field} is blank, but it must be given")
            return None
        if len(text) > MAX_VALUE_LENGTH:
            self.fail(
                field,
                f"{field} is {len(text):,} characters long; at most {MAX_VALUE_LENGTH} are allowed",
            )
            return None
        return text

    def name(self, field: str, raw: str | None) -> str | None:
        """A name exactly as written (names are evidence for linkage: never tidied here)."""
        if raw is None or not raw.strip():
            return None
        if len(raw) > MAX_VALUE_LENGTH:
            self.fail(
                field,
                f"{field} is {len(raw):,} characters long; at most {MAX_VALUE_LENGTH} are allowed",
            )
            return None
        return raw

    def record_id_value(self, field: str, raw: str | None) -> str | None:
        """The agency's reference for the person; also remembered for the rejects report."""
        text = raw.strip() if raw else ""
        if not text:
            self.fail(field, f"{field} is blank: every row needs the agency's reference")
            return None
        if len(text) > MAX_RECORD_ID_LENGTH:
            self.fail(
                field,
                f"{field} is {len(text):,} characters long; a reference has at most "
                f"{MAX_RECORD_ID_LENGTH}",
            )
            return None
        if not text.isprintable():
            self.fail(field, f"{field} {quote(text)} contains characters that cannot be printed")
            return None
        self.record_id = text
        return text

    def date(
        self,
        field: str,
        raw: str | None,
        layout: DateFormat,
        *,
        required: bool = False,
        birth: bool = False,
    ) -> dt.date | None:
        text = self.value(field, raw, required=required)
        if text is None:
            return None
        # A date of birth is identifying: say what is wrong with it, never what it is.
        shown = "" if birth else f" {quote(text)}"
        date = layout.parse(text)
        if date is None:
            self.fail(field, f"{field}{shown} is not a date in the form {layout.value}")
            return None
        if birth and date > self.today:
            self.fail(field, f"{field} is in the future")
            return None
        return date

    def code(
        self,
        field: str,
        raw: str | None,
        allowed: Collection[str],
        *,
        required: bool = False,
        hint: str = "",
    ) -> str | None:
        text = self.value(field, raw, required=required)
        if text is None:
            return None
        code = text.upper()
        if code not in allowed:
            self.fail(
                field,
                f"{field} {quote(text)} is not a known code; expected one of "
                f"{_allowed(allowed)}{hint}",
            )
            return None
        return code

    def sex(
        self,
        field: str,
        raw: str | None,
        codes: Mapping[str, Sex],
        *,
        required: bool = False,
        hint: str = "",
    ) -> Sex:
        code = self.code(field, raw, codes, required=required, hint=hint)
        return Sex.UNKNOWN if code is None else codes[code]

    def ethnicity(self, field: str, raw: str | None) -> str | None:
        """A DfE ethnicity code."""
        return self.code(field, raw, DFE_ETHNICITY)

    def nhs_ethnicity(self, field: str, raw: str | None) -> str | None:
        """An NHS ethnic category, as the nearest DfE code (99, not known, gives None)."""
        allowed = (*NHS_ETHNIC_CATEGORY_TO_DFE, NHS_ETHNICITY_NOT_KNOWN)
        code = self.code(field, raw, allowed)
        return NHS_ETHNIC_CATEGORY_TO_DFE.get(code) if code else None

    def upn(self, field: str, raw: str | None, *, unknown_codes: bool = False) -> str | None:
        text = self.value(field, raw)
        if text is None:
            return None
        upn = text.upper()
        if unknown_codes and upn in UPN_UNKNOWN_CODES:
            return None
        reason = _upn_problem(upn)
        if reason is None:
            return upn
        message = f"{field} is not valid: {reason}"
        if is_mistyped_upn(upn):
            return upn if self._mistyped(field, message) else None
        self.fail(field, message)
        return None

    def nhs_number(self, field: str, raw: str | None) -> str | None:
        text = self.value(field, raw)
        if text is None:
            return None
        number = normalise_nhs_number(text)
        if len(number) != 10 or not number.isascii() or not number.isdigit():
            self.fail(field, f"{field} is not an NHS number: it must have 10 digits")
            return None
        if not is_valid_nhs_number(number):
            message = (
                f"{field} is not a valid NHS number: its check digit "
                "is wrong (a digit may have been mistyped)"
            )
            # Ten digits, as checked above: a typo.
            return number if self._mistyped(field, message) else None
        return number

    def postcode(self, field: str, raw: str | None) -> str | None:
        text = self.value(field, raw)
        if text is None:
            return None
        postcode = normalise_postcode(text)
        if postcode is None:
            self.fail(field, f"{field} is not a UK postcode (e.g. ZX3 7AB)")
        return postcode

    def count(self, field: str, raw: str | None, *, required: bool = False) -> int | None:
        """A whole number of zero or more."""
        text = self.value(field, raw, required=required)
        if text is None:
            return None
        if not (text.isascii() and text.isdigit()):
            self.fail(field, f"{field} {quote(text)} is not a whole number of zero or more")
            return None
        return int(text)

    def not_before(
        self,
        later_field: str,
        later: dt.date | None,
        earlier_field: str,
        earlier: dt.date | None,
        layout: DateFormat,
        why: str,
    ) -> None:
        """Record a problem when `later` comes before `earlier` (both known)."""
        if later is not None and earlier is not None and later < earlier:
            self.fail(
                later_field,
                f"{later_field} {layout.format(later)} is before {earlier_field} "
                f"{layout.format(earlier)}: {why}",
            )

    def event(
        self,
        kind: EventKind,
        start: dt.date | None,
        *,
        end: dt.date | None = None,
        code: str | None = None,
        qualifier: str | None = None,
        value: float | None = None,
        source_ref: str | None = None,
    ) -> Event | None:
        """The event, once the row's fields have all passed; never raises."""
        if self.problems or start is None:
            return None
        try:
            return Event(kind, start, end, code, qualifier, value, source_ref)
        except ValueError:
            # The field checks use the same code lists, so this only guards the contract.
            for field, message in event_problems(kind, start, end, code, qualifier):
                self.fail(field, message)
            return None
