"""Every query of the viewings domain."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Brokerage, User
from app.accounts.voice import speaking_for
from app.conversations.models import BrokerTask, Conversation, TaskKind, TaskStatus
from app.core.db import dialect_insert
from app.core.visibility import whole_brokerage
from app.leads.models import Lead
from app.messaging.models import Direction, Message
from app.properties.models import Property
from app.viewings.models import Viewing, ViewingStatus

OPEN = (ViewingStatus.PROPOSED, ViewingStatus.CONFIRMED)


async def open_viewing(session: AsyncSession, conversation_id: int) -> Viewing | None:
    """The conversation's viewing still under way (offered or confirmed), the latest one."""
    stmt = (
        select(Viewing)
        .where(Viewing.conversation_id == conversation_id, Viewing.status.in_(OPEN))
        .order_by(Viewing.id.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def lead_said(session: AsyncSession, conversation_id: int, limit: int = 20) -> list[str]:
    """What the lead wrote in the conversation, newest first (the last `limit` messages)."""
    stmt = (
        select(Message.body)
        .where(Message.conversation_id == conversation_id, Message.direction == Direction.INBOUND)
        .order_by(Message.id.desc())
        .limit(limit)
    )
    return list((await session.execute(stmt)).scalars())


async def agent_viewings(
    session: AsyncSession,
    brokerage_id: int,
    agent_id: int | None,
    after: datetime,
    *,
    except_id: int | None = None,
) -> list[tuple[datetime, datetime, int]]:
    """The confirmed viewings (start, end, listing) from `after` on that the agent `agent_id`
    shows, on every listing of the brokerage: the lead's agent shows a viewing, and a viewing
    of an unassigned lead may be anyone's, so it counts for every agent; with no agent
    (`agent_id` None) every viewing of the brokerage counts."""
    stmt = (
        select(Viewing.starts_at, Viewing.ends_at, Viewing.property_id)
        .join(Lead, Lead.id == Viewing.lead_id)
        .where(
            Viewing.brokerage_id == brokerage_id,
            Viewing.status == ViewingStatus.CONFIRMED,
            Viewing.ends_at > after,
        )
    )
    if agent_id is not None:
        stmt = stmt.where(or_(Lead.assignee_id == agent_id, Lead.assignee_id.is_(None)))
    if except_id is not None:
        stmt = stmt.where(Viewing.id != except_id)
    with whole_brokerage():  # an agent moving a viewing is kept off everyone's times
        rows = (await session.execute(stmt)).tuples()
    return [(start, end, listing) for start, end, listing in rows]


# The advisory lock space of "confirm a viewing in a brokerage" (any constant of ours).
_CALENDAR_LOCK = 0x0B00


async def lock_calendar(session: AsyncSession, brokerage_id: int) -> None:
    """Until the transaction ends, this one confirms viewings in the brokerage: a second
    confirmation waits, then reads the first one's booking (two leads taking one agent's
    time at once do not both get it). PostgreSQL: a transaction's advisory lock; SQLite has
    one writer at a time, and a write takes its lock until the commit."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            text("SELECT pg_advisory_xact_lock(:space, :key)"),
            {"space": _CALENDAR_LOCK, "key": brokerage_id},
        )
        return
    await session.execute(
        update(Brokerage)
        .where(Brokerage.id == brokerage_id)
        .values(id=Brokerage.id)
        .execution_options(synchronize_session=False)
    )


async def parties(
    session: AsyncSession, conversation_id: int
) -> tuple[Conversation, Lead, Property, Brokerage]:
    """A conversation with its lead, listing and brokerage, in one query."""
    stmt = (
        select(Conversation, Lead, Property, Brokerage, User)
        .join(Lead, Lead.id == Conversation.lead_id)
        .join(Property, Property.id == Conversation.property_id)
        .join(Brokerage, Brokerage.id == Conversation.brokerage_id)
        .outerjoin(User, User.id == Lead.assignee_id)
        .where(Conversation.id == conversation_id)
    )
    conversation, lead, listing, brokerage, agent = (await session.execute(stmt)).one()
    return conversation, lead, listing, speaking_for(brokerage, agent)


async def due_reminders(session: AsyncSession, now: datetime, limit: int) -> list[int]:
    """Confirmed viewings whose reminder is due and not yet sent, still ahead."""
    stmt = (
        select(Viewing.id)
        .where(
            Viewing.status == ViewingStatus.CONFIRMED,
            Viewing.remind_at <= now,
            Viewing.reminded_at.is_(None),
            Viewing.starts_at > now,
        )
        .order_by(Viewing.remind_at)
        .limit(limit)
    )
    return list((await session.execute(stmt)).scalars())


async def claim_reminder(session: AsyncSession, viewing_id: int, now: datetime) -> bool:
    """Mark the reminder sent; False when another run did it first (it is sent once)."""
    stmt = (
        update(Viewing)
        .where(
            Viewing.id == viewing_id,
            Viewing.status == ViewingStatus.CONFIRMED,
            Viewing.reminded_at.is_(None),
        )
        .values(reminded_at=now)
        .execution_options(synchronize_session=False)
    )
    result: Any = await session.execute(stmt)
    return bool(result.rowcount)


async def close_open_viewings(
    session: AsyncSession, conversation_id: int, status: ViewingStatus
) -> None:
    """A conversation that ends takes its offered or booked viewing with it."""
    await session.execute(
        update(Viewing)
        .where(Viewing.conversation_id == conversation_id, Viewing.status.in_(OPEN))
        .values(status=status)
        .execution_options(synchronize_session=False)
    )


async def cancel_viewing_task(session: AsyncSession, conversation_id: int, now: datetime) -> None:
    """The broker's open VIEWING task of this conversation, cancelled."""
    await session.execute(
        update(BrokerTask)
        .where(
            BrokerTask.conversation_id == conversation_id,
            BrokerTask.kind == TaskKind.VIEWING,
            BrokerTask.status == TaskStatus.OPEN,
        )
        .values(status=TaskStatus.CANCELLED, closed_at=now)
        .execution_options(synchronize_session=False)
    )


async def upsert_viewing_task(session: AsyncSession, row: dict[str, Any]) -> int:
    """The lead's open VIEWING task, created or brought up to date (one open task per lead and
    kind: the partial unique index); its id."""
    stmt = dialect_insert(session, BrokerTask.__table__)
    task_id: int = (
        await session.execute(
            stmt.on_conflict_do_update(
                index_elements=["lead_id", "kind"],
                index_where=text("status = 'OPEN'"),
                set_={
                    "title": stmt.excluded.title,
                    "summary": stmt.excluded.summary,
                    "due_at": stmt.excluded.due_at,
                    "conversation_id": stmt.excluded.conversation_id,
                    "property_id": stmt.excluded.property_id,
                    "assignee_id": stmt.excluded.assignee_id,
                },
            ).returning(BrokerTask.__table__.c.id),
            row,
        )
    ).scalar_one()
    return task_id
