"""`seen-encoding-2` (docs/encoding.md): `tok_dob_day` is gone, and every other column of
`record_encodings` now holds differently salted values.

Encodings of version 1 cannot be linked with those of version 2, and they are the ones an
attack without the key could read (docs/threat-model.md): the upgrade deletes them rather
than keep them beside new ones. The records, events and people stay; agencies re-encode
their extracts with `seen encode` and the hub ingests the new packages. The downgrade adds
the column back, empty: the deleted encodings cannot be restored.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.execute(sa.text("DELETE FROM record_encodings"))
    with op.batch_alter_table("record_encodings", schema=None) as batch_op:
        batch_op.drop_column("tok_dob_day")


def downgrade() -> None:
    with op.batch_alter_table("record_encodings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tok_dob_day", sa.String(length=32), nullable=True))
