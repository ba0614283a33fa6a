"""What leads arriving or changing start in the domains above leads: matching them against every
listing, and routing new ones to the team's agents.

Both are jobs queued by name after the commit (`matching.tasks.match_leads`,
`teams.tasks.route_leads`), so leads does not depend on matching or teams. A lead created one
at a time (`createLead`, a capture) is routed in its own transaction; leads that arrive by the
thousand are dealt in one job after the commit, so the import's batches stay fast and the turn
counter is advanced once.
"""

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


def leads_arrived(session: AsyncSession, brokerage_id: int, lead_ids: list[int] | None) -> None:
    """Give these new leads (None: every unassigned lead) their agent after the commit."""
    if lead_ids is None or len(lead_ids) > WHOLE_BROKERAGE:
        enqueue(session, "route_leads", brokerage_id, None)
    elif lead_ids:
        enqueue(session, "route_leads", brokerage_id, sorted(set(lead_ids)))
