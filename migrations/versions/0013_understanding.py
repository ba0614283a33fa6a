"""scoped opt-outs, the lead's search status, listings offered instead

A lead can stop one channel ("no SMS, email me") and keep the others: `leads.opted_out_channels`
lists them (`opted_out` stays the stop of everything). `leads.status` says whether the lead is
still looking (ACTIVE) or bought/rented elsewhere or stopped looking: only ACTIVE leads are
matched and reached by campaigns. `conversations.offered_property_ids` keeps the other listings
offered to a lead who declined this one ("not this area"), so their choice opens a conversation.
Columns are added in place (no table copy on SQLite).

Revision ID: 0013_understanding
Revises: 0012_morning_digest
Create Date: 2026-12-07 03:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013_understanding"
down_revision: str | None = "0012_morning_digest"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.add_column(
        "leads", sa.Column("opted_out_channels", _JSON, nullable=False, server_default="[]")
    )
    op.add_column(
        "leads",
        sa.Column(
            "status",
            sa.Enum(
                "ACTIVE",
                "BOUGHT_ELSEWHERE",
                "STOPPED_LOOKING",
                name="leadstatus",
                native_enum=False,
                length=24,
            ),
            nullable=False,
            server_default="ACTIVE",
        ),
    )
    op.add_column(
        "conversations",
        sa.Column("offered_property_ids", _JSON, nullable=False, server_default="[]"),
    )


def downgrade() -> None:
    op.drop_column("conversations", "offered_property_ids")
    op.drop_column("leads", "status")
    op.drop_column("leads", "opted_out_channels")
