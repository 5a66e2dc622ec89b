"""Partnership reporting (issue 7): tables of counts and the disclosure control every
published table goes through, and the files people use (tidy CSV, Excel).

`protect(table)` gives the `ProtectedTable` that may be published; `recoverable_cells` proves
no suppressed figure can be worked out from it; `protect_linked(tables, links)` protects tables
that publish the same totals together; `write_csv` and `write_xlsx` write them out.
Pure: no store, no web. See docs/reporting.md.
"""

from seen.report.disclosure import protect
from seen.report.linked import SharedMargin, protect_linked
from seen.report.markers import Marker
from seen.report.outputs import CsvFiles, write_csv, write_xlsx
from seen.report.published import ProtectedTable, PublishedCell
from seen.report.recovery import FeasibleRange, feasible_ranges, recoverable_cells
from seen.report.rules import DisclosureRules
from seen.report.table import TOTAL, Dimension, Table

__all__ = [
    "TOTAL",
    "CsvFiles",
    "Dimension",
    "DisclosureRules",
    "FeasibleRange",
    "Marker",
    "ProtectedTable",
    "PublishedCell",
    "SharedMargin",
    "Table",
    "feasible_ranges",
    "protect",
    "protect_linked",
    "recoverable_cells",
    "write_csv",
    "write_xlsx",
]
