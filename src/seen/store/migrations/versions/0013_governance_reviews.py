"""Reviews of agreements (who reviewed, the next review date set) and of break-glass
requests (appropriate or not, with notes) for the governance pages (docs/web.md).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

_TIMESTAMP = sa.DateTime(timezone=True)
_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "agreement_reviews",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_by", sa.String(length=64), nullable=False),
        sa.Column("reviewed_at", _TIMESTAMP, nullable=False),
        sa.Column("next_review", sa.Date(), nullable=False),
        sa.Column("notes", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_agreement_reviews_agreement_id_agreements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_reviews")),
    )
    op.create_index(
        op.f("ix_agreement_reviews_agreement_id"), "agreement_reviews", ["agreement_id"]
    )
    op.create_table(
        "break_glass_reviews",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("request_id", sa.String(length=32), nullable=False),
        sa.Column("reviewer", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("notes", sa.String(length=2000), nullable=False),
        sa.Column("reviewed_at", _TIMESTAMP, nullable=False),
        sa.CheckConstraint(
            "outcome IN ('appropriate', 'not_appropriate')",
            name=op.f("ck_break_glass_reviews_outcome"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["sharing_requests.id"],
            name=op.f("fk_break_glass_reviews_request_id_sharing_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_break_glass_reviews")),
        sa.UniqueConstraint("request_id", name=op.f("uq_break_glass_reviews_request_id")),
    )


def downgrade() -> None:
    op.drop_table("break_glass_reviews")
    op.drop_index(op.f("ix_agreement_reviews_agreement_id"), table_name="agreement_reviews")
    op.drop_table("agreement_reviews")
