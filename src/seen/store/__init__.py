"""The hub's database: tables, migrations, and the queries other layers need.

store = open_store(settings)   # creates the SQLite folder, runs `alembic upgrade head`
agency_summaries(store)
"""

from seen.store.engine import Store, open_store, write_transaction
from seen.store.queries import AgencySummary, agency_summaries, list_agencies

__all__ = [
    "AgencySummary",
    "Store",
    "agency_summaries",
    "list_agencies",
    "open_store",
    "write_transaction",
]
