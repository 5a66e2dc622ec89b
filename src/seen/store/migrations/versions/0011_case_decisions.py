"""Decision tracking: the decision a practitioner took after a chronology, its reason, and
later its outcome (docs/web.md, "A practitioner's journeys").

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

_TIMESTAMP = sa.DateTime(timezone=True)
_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "case_decisions",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("request_id", sa.String(length=32), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("decision", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=2000), nullable=False),
        sa.Column("decided_at", _TIMESTAMP, nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("outcome_note", sa.String(length=2000), nullable=True),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.Column("outcome_recorded_at", _TIMESTAMP, nullable=True),
        sa.CheckConstraint(
            "outcome IS NULL OR (outcome_on IS NOT NULL AND outcome_recorded_at IS NOT NULL)",
            name=op.f("ck_case_decisions_outcome_complete"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["sharing_requests.id"],
            name=op.f("fk_case_decisions_request_id_sharing_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["practitioners.id"],
            name=op.f("fk_case_decisions_practitioner_id_practitioners"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_decisions")),
    )
    op.create_index(op.f("ix_case_decisions_request_id"), "case_decisions", ["request_id"])
    op.create_index(op.f("ix_case_decisions_person_id"), "case_decisions", ["person_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_case_decisions_person_id"), table_name="case_decisions")
    op.drop_index(op.f("ix_case_decisions_request_id"), table_name="case_decisions")
    op.drop_table("case_decisions")
