"""The first schema: agencies, ingest runs, records and events.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

Written out in full rather than importing seen.store.tables, so that it keeps describing
this first schema however the tables change later. Names are wrapped in op.f() to mark
them final; otherwise Alembic applies the models' naming convention to them a second time.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=63), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("created_at", _TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agencies")),
        sa.UniqueConstraint("name", name=op.f("uq_agencies_name")),
    )
    op.create_table(
        "ingest_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("started_at", _TIMESTAMP, nullable=False),
        sa.Column("finished_at", _TIMESTAMP, nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("records_new", sa.Integer(), nullable=False),
        sa.Column("events_new", sa.Integer(), nullable=False),
        sa.Column("rejected_rows", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_ingest_runs_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingest_runs")),
    )
    op.create_index(op.f("ix_ingest_runs_agency_id"), "ingest_runs", ["agency_id"])
    op.create_table(
        "records",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("record_ref", sa.String(length=100), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("ethnicity", sa.String(length=4), nullable=True),
        sa.Column("birth_month", sa.String(length=7), nullable=True),
        sa.Column("deprivation_decile", sa.SmallInteger(), nullable=True),
        sa.Column("first_run_id", sa.Integer(), nullable=False),
        sa.Column("last_run_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("sex IN ('M', 'F', 'U')", name=op.f("ck_records_sex")),
        sa.CheckConstraint("length(birth_month) = 7", name=op.f("ck_records_birth_month")),
        sa.CheckConstraint(
            "deprivation_decile BETWEEN 1 AND 10", name=op.f("ck_records_deprivation_decile")
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_records_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["first_run_id"], ["ingest_runs.id"], name=op.f("fk_records_first_run_id_ingest_runs")
        ),
        sa.ForeignKeyConstraint(
            ["last_run_id"], ["ingest_runs.id"], name=op.f("fk_records_last_run_id_ingest_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_records")),
        sa.UniqueConstraint(
            "agency_id", "record_ref", name=op.f("uq_records_agency_id_record_ref")
        ),
    )
    op.create_table(
        "events",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("record_id", _BIG_ID, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("code", sa.String(length=8), nullable=True),
        sa.Column("qualifier", sa.String(length=16), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("source_ref", sa.String(length=100), nullable=True),
        sa.Column("event_key", sa.String(length=64), nullable=False),
        sa.Column("ingest_run_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ingest_run_id"], ["ingest_runs.id"], name=op.f("fk_events_ingest_run_id_ingest_runs")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_events_record_id_records")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
        sa.UniqueConstraint("event_key", name=op.f("uq_events_event_key")),
    )
    op.create_index(op.f("ix_events_record_id"), "events", ["record_id"])
    op.create_index(op.f("ix_events_ingest_run_id"), "events", ["ingest_run_id"])


def downgrade() -> None:
    op.drop_table("events")
    op.drop_table("records")
    op.drop_index(op.f("ix_ingest_runs_agency_id"), table_name="ingest_runs")
    op.drop_table("ingest_runs")
    op.drop_table("agencies")
