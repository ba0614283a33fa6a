"""What follows a change of brokerage settings: re-scoring every listing, resuming outreach."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.jobs import enqueue
from app.properties import repository as properties
from app.properties.triggers import property_changed, schedule_campaign


async def after_settings_change(
    session: AsyncSession, brokerage_id: int, *, rescore: bool, resumed: bool
) -> None:
    """Queue (after the commit) the work a settings change implies."""
    listings = await properties.active_listing_ids(session, brokerage_id)
    if rescore:  # new weights or tiers: every listing's matches are scored again
        for property_id in listings:
            property_changed(session, brokerage_id, property_id)
    if resumed:  # messages held during the pause go out; campaigns left unstarted start
        enqueue(session, "sweep_outbox", job_id=f"sweep_outbox:resume:{brokerage_id}")
        for property_id in listings:
            schedule_campaign(session, brokerage_id, property_id)
