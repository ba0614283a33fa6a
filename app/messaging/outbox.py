"""The outbox: every outgoing message is a row first (one per idempotency key), then delivered.

`queue_message` decides at once whether a message may go (opt-out, address), and when (quiet
hours, per-lead caps); the delivery job is sent only after the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Brokerage
from app.conversations.models import Conversation, ConversationStatus
from app.core.db import dialect_insert, utcnow
from app.core.jobs import enqueue
from app.core.uow import after_commit_batch
from app.leads.models import Lead
from app.messaging import repository
from app.messaging.config import messaging_config
from app.messaging.models import Channel, Direction, Message, MessageStatus
from app.messaging.optout import OPTED_OUT_ERROR
from app.messaging.rules import lead_time_zones, next_sending_time, next_time_under_caps

DELIVER_TASK = "deliver_message"
DELIVER_BATCH_TASK = "deliver_messages"
DELIVERY_BATCH = 100
# A lead who wrote within this window is in a live conversation: answers are not capped.
LIVE_CONVERSATION = timedelta(hours=24)


def address_for(lead: Lead, channel: Channel) -> str | None:
    return lead.email if channel is Channel.EMAIL else lead.phone


def suppression_reason(lead: Lead, conversation: Conversation, channel: Channel) -> str | None:
    if lead.opted_out or conversation.status is ConversationStatus.OPTED_OUT:
        return OPTED_OUT_ERROR
    if not address_for(lead, channel):
        return f"the lead has no {'email address' if channel is Channel.EMAIL else 'phone'}"
    return None


@dataclass
class SendHistory:
    """What the caps look at for one lead: live conversation or not, and its recent sends."""

    capped: bool
    scheduled: list[datetime]


async def send_history(session: AsyncSession, lead: Lead, now: datetime) -> SendHistory:
    last_inbound = await repository.last_inbound_at(session, lead.id)
    live = last_inbound is not None and now - last_inbound < LIVE_CONVERSATION
    scheduled = await repository.recent_send_times(session, lead.id, now - timedelta(days=7))
    return SendHistory(capped=not live, scheduled=scheduled)


async def delivery_time(
    session: AsyncSession,
    lead: Lead,
    channel: Channel,
    now: datetime | None = None,
    history: SendHistory | None = None,
) -> datetime:
    """The earliest instant the message may go: under the caps and, for texts, in waking hours."""
    now = now or utcnow()
    config = messaging_config(session.info["runtime"].settings)
    history = history or await send_history(session, lead, now)
    capped, scheduled = history.capped, history.scheduled
    zones = None
    if channel is not Channel.EMAIL:
        brokerage = await session.get(Brokerage, lead.brokerage_id)
        fallback = brokerage.timezone if brokerage else "UTC"
        zones = lead_time_zones(lead.phone, fallback)
    when = now
    for _ in range(10):  # each rule can only push later; stop when both agree
        moved = next_time_under_caps(when, scheduled, config.caps) if capped else when
        if zones is not None:
            moved = next_sending_time(moved, zones, config.quiet_hours)
        if moved == when:
            break
        when = moved
    return when


def schedule_delivery(session: AsyncSession, message: Message, now: datetime | None = None) -> None:
    """Send the delivery job after the commit: one job for every row of the transaction that
    is due now (a campaign batch queues hundreds), one deferred job per row that must wait."""
    from app.messaging import tasks  # noqa: F401  (registers the delivery jobs)

    now = now or utcnow()
    delay = (message.deliver_after - now).total_seconds() if message.deliver_after else 0.0
    if delay > 0:
        enqueue(session, DELIVER_TASK, message.id, job_id=f"deliver:{message.id}", defer_by=delay)
        return
    jobs = session.info["runtime"].jobs

    async def enqueue_due(ids: list[int]) -> None:
        for start in range(0, len(ids), DELIVERY_BATCH):
            batch = ids[start : start + DELIVERY_BATCH]
            await jobs.enqueue(
                DELIVER_BATCH_TASK, batch, job_id=f"deliver-batch:{batch[0]}:{batch[-1]}"
            )

    after_commit_batch(session, "due_deliveries", message.id, enqueue_due)


async def queue_message(
    session: AsyncSession,
    *,
    conversation: Conversation,
    lead: Lead,
    channel: Channel,
    body: str,
    subject: str | None,
    key: str,
    draft: bool = False,
    history: SendHistory | None = None,
) -> Message:
    """The outbox row for conversation step `key`: created once, returned as is on a repeat.

    `history`, shared by the messages of one step (its channels), saves reading the lead's
    sends again for each; the rows queued here are added to it, so the caps still see them.
    """
    now = utcnow()
    reason = suppression_reason(lead, conversation, channel)
    if reason is not None:
        status, deliver_after = MessageStatus.SUPPRESSED, None
    elif draft:
        status, deliver_after = MessageStatus.DRAFT, None
    else:
        status, deliver_after = (
            MessageStatus.QUEUED,
            await delivery_time(session, lead, channel, now, history),
        )
    message, inserted = await _insert_if_absent(
        session,
        {
            "brokerage_id": conversation.brokerage_id,
            "conversation_id": conversation.id,
            "lead_id": lead.id,
            "direction": Direction.OUTBOUND,
            "channel": channel,
            "status": status,
            "idempotency_key": key,
            "to_address": address_for(lead, channel),
            "subject": subject,
            "body": body,
            "deliver_after": deliver_after,
            "error": reason,
            "attempts": 0,
            "created_at": now,
            "updated_at": now,
        },
    )
    # Only the run that inserted the row schedules its delivery.
    if inserted and message.status is MessageStatus.QUEUED:
        schedule_delivery(session, message, now)
        if history is not None and message.deliver_after is not None:
            history.scheduled.append(message.deliver_after)
    return message


async def _insert_if_absent(session: AsyncSession, values: dict[str, Any]) -> tuple[Message, bool]:
    """One round trip when the key is new (INSERT ... RETURNING the row); a repeat reads it."""
    stmt = (
        dialect_insert(session, Message)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(Message)
    )
    inserted = (await session.scalars(stmt)).one_or_none()
    if inserted is not None:
        return inserted, True
    existing = await repository.message_by_key(session, values["idempotency_key"])
    assert existing is not None
    return existing, False


async def release_drafts(
    session: AsyncSession, conversation_id: int, body: str | None = None
) -> list[Message]:
    """The broker approved (optionally with an edited body): DRAFT -> QUEUED and delivered."""
    drafts = await repository.drafts_of(session, conversation_id)
    now = utcnow()
    for message in drafts:
        lead = await session.get(Lead, message.lead_id)
        conversation = await session.get(Conversation, message.conversation_id)
        assert lead is not None and conversation is not None
        if body is not None:
            message.body = body
        reason = suppression_reason(lead, conversation, message.channel)
        if reason is not None:
            message.status, message.error = MessageStatus.SUPPRESSED, reason
            continue
        message.deliver_after = await delivery_time(session, lead, message.channel, now)
        message.status = MessageStatus.QUEUED
        schedule_delivery(session, message, now)
    await session.flush()
    return drafts


async def discard_drafts(session: AsyncSession, conversation_id: int) -> list[Message]:
    """The broker rejected the draft: it is never sent."""
    drafts = await repository.drafts_of(session, conversation_id)
    for message in drafts:
        message.status, message.error = MessageStatus.SUPPRESSED, "rejected by the broker"
    await session.flush()
    return drafts
