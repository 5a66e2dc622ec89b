"""`seen-encoding-3` (docs/encoding.md): `tok_dob` is gone, replaced by `tok_given_dob`,
`tok_family_dob` and `tok_postcode_dob` (the date of birth only ever with a name or the
postcode), and the Bloom filters have a fixed weight instead of being balanced.

Encodings of version 2 cannot be linked with those of version 3, and they are the ones whose
filters give away name lengths and whose date token spreads a learnt date to everyone born
that day (docs/threat-model.md): the upgrade deletes them rather than keep them beside new
ones. The records, events and people stay; agencies re-encode their extracts with
`seen encode` and the hub ingests the new packages. The downgrade puts `tok_dob` back, empty:
the deleted encodings cannot be restored.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.execute(sa.text("DELETE FROM record_encodings"))
    with op.batch_alter_table("record_encodings", schema=None) as batch_op:
        batch_op.drop_column("tok_dob")
        batch_op.add_column(sa.Column("tok_given_dob", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("tok_family_dob", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("tok_postcode_dob", sa.String(length=32), nullable=True))


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM record_encodings"))
    with op.batch_alter_table("record_encodings", schema=None) as batch_op:
        batch_op.drop_column("tok_postcode_dob")
        batch_op.drop_column("tok_family_dob")
        batch_op.drop_column("tok_given_dob")
        batch_op.add_column(sa.Column("tok_dob", sa.String(length=32), nullable=True))
