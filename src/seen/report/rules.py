"""The disclosure control rules a table is published under, and how its footer states them.

As in the DfE's children's statistics (children in need, looked-after children): counts from
1 to 5 are shown as `c`, 0 is shown (it is a true zero), other figures are suppressed as well
where needed so that no `c` can be worked out, and totals may be rounded to the nearest 10 (the
DfE rounds England and regional totals so; local authority figures are exact). See
docs/reporting.md for when Seen rounds.
"""

from __future__ import annotations

from dataclasses import dataclass

from seen.errors import InvalidInput
from seen.report.markers import Marker


@dataclass(frozen=True)
class DisclosureRules:
    largest_suppressed: int = 5  # counts from 1 to this are shown as c
    round_totals_to: int | None = None  # None: totals are exact

    def __post_init__(self) -> None:
        if self.largest_suppressed < 1:
            raise InvalidInput("the largest count suppressed must be 1 or more")
        if self.round_totals_to is not None and self.round_totals_to < 2:
            raise InvalidInput("totals can be rounded to a multiple of 2 or more")

    def is_small(self, count: int) -> bool:
        return 1 <= count <= self.largest_suppressed

    def rounded(self, total: int) -> int:
        """A total as published: to the nearest multiple, halves rounded up (as the DfE's
        `round_five_up`), or exact when totals are not rounded."""
        base = self.round_totals_to
        if base is None:
            return total
        return base * ((2 * total + base) // (2 * base))

    def rounding_interval(self, published: int) -> tuple[int, int]:
        """Every total that is published as `published` (the inverse of `rounded`)."""
        base = self.round_totals_to
        if base is None:
            return published, published
        return max(0, published - base // 2), published + (base + 1) // 2 - 1

    def legend(self) -> tuple[Marker, ...]:
        """The markers every table under these rules documents, used or not."""
        markers = [Marker.CONFIDENTIAL, Marker.NOT_AVAILABLE, Marker.NOT_APPLICABLE]
        if self.round_totals_to is not None:
            markers.append(Marker.LOW)
        return tuple(markers)

    def statement(self) -> tuple[str, ...]:
        """The rules, in words, for a table's footer."""
        small = self.largest_suppressed
        lines = [
            f"Counts from 1 to {small} are not shown: they are marked c (confidential). "
            "0 is shown and is always a true zero.",
            "Other figures, totals included, are also marked c where that is needed so that no "
            f"figure marked c can be worked out, or shown to be {small} or fewer, from the "
            "figures and totals that are shown.",
        ]
        if self.round_totals_to is None:
            lines.append(
                "Totals are exact: each is the sum of every count in its row or column, those "
                "marked c included. Figures marked x or z are not in any total."
            )
        else:
            lines.append(
                f"Totals are rounded to the nearest {self.round_totals_to} (halves round up), "
                "so they may not equal the sum of their parts; a total marked low rounds to 0 "
                "but is not 0. Figures marked x or z are not in any total."
            )
        return tuple(lines)
