"""`seen-encoding-4` (docs/encoding.md): one more token, `tok_names_postcode`, the sorted names
with the postcode and without the year of birth, so that a typo in the year no longer hides
a child's names from linkage.

Packages of different versions are never linked together, and a version 3 encoding has no
`tok_names_postcode`, so the upgrade deletes the stored encodings as the version 3 upgrade
did; the records, events and people stay, and agencies re-encode their extracts with
`seen encode` for the hub to ingest. The downgrade drops the column, and deletes the
encodings too: version 4 encodings are not version 3 packages.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.execute(sa.text("DELETE FROM record_encodings"))
    with op.batch_alter_table("record_encodings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tok_names_postcode", sa.String(length=32), nullable=True))


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM record_encodings"))
    with op.batch_alter_table("record_encodings", schema=None) as batch_op:
        batch_op.drop_column("tok_names_postcode")
