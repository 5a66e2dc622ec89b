"""The governance register: information-sharing agreements and their status history,
practitioners and their relationships with children, and the young people's sharing choices
(docs/policy.md).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

_TIMESTAMP = sa.DateTime(timezone=True)

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("purpose_description", sa.String(length=2000), nullable=False),
        sa.Column("parties", sa.JSON(), nullable=False),
        sa.Column("flows", sa.JSON(), nullable=False),
        sa.Column("purposes", sa.JSON(), nullable=False),
        sa.Column("lawful_bases", sa.JSON(), nullable=False),
        sa.Column("special_category", sa.Boolean(), nullable=False),
        sa.Column("criminal_offence_data", sa.Boolean(), nullable=False),
        sa.Column("release", sa.String(length=32), nullable=False),
        sa.Column("retention", sa.String(length=500), nullable=False),
        sa.Column("starts", sa.Date(), nullable=False),
        sa.Column("review", sa.Date(), nullable=False),
        sa.Column("ends", sa.Date(), nullable=True),
        sa.Column("signed_off_by", sa.String(length=100), nullable=False),
        sa.Column("signed_off_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("imported_at", _TIMESTAMP, nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'active', 'suspended', 'expired')",
            name=op.f("ck_agreements_agreement_status"),
        ),
        sa.CheckConstraint(
            "release IN ('automatic', 'originator_approval')", name=op.f("ck_agreements_release")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreements")),
        sa.UniqueConstraint("ref", name=op.f("uq_agreements_ref")),
    )
    op.create_table(
        "agreement_status_changes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("changed_by", sa.String(length=100), nullable=False),
        sa.Column("changed_at", _TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_agreement_status_changes_agreement_id_agreements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_status_changes")),
    )
    op.create_index(
        op.f("ix_agreement_status_changes_agreement_id"),
        "agreement_status_changes",
        ["agreement_id"],
    )
    op.create_table(
        "practitioners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_practitioners_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practitioners")),
        sa.UniqueConstraint("ref", name=op.f("uq_practitioners_ref")),
    )
    op.create_table(
        "relationships",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("starts", _TIMESTAMP, nullable=False),
        sa.Column("ends", _TIMESTAMP, nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["practitioners.id"],
            name=op.f("fk_relationships_practitioner_id_practitioners"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relationships")),
    )
    op.create_index(op.f("ix_relationships_practitioner_id"), "relationships", ["practitioner_id"])
    op.create_index(op.f("ix_relationships_person_id"), "relationships", ["person_id"])
    op.create_table(
        "sharing_preferences",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("recipient_kind", sa.String(length=32), nullable=False),
        sa.Column("choice", sa.String(length=16), nullable=False),
        sa.Column("recorded_at", _TIMESTAMP, nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("notice", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "choice IN ('share', 'ask_first', 'do_not_share')",
            name=op.f("ck_sharing_preferences_choice"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_preferences")),
    )
    op.create_index(op.f("ix_sharing_preferences_person_id"), "sharing_preferences", ["person_id"])


def downgrade() -> None:
    op.drop_table("sharing_preferences")
    op.drop_table("relationships")
    op.drop_table("practitioners")
    op.drop_table("agreement_status_changes")
    op.drop_table("agreements")
