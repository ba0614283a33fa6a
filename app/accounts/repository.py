"""Queries of the accounts domain."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Brokerage, User


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    """The user with this (normalized) e-mail, whatever their brokerage: e-mails are unique."""
    return await session.scalar(select(User).where(User.email == email))


async def brokerage_timezone(session: AsyncSession, brokerage_id: int) -> str:
    zone: str = (
        await session.execute(select(Brokerage.timezone).where(Brokerage.id == brokerage_id))
    ).scalar_one()
    return zone
