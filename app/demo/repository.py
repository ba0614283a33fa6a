"""What the demo reads back to show: a listing's matches, the conversations that reply, a
conversation's last messages and the dashboard's figures (tenant-scoped by brokerage)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.conversations.models import BrokerTask, Conversation, ConversationStatus
from app.leads.models import Lead
from app.matching.models import Match
from app.messaging.models import Direction, Message


async def matches_of(session: AsyncSession, property_id: int) -> Sequence[Any]:
    """(lead name, score, tier, breakdown, channels reached by) of the listing's matches, best
    first."""
    rows = await session.execute(
        select(Lead.name, Match.score, Match.tier, Match.breakdown, Conversation.channels)
        .join(Lead, Lead.id == Match.lead_id)
        .outerjoin(
            Conversation,
            (Conversation.lead_id == Match.lead_id) & (Conversation.property_id == property_id),
        )
        .where(Match.property_id == property_id)
        .order_by(Match.score.desc())
    )
    return rows.all()


async def best_matched_conversations(
    session: AsyncSession, property_id: int, limit: int
) -> Sequence[Any]:
    """(conversation id, lead name, lead phone) of the listing's best-matched conversations."""
    rows = await session.execute(
        select(Conversation.id, Lead.name, Lead.phone)
        .join(Lead, Lead.id == Conversation.lead_id)
        .join(
            Match,
            (Match.lead_id == Conversation.lead_id) & (Match.property_id == property_id),
        )
        .where(Conversation.property_id == property_id)
        .order_by(Match.score.desc(), Conversation.id)
        .limit(limit)
    )
    return rows.all()


async def last_message(
    session: AsyncSession, conversation_id: int, direction: Direction
) -> Message | None:
    """The conversation's newest message in `direction`."""
    message: Message | None = await session.scalar(
        select(Message)
        .where(Message.conversation_id == conversation_id, Message.direction == direction)
        .order_by(Message.id.desc())
        .limit(1)
    )
    return message


async def conversations_by_status(
    session: AsyncSession, brokerage_id: int
) -> dict[ConversationStatus, int]:
    rows = await session.execute(
        select(Conversation.status, func.count())
        .where(Conversation.brokerage_id == brokerage_id)
        .group_by(Conversation.status)
    )
    return {status: count for status, count in rows.tuples()}


async def messages_sent(session: AsyncSession, brokerage_id: int) -> int:
    sent = await session.scalar(
        select(func.count()).where(
            Message.brokerage_id == brokerage_id, Message.direction == Direction.OUTBOUND
        )
    )
    return int(sent or 0)


async def task_titles(session: AsyncSession, brokerage_id: int) -> list[str]:
    rows = await session.execute(
        select(BrokerTask.title).where(BrokerTask.brokerage_id == brokerage_id)
    )
    return list(rows.scalars())
