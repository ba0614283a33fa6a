"""the dashboard's figures: when a conversation qualified, when a viewing was confirmed

`crmSyncStats(window:)` counts leads qualified and meetings scheduled within a time window, so
both moments are recorded. Rows that already qualified or were confirmed take their last update
as that moment (the closest record there is).

Revision ID: 0010_dashboard_figures
Revises: 0009_agent
Create Date: 2026-12-07 03:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.db

revision: str = "0010_dashboard_figures"
down_revision: str | None = "0009_agent"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Added in place (no batch copy): on SQLite a copy of a parent table cascades deletes.
    op.add_column(
        "conversations",
        sa.Column("qualified_at", app.core.db.UtcDateTime(timezone=True), nullable=True),
    )
    op.add_column(
        "viewings",
        sa.Column("confirmed_at", app.core.db.UtcDateTime(timezone=True), nullable=True),
    )
    conversations = sa.table(
        "conversations",
        sa.column("qualification_score", sa.Integer()),
        sa.column("updated_at", sa.DateTime()),
        sa.column("qualified_at", sa.DateTime()),
    )
    op.execute(
        conversations.update()
        .where(conversations.c.qualification_score > 75)
        .values(qualified_at=conversations.c.updated_at)
    )
    viewings = sa.table(
        "viewings",
        sa.column("status", sa.String()),
        sa.column("updated_at", sa.DateTime()),
        sa.column("confirmed_at", sa.DateTime()),
    )
    op.execute(
        viewings.update()
        .where(viewings.c.status.in_(("CONFIRMED", "DONE")))
        .values(confirmed_at=viewings.c.updated_at)
    )


def downgrade() -> None:
    op.drop_column("viewings", "confirmed_at")
    op.drop_column("conversations", "qualified_at")
