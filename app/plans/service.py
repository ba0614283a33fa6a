"""Usage against the plan, and the checks the transport calls before an action (takes a
session; reads only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Brokerage
from app.core.errors import Conflict, Forbidden
from app.messaging.repository import messages_since
from app.plans import repository
from app.plans.rules import (
    Feature,
    Plan,
    PlanSpec,
    feature_refusal,
    limit_refusal,
    month_start,
    spec_for,
)


@dataclass(frozen=True)
class Usage:
    leads: int
    properties: int
    users: int
    messages_this_month: int


async def plan_of(session: AsyncSession, brokerage_id: int) -> PlanSpec:
    brokerage = await session.get(Brokerage, brokerage_id)
    return spec_for(brokerage.plan if brokerage is not None else None)


async def usage(session: AsyncSession, brokerage_id: int, now: datetime) -> Usage:
    """Leads, active listings and users now, and messages queued or sent this month."""
    leads, properties, users = await repository.counts(session, brokerage_id)
    sent = await messages_since(session, brokerage_id, month_start(now))
    return Usage(leads, properties, users, sent)


async def require_feature(session: AsyncSession, brokerage_id: int, feature: Feature) -> None:
    """FORBIDDEN, naming the plan that includes it, when the brokerage's plan does not."""
    refusal = feature_refusal(await plan_of(session, brokerage_id), feature)
    if refusal is not None:
        raise Forbidden(refusal)


async def require_room(
    session: AsyncSession, brokerage_id: int, what: str, now: datetime, adding: int = 1
) -> None:
    """CONFLICT when `adding` more leads, properties or users would pass the plan's limit."""
    current = getattr(await usage(session, brokerage_id, now), what)
    refusal = limit_refusal(await plan_of(session, brokerage_id), what, current, adding)
    if refusal is not None:
        raise Conflict(refusal)


async def month_used_up(session: AsyncSession, brokerage_id: int, now: datetime) -> bool:
    """The brokerage has queued or sent its plan's messages for this month."""
    spec = await plan_of(session, brokerage_id)
    return await messages_since(session, brokerage_id, month_start(now)) >= spec.messages_per_month


async def set_plan(session: AsyncSession, brokerage: str, plan: Plan) -> tuple[Brokerage, str]:
    """An operator sets the plan of the brokerage named by id or exact name: (it, the plan
    before). LookupError when no brokerage, or more than one, has that name."""
    if brokerage.isdigit():
        found = [row] if (row := await session.get(Brokerage, int(brokerage))) else []
    else:
        found = await repository.brokerages_named(session, brokerage)
    if len(found) != 1:
        raise LookupError(
            f"No brokerage '{brokerage}'."
            if not found
            else f"{len(found)} brokerages are named '{brokerage}': use the id."
        )
    (row,) = found
    before = row.plan
    row.plan = plan.value
    await session.flush()
    return row, before
