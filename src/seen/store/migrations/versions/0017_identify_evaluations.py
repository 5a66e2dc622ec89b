"""Stored evaluation reports of `seen identify evaluate --save` (issue 6): the fairness
report, calibration, targets and model weights, as JSON aggregates.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

_TIMESTAMP = sa.DateTime(timezone=True)
_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "identify_evaluations",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("reference_date", sa.Date(), nullable=False),
        sa.Column("alerts", sa.Integer(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.CheckConstraint("alerts >= 0", name=op.f("ck_identify_evaluations_alerts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identify_evaluations")),
    )


def downgrade() -> None:
    op.drop_table("identify_evaluations")
