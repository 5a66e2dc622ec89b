"""`link_runs.kind`: "full" (trained, every record scored) or "incremental" (the records
ingested since the latest run, linked to its people with its model: `seen link
--incremental`). Runs before this were all full.

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column(
        "link_runs", sa.Column("kind", sa.String(16), nullable=False, server_default="full")
    )


def downgrade() -> None:
    with op.batch_alter_table("link_runs") as batch:
        batch.drop_column("kind")
