"""Every query of the activity history (tenant-scoped)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.activity.events import Stream
from app.activity.models import ActivityEventRow


def feed(
    brokerage_id: int,
    stream: Stream,
    *,
    property_id: int | None = None,
    import_id: int | None = None,
) -> Select[Any]:
    """A brokerage's events of one stream (optionally one listing's or one import's)."""
    stmt = select(ActivityEventRow).where(
        ActivityEventRow.brokerage_id == brokerage_id, ActivityEventRow.stream == stream.value
    )
    if property_id is not None:
        stmt = stmt.where(ActivityEventRow.property_id == property_id)
    if import_id is not None:
        stmt = stmt.where(ActivityEventRow.import_id == import_id)
    return stmt


async def events_after(
    session: AsyncSession, stmt: Select[Any], after: int, limit: int
) -> list[ActivityEventRow]:
    """The events past `after`, oldest first (a subscriber's catch-up)."""
    rows = await session.scalars(
        stmt.where(ActivityEventRow.id > after).order_by(ActivityEventRow.id).limit(limit)
    )
    return list(rows)


async def latest(session: AsyncSession, stmt: Select[Any]) -> ActivityEventRow | None:
    row: ActivityEventRow | None = await session.scalar(
        stmt.order_by(ActivityEventRow.id.desc()).limit(1)
    )
    return row


async def prune(session: AsyncSession, before: datetime) -> int:
    result = await session.execute(delete(ActivityEventRow).where(ActivityEventRow.at < before))
    return int(getattr(result, "rowcount", 0) or 0)
