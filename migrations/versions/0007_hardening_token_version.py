"""a token version per user, so session tokens can be revoked

`logOut` and `changePassword` bump it; a token carries the version it was issued with and
stops working once they differ.

Revision ID: 0007_hardening
Revises: 0006_importux
Create Date: 2026-12-07 01:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_hardening"
down_revision: str | None = "0006_importux"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("token_version", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    # Not a batch: on SQLite it would copy `users` and drop the old table, which cascades to
    # the rows that refer to a user.
    op.drop_column("users", "token_version")
