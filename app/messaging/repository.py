"""Queries of the messaging domain: the outbox rows, the lead's recent sends, thread look-ups."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Brokerage, User
from app.core.db import dialect_insert, utcnow
from app.inbox.models import WebhookEvent
from app.leads.models import Lead
from app.messaging.models import Channel, Direction, Message, MessageStatus
from app.threads.models import (
    BrokerTask,
    Conversation,
    ConversationStatus,
    TaskStatus,
)

# Statuses that count against a lead's caps: going out, or gone out.
COUNTED = (
    MessageStatus.QUEUED,
    MessageStatus.SENDING,
    MessageStatus.SENT,
    MessageStatus.DELIVERED,
    MessageStatus.UNKNOWN,
)


async def message_by_key(session: AsyncSession, key: str) -> Message | None:
    stmt = select(Message).where(Message.idempotency_key == key)
    return (await session.execute(stmt)).scalar_one_or_none()


async def recent_send_times(
    session: AsyncSession, lead_ids: Sequence[int], since: datetime
) -> dict[int, list[datetime]]:
    """When each lead's outbound messages went or will go out, from `since` on."""
    if not lead_ids:
        return {}
    stmt = select(
        Message.lead_id, Message.deliver_after, Message.sent_at, Message.created_at
    ).where(
        Message.lead_id.in_(lead_ids),
        Message.direction == Direction.OUTBOUND,
        Message.status.in_(COUNTED),
        Message.created_at > since - timedelta(days=7),
    )
    times: dict[int, list[datetime]] = {}
    for lead_id, after, sent, created in await session.execute(stmt):
        if (at := sent or after or created) > since:
            times.setdefault(lead_id, []).append(at)
    return times


async def conversations_written_since(
    session: AsyncSession, conversation_ids: Sequence[int], since: datetime
) -> set[int]:
    """Which of these conversations the lead wrote in since `since`."""
    if not conversation_ids:
        return set()
    stmt = (
        select(Message.conversation_id)
        .where(
            Message.conversation_id.in_(conversation_ids),
            Message.direction == Direction.INBOUND,
            Message.created_at >= since,
        )
        .distinct()
    )
    return set((await session.execute(stmt)).scalars())


async def last_inbound_in(
    session: AsyncSession, conversation_ids: Sequence[int]
) -> dict[int, datetime]:
    """When the lead last wrote in each conversation (that has a reply)."""
    if not conversation_ids:
        return {}
    stmt = (
        select(Message.conversation_id, func.max(Message.created_at))
        .where(
            Message.conversation_id.in_(list(conversation_ids)),
            Message.direction == Direction.INBOUND,
        )
        .group_by(Message.conversation_id)
    )
    return {conversation_id: at for conversation_id, at in await session.execute(stmt)}


async def keys_with_status(
    session: AsyncSession, keys: Sequence[str], statuses: Sequence[MessageStatus]
) -> set[str]:
    """Which of these outbox keys name a row in one of `statuses`."""
    if not keys:
        return set()
    stmt = select(Message.idempotency_key).where(
        Message.idempotency_key.in_(list(keys)), Message.status.in_(list(statuses))
    )
    return set((await session.execute(stmt)).scalars())


async def last_inbound_at_on(
    session: AsyncSession, conversation_id: int, channel: Channel
) -> datetime | None:
    stmt = select(func.max(Message.created_at)).where(
        Message.conversation_id == conversation_id,
        Message.channel == channel,
        Message.direction == Direction.INBOUND,
    )
    result: datetime | None = (await session.execute(stmt)).scalar_one_or_none()
    return result


async def texted_numbers(
    session: AsyncSession, brokerage_id: int, numbers: Sequence[str]
) -> set[str]:
    """The numbers among `numbers` this brokerage already texted (or is about to: queued)."""
    if not numbers:
        return set()
    stmt = (
        select(Message.to_address)
        .where(
            Message.brokerage_id == brokerage_id,
            Message.direction == Direction.OUTBOUND,
            Message.channel == Channel.SMS,
            Message.to_address.in_(list(numbers)),
            Message.status.not_in(
                (MessageStatus.DRAFT, MessageStatus.SUPPRESSED, MessageStatus.FAILED)
            ),
        )
        .distinct()
    )
    return {number for number in (await session.execute(stmt)).scalars() if number}


