"""Linkage: keyed encodings of records, people, link runs, the review queue and decisions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Written out in full, like 0001, so that it keeps describing this step however the tables
change later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_TIMESTAMP = sa.DateTime(timezone=True)

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "link_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", _TIMESTAMP, nullable=False),
        sa.Column("finished_at", _TIMESTAMP, nullable=False),
        sa.Column("backend", sa.String(length=16), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("review_low", sa.Float(), nullable=False),
        sa.Column("review_high", sa.Float(), nullable=False),
        sa.Column("model", sa.JSON(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("pairs", sa.Integer(), nullable=False),
        sa.Column("review_pairs", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_runs")),
    )
    op.create_table(
        "link_decisions",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("record_l", _BIG_ID, nullable=False),
        sa.Column("record_r", _BIG_ID, nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("reviewer", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("decided_at", _TIMESTAMP, nullable=False),
        sa.CheckConstraint(
            "decision IN ('match', 'non_match')", name=op.f("ck_link_decisions_decision")
        ),
        sa.ForeignKeyConstraint(
            ["record_l"], ["records.id"], name=op.f("fk_link_decisions_record_l_records")
        ),
        sa.ForeignKeyConstraint(
            ["record_r"], ["records.id"], name=op.f("fk_link_decisions_record_r_records")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_decisions")),
    )
    with op.batch_alter_table("link_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_link_decisions_record_l"), ["record_l"], unique=False)

    op.create_table(
        "people",
        sa.Column("record_id", _BIG_ID, autoincrement=False, nullable=False),
        sa.Column("person_id", sa.String(length=32), nullable=False),
        sa.Column("link_run_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["link_run_id"], ["link_runs.id"], name=op.f("fk_people_link_run_id_link_runs")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_people_record_id_records")
        ),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_people")),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_people_person_id"), ["person_id"], unique=False)

    op.create_table(
        "record_encodings",
        sa.Column("record_id", _BIG_ID, autoincrement=False, nullable=False),
        sa.Column("tok_nhs", sa.String(length=32), nullable=True),
        sa.Column("tok_upn", sa.String(length=32), nullable=True),
        sa.Column("tok_dob", sa.String(length=32), nullable=True),
        sa.Column("tok_dob_transposed", sa.String(length=32), nullable=True),
        sa.Column("tok_dob_year", sa.String(length=32), nullable=True),
        sa.Column("tok_dob_month", sa.String(length=32), nullable=True),
        sa.Column("tok_dob_day", sa.String(length=32), nullable=True),
        sa.Column("tok_sex", sa.String(length=32), nullable=True),
        sa.Column("tok_postcode", sa.String(length=32), nullable=True),
        sa.Column("tok_postcode_sector", sa.String(length=32), nullable=True),
        sa.Column("tok_postcode_district", sa.String(length=32), nullable=True),
        sa.Column("tok_given", sa.String(length=32), nullable=True),
        sa.Column("tok_family", sa.String(length=32), nullable=True),
        sa.Column("tok_family_first_part", sa.String(length=32), nullable=True),
        sa.Column("tok_family_last_part", sa.String(length=32), nullable=True),
        sa.Column("tok_name_sex_dob", sa.String(length=32), nullable=True),
        sa.Column("tok_names_sorted", sa.String(length=32), nullable=True),
        sa.Column("tok_soundex_dob", sa.String(length=32), nullable=True),
        sa.Column("bf_given", sa.LargeBinary(), nullable=True),
        sa.Column("bf_middle", sa.LargeBinary(), nullable=True),
        sa.Column("bf_family", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_record_encodings_record_id_records")
        ),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_record_encodings")),
    )
    op.create_table(
        "review_pairs",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("link_run_id", sa.Integer(), nullable=False),
        sa.Column("record_l", _BIG_ID, nullable=False),
        sa.Column("record_r", _BIG_ID, nullable=False),
        sa.Column("match_probability", sa.Float(), nullable=False),
        sa.Column("match_weight", sa.Float(), nullable=False),
        sa.Column("field_weights", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["link_run_id"], ["link_runs.id"], name=op.f("fk_review_pairs_link_run_id_link_runs")
        ),
        sa.ForeignKeyConstraint(
            ["record_l"], ["records.id"], name=op.f("fk_review_pairs_record_l_records")
        ),
        sa.ForeignKeyConstraint(
            ["record_r"], ["records.id"], name=op.f("fk_review_pairs_record_r_records")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_pairs")),
        sa.UniqueConstraint(
            "link_run_id",
            "record_l",
            "record_r",
            name=op.f("uq_review_pairs_link_run_id_record_l_record_r"),
        ),
    )
    with op.batch_alter_table("review_pairs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_pairs_link_run_id"), ["link_run_id"], unique=False
        )

    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("duplicate_free", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    with op.batch_alter_table("ingest_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key_fingerprint", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ingest_runs", schema=None) as batch_op:
        batch_op.drop_column("key_fingerprint")

    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.drop_column("duplicate_free")

    with op.batch_alter_table("review_pairs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_pairs_link_run_id"))

    op.drop_table("review_pairs")
    op.drop_table("record_encodings")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_person_id"))

    op.drop_table("people")
    with op.batch_alter_table("link_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_link_decisions_record_l"))

    op.drop_table("link_decisions")
    op.drop_table("link_runs")
