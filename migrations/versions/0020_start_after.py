"""conversations.start_after: a failed campaign batch's conversations are held, not skipped

Revision ID: 0020_start_after
Revises: 0019_import_unchanged
Create Date: 2026-12-07 21:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.db

revision: str = "0020_start_after"
down_revision: str | None = "0019_import_unchanged"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "conversations",
        sa.Column("start_after", app.core.db.UtcDateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("conversations", "start_after")
