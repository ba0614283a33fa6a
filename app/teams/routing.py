"""Lead routing: who works a lead, by the brokerage's rule.

ROUND_ROBIN gives each new lead to the next active agent in turn (a counter on the brokerage,
advanced atomically, so N agents get 100/N ±1 of 100 leads); LISTING_AGENT gives it to the
agent of the listing it came for (unassigned until it has one); MANUAL leaves it to
`assignLead`. OWNER and ADMIN see every lead, assigned or not.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Brokerage, LeadRouting
from app.core.visibility import whole_brokerage
from app.leads.models import Lead
from app.teams import repository


async def choose_assignee(
    session: AsyncSession,
    brokerage_id: int,
    *,
    property_id: int | None = None,
    excluding: int | None = None,
) -> int | None:
    """Whom the brokerage's rule gives a lead (that came for `property_id`, if known)."""
    brokerage = await session.get(Brokerage, brokerage_id)
    if brokerage is None or brokerage.lead_routing is LeadRouting.MANUAL:
        return None
    if brokerage.lead_routing is LeadRouting.LISTING_AGENT:
        if property_id is None:
            return None
        agent = await repository.listing_agent(session, brokerage_id, property_id)
        return agent if agent != excluding else None
    agents = await repository.active_agents(session, brokerage_id, excluding=excluding)
    if not agents:
        return None
    turn = await repository.advance_turn(session, brokerage_id, 1)
    return agents[(turn - 1) % len(agents)]


async def route_lead(
    session: AsyncSession,
    lead: Lead,
    *,
    property_id: int | None = None,
    excluding: int | None = None,
) -> int | None:
    """Assign an unassigned lead by the rule; returns its assignee (None: still unassigned)."""
    if lead.assignee_id is not None:
        return lead.assignee_id
    with whole_brokerage():
        if property_id is None:  # the listing it last talked about, for LISTING_AGENT
            property_id = await repository.last_listing_of(session, lead.id)
        assignee = await choose_assignee(
            session, lead.brokerage_id, property_id=property_id, excluding=excluding
        )
        if assignee is not None:
            await assign(session, lead, assignee)
    return assignee


async def route_new_leads(
    session: AsyncSession, brokerage_id: int, lead_ids: list[int], property_id: int
) -> int:
    """Assign, in a few statements, the leads of `lead_ids` that nobody works yet, as they get
    a conversation about `property_id` (a campaign batch: thousands at once). Returns how
    many were assigned."""
    brokerage = await session.get(Brokerage, brokerage_id)
    if not lead_ids or brokerage is None or brokerage.lead_routing is LeadRouting.MANUAL:
        return 0
    with whole_brokerage():
        unassigned = await repository.unassigned(session, brokerage_id, lead_ids)
        if not unassigned:
            return 0
        if brokerage.lead_routing is LeadRouting.LISTING_AGENT:
            agent = await repository.listing_agent(session, brokerage_id, property_id)
            if agent is None:
                return 0
            await repository.give_all_unassigned(session, unassigned, agent)
            return len(unassigned)
        return await _deal_in_turn(session, brokerage_id, unassigned)


async def route_arrivals(
    session: AsyncSession, brokerage_id: int, lead_ids: list[int] | None
) -> int:
    """Deal leads that arrived in bulk (an import, a CRM sync; None: every unassigned lead) to
    the agents in turn under ROUND_ROBIN. Under LISTING_AGENT a lead waits for the listing it
    is matched to (`route_new_leads`); under MANUAL for `assignLead`. Returns how many were
    assigned."""
    brokerage = await session.get(Brokerage, brokerage_id)
    if brokerage is None or brokerage.lead_routing is not LeadRouting.ROUND_ROBIN:
        return 0
    with whole_brokerage():
        unassigned = await repository.unassigned(session, brokerage_id, lead_ids)
        return await _deal_in_turn(session, brokerage_id, unassigned) if unassigned else 0


async def _deal_in_turn(session: AsyncSession, brokerage_id: int, lead_ids: list[int]) -> int:
    """Give `lead_ids` to the active agents in turn, advancing the brokerage's turn once. A
    lead someone assigned meanwhile keeps its agent."""
    agents = await repository.active_agents(session, brokerage_id)
    if not agents:
        return 0
    first = await repository.advance_turn(session, brokerage_id, len(lead_ids)) - len(lead_ids)
    await repository.give_unassigned(
        session,
        {lead_id: agents[(first + i) % len(agents)] for i, lead_id in enumerate(lead_ids)},
    )
    return len(lead_ids)


async def assign(session: AsyncSession, lead: Lead, user_id: int | None) -> None:
    """Give the lead (and its open tasks) to `user_id`; None unassigns it."""
    lead.assignee_id = user_id
    await repository.give_open_tasks(session, lead.id, user_id)
    await session.flush()
