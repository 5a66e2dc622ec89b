"""Partnership reporting (issue 7): tables of counts and the disclosure control every
published table goes through. Pure: no store, no web. See docs/reporting.md.
"""

from seen.report.markers import Marker
from seen.report.published import ProtectedTable, PublishedCell
from seen.report.rules import DisclosureRules
from seen.report.table import TOTAL, Dimension, Table

__all__ = [
    "TOTAL",
    "Dimension",
    "DisclosureRules",
    "Marker",
    "ProtectedTable",
    "PublishedCell",
    "Table",
]
