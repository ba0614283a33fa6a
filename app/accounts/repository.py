"""Queries of the accounts domain."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import User


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    """The user with this (normalized) e-mail, whatever their brokerage: e-mails are unique."""
    return await session.scalar(select(User).where(User.email == email))
