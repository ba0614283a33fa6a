"""the morning digest: one row per user and local day; the user's opt-out

Revision ID: 0012_morning_digest
Revises: 0011_crm_conflicts
Create Date: 2026-12-07 04:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.db

revision: str = "0012_morning_digest"
down_revision: str | None = "0011_crm_conflicts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    # In place (no batch copy): on SQLite a copy of a parent table cascades deletes.
    op.add_column(
        "users",
        sa.Column("morning_digest", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.create_table(
        "digests",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column(
            "brokerage_id",
            _ID,
            sa.ForeignKey("brokerages.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("user_id", _ID, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "PENDING",
                "SENDING",
                "SENT",
                "SKIPPED",
                "FAILED",
                name="digeststatus",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("sent_at", app.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            app.core.db.UtcDateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.UniqueConstraint("user_id", "day", name="uq_digests_user_day"),
    )
    op.create_index("ix_digests_brokerage_id", "digests", ["brokerage_id"])


def downgrade() -> None:
    op.drop_index("ix_digests_brokerage_id", table_name="digests")
    op.drop_table("digests")
    op.drop_column("users", "morning_digest")
