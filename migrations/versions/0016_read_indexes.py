"""indexes for every list's keyset order

Lists page newest first by id within a brokerage (or a listing, or a status): without an index
that starts with the filter and ends with the order, PostgreSQL walks the primary key backwards
and filters, which on a brokerage among many reads far more rows than a page.

Revision ID: 0016_read_indexes
Revises: 0015_webhooks
Create Date: 2026-12-07 03:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016_read_indexes"
down_revision: str | None = "0015_webhooks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_leads_keyset", "leads", ["brokerage_id", "id"]),
    ("ix_conversations_keyset", "conversations", ["brokerage_id", "id"]),
    ("ix_conversations_status_keyset", "conversations", ["brokerage_id", "status", "id"]),
    ("ix_conversations_property_keyset", "conversations", ["property_id", "id"]),
    ("ix_broker_tasks_status_keyset", "broker_tasks", ["brokerage_id", "status", "id"]),
    ("ix_viewings_keyset", "viewings", ["brokerage_id", "id"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
