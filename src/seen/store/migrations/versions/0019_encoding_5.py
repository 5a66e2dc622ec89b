"""`seen-encoding-5` (docs/encoding.md): three near sets, `near_nhs`, `near_upn` and
`near_postcode`, keyed one-typo neighbourhoods of the identifier numbers and the postcode, so
that a mistyped digit no longer makes two records of one child look unrelated.

Packages of different versions are never linked together, and a version 4 encoding has no near
sets, so the upgrade deletes the stored encodings as the version 3 and 4 upgrades did; the
records, events and people stay, and agencies re-encode their extracts with `seen encode` for
the hub to ingest. The downgrade drops the columns, and deletes the encodings too: version 5
encodings are not version 4 packages.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | None = None
depends_on: str | None = None

NEAR_COLUMNS = ("near_nhs", "near_upn", "near_postcode")


def upgrade() -> None:
    op.execute(sa.text("DELETE FROM record_encodings"))
    with op.batch_alter_table("record_encodings", schema=None) as batch_op:
        for name in NEAR_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM record_encodings"))
    with op.batch_alter_table("record_encodings", schema=None) as batch_op:
        for name in reversed(NEAR_COLUMNS):
            batch_op.drop_column(name)