async def any_released(session: AsyncSession, conversation_id: int) -> bool:
    """Whether a message of the conversation was approved (queued or beyond), not only drafted
    or suppressed."""
    stmt = select(Message.id).where(
        Message.conversation_id == conversation_id,
        Message.direction == Direction.OUTBOUND,
        Message.status.not_in((MessageStatus.DRAFT, MessageStatus.SUPPRESSED)),
    )
    return (await session.execute(stmt.limit(1))).first() is not None


async def drafts_of(session: AsyncSession, conversation_id: int) -> list[Message]:
    stmt = (
        select(Message)
        .where(
            Message.conversation_id == conversation_id,
            Message.status == MessageStatus.DRAFT,
        )
        .order_by(Message.id)
    )
    return list((await session.execute(stmt)).scalars())


# Built once: compiled once and cached (deliveries run these for every message).
_CLAIM = (
    update(Message)
    .where(
        Message.id.in_(bindparam("ids", expanding=True)),
        Message.status == MessageStatus.QUEUED,
        (Message.deliver_after.is_(None)) | (Message.deliver_after <= bindparam("now")),
    )
    .values(
        status=MessageStatus.SENDING, attempts=Message.attempts + 1, updated_at=bindparam("now")
    )
    .returning(Message.id, Message.attempts)
    .execution_options(synchronize_session=False)
)
_SENT = (
    update(Message)
    .where(Message.id == bindparam("message_id"), Message.status == MessageStatus.SENDING)
    .values(
        status=MessageStatus.SENT,
        provider_id=bindparam("provider_id"),
        sent_at=bindparam("now"),
        updated_at=bindparam("now"),
        error=None,
    )
    .execution_options(synchronize_session=False)
)


async def claim_for_sending(
    session: AsyncSession, message_ids: Sequence[int], now: datetime
) -> dict[int, int]:
    """QUEUED and due -> SENDING in one statement: of two workers, only one wins each row.

    Returns the rows this worker won, with their attempts counting this one."""
    if not message_ids:
        return {}
    rows = await session.execute(_CLAIM, {"ids": list(message_ids), "now": now})
    return {message_id: attempts for message_id, attempts in rows}


async def mark_sent(
    session: AsyncSession, message_id: int, provider_id: str, now: datetime
) -> bool:
    """SENDING -> SENT with the provider's id; False when the row was settled already (the
    sweep found it at the provider first)."""
    result = await session.execute(
        _SENT, {"message_id": message_id, "provider_id": provider_id, "now": now}
    )
    return bool(getattr(result, "rowcount", 0))


async def queued_with_context(
    session: AsyncSession, message_ids: Sequence[int]
) -> list[tuple[Message, Lead, Conversation, Brokerage, User | None]]:
    """The QUEUED rows among `message_ids` with what the sending rules need (the lead, the
    thread, the brokerage and the lead's agent), in one statement, oldest first."""
    rows = await session.execute(
        select(Message, Lead, Conversation, Brokerage, User)
        .join(Lead, Lead.id == Message.lead_id)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .join(Brokerage, Brokerage.id == Message.brokerage_id)
        .outerjoin(User, User.id == Lead.assignee_id)
        .where(Message.id.in_(message_ids), Message.status == MessageStatus.QUEUED)
        .order_by(Message.id)
    )
    return list(rows.tuples())


