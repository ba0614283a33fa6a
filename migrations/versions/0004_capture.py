"""capture keys (each brokerage's public lead-capture URL) and the brokerage's plan

Revision ID: 0004_capture
Revises: 0003_crm_webhooks
Create Date: 2026-12-07 01:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.db

revision: str = "0004_capture"
down_revision: str | None = "0003_crm_webhooks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


# Plain ADD/DROP COLUMN, never a batch copy: on SQLite, copying `brokerages` would drop the old
# table, and every row referring to a brokerage would go with it (ON DELETE CASCADE).


def upgrade() -> None:
    op.add_column(
        "brokerages",
        sa.Column("plan", sa.String(length=24), nullable=False, server_default="CRM_ENHANCED"),
    )
    op.create_table(
        "capture_keys",
        sa.Column("id", _ID, nullable=False),
        sa.Column("brokerage_id", _ID, nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("rotated_at", app.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["brokerage_id"], ["brokerages.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("brokerage_id"),
        sa.UniqueConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("capture_keys")
    op.drop_column("brokerages", "plan")
