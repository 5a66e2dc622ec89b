"""Path parameters shared by routes."""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import Path

# The largest id a row can have on either backend (a signed 64-bit integer): a larger one in
# a path is refused as invalid rather than reaching the database, whose driver cannot bind it.
MAX_ROW_ID: Final = 2**63 - 1

RowId = Annotated[int, Path(ge=0, le=MAX_ROW_ID)]
