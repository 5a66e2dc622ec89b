"""Per-file problem collection with a cap, so a hopeless file cannot exhaust memory."""

from __future__ import annotations

from seen.domain.records import Problem

# High enough that a real extract is reported in full; low enough that a file of garbage
# cannot exhaust memory (a Problem is a few hundred bytes).
MAX_PROBLEMS_PER_FILE = 100_000
MAX_QUOTED = 40


def quote(value: str) -> str:
    """A value as it appears in a message: quoted, and cut short if it is long."""
    if len(value) > MAX_QUOTED:
        return repr(value[:MAX_QUOTED] + "…")
    return repr(value)


class ProblemSink:
    """Keeps the first problems of one file and counts the rest."""

    __slots__ = ("cap", "kept", "not_listed")

    def __init__(self, cap: int | None = None) -> None:
        self.cap = MAX_PROBLEMS_PER_FILE if cap is None else cap
        self.kept: list[Problem] = []
        self.not_listed = 0

    def add(self, problem: Problem) -> None:
        if len(self.kept) < self.cap:
            self.kept.append(problem)
        else:
            self.not_listed += 1

    def extend(self, problems: list[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    def __len__(self) -> int:
        return len(self.kept) + self.not_listed
