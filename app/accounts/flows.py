"""What follows a change of brokerage settings: re-scoring every listing, resuming outreach."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.conversations.campaigns import schedule_campaign
from app.core.jobs import enqueue
from app.matching.triggers import property_changed
from app.properties.models import Property


async def after_settings_change(
    session: AsyncSession, brokerage_id: int, *, rescore: bool, resumed: bool
) -> None:
    """Queue (after the commit) the work a settings change implies."""
    listings = list(
        (
            await session.execute(
                select(Property.id).where(
                    Property.brokerage_id == brokerage_id, Property.active.is_(True)
                )
            )
        ).scalars()
    )
    if rescore:  # new weights or tiers: every listing's matches are scored again
        for property_id in listings:
            property_changed(session, brokerage_id, property_id)
    if resumed:  # messages held during the pause go out; campaigns left unstarted start
        enqueue(session, "sweep_outbox", job_id=f"sweep_outbox:resume:{brokerage_id}")
        for property_id in listings:
            schedule_campaign(session, brokerage_id, property_id)
