"""Event codes and qualifiers up to 32 characters (emergency attendance reasons such as
MENTAL_HEALTH are longer than the 8 first allowed; SQLite never enforced the limit).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.alter_column("code", existing_type=sa.String(length=8), type_=sa.String(32))
        batch_op.alter_column("qualifier", existing_type=sa.String(length=16), type_=sa.String(32))


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.alter_column("qualifier", existing_type=sa.String(32), type_=sa.String(16))
        batch_op.alter_column("code", existing_type=sa.String(32), type_=sa.String(length=8))
