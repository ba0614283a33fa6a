"""Queries of the accounts domain."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import ApiKey, Brokerage, User


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    """The user with this (normalized) e-mail, whatever their brokerage: e-mails are unique."""
    return await session.scalar(select(User).where(User.email == email))


async def api_key_by_prefix(session: AsyncSession, prefix: str) -> ApiKey | None:
    """The API key with this public prefix, whatever its brokerage: the key names its tenant."""
    return await session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))


async def brokerage_timezone(session: AsyncSession, brokerage_id: int) -> str:
    zone: str = (
        await session.execute(select(Brokerage.timezone).where(Brokerage.id == brokerage_id))
    ).scalar_one()
    return zone
