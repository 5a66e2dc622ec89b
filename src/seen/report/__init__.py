"""Partnership reporting (issue 7): tables of counts and the disclosure control every
published table goes through.

`protect(table)` gives the `ProtectedTable` that may be published, and `recoverable_cells`
proves no suppressed figure can be worked out from it. Pure: no store, no web. See
docs/reporting.md.
"""

from seen.report.disclosure import protect
from seen.report.markers import Marker
from seen.report.published import ProtectedTable, PublishedCell
from seen.report.recovery import FeasibleRange, feasible_ranges, recoverable_cells
from seen.report.rules import DisclosureRules
from seen.report.table import TOTAL, Dimension, Table

__all__ = [
    "TOTAL",
    "Dimension",
    "DisclosureRules",
    "FeasibleRange",
    "Marker",
    "ProtectedTable",
    "PublishedCell",
    "Table",
    "feasible_ranges",
    "protect",
    "recoverable_cells",
]
