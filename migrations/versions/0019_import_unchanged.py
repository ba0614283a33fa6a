"""lead_imports.unchanged: the rows naming a lead that they left as it was

Revision ID: 0019_import_unchanged
Revises: 0018_other_address_indexes
Create Date: 2026-12-07 21:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_import_unchanged"
down_revision: str | None = "0018_other_address_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "lead_imports", sa.Column("unchanged", sa.Integer(), nullable=False, server_default="0")
    )


def downgrade() -> None:
    op.drop_column("lead_imports", "unchanged")
