"""Queries of the plans domain: what a brokerage uses against its plan."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Brokerage, User
from app.leads.models import Lead
from app.properties.models import Property


async def counts(session: AsyncSession, brokerage_id: int) -> tuple[int, int, int]:
    """Leads, active listings and users, in one statement."""

    def count(model: type[Lead] | type[Property] | type[User], *where: Any) -> Any:
        return (
            select(func.count())
            .select_from(model)
            .where(model.brokerage_id == brokerage_id, *where)
            .scalar_subquery()
        )

    leads, properties, users = (
        await session.execute(
            select(count(Lead), count(Property, Property.active.is_(True)), count(User))
        )
    ).one()
    return leads, properties, users


async def brokerages_named(session: AsyncSession, name: str) -> list[Brokerage]:
    """Every brokerage with exactly this name (an operator's lookup: not tenant-scoped)."""
    return list((await session.execute(select(Brokerage).where(Brokerage.name == name))).scalars())
