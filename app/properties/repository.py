"""Queries of the listings domain, scoped to one brokerage."""

from __future__ import annotations

from sqlalchemy import select, union
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.tenancy import load_scoped
from app.properties.models import Property


async def listing(session: AsyncSession, brokerage_id: int, property_id: int) -> Property | None:
    """The brokerage's listing with this id, or None (also for another brokerage's)."""
    return (await load_scoped(session, Property, brokerage_id, [property_id])).get(property_id)


async def active_listings(session: AsyncSession, brokerage_id: int) -> list[Property]:
    rows = await session.execute(
        select(Property).where(Property.brokerage_id == brokerage_id, Property.active.is_(True))
    )
    return list(rows.scalars())


async def active_listing_ids(session: AsyncSession, brokerage_id: int) -> list[int]:
    rows = await session.execute(
        select(Property.id).where(Property.brokerage_id == brokerage_id, Property.active.is_(True))
    )
    return list(rows.scalars())


async def listing_places(session: AsyncSession, brokerage_id: int) -> list[str]:
    """The places the brokerage's listings name (locations and cities), each once."""
    stmt = union(
        select(Property.location).where(Property.brokerage_id == brokerage_id),
        select(Property.city).where(Property.brokerage_id == brokerage_id),
    )
    return [place for place in (await session.execute(stmt)).scalars() if place]
