"""Lead routing: who works a lead, by the brokerage's rule.

ROUND_ROBIN gives each new lead to the next active agent in turn (a counter on the brokerage,
advanced atomically, so N agents get 100/N ±1 of 100 leads); LISTING_AGENT gives it to the
agent of the listing it came for (unassigned until it has one); MANUAL leaves it to
`assignLead`. OWNER and ADMIN see every lead, assigned or not.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Brokerage, LeadRouting, Role, User
from app.conversations.models import BrokerTask, Conversation, TaskStatus
from app.core.visibility import whole_brokerage
from app.leads.models import Lead
from app.properties.models import Property


async def active_agents(
    session: AsyncSession, brokerage_id: int, *, excluding: int | None = None
) -> list[int]:
    """The agents who take leads in turn, in a stable order."""
    stmt = select(User.id).where(User.brokerage_id == brokerage_id, User.role == Role.AGENT)
    if excluding is not None:
        stmt = stmt.where(User.id != excluding)
    return list((await session.execute(stmt.order_by(User.id))).scalars())


async def _next_in_turn(session: AsyncSession, brokerage_id: int, agents: list[int]) -> int:
    turn = (
        await session.execute(
            update(Brokerage)
            .where(Brokerage.id == brokerage_id)
            .values(routing_turn=Brokerage.routing_turn + 1)
            .returning(Brokerage.routing_turn)
        )
    ).scalar_one()
    return agents[(turn - 1) % len(agents)]


async def listing_agent(session: AsyncSession, brokerage_id: int, property_id: int) -> int | None:
    stmt = select(Property.agent_id).where(
        Property.id == property_id, Property.brokerage_id == brokerage_id
    )
    return (await session.execute(stmt)).scalar_one_or_none()


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
        agent = await listing_agent(session, brokerage_id, property_id)
        return agent if agent != excluding else None
    agents = await active_agents(session, brokerage_id, excluding=excluding)
    if not agents:
        return None
    return await _next_in_turn(session, brokerage_id, agents)


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
            property_id = (
                await session.execute(
                    select(Conversation.property_id)
                    .where(Conversation.lead_id == lead.id)
                    .order_by(Conversation.id.desc())
                    .limit(1)
                )
            ).scalar_one_or_none()
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
        unassigned = list(
            (
                await session.execute(
                    select(Lead.id)
                    .where(Lead.id.in_(lead_ids), Lead.assignee_id.is_(None))
                    .order_by(Lead.id)
                )
            ).scalars()
        )
        if not unassigned:
            return 0
        if brokerage.lead_routing is LeadRouting.LISTING_AGENT:
            agent = await listing_agent(session, brokerage_id, property_id)
            if agent is None:
                return 0
            await session.execute(
                update(Lead)
                .where(Lead.id.in_(unassigned), Lead.assignee_id.is_(None))
                .values(assignee_id=agent),
                execution_options={"synchronize_session": False},
            )
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
        stmt = select(Lead.id).where(Lead.brokerage_id == brokerage_id, Lead.assignee_id.is_(None))
        if lead_ids is not None:
            stmt = stmt.where(Lead.id.in_(lead_ids))
        unassigned = list((await session.execute(stmt.order_by(Lead.id))).scalars())
        return await _deal_in_turn(session, brokerage_id, unassigned) if unassigned else 0


async def _deal_in_turn(session: AsyncSession, brokerage_id: int, lead_ids: list[int]) -> int:
    """Give `lead_ids` to the active agents in turn, advancing the brokerage's turn once. A
    lead someone assigned meanwhile keeps its agent."""
    agents = await active_agents(session, brokerage_id)
    if not agents:
        return 0
    last = (
        await session.execute(
            update(Brokerage)
            .where(Brokerage.id == brokerage_id)
            .values(routing_turn=Brokerage.routing_turn + len(lead_ids))
            .returning(Brokerage.routing_turn)
        )
    ).scalar_one()
    first = last - len(lead_ids)
    await session.execute(
        update(Lead).where(Lead.assignee_id.is_(None)),
        [
            {"id": lead_id, "assignee_id": agents[(first + i) % len(agents)]}
            for i, lead_id in enumerate(lead_ids)
        ],
        execution_options={"synchronize_session": None},
    )
    return len(lead_ids)


async def assign(session: AsyncSession, lead: Lead, user_id: int | None) -> None:
    """Give the lead (and its open tasks) to `user_id`; None unassigns it."""
    lead.assignee_id = user_id
    await session.execute(
        update(BrokerTask)
        .where(BrokerTask.lead_id == lead.id, BrokerTask.status == TaskStatus.OPEN)
        .values(assignee_id=user_id)
    )
    await session.flush()
