"""Queries of the teams domain: agents and their turn, who works which lead, the team's
notices, and what an agent may see."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import with_loader_criteria

from app.accounts.models import Brokerage, Role, User
from app.activity.models import ActivityEventRow
from app.core.db import dialect_insert
from app.leads.models import Lead, LeadChange
from app.matching.models import Match
from app.messaging.models import Consent, Message
from app.properties.models import Property
from app.teams.models import Invitation, NoticeChannel, NoticeStatus, StaffNotice
from app.threads.models import BrokerTask, Conversation, TaskStatus, Viewing

# --- routing ----------------------------------------------------------------------------------


async def active_agents(
    session: AsyncSession, brokerage_id: int, *, excluding: int | None = None
) -> list[int]:
    """The agents who take leads in turn, in a stable order."""
    stmt = select(User.id).where(User.brokerage_id == brokerage_id, User.role == Role.AGENT)
    if excluding is not None:
        stmt = stmt.where(User.id != excluding)
    return list((await session.execute(stmt.order_by(User.id))).scalars())


async def advance_turn(session: AsyncSession, brokerage_id: int, by: int) -> int:
    """Move the brokerage's round-robin counter on by `by` (atomically); its new value."""
    turn: int = (
        await session.execute(
            update(Brokerage)
            .where(Brokerage.id == brokerage_id)
            .values(routing_turn=Brokerage.routing_turn + by)
            .returning(Brokerage.routing_turn)
        )
    ).scalar_one()
    return turn


async def listing_agent(session: AsyncSession, brokerage_id: int, property_id: int) -> int | None:
    stmt = select(Property.agent_id).where(
        Property.id == property_id, Property.brokerage_id == brokerage_id
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def last_listing_of(session: AsyncSession, lead_id: int) -> int | None:
    """The listing the lead last talked about."""
    stmt = (
        select(Conversation.property_id)
        .where(Conversation.lead_id == lead_id)
        .order_by(Conversation.id.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def unassigned(
    session: AsyncSession, brokerage_id: int, lead_ids: Sequence[int] | None
) -> list[int]:
    """Of `lead_ids` (None: the brokerage's every lead), those nobody works, in id order."""
    stmt = select(Lead.id).where(Lead.brokerage_id == brokerage_id, Lead.assignee_id.is_(None))
    if lead_ids is not None:
        stmt = stmt.where(Lead.id.in_(lead_ids))
    return list((await session.execute(stmt.order_by(Lead.id))).scalars())


async def give_unassigned(session: AsyncSession, assignees: dict[int, int]) -> None:
    """Each lead id to its agent, unless someone assigned it meanwhile."""
    if assignees:
        await session.execute(
            update(Lead).where(Lead.assignee_id.is_(None)),
            [{"id": lead_id, "assignee_id": agent} for lead_id, agent in assignees.items()],
            execution_options={"synchronize_session": None},
        )


async def give_all_unassigned(session: AsyncSession, lead_ids: Sequence[int], agent: int) -> None:
    """The leads of `lead_ids` nobody works to `agent`, in one statement."""
    await session.execute(
        update(Lead)
        .where(Lead.id.in_(lead_ids), Lead.assignee_id.is_(None))
        .values(assignee_id=agent),
        execution_options={"synchronize_session": False},
    )


async def give_open_tasks(session: AsyncSession, lead_id: int, user_id: int | None) -> None:
    await session.execute(
        update(BrokerTask)
        .where(BrokerTask.lead_id == lead_id, BrokerTask.status == TaskStatus.OPEN)
        .values(assignee_id=user_id)
    )


# --- people and invitations ------------------------------------------------------------------


async def people(session: AsyncSession, brokerage_id: int) -> int:
    stmt = select(func.count()).select_from(User).where(User.brokerage_id == brokerage_id)
    return int(await session.scalar(stmt) or 0)


async def pending_invitations(session: AsyncSession, brokerage_id: int, now: datetime) -> int:
    stmt = (
        select(func.count())
        .select_from(Invitation)
        .where(
            Invitation.brokerage_id == brokerage_id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
    )
    return int(await session.scalar(stmt) or 0)


async def revoke_pending_invitations(
    session: AsyncSession, brokerage_id: int, email: str, now: datetime
) -> None:
    await session.execute(
        update(Invitation)
        .where(
            Invitation.brokerage_id == brokerage_id,
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )


async def claim_invitation(session: AsyncSession, invitation_id: int, now: datetime) -> bool:
    """Accept the invitation; False when it was accepted already (only one update finds it)."""
    claimed = await session.execute(
        update(Invitation)
        .where(Invitation.id == invitation_id, Invitation.accepted_at.is_(None))
        .values(accepted_at=now)
    )
    return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]


async def leads_of(session: AsyncSession, brokerage_id: int, user_id: int) -> list[Lead]:
    stmt = select(Lead).where(Lead.brokerage_id == brokerage_id, Lead.assignee_id == user_id)
    return list((await session.execute(stmt)).scalars())


async def release_work_of(session: AsyncSession, user_id: int) -> None:
    """Someone leaves: their open tasks and their listings have nobody for now."""
    await session.execute(
        update(BrokerTask)
        .where(BrokerTask.assignee_id == user_id, BrokerTask.status == TaskStatus.OPEN)
        .values(assignee_id=None)
    )
    await session.execute(
        update(Property).where(Property.agent_id == user_id).values(agent_id=None)
    )


# --- the team's notices -----------------------------------------------------------------------


async def add_notice(
    session: AsyncSession,
    *,
    brokerage_id: int,
    user_id: int | None,
    channel: NoticeChannel,
    to: str,
    subject: str,
    body: str,
    key: str,
    now: datetime,
) -> int | None:
    """The new notice's id; None when one with this key exists (it is the same notice)."""
    stmt = (
        dialect_insert(session, StaffNotice)
        .values(
            brokerage_id=brokerage_id,
            user_id=user_id,
            channel=channel,
            to_address=to,
            subject=subject,
            body=body,
            key=key,
            status=NoticeStatus.QUEUED,
            attempts=0,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(StaffNotice.id)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def claim_notice(session: AsyncSession, notice_id: int) -> StaffNotice | None:
    """The queued notice, locked for this transaction (None: sent, failed or being sent)."""
    stmt = (
        select(StaffNotice)
        .where(StaffNotice.id == notice_id, StaffNotice.status == NoticeStatus.QUEUED)
        .with_for_update(skip_locked=True)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


# --- what an agent sees -----------------------------------------------------------------------

_BY_LEAD = (Conversation, Message, Match, Viewing, LeadChange, Consent)


def agent_criteria(agent_id: int) -> list[Any]:
    """Loader criteria keeping an agent to their own leads and what hangs off them."""
    theirs = select(Lead.id).where(Lead.assignee_id == agent_id).scalar_subquery()
    options: list[Any] = [with_loader_criteria(Lead, Lead.assignee_id == agent_id)]
    options += [with_loader_criteria(m, m.lead_id.in_(theirs)) for m in _BY_LEAD]
    # The activity feed: events about their leads, and those about no lead (a listing's).
    options.append(
        with_loader_criteria(
            ActivityEventRow,
            or_(ActivityEventRow.lead_id.is_(None), ActivityEventRow.lead_id.in_(theirs)),
        )
    )
    options.append(
        with_loader_criteria(
            BrokerTask, or_(BrokerTask.assignee_id == agent_id, BrokerTask.lead_id.in_(theirs))
        )
    )
    return options
