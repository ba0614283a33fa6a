"""budgets by kind: a monthly rent budget beside the purchase one; the gate a match went through

`leads.min_budget`/`max_budget` held whatever budget a row had, a rent as often as a price. They
now mean a purchase budget, and `rent_min_budget`/`rent_max_budget` a monthly rent. Existing
budgets move to the rent fields when the lead only rents, or when the budget is one no home is
bought with (under 100,000 in pesos or an unnamed currency, under 20,000 in dollars, euros or
pounds: a month's rent). `matches.gate` records which gate let a match through; matches scored
before this stay NULL until their listing or lead is scored again.

Revision ID: 0005_leaddata
Revises: 0004_capture
Create Date: 2026-12-07 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_leaddata"
down_revision: str | None = "0004_capture"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_leads = sa.table(
    "leads",
    sa.column("min_budget", _ID),
    sa.column("max_budget", _ID),
    sa.column("rent_min_budget", _ID),
    sa.column("rent_max_budget", _ID),
    sa.column("currency", sa.String(3)),
    sa.column("operation", sa.String(8)),
)


def upgrade() -> None:
    with op.batch_alter_table("leads") as batch:
        batch.add_column(sa.Column("rent_min_budget", _ID, nullable=True))
        batch.add_column(sa.Column("rent_max_budget", _ID, nullable=True))
    with op.batch_alter_table("matches") as batch:
        batch.add_column(sa.Column("gate", sa.String(20), nullable=True))
    leads = _leads.c
    ceiling = sa.func.coalesce(leads.max_budget, leads.min_budget)
    a_rent = sa.or_(
        leads.operation == "RENT",
        ceiling
        < sa.case((leads.currency.in_(["USD", "EUR", "GBP", "CAD"]), 20_000), else_=100_000),
    )
    op.get_bind().execute(
        _leads.update()
        .where(ceiling.is_not(None), a_rent)
        .values(
            rent_min_budget=leads.min_budget,
            rent_max_budget=leads.max_budget,
            min_budget=None,
            max_budget=None,
        )
    )


def downgrade() -> None:
    leads = _leads.c
    op.get_bind().execute(
        _leads.update()
        .where(leads.min_budget.is_(None), leads.max_budget.is_(None))
        .values(min_budget=leads.rent_min_budget, max_budget=leads.rent_max_budget)
    )
    # A plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+, PostgreSQL): on SQLite a batch copies
    # the table and drops the old one, and with foreign keys on that drop cascades to every row
    # that refers to a lead (opt-outs, conversations, matches): a downgrade would erase them.
    op.drop_column("matches", "gate")
    op.drop_column("leads", "rent_max_budget")
    op.drop_column("leads", "rent_min_budget")
