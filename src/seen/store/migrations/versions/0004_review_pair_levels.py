"""The review queue keeps, beside each comparison's weight, which level of the comparison
agreed (a level key of `seen.link.model`, such as `exact` or `dice_1`), so a reviewer sees
what agreed and how strongly. Pairs queued before this step have none.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("review_pairs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("field_levels", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("review_pairs", schema=None) as batch_op:
        batch_op.drop_column("field_levels")
