"""dry runs, unrecognised columns, cell references, suppressions, folded search keys

A dry run is an import record of its own (`dry_run`) with the columns it did not recognise and
examples of rows that merge; a workbook's errors name their cell; an erased lead leaves only a
hash of its email and phone in `lead_suppressions`; `leads.name_key` and `properties.search_key`
hold folded text (no accents, no case) so search finds "Sánchez" for "sanchez" and the other way
round on both databases, with a trigram index on PostgreSQL.

Revision ID: 0006_importux
Revises: 0005_leaddata
Create Date: 2026-12-07 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from app.core.text import fold

revision: str = "0006_importux"
down_revision: str | None = "0005_leaddata"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
_leads = sa.table(
    "leads", sa.column("id", _ID), sa.column("name", sa.String()), sa.column("name_key")
)
_properties = sa.table(
    "properties",
    sa.column("id", _ID),
    sa.column("title", sa.String()),
    sa.column("location", sa.String()),
    sa.column("city", sa.String()),
    sa.column("search_key"),
)
_TRIGRAM_INDEXES = (("ix_leads_name_key_trgm", "leads", "name_key"),
                    ("ix_properties_search_key_trgm", "properties", "search_key"))  # fmt: skip


def upgrade() -> None:
    # Plain ADD COLUMNs (no table copy on SQLite: the copy's drop would cascade to children).
    op.add_column(
        "lead_imports", sa.Column("dry_run", sa.Boolean(), nullable=False, server_default="0")
    )
    op.add_column(
        "lead_imports", sa.Column("unrecognized", _JSON, nullable=False, server_default="[]")
    )
    op.add_column("lead_imports", sa.Column("merges", _JSON, nullable=False, server_default="[]"))
    op.add_column("lead_import_errors", sa.Column("cell", sa.String(16), nullable=True))
    op.add_column("leads", sa.Column("name_key", sa.String(300), nullable=False, server_default=""))
    op.add_column("properties", sa.Column("search_key", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "lead_suppressions",
        sa.Column("id", _ID, nullable=False),
        sa.Column("brokerage_id", _ID, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["brokerage_id"], ["brokerages.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("brokerage_id", "digest", name="uq_suppressions_digest"),
    )
    connection = op.get_bind()
    for lead_id, name in connection.execute(sa.select(_leads.c.id, _leads.c.name)):
        connection.execute(
            _leads.update().where(_leads.c.id == lead_id).values(name_key=fold(name or ""))
        )
    columns = (_properties.c.id, _properties.c.title, _properties.c.location, _properties.c.city)
    for listing_id, *parts in connection.execute(sa.select(*columns)):
        key = fold(" ".join(part for part in parts if part))
        connection.execute(
            _properties.update().where(_properties.c.id == listing_id).values(search_key=key)
        )
    if connection.dialect.name == "postgresql":
        # pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, table, column in _TRIGRAM_INDEXES:
            op.execute(f"CREATE INDEX {name} ON {table} USING gin ({column} gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, _, _ in _TRIGRAM_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    op.drop_table("lead_suppressions")
    for table, column in (
        ("properties", "search_key"),
        ("leads", "name_key"),
        ("lead_import_errors", "cell"),
        ("lead_imports", "merges"),
        ("lead_imports", "unrecognized"),
        ("lead_imports", "dry_run"),
    ):
        # ALTER TABLE ... DROP COLUMN on both (SQLite 3.35+): no table copy, no cascade.
        op.execute(f'ALTER TABLE {table} DROP COLUMN "{column}"')
