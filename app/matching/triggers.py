"""What matching starts in the domains above it: reaching the leads a listing newly matched.

A few new leads (a form, a portal's e-mail) have their conversations opened and started by
`conversations.campaigns.reach_leads`, queued by name and urgent after the commit, so a lead who
just asked hears back within the minute and matching does not depend on conversations. More
than a few are left to the listing's campaign (`properties.triggers.schedule_campaign`).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.jobs import enqueue


def new_leads_matched(
    session: AsyncSession, brokerage_id: int, property_id: int, lead_ids: list[int]
) -> None:
    """Open and start these leads' conversations on this listing, ahead of any bulk backlog."""
    enqueue(session, "reach_leads", brokerage_id, property_id, lead_ids, urgent=True)
