"""What starts matching: leads that changed, a property created or repriced, a campaign."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.jobs import enqueue


def leads_changed(session: AsyncSession, brokerage_id: int, lead_ids: list[int]) -> None:
    """Score these leads against every active property once the transaction commits."""
    if lead_ids:
        enqueue(session, "match_leads", brokerage_id, sorted(set(lead_ids)))


def property_changed(session: AsyncSession, brokerage_id: int, property_id: int) -> None:
    """Score every lead against this property, then start its outreach campaign."""
    enqueue(session, "match_property", brokerage_id, property_id)
