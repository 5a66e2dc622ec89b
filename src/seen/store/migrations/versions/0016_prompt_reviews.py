"""Review and tracking of identification prompts (issue 6, docs/identify.md "Review and
tracking"): when each reviewer first opened a prompt, the decisions reviewers took on it with
their reasons, and later the outcome of each decision.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

_TIMESTAMP = sa.DateTime(timezone=True)
_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "identify_prompt_views",
        sa.Column("prompt_id", _BIG_ID, nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("evidence_on", sa.Date(), nullable=False),
        sa.Column("first_viewed_at", _TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["prompt_id"],
            ["identify_prompts.id"],
            name=op.f("fk_identify_prompt_views_prompt_id_identify_prompts"),
        ),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["practitioners.id"],
            name=op.f("fk_identify_prompt_views_practitioner_id_practitioners"),
        ),
        sa.PrimaryKeyConstraint(
            "prompt_id", "practitioner_id", "evidence_on", name=op.f("pk_identify_prompt_views")
        ),
    )
    op.create_table(
        "identify_decisions",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("prompt_id", _BIG_ID, nullable=False),
        sa.Column("evidence_on", sa.Date(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=2000), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("first_viewed_at", _TIMESTAMP, nullable=True),
        sa.Column("decided_at", _TIMESTAMP, nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("outcome_note", sa.String(length=2000), nullable=True),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.Column("outcome_by", sa.Integer(), nullable=True),
        sa.Column("outcome_recorded_at", _TIMESTAMP, nullable=True),
        sa.CheckConstraint(
            "decision IN ('offer_support', 'refer', 'no_action', 'not_relevant')",
            name=op.f("ck_identify_decisions_decision"),
        ),
        sa.CheckConstraint(
            "outcome IS NULL OR (outcome_on IS NOT NULL AND outcome_by IS NOT NULL "
            "AND outcome_recorded_at IS NOT NULL)",
            name=op.f("ck_identify_decisions_outcome_complete"),
        ),
        sa.ForeignKeyConstraint(
            ["prompt_id"],
            ["identify_prompts.id"],
            name=op.f("fk_identify_decisions_prompt_id_identify_prompts"),
        ),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["practitioners.id"],
            name=op.f("fk_identify_decisions_practitioner_id_practitioners"),
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_identify_decisions_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["outcome_by"],
            ["practitioners.id"],
            name=op.f("fk_identify_decisions_outcome_by_practitioners"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identify_decisions")),
        sa.UniqueConstraint(
            "prompt_id", "evidence_on", name=op.f("uq_identify_decisions_prompt_id_evidence_on")
        ),
    )


def downgrade() -> None:
    op.drop_table("identify_decisions")
    op.drop_table("identify_prompt_views")
