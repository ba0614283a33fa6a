"""viewings, the brokerage's availability, and attachments on outgoing messages

A viewing goes from the slots offered (PROPOSED) to CONFIRMED, CANCELLED or DONE; the
brokerage's availability windows say when slots may be offered; a confirmation e-mail carries
its calendar invite as an attachment stored with the outbox row.

Revision ID: 0008_viewings
Revises: 0007_hardening
Create Date: 2026-12-07 00:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import app.core.db

revision: str = "0008_viewings"
down_revision: str | None = "0007_hardening"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
_AT = app.core.db.UtcDateTime(timezone=True)


def upgrade() -> None:
    # Plain ALTER TABLE on both databases: SQLite's batch mode would copy `brokerages` and
    # `messages`, and dropping the old copies cascades to every row that refers to them.
    op.add_column(
        "brokerages", sa.Column("availability", _JSON, nullable=False, server_default="[]")
    )
    op.add_column("messages", sa.Column("attachment", _JSON, nullable=True))
    op.create_table(
        "viewings",
        sa.Column("id", _ID, nullable=False),
        sa.Column("brokerage_id", _ID, nullable=False),
        sa.Column("lead_id", _ID, nullable=False),
        sa.Column("property_id", _ID, nullable=False),
        sa.Column("conversation_id", _ID, nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "PROPOSED",
                "CONFIRMED",
                "CANCELLED",
                "DONE",
                name="viewingstatus",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("starts_at", _AT, nullable=False),
        sa.Column("ends_at", _AT, nullable=False),
        sa.Column("offered", _JSON, nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("remind_at", _AT, nullable=True),
        sa.Column("reminded_at", _AT, nullable=True),
        sa.Column("updated_at", _AT, nullable=False),
        sa.Column(
            "created_at", _AT, server_default=sa.text("CURRENT_TIMESTAMP"), nullable=False
        ),
        sa.ForeignKeyConstraint(["brokerage_id"], ["brokerages.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["property_id"], ["properties.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_viewings_brokerage_status", "viewings", ["brokerage_id", "status"])
    op.create_index("ix_viewings_property_starts", "viewings", ["property_id", "starts_at"])
    op.create_index("ix_viewings_reminder", "viewings", ["status", "remind_at"])
    op.create_index(op.f("ix_viewings_lead_id"), "viewings", ["lead_id"])
    op.create_index(op.f("ix_viewings_conversation_id"), "viewings", ["conversation_id"])


def downgrade() -> None:
    op.drop_table("viewings")
    # DROP COLUMN in place (SQLite 3.35+), for the same reason.
    op.execute("ALTER TABLE messages DROP COLUMN attachment")
    op.execute("ALTER TABLE brokerages DROP COLUMN availability")
