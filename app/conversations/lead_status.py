"""Whether a lead is still in the market: a lead who bought or rented elsewhere, or stopped
looking, leaves matching and campaigns (their open conversations end, their tasks close) until
the broker puts them back, or they write again wanting something."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.conversations import repository
from app.conversations.intents import DeclineReason
from app.core.db import utcnow
from app.core.tenancy import get_scoped
from app.leads.models import Lead, LeadChange, LeadStatus
from app.leads.triggers import leads_changed

STATUS_OF_REASON = {
    DeclineReason.BOUGHT_ELSEWHERE: LeadStatus.BOUGHT_ELSEWHERE,
    DeclineReason.STOPPED_LOOKING: LeadStatus.STOPPED_LOOKING,
}


async def set_lead_status(
    session: AsyncSession, brokerage_id: int, lead_id: int, status: LeadStatus, *, source: str
) -> Lead:
    """Record where the lead stands (logged in the lead's history with `source`).

    Out of the market: every open conversation of the lead closes (no follow-ups), their open
    tasks are cancelled and their matches go. Back in it: they are matched again, and the
    listings that fit them reach them. Nothing to do when the status does not change."""
    lead = await get_scoped(session, Lead, brokerage_id, lead_id, what="Lead")
    if lead.status is status:
        return lead
    session.add(
        LeadChange(
            brokerage_id=brokerage_id,
            lead_id=lead_id,
            source=source,
            field="status",
            old_value=lead.status.value,
            new_value=status.value,
            at=utcnow(),
        )
    )
    lead.status = status
    if status is not LeadStatus.ACTIVE:
        await repository.close_lead_threads(session, brokerage_id, lead_id)
    # Matching leaves out a lead not ACTIVE (their matches go) and takes one back in.
    leads_changed(session, brokerage_id, [lead_id])
    await session.flush()
    return lead
