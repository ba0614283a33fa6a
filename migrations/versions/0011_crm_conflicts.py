"""CRM sync conflicts: each CRM record's baseline, conflicts on changes and sync runs

A CRM record remembers what its CRM last said of the fields the CRM owns, so a field changed on
both sides is told apart from one changed on one side; a change that settled a conflict keeps
both values, and a sync run counts its conflicts.

Revision ID: 0011_crm_conflicts
Revises: 0010_dashboard_figures
Create Date: 2026-12-07 03:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011_crm_conflicts"
down_revision: str | None = "0010_dashboard_figures"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    # Columns added in place: none of these tables is copied (SQLite would cascade deletes).
    op.add_column("crm_links", sa.Column("synced", _JSON, nullable=True))
    op.add_column("lead_changes", sa.Column("conflict", _JSON, nullable=True))
    op.add_column(
        "crm_sync_runs", sa.Column("conflicts", sa.Integer(), nullable=False, server_default="0")
    )


def downgrade() -> None:
    op.drop_column("crm_sync_runs", "conflicts")
    op.drop_column("lead_changes", "conflict")
    op.drop_column("crm_links", "synced")
