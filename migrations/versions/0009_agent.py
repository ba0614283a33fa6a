"""listing facts, the broker's voice, task status, qualification signals, message variants

Listings carry their facts as fields (parking, areas, amenities, pets, fees, deposit,
availability, photos, URL, address) so the agent quotes them instead of parsing the description.
Brokerages name the agent and choose tú or usted. Broker tasks get a status (open, done,
cancelled), a due time, their listing and assignee, and one open task per lead and kind replaces
one task per conversation and kind ever. Conversations keep their qualification signals and the
first-message variant the lead got.

Revision ID: 0009_agent
Revises: 0008_viewings
Create Date: 2026-12-07 01:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import app.core.db

revision: str = "0009_agent"
down_revision: str | None = "0008_viewings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
_OPEN = sa.text("status = 'OPEN'")


def upgrade() -> None:
    with op.batch_alter_table("properties") as batch:
        batch.add_column(sa.Column("parking_spaces", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("built_area_m2", sa.Float(), nullable=True))
        batch.add_column(sa.Column("lot_area_m2", sa.Float(), nullable=True))
        batch.add_column(sa.Column("amenities", _JSON, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("pets_allowed", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("maintenance_fee", _ID, nullable=True))
        batch.add_column(sa.Column("deposit", _ID, nullable=True))
        batch.add_column(sa.Column("available_from", sa.Date(), nullable=True))
        batch.add_column(sa.Column("photos", _JSON, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("listing_url", sa.String(length=1000), nullable=True))
        batch.add_column(sa.Column("address", sa.Text(), nullable=True))
    with op.batch_alter_table("brokerages") as batch:
        batch.add_column(
            sa.Column("agent_name", sa.String(length=120), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column(
                "formality",
                sa.Enum("TU", "USTED", name="formality", native_enum=False, length=24),
                nullable=False,
                server_default="TU",
            )
        )
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("variant", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("qualification", _JSON, nullable=False, server_default="{}"))
    with op.batch_alter_table("broker_tasks") as batch:
        batch.drop_constraint("uq_tasks_conversation_kind", type_="unique")
        batch.add_column(
            sa.Column(
                "status",
                sa.Enum(
                    "OPEN", "DONE", "CANCELLED", name="taskstatus", native_enum=False, length=24
                ),
                nullable=False,
                server_default="OPEN",
            )
        )
        batch.add_column(sa.Column("property_id", _ID, nullable=True))
        batch.add_column(sa.Column("assignee_id", _ID, nullable=True))
        batch.add_column(
            sa.Column("due_at", app.core.db.UtcDateTime(timezone=True), nullable=True)
        )
        batch.add_column(
            sa.Column("closed_at", app.core.db.UtcDateTime(timezone=True), nullable=True)
        )
        batch.create_foreign_key(
            "fk_broker_tasks_property", "properties", ["property_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_foreign_key(
            "fk_broker_tasks_assignee", "users", ["assignee_id"], ["id"], ondelete="SET NULL"
        )
    tasks = sa.table(
        "broker_tasks",
        sa.column("done", sa.Boolean()),
        sa.column("status", sa.String()),
        sa.column("conversation_id", _ID),
        sa.column("property_id", _ID),
    )
    conversations = sa.table("conversations", sa.column("id", _ID), sa.column("property_id", _ID))
    op.execute(tasks.update().where(tasks.c.done.is_(True)).values(status="DONE"))
    op.execute(
        tasks.update().values(
            property_id=sa.select(conversations.c.property_id)
            .where(conversations.c.id == tasks.c.conversation_id)
            .scalar_subquery()
        )
    )
    with op.batch_alter_table("broker_tasks") as batch:
        batch.drop_column("done")
    op.create_index(
        "uq_tasks_open_lead_kind",
        "broker_tasks",
        ["lead_id", "kind"],
        unique=True,
        postgresql_where=_OPEN,
        sqlite_where=_OPEN,
    )
    op.create_index("ix_broker_tasks_conversation", "broker_tasks", ["conversation_id"])


def downgrade() -> None:
    op.drop_index("ix_broker_tasks_conversation", table_name="broker_tasks")
    op.drop_index("uq_tasks_open_lead_kind", table_name="broker_tasks")
    with op.batch_alter_table("broker_tasks") as batch:
        batch.add_column(
            sa.Column("done", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    tasks = sa.table(
        "broker_tasks",
        sa.column("id", _ID),
        sa.column("done", sa.Boolean()),
        sa.column("status", sa.String()),
        sa.column("conversation_id", _ID),
        sa.column("kind", sa.String()),
    )
    op.execute(tasks.update().where(tasks.c.status != "OPEN").values(done=True))
    # One task per conversation and kind again: keep the newest of each pair.
    newest = (
        sa.select(sa.func.max(tasks.c.id))
        .group_by(tasks.c.conversation_id, tasks.c.kind)
        .scalar_subquery()
    )
    op.execute(tasks.delete().where(tasks.c.id.not_in(newest)))
    with op.batch_alter_table("broker_tasks") as batch:
        batch.drop_constraint("fk_broker_tasks_assignee", type_="foreignkey")
        batch.drop_constraint("fk_broker_tasks_property", type_="foreignkey")
        batch.drop_column("closed_at")
        batch.drop_column("due_at")
        batch.drop_column("assignee_id")
        batch.drop_column("property_id")
        batch.drop_column("status")
        batch.create_unique_constraint("uq_tasks_conversation_kind", ["conversation_id", "kind"])
    _drop_columns("conversations", "qualification", "variant")
    _drop_columns("brokerages", "formality", "agent_name")
    _drop_columns(
        "properties",
        "address",
        "listing_url",
        "photos",
        "available_from",
        "deposit",
        "maintenance_fee",
        "pets_allowed",
        "amenities",
        "lot_area_m2",
        "built_area_m2",
        "parking_spaces",
    )


def _drop_columns(table: str, *columns: str) -> None:
    """Plain ALTER TABLE ... DROP COLUMN: on SQLite a batch would copy the table and drop the
    old one, which cascades to every row that refers to it (leads, conversations...)."""
    for column in columns:
        op.execute(f'ALTER TABLE {table} DROP COLUMN "{column}"')
