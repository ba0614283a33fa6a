"""The audit of who did what (take-overs, approvals, assignments, the team's changes)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import ApiKey, User
from app.accounts.principal import Principal
from app.core.db import utcnow
from app.core.tenancy import scoped
from app.teams.models import AuditAction, AuditEntry


async def actor_name(session: AsyncSession, principal: Principal | None) -> str:
    if principal is None:
        return "BR SCALE"
    if principal.user_id is not None:
        user = await session.get(User, principal.user_id)
        return user.name if user is not None else f"user {principal.user_id}"
    key = await session.get(ApiKey, principal.api_key_id) if principal.api_key_id else None
    return f"API key '{key.name}'" if key is not None else "API key"


async def record(
    session: AsyncSession,
    principal: Principal | None,
    action: AuditAction,
    subject_type: str,
    subject_id: int | None,
    brokerage_id: int | None = None,
    **detail: Any,
) -> AuditEntry:
    """One entry, in the caller's transaction (it exists only if the action committed).
    `principal` None: the product acted (routing)."""
    entry = AuditEntry(
        brokerage_id=brokerage_id if brokerage_id is not None else principal.brokerage_id,  # type: ignore[union-attr]
        at=utcnow(),
        actor_id=principal.user_id if principal is not None else None,
        actor_name=await actor_name(session, principal),
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        detail=detail,
    )
    session.add(entry)
    await session.flush()
    return entry


def entries_query(principal: Principal, action: AuditAction | None = None) -> Select[Any]:
    """Newest first, OWNER and ADMIN only (the caller checks)."""
    stmt = scoped(AuditEntry, principal.brokerage_id)
    if action is not None:
        stmt = stmt.where(AuditEntry.action == action)
    return stmt