async def finish_sending(session: AsyncSession, message_id: int, **values: object) -> None:
    """A SENDING row's outcome (a row the sweep settled meanwhile keeps its own)."""
    await session.execute(
        update(Message)
        .where(Message.id == message_id, Message.status == MessageStatus.SENDING)
        .values(updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )


async def suppress_message(session: AsyncSession, message_id: int, error: str) -> None:
    await session.execute(
        update(Message)
        .where(Message.id == message_id)
        .values(status=MessageStatus.SUPPRESSED, error=error)
        .execution_options(synchronize_session=False)
    )


async def due_queued_ids(session: AsyncSession, now: datetime, limit: int = 500) -> list[int]:
    """QUEUED rows whose time has come, of brokerages that are not paused."""
    stmt = (
        select(Message.id)
        .join(Brokerage, Brokerage.id == Message.brokerage_id)
        .where(
            Brokerage.paused.is_(False),
            Message.status == MessageStatus.QUEUED,
            (Message.deliver_after.is_(None)) | (Message.deliver_after <= now),
        )
        .order_by(Message.id)
        .limit(limit)
    )
    return list((await session.execute(stmt)).scalars())


async def stuck_sending(session: AsyncSession, before: datetime, limit: int = 200) -> list[Message]:
    """Rows SENDING since before `before`: their job was cut off (a killed worker, a lost
    database) between the claim and the outcome, and no live send lasts that long."""
    stmt = (
        select(Message)
        .where(Message.status == MessageStatus.SENDING, Message.updated_at < before)
        .order_by(Message.id)
        .limit(limit)
    )
    return list((await session.execute(stmt)).scalars())


async def requeue_unsent(session: AsyncSession, message_id: int, error: str) -> bool:
    """SENDING -> QUEUED, due now: the provider has no such message, so it goes again."""
    result = await session.execute(
        update(Message)
        .where(Message.id == message_id, Message.status == MessageStatus.SENDING)
        .values(status=MessageStatus.QUEUED, deliver_after=None, error=error, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def provider_ids_taken(session: AsyncSession, provider_ids: Sequence[str]) -> set[str]:
    """Which of these provider ids another outbox row already holds."""
    if not provider_ids:
        return set()
    stmt = select(Message.provider_id).where(Message.provider_id.in_(list(provider_ids)))
    return {p for p in (await session.execute(stmt)).scalars() if p}


async def message_by_provider_id(
    session: AsyncSession, provider_ids: Sequence[str], channel: Channel
) -> Message | None:
    """The outbound message with one of these provider ids (best first)."""
    if not provider_ids:
        return None
    stmt = select(Message).where(
        Message.provider_id.in_(list(provider_ids)),
        Message.channel == channel,
        Message.direction == Direction.OUTBOUND,
    )
    found = {m.provider_id: m for m in (await session.execute(stmt)).scalars()}
    return next((found[p] for p in provider_ids if p in found), None)


_WENT_OUT = (MessageStatus.SENDING, MessageStatus.SENT, MessageStatus.DELIVERED)


async def latest_outbound_to(
    session: AsyncSession, addresses: Sequence[str], channels: Sequence[Channel]
) -> Message | None:
    """The last message that went out to these addresses: one still queued (a text waiting
    for the lead's morning) or never sent was not read, and a reply does not answer it."""
    stmt = (
        select(Message)
        .where(
            Message.to_address.in_(list(addresses)),
            Message.channel.in_(list(channels)),
            Message.direction == Direction.OUTBOUND,
            Message.status.in_(_WENT_OUT),
        )
        .order_by(Message.id.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def leads_with_phone(session: AsyncSession, phone: str) -> list[Lead]:
    """Every lead with this number, in any brokerage: a STOP to our number stops all of them."""
    stmt = select(Lead).where(Lead.phone == phone).order_by(Lead.id)
    return list((await session.execute(stmt)).scalars())


async def latest_conversation_of(
    session: AsyncSession, lead_ids: Sequence[int]
) -> Conversation | None:
    if not lead_ids:
        return None
    stmt = (
        select(Conversation)
        .where(Conversation.lead_id.in_(list(lead_ids)))
        .order_by(Conversation.updated_at.desc(), Conversation.id.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


# What a plan's monthly message allowance counts: queued or sent (drafts and suppressed rows
# cost nothing).
COUNTED_OUTBOUND = (
    MessageStatus.QUEUED,
    MessageStatus.SENDING,
    MessageStatus.SENT,
    MessageStatus.DELIVERED,
)


async def messages_since(session: AsyncSession, brokerage_id: int, since: datetime) -> int:
    """Outbound messages of the brokerage queued or sent since `since`."""
    stmt = select(func.count()).where(
        Message.brokerage_id == brokerage_id,
        Message.direction == Direction.OUTBOUND,
        Message.status.in_(COUNTED_OUTBOUND),
        Message.created_at >= since,
    )
    return int((await session.execute(stmt)).scalar_one())


async def record_webhook_once(
    session: AsyncSession, source: str, event_id: str, payload: dict[str, Any]
) -> bool:
    """Store a webhook delivery in the inbox; False when it was seen before (a replay)."""
    stmt = (
        dialect_insert(session, WebhookEvent)
        .values(source=source, event_id=event_id[:200], payload=payload, received_at=utcnow())
        .on_conflict_do_nothing(index_elements=["source", "event_id"])
        .returning(WebhookEvent.id)
    )
    return (await session.execute(stmt)).scalar_one_or_none() is not None


async def latest_messages(
    session: AsyncSession, brokerage_id: int, conversation_ids: Sequence[int]
) -> dict[int, Message]:
    """The newest message of each conversation, either direction (one statement)."""
    newest = (
        select(func.max(Message.id))
        .where(Message.brokerage_id == brokerage_id, Message.conversation_id.in_(conversation_ids))
        .group_by(Message.conversation_id)
    )
    rows = (await session.execute(select(Message).where(Message.id.in_(newest)))).scalars()
    return {row.conversation_id: row for row in rows}


# --- opt-outs ---------------------------------------------------------------------------------

ENDED = (ConversationStatus.OPTED_OUT, ConversationStatus.CLOSED)


async def end_conversations_of(session: AsyncSession, brokerage_id: int, lead_id: int) -> None:
    """Every conversation of the lead OPTED_OUT, with nothing left to do."""
    await session.execute(
        update(Conversation)
        .where(Conversation.brokerage_id == brokerage_id, Conversation.lead_id == lead_id)
        .values(status=ConversationStatus.OPTED_OUT, next_action=None, follow_up_at=None)
        .execution_options(synchronize_session="fetch")
    )


async def open_conversations_of(
    session: AsyncSession, brokerage_id: int, lead_id: int
) -> list[Conversation]:
    stmt = select(Conversation).where(
        Conversation.brokerage_id == brokerage_id,
        Conversation.lead_id == lead_id,
        Conversation.status.not_in(ENDED),
    )
    return list((await session.execute(stmt)).scalars())


async def cancel_open_tasks(
    session: AsyncSession,
    *,
    now: datetime,
    lead_id: int | None = None,
    conversation_id: int | None = None,
) -> None:
    """The open broker tasks of a lead, or of one conversation, CANCELLED."""
    stmt = update(BrokerTask).where(BrokerTask.status == TaskStatus.OPEN)
    if lead_id is not None:
        stmt = stmt.where(BrokerTask.lead_id == lead_id)
    if conversation_id is not None:
        stmt = stmt.where(BrokerTask.conversation_id == conversation_id)
    await session.execute(
        stmt.values(status=TaskStatus.CANCELLED, closed_at=now).execution_options(
            synchronize_session="fetch"
        )
    )


async def suppress_unsent(
    session: AsyncSession,
    brokerage_id: int,
    lead_id: int,
    error: str,
    *,
    channel: Channel | None = None,
) -> None:
    """The lead's queued and draft messages (on `channel`, or every one) SUPPRESSED."""
    stmt = update(Message).where(
        Message.brokerage_id == brokerage_id,
        Message.lead_id == lead_id,
        Message.status.in_([MessageStatus.QUEUED, MessageStatus.DRAFT]),
    )
    if channel is not None:
        stmt = stmt.where(Message.channel == channel)
    await session.execute(
        stmt.values(status=MessageStatus.SUPPRESSED, error=error).execution_options(
            synchronize_session="fetch"
        )
    )
