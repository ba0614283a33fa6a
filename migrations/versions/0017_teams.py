"""teams: roles, invitations, lead assignment and routing, listing agents, audit, staff notices

Revision ID: 0017_teams
Revises: 0016_read_indexes
Create Date: 2026-12-07 03:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import app.core.db

revision: str = "0017_teams"
down_revision: str | None = "0016_read_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
_AT = app.core.db.UtcDateTime(timezone=True)


def _enum(name: str, *values: str, length: int = 24) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=length)


def _user_column(table: str, column: str) -> None:
    # Columns are added in place (a batch copy of a parent table would cascade deletes on
    # SQLite); the foreign key is added where the database can add one to a live table.
    op.add_column(table, sa.Column(column, _ID, nullable=True))
    if op.get_bind().dialect.name != "sqlite":
        op.create_foreign_key(
            f"fk_{table}_{column}", table, "users", [column], ["id"], ondelete="SET NULL"
        )


def upgrade() -> None:
    op.add_column(
        "brokerages",
        sa.Column(
            "lead_routing",
            _enum("leadrouting", "ROUND_ROBIN", "LISTING_AGENT", "MANUAL"),
            nullable=False,
            server_default="ROUND_ROBIN",
        ),
    )
    op.add_column(
        "brokerages",
        sa.Column("routing_turn", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column("users", sa.Column("phone", sa.String(length=32), nullable=True))
    op.add_column("users", sa.Column("signature", sa.Text(), nullable=False, server_default=""))
    _user_column("leads", "assignee_id")
    op.create_index("ix_leads_assignee_id", "leads", ["assignee_id"])
    _user_column("properties", "agent_id")

    op.create_table(
        "invitations",
        sa.Column("id", _ID, nullable=False),
        sa.Column("brokerage_id", _ID, nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("role", _enum("role", "OWNER", "ADMIN", "AGENT"), nullable=False),
        sa.Column("invited_by_id", _ID, nullable=True),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("expires_at", _AT, nullable=False),
        sa.Column("accepted_at", _AT, nullable=True),
        sa.Column("revoked_at", _AT, nullable=True),
        sa.Column(
            "created_at", _AT, server_default=sa.text("CURRENT_TIMESTAMP"), nullable=False
        ),
        sa.ForeignKeyConstraint(["brokerage_id"], ["brokerages.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["invited_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("nonce", name="uq_invitations_nonce"),
    )
    op.create_index("ix_invitations_brokerage_id", "invitations", ["brokerage_id"])

    op.create_table(
        "audit_entries",
        sa.Column("id", _ID, nullable=False),
        sa.Column("brokerage_id", _ID, nullable=False),
        sa.Column("at", _AT, nullable=False),
        sa.Column("actor_id", _ID, nullable=True),
        sa.Column("actor_name", sa.String(length=300), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("subject_type", sa.String(length=40), nullable=False),
        sa.Column("subject_id", _ID, nullable=True),
        sa.Column("detail", _JSON, nullable=False),
        sa.ForeignKeyConstraint(["brokerage_id"], ["brokerages.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_entries_brokerage", "audit_entries", ["brokerage_id", "id"])

    op.create_table(
        "staff_notices",
        sa.Column("id", _ID, nullable=False),
        sa.Column("brokerage_id", _ID, nullable=False),
        sa.Column("user_id", _ID, nullable=True),
        sa.Column("channel", _enum("noticechannel", "EMAIL", "SMS"), nullable=False),
        sa.Column("to_address", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column(
            "status", _enum("noticestatus", "QUEUED", "SENT", "FAILED"), nullable=False
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("sent_at", _AT, nullable=True),
        sa.Column(
            "created_at", _AT, server_default=sa.text("CURRENT_TIMESTAMP"), nullable=False
        ),
        sa.ForeignKeyConstraint(["brokerage_id"], ["brokerages.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key", name="uq_staff_notices_key"),
    )
    op.create_index("ix_staff_notices_brokerage_id", "staff_notices", ["brokerage_id"])


def downgrade() -> None:
    op.drop_table("staff_notices")
    op.drop_table("audit_entries")
    op.drop_table("invitations")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_properties_agent_id", "properties", type_="foreignkey")
        op.drop_constraint("fk_leads_assignee_id", "leads", type_="foreignkey")
    op.drop_column("properties", "agent_id")
    op.drop_index("ix_leads_assignee_id", table_name="leads")
    op.drop_column("leads", "assignee_id")
    op.drop_column("users", "signature")
    op.drop_column("users", "phone")
    op.drop_column("brokerages", "routing_turn")
    op.drop_column("brokerages", "lead_routing")
