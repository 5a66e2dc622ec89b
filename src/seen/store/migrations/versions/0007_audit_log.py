"""The tamper-evident audit log (seen.audit): `audit_entries` and `audit_checkpoints`, both
append-only, enforced by the database itself.

On SQLite, BEFORE UPDATE and BEFORE DELETE triggers RAISE(ABORT); on PostgreSQL one
trigger function raises for every row UPDATE or DELETE and for TRUNCATE (which row triggers
never see). Someone with the power to drop the triggers can still change rows; that is what
the Merkle tree and the signed checkpoints catch (`seen audit verify`).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None

TABLES = ("audit_entries", "audit_checkpoints")
PG_FUNCTION = "seen_audit_append_only"


def upgrade() -> None:
    big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "audit_entries",
        sa.Column("entry_index", big_id, autoincrement=False, nullable=False),
        sa.Column("entry", sa.LargeBinary(), nullable=False),
        sa.Column("leaf_hash", sa.LargeBinary(), nullable=False),
        sa.Column("appended_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("entry_index", name=op.f("pk_audit_entries")),
    )
    op.create_table(
        "audit_checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tree_size", sa.BigInteger(), nullable=False),
        sa.Column("root_hash", sa.LargeBinary(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoints")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            sa.text(
                f"CREATE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                "BEGIN RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP "
                "USING ERRCODE = 'integrity_constraint_violation'; END $$"
            )
        )
        for table in TABLES:
            op.execute(
                sa.text(
                    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()"
                )
            )
            op.execute(
                sa.text(
                    f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"
                )
            )
    else:
        for table in TABLES:
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    sa.text(
                        f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {action} refused'); "
                        "END"
                    )
                )


def downgrade() -> None:
    # Dropping a table drops its triggers on both backends.
    op.drop_table("audit_checkpoints")
    op.drop_table("audit_entries")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.text(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()"))
