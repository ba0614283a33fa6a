"""What a listing starts in the domains above properties: matching it against every lead, and
its outreach campaign. Both are jobs queued by name after the commit
(`matching.tasks.match_property`, `conversations.campaigns.run_campaign`), so properties and the
settings in accounts do not depend on matching or conversations.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.jobs import enqueue


def property_changed(session: AsyncSession, brokerage_id: int, property_id: int) -> None:
    """Score every lead against this property, then start its outreach campaign."""
    enqueue(session, "match_property", brokerage_id, property_id)


def schedule_campaign(session: AsyncSession, brokerage_id: int, property_id: int) -> None:
    """Reach this listing's matches once the transaction commits (one campaign job at a time)."""
    enqueue(session, "run_campaign", brokerage_id, property_id, job_id=f"campaign:{property_id}")
