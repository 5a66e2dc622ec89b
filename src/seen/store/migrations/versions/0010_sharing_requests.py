"""Requests for a joined-up chronology, the releases waiting on a young person or an agency,
and the records a practitioner has withheld from the young person (docs/web.md).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

_TIMESTAMP = sa.DateTime(timezone=True)
_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "sharing_requests",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.Column("lawful_basis", sa.String(length=64), nullable=False),
        sa.Column("justification", sa.Text(), nullable=True),
        sa.Column("asked_at", _TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["practitioners.id"],
            name=op.f("fk_sharing_requests_practitioner_id_practitioners"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_requests")),
    )
    op.create_index(op.f("ix_sharing_requests_person_id"), "sharing_requests", ["person_id"])
    op.create_table(
        "pending_releases",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("request_id", sa.String(length=32), nullable=False),
        sa.Column("event_id", _BIG_ID, nullable=False),
        sa.Column("pending_on", sa.String(length=16), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("answered_by", sa.String(length=64), nullable=True),
        sa.Column("answered_at", _TIMESTAMP, nullable=True),
        sa.Column("reason", sa.String(length=1000), nullable=True),
        sa.CheckConstraint(
            "pending_on IN ('young_person', 'originator')",
            name=op.f("ck_pending_releases_pending_on"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'declined')",
            name=op.f("ck_pending_releases_release_status"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["sharing_requests.id"],
            name=op.f("fk_pending_releases_request_id_sharing_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_pending_releases_event_id_events")
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_pending_releases_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_releases")),
        sa.UniqueConstraint(
            "request_id", "event_id", name=op.f("uq_pending_releases_request_id_event_id")
        ),
    )
    op.create_index(op.f("ix_pending_releases_agency_id"), "pending_releases", ["agency_id"])
    op.create_index(op.f("ix_pending_releases_person_id"), "pending_releases", ["person_id"])
    op.create_table(
        "withheld_from_subject",
        sa.Column("event_id", _BIG_ID, nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", _TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_withheld_from_subject_event_id_events")
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_withheld_from_subject")),
    )


def downgrade() -> None:
    op.drop_table("withheld_from_subject")
    op.drop_index(op.f("ix_pending_releases_person_id"), table_name="pending_releases")
    op.drop_index(op.f("ix_pending_releases_agency_id"), table_name="pending_releases")
    op.drop_table("pending_releases")
    op.drop_index(op.f("ix_sharing_requests_person_id"), table_name="sharing_requests")
    op.drop_table("sharing_requests")
