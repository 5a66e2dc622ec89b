"""The young person's pages: their own words ("my voice"), records they contest, young carer
statements, and an index of the audit entries about each person (docs/web.md).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

_TIMESTAMP = sa.DateTime(timezone=True)
_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "voice_entries",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("text", sa.String(length=2000), nullable=False),
        sa.Column("about_event_id", _BIG_ID, nullable=True),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["about_event_id"], ["events.id"], name=op.f("fk_voice_entries_about_event_id_events")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voice_entries")),
    )
    op.create_index(op.f("ix_voice_entries_person_id"), "voice_entries", ["person_id"])
    op.create_table(
        "contests",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("event_id", _BIG_ID, nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=2000), nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("answer", sa.String(length=2000), nullable=True),
        sa.Column("answered_by", sa.String(length=64), nullable=True),
        sa.Column("answered_at", _TIMESTAMP, nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'answered')", name=op.f("ck_contests_contest_status")
        ),
        sa.CheckConstraint(
            "outcome IN ('agreed', 'disagreed')", name=op.f("ck_contests_contest_outcome")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_contests_event_id_events")
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_contests_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contests")),
    )
    op.create_index(op.f("ix_contests_person_id"), "contests", ["person_id"])
    op.create_index(op.f("ix_contests_agency_id"), "contests", ["agency_id"])
    op.create_table(
        "young_carer_statements",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("looks_after", sa.Boolean(), nullable=False),
        sa.Column("who_may_know", sa.JSON(), nullable=False),
        sa.Column("stated_at", _TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_young_carer_statements")),
    )
    op.create_index(
        op.f("ix_young_carer_statements_person_id"), "young_carer_statements", ["person_id"]
    )
    op.create_table(
        "audit_people",
        sa.Column("entry_index", _BIG_ID, autoincrement=False, nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("entry_index", name=op.f("pk_audit_people")),
    )
    op.create_index(op.f("ix_audit_people_person_id"), "audit_people", ["person_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_people_person_id"), table_name="audit_people")
    op.drop_table("audit_people")
    op.drop_index(op.f("ix_young_carer_statements_person_id"), table_name="young_carer_statements")
    op.drop_table("young_carer_statements")
    op.drop_index(op.f("ix_contests_agency_id"), table_name="contests")
    op.drop_index(op.f("ix_contests_person_id"), table_name="contests")
    op.drop_table("contests")
    op.drop_index(op.f("ix_voice_entries_person_id"), table_name="voice_entries")
    op.drop_table("voice_entries")
