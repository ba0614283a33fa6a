"""lead import errors in a table of their own

An import writes its rejected rows and unusable values with each batch instead of keeping them
all in memory for one JSON column at the end: its memory no longer grows with bad rows.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
_imports = sa.table(
    "lead_imports",
    sa.column("id", _ID),
    sa.column("errors", _JSON),
    sa.column("error_count", sa.Integer()),
)
_errors = sa.table(
    "lead_import_errors",
    sa.column("import_id", _ID),
    sa.column("line", sa.Integer()),
    sa.column("column", sa.Text()),
    sa.column("message", sa.Text()),
)


def upgrade() -> None:
    connection = op.get_bind()
    saved = [
        (import_id, errors)
        for import_id, errors in connection.execute(sa.select(_imports.c.id, _imports.c.errors))
        if errors
    ]
    # SQLite drops a column by copying the table: done before any row refers to it, since
    # dropping the old copy would cascade to the errors table.
    with op.batch_alter_table("lead_imports") as batch:
        batch.drop_column("errors")
        batch.add_column(
            sa.Column("error_count", sa.Integer(), nullable=False, server_default="0")
        )
    op.create_table(
        "lead_import_errors",
        sa.Column("id", _ID, nullable=False),
        sa.Column("import_id", _ID, nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("column", sa.Text(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["lead_imports.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_lead_import_errors_import_id"), "lead_import_errors", ["import_id"], unique=False
    )
    for import_id, errors in saved:
        connection.execute(_errors.insert(), [{"import_id": import_id, **e} for e in errors])
        connection.execute(
            _imports.update().where(_imports.c.id == import_id).values(error_count=len(errors))
        )


def downgrade() -> None:
    with op.batch_alter_table("lead_imports") as batch:
        batch.add_column(sa.Column("errors", _JSON, nullable=False, server_default="[]"))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_errors.c.import_id, _errors.c.line, _errors.c.column, _errors.c.message)
        .order_by(_errors.c.import_id)
    )
    collected: dict[int, list[dict[str, object]]] = {}
    for import_id, line, column, message in rows:
        collected.setdefault(import_id, []).append(
            {"line": line, "column": column, "message": message}
        )
    for import_id, errors in collected.items():
        connection.execute(
            _imports.update().where(_imports.c.id == import_id).values(errors=errors)
        )
    op.drop_index(op.f("ix_lead_import_errors_import_id"), table_name="lead_import_errors")
    op.drop_table("lead_import_errors")
    with op.batch_alter_table("lead_imports") as batch:
        batch.drop_column("error_count")
