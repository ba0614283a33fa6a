"""activity events: the history behind the live feed

Every event sent to subscribers (agent activity, campaign and import progress) is stored with an
id that orders it, so a reconnecting subscriber catches up from the last id it saw.

Revision ID: 0014_activity_events
Revises: 0013_understanding
Create Date: 2026-12-07 03:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import app.core.db

revision: str = "0014_activity_events"
down_revision: str | None = "0013_understanding"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "activity_events",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column(
            "brokerage_id",
            _ID,
            sa.ForeignKey("brokerages.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("stream", sa.String(length=16), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("at", app.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("lead_id", _ID, nullable=True),
        sa.Column("property_id", _ID, nullable=True),
        sa.Column("conversation_id", _ID, nullable=True),
        sa.Column("message_id", _ID, nullable=True),
        sa.Column("import_id", _ID, nullable=True),
        sa.Column("data", _JSON, nullable=True),
    )
    op.create_index(
        "ix_activity_events_brokerage_stream", "activity_events", ["brokerage_id", "stream", "id"]
    )
    op.create_index(
        "ix_activity_events_property", "activity_events", ["brokerage_id", "property_id", "id"]
    )
    op.create_index("ix_activity_events_at", "activity_events", ["at"])


def downgrade() -> None:
    op.drop_table("activity_events")
