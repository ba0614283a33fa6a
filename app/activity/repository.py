"""Every query of the activity history (tenant-scoped)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, Table, delete, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.activity.models import ActivityEventRow
from app.activity.schemas import Stream

# The advisory lock space of "store and publish a brokerage's events" (any constant of ours).
_LOCK_SPACE = 0x0AC7


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


async def lock_brokerage(conn: AsyncConnection, brokerage_id: int) -> bool:
    """Take the brokerage's cross-process lock (PostgreSQL) and tell whether partners listen, in
    one round trip (a reply's events were three transactions: ten round trips before its answer
    could start)."""
    locked = await conn.execute(
        text(
            "SELECT pg_advisory_lock(:space, :key), EXISTS (SELECT 1 FROM "
            "webhook_subscriptions WHERE brokerage_id = :key AND active)"
        ),
        {"space": _LOCK_SPACE, "key": brokerage_id},
    )
    return bool(locked.one()[1])


async def unlock_brokerage(conn: AsyncConnection, brokerage_id: int) -> None:
    # Outside any transaction: one round trip, no BEGIN and COMMIT around it.
    await conn.execution_options(isolation_level="AUTOCOMMIT")
    await conn.execute(
        text("SELECT pg_advisory_unlock(:space, :key)"),
        {"space": _LOCK_SPACE, "key": brokerage_id},
    )


async def insert_events(conn: AsyncConnection, batch: list[dict[str, Any]]) -> list[int]:
    """Store `batch` in order; returns the new ids in the same order."""
    table = cast(Table, ActivityEventRow.__table__)
    rows = await conn.execute(
        table.insert().returning(table.c.id, sort_by_parameter_order=True), batch
    )
    return [row[0] for row in rows]


async def has_webhooks(conn: AsyncConnection, brokerage_id: int) -> bool:
    """Whether the brokerage has an active webhook subscription (app/webhooks' table)."""
    found = await conn.scalar(
        text("SELECT 1 FROM webhook_subscriptions WHERE brokerage_id = :b AND active LIMIT 1"),
        {"b": brokerage_id},
    )
    return found is not None
