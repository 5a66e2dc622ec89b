"""Readers and validators for agency extracts: every problem collected, then reported.

`read_extract(paths, lookup)` reads an agency's files (SSDA903 tables or XML, CIN census XML,
persons, school census, police and emergency department CSVs), recognised by content, into
`Extract`: canonical records keyed by the agency's reference, every problem found, and the rows
left out. See `seen.formats.read` for the rules on rejected rows and `docs/formats.md` for the
formats themselves.
"""

from seen.formats.extract import Extract, FileReport, RejectedRow
from seen.formats.lookup import DeprivationLookup
from seen.formats.read import read_extract

__all__ = ["DeprivationLookup", "Extract", "FileReport", "RejectedRow", "read_extract"]
