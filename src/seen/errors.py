"""One base class and a short hierarchy of errors, each with a message a user can act on.

They are translated to an exit code (command line) or an HTTP status (web) only at the edge.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from seen.domain.records import Problem


class SeenError(Exception):
    """Base of every error Seen raises on purpose."""

    exit_code = 1
    http_status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(SeenError):
    """Input failed validation; carries every problem found, not just the first."""

    exit_code = 2
    http_status = 422

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


class NotFound(SeenError):
    exit_code = 3
    http_status = 404


class ConfigurationError(SeenError):
    exit_code = 4
    http_status = 500


class StoreError(SeenError):
    """The store could not complete an operation; nothing was changed."""

    exit_code = 5
    http_status = 503


class VerificationFailed(SeenError):
    """Something that must verify does not: a proof, a signature, or the audit log itself."""

    exit_code = 6
    http_status = 409
