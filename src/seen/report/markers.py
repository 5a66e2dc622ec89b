"""The symbols a published figure can carry in place of, or beside, its value.

They are the Government Statistical Service symbols the DfE uses in its statistics (the DfE
analysts' guide, "Data symbols"): `c` confidential, `x` not available, `z` not applicable and
`low` for a figure that rounds to 0 but is not 0. A figure with no marker is shown as it is;
`0` is only ever a true zero.
"""

from __future__ import annotations

from enum import StrEnum


class Marker(StrEnum):
    NONE = ""
    CONFIDENTIAL = "c"
    NOT_AVAILABLE = "x"
    NOT_APPLICABLE = "z"
    LOW = "low"

    @property
    def meaning(self) -> str:
        return _MEANINGS[self]

    @property
    def hides_value(self) -> bool:
        """Whether a figure with this marker is published without its value."""
        return self is not Marker.NONE


_MEANINGS = {
    Marker.NONE: "the figure as counted",
    Marker.CONFIDENTIAL: (
        "confidential: the figure is not shown, so that no child can be identified"
    ),
    Marker.NOT_AVAILABLE: "not available: the figure was not collected or cannot be counted",
    Marker.NOT_APPLICABLE: "not applicable: there is no figure for this combination",
    Marker.LOW: "low: the total rounds to 0 but is not 0",
}

# The markers every input cell may carry instead of a count: a cell with no count at all.
NO_COUNT = frozenset({Marker.NOT_AVAILABLE, Marker.NOT_APPLICABLE})
