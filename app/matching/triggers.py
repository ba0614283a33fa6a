"""What starts matching: leads that changed, a property created or repriced, a campaign."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.jobs import enqueue

# Past this many leads, scoring the whole brokerage is cheaper than naming every lead in a job.
WHOLE_BROKERAGE = 2000
# Up to this many, leads are a trickle (a form, a portal's e-mail, `createLead`, a webhook): their
# matching and first messages go ahead of a bulk campaign's backlog, not behind it.
FEW_LEADS = 20


def leads_changed(session: AsyncSession, brokerage_id: int, lead_ids: list[int] | None) -> None:
    """Score these leads (None: every lead) against every active property after the commit."""
    ids = sorted(set(lead_ids)) if lead_ids is not None else []
    if lead_ids is None or len(ids) > WHOLE_BROKERAGE:
        enqueue(session, "match_leads", brokerage_id, None)
    elif ids:
        enqueue(session, "match_leads", brokerage_id, ids, urgent=len(ids) <= FEW_LEADS)


def property_changed(session: AsyncSession, brokerage_id: int, property_id: int) -> None:
    """Score every lead against this property, then start its outreach campaign."""
    enqueue(session, "match_property", brokerage_id, property_id)
