"""CRM webhooks registered per connection, the log of sync runs, a lead's record in each CRM

Each connection gets its own webhook URL token (Follow Up Boss deliveries name no account) and
remembers the webhooks it registered; every import, catch-up and webhook delivery leaves a
`crm_sync_runs` row with its counts; `crm_links` keeps every CRM record a lead has (filled from
the leads' one external id); `crm_timeline_log` remembers the messages put on each CRM's timeline.

Revision ID: 0003_crm_webhooks
Revises: 0002
Create Date: 2026-12-07 01:00:00
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import app.core.db

revision: str = "0003_crm_webhooks"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
_leads = sa.table(
    "leads",
    sa.column("id", _ID),
    sa.column("brokerage_id", _ID),
    sa.column("external_source", sa.String(40)),
    sa.column("external_id", sa.String(200)),
)
_links = sa.table(
    "crm_links",
    sa.column("brokerage_id", _ID),
    sa.column("lead_id", _ID),
    sa.column("provider", sa.String(24)),
    sa.column("external_id", sa.String(200)),
    sa.column("created_at", app.core.db.UtcDateTime(timezone=True)),
)
_connections = sa.table(
    "crm_connections", sa.column("id", _ID), sa.column("webhook_token", sa.String(64))
)


def upgrade() -> None:
    with op.batch_alter_table("crm_connections") as batch:
        batch.add_column(sa.Column("webhook_token", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("webhook_ids", _JSON, nullable=False, server_default="[]"))
        batch.add_column(
            sa.Column("webhooks_checked_at", app.core.db.UtcDateTime(timezone=True), nullable=True)
        )
        batch.add_column(sa.Column("webhook_error", sa.Text(), nullable=True))
        batch.add_column(sa.Column("settings", _JSON, nullable=False, server_default="{}"))
    connection = op.get_bind()
    for (row_id,) in connection.execute(sa.select(_connections.c.id)).all():
        connection.execute(
            _connections.update()
            .where(_connections.c.id == row_id)
            .values(webhook_token=secrets.token_urlsafe(24))
        )
    with op.batch_alter_table("crm_connections") as batch:
        batch.alter_column("webhook_token", existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint("uq_crm_connections_webhook_token", ["webhook_token"])
    op.create_table(
        "crm_sync_runs",
        sa.Column("id", _ID, nullable=False),
        sa.Column("brokerage_id", _ID, nullable=False),
        sa.Column("connection_id", _ID, nullable=False),
        sa.Column(
            "kind",
            sa.Enum("IMPORT", "CATCH_UP", "WEBHOOK", name="synckind", native_enum=False, length=24),
            nullable=False,
        ),
        sa.Column("started_at", app.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", app.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("imported", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("lag_seconds", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["brokerage_id"], ["brokerages.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["connection_id"], ["crm_connections.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_crm_sync_runs_connection", "crm_sync_runs", ["connection_id", "id"], unique=False
    )
    op.create_table(
        "crm_links",
        sa.Column("id", _ID, nullable=False),
        sa.Column("brokerage_id", _ID, nullable=False),
        sa.Column("lead_id", _ID, nullable=False),
        sa.Column(
            "provider",
            sa.Enum("FOLLOWUPBOSS", "HUBSPOT", name="crmprovidername", native_enum=False, length=24),
            nullable=False,
        ),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("created_at", app.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["brokerage_id"], ["brokerages.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "brokerage_id", "provider", "external_id", name="uq_crm_links_record"
        ),
    )
    op.create_index("ix_crm_links_lead", "crm_links", ["lead_id"], unique=False)
    op.create_table(
        "crm_timeline_log",
        sa.Column("id", _ID, nullable=False),
        sa.Column("brokerage_id", _ID, nullable=False),
        sa.Column("connection_id", _ID, nullable=False),
        sa.Column("message_id", _ID, nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("logged_at", app.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["brokerage_id"], ["brokerages.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["connection_id"], ["crm_connections.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("connection_id", "message_id", name="uq_crm_timeline_message"),
    )
    op.execute(
        _links.insert().from_select(
            ["brokerage_id", "lead_id", "provider", "external_id", "created_at"],
            sa.select(
                _leads.c.brokerage_id,
                _leads.c.id,
                _leads.c.external_source,
                _leads.c.external_id,
                sa.func.current_timestamp(),
            ).where(
                _leads.c.external_source.in_(["FOLLOWUPBOSS", "HUBSPOT"]),
                _leads.c.external_id.is_not(None),
            ),
        )
    )


def downgrade() -> None:
    op.drop_table("crm_timeline_log")
    op.drop_index("ix_crm_links_lead", table_name="crm_links")
    op.drop_table("crm_links")
    op.drop_index("ix_crm_sync_runs_connection", table_name="crm_sync_runs")
    op.drop_table("crm_sync_runs")
    with op.batch_alter_table("crm_connections") as batch:
        batch.drop_constraint("uq_crm_connections_webhook_token", type_="unique")
        batch.drop_column("settings")
        batch.drop_column("webhook_error")
        batch.drop_column("webhooks_checked_at")
        batch.drop_column("webhook_ids")
        batch.drop_column("webhook_token")
