"""Prompts raised by `seen identify run` (issue 6), each with its evidence and an expiry.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

_TIMESTAMP = sa.DateTime(timezone=True)
_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "identify_prompts",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("need", sa.String(length=32), nullable=False),
        sa.Column("acting_agency", sa.String(length=32), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("renewed_on", sa.Date(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("model", sa.JSON(), nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.CheckConstraint(
            "need IN ('young_carer', 'exploitation')", name=op.f("ck_identify_prompts_need")
        ),
        sa.CheckConstraint("expires_on > raised_on", name=op.f("ck_identify_prompts_expiry")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identify_prompts")),
    )
    op.create_index(op.f("ix_identify_prompts_person_id"), "identify_prompts", ["person_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_identify_prompts_person_id"), table_name="identify_prompts")
    op.drop_table("identify_prompts")
