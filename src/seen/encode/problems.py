"""Problems found in a package: the first thousand kept, the rest counted."""

from __future__ import annotations

from seen.domain.records import Problem

MAX_LISTED = 1_000


class PackageProblems:
    __slots__ = ("cap", "kept", "not_listed", "package")

    def __init__(self, package: str, cap: int = MAX_LISTED) -> None:
        self.package = package
        self.cap = cap
        self.kept: list[Problem] = []
        self.not_listed = 0

    def add(self, location: str, field: str, message: str) -> None:
        self.add_problem(Problem(self.package, location, field, message))

    def add_problem(self, problem: Problem) -> None:
        if len(self.kept) < self.cap:
            self.kept.append(problem)
        else:
            self.not_listed += 1

    def __len__(self) -> int:
        return len(self.kept) + self.not_listed

    def listed(self) -> list[Problem]:
        """The problems kept, and one more saying how many were not listed."""
        if not self.not_listed:
            return list(self.kept)
        more = Problem(
            self.package, "package", "", f"{self.not_listed:,} further problems are not listed"
        )
        return [*self.kept, more]
