"""leads.chosen_language: the language a lead asked to be written in, kept over detection

Revision ID: 0021_chosen_language
Revises: 0020_start_after
Create Date: 2026-12-08 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_chosen_language"
down_revision: str | None = "0020_start_after"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("leads", sa.Column("chosen_language", sa.String(length=2), nullable=True))


def downgrade() -> None:
    op.drop_column("leads", "chosen_language")
