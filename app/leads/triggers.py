"""What leads arriving in bulk (an import, a CRM sync) start: routing to the team's agents.

A lead created one at a time (`createLead`, a capture) is routed in its own transaction; leads
that arrive by the thousand are dealt in one job (`teams.tasks.route_leads`, queued by name so
leads does not depend on teams) after the commit, so the import's batches stay fast and the
turn counter is advanced once.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.jobs import enqueue
from app.matching.triggers import WHOLE_BROKERAGE


def leads_arrived(session: AsyncSession, brokerage_id: int, lead_ids: list[int] | None) -> None:
    """Give these new leads (None: every unassigned lead) their agent after the commit."""
    if lead_ids is None or len(lead_ids) > WHOLE_BROKERAGE:
        enqueue(session, "route_leads", brokerage_id, None)
    elif lead_ids:
        enqueue(session, "route_leads", brokerage_id, sorted(set(lead_ids)))
