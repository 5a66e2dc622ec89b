"""`audit_head`: the audit log's next index, in one row, which an append takes and moves on in
the same statement that writes its entries (seen.audit.log).

Until now an append took a lock (PostgreSQL: an advisory lock), read the largest index, and
inserted, holding the lock for three round trips; under many concurrent views the appends
queued on it. The row is seeded with one past the largest index already stored.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("next_index", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_head_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.execute(
        sa.text(
            "INSERT INTO audit_head (id, next_index) "
            "SELECT 1, COALESCE(MAX(entry_index) + 1, 0) FROM audit_entries"
        )
    )


def downgrade() -> None:
    op.drop_table("audit_head")
