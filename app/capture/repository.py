"""Every capture query: a brokerage's key (made on first use), rotation, and key lookup."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.capture.models import CaptureKey, new_capture_key
from app.core.db import utcnow


async def key_of(session: AsyncSession, brokerage_id: int) -> CaptureKey:
    """The brokerage's capture key, created the first time anyone asks (idempotent)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    await session.execute(
        insert(CaptureKey)
        .values(brokerage_id=brokerage_id, key=new_capture_key(), rotated_at=utcnow())
        .on_conflict_do_nothing(index_elements=["brokerage_id"])
    )
    row: CaptureKey = (
        await session.execute(select(CaptureKey).where(CaptureKey.brokerage_id == brokerage_id))
    ).scalar_one()
    return row


async def rotate(session: AsyncSession, brokerage_id: int) -> CaptureKey:
    row = await key_of(session, brokerage_id)
    row.key = new_capture_key()
    row.rotated_at = utcnow()
    await session.flush()
    return row


async def brokerage_for(session: AsyncSession, key: str) -> int | None:
    """Whose capture URL this is (not tenant-scoped: the key is the credential)."""
    stmt = select(CaptureKey.brokerage_id).where(CaptureKey.key == key)
    brokerage_id: int | None = (await session.execute(stmt)).scalar_one_or_none()
    return brokerage_id
