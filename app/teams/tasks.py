"""The team's jobs: delivering notices to its people, dealing leads that arrived in bulk."""

from __future__ import annotations

from typing import Any

from app.core.jobs import task
from app.core.runtime import Runtime
from app.core.uow import commit
from app.teams import routing
from app.teams.flows import deliver_notices


@task  # registered by its name, DELIVER_NOTICES
async def deliver_staff_notices(ctx: dict[str, Any], notice_ids: list[int]) -> int:
    runtime: Runtime = ctx["runtime"]
    return await deliver_notices(runtime, notice_ids)


@task
async def route_leads(ctx: dict[str, Any], brokerage_id: int, lead_ids: list[int] | None) -> int:
    """Give leads that arrived in bulk their agent (see `routing.route_arrivals`)."""
    runtime: Runtime = ctx["runtime"]
    async with runtime.session() as session:
        assigned = await routing.route_arrivals(session, brokerage_id, lead_ids)
        await commit(session)
    return assigned
