"""Delivering outbox rows exactly once, and the sweep that recovers what a crash left behind.

A batch's rows are read and checked in one query; then each row is claimed (QUEUED -> SENDING)
in its own committed transaction just before the provider is called, and marked SENT just after.
A row found still SENDING later may have gone out, so it becomes UNKNOWN, never resent.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts.models import Brokerage, User
from app.accounts.voice import speaking_for
from app.activity.events import ActivityType, record_activity
from app.conversations.models import Conversation
from app.core.db import utcnow
from app.core.faults import retrying
from app.core.jobs import enqueue
from app.core.runtime import Runtime
from app.core.uow import commit
from app.leads.models import Lead
from app.messaging import repository
from app.messaging.config import MAX_ATTEMPTS, STUCK_SENDING_MINUTES, messaging_config
from app.messaging.models import Channel, Message, MessageStatus
from app.messaging.optout import OPTED_OUT_ERROR, PHONE_CHANNELS, opt_out_lead
from app.messaging.outbox import DELIVER_TASK, schedule_delivery, suppression_reason
from app.messaging.rules import lead_time_zones, next_sending_time
from app.messaging.senders import Claimed, Sender, sender_for
from integrations.messaging import (
    DeliveryError,
    PermanentFailure,
    RecipientOptedOut,
    TransientFailure,
)

log = logging.getLogger(__name__)


def retry_backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min... capped at an hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def _defer(session: AsyncSession, message: Message, until: datetime, now: datetime) -> None:
    message.deliver_after = until
    schedule_delivery(session, message.id, until, now)


Row = tuple[Message, Lead, Conversation, Brokerage]


async def _due(runtime: Runtime, message_ids: Sequence[int]) -> list[Row]:
    """Read the rows with what the rules need in one query; suppress or defer those that may
    not go now, and return the others."""
    now = utcnow()
    quiet_hours = messaging_config(runtime.settings).quiet_hours
    async with runtime.session() as session:
        rows = await session.execute(
            select(Message, Lead, Conversation, Brokerage, User)
            .join(Lead, Lead.id == Message.lead_id)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .join(Brokerage, Brokerage.id == Message.brokerage_id)
            .outerjoin(User, User.id == Lead.assignee_id)
            .where(Message.id.in_(message_ids), Message.status == MessageStatus.QUEUED)
            .order_by(Message.id)
        )
        due: list[Row] = []
        for message, lead, conversation, real_brokerage, agent in rows.tuples():
            brokerage = speaking_for(real_brokerage, agent)  # e-mails close with the agent's block
            reason = suppression_reason(lead, conversation, message.channel)
            if reason is not None:
                message.status, message.error = MessageStatus.SUPPRESSED, reason
            elif brokerage.paused:
                continue  # stays QUEUED; the sweep delivers it after the pause is lifted
            elif message.deliver_after is not None and message.deliver_after > now:
                _defer(session, message, message.deliver_after, now)
            elif (
                message.channel is not Channel.EMAIL
                and (
                    allowed := next_sending_time(
                        now, lead_time_zones(lead.phone, brokerage.timezone), quiet_hours
                    )
                )
                > now
            ):
                _defer(session, message, allowed, now)
            else:
                due.append((message, lead, conversation, brokerage))
        await commit(session)
    return due


async def _claim(runtime: Runtime, row: Row) -> Claimed | None:
    """QUEUED -> SENDING, committed before the provider is called; None if another worker won."""
    message, lead, conversation, brokerage = row
    async with runtime.session() as session:
        claimed = await repository.claim_for_sending(session, [message.id], utcnow())
        if message.id not in claimed:
            return None
        last_inbound = (
            await repository.last_inbound_at_on(session, conversation.id, message.channel)
            if message.channel is Channel.WHATSAPP  # only WhatsApp's 24-hour window needs it
            else None
        )
        await commit(session)
    set_committed_value(message, "status", MessageStatus.SENDING)
    set_committed_value(message, "attempts", claimed[message.id])
    return Claimed(message, lead, conversation, brokerage, last_inbound)


async def _finish(runtime: Runtime, message_id: int, **values: object) -> None:
    async with runtime.session() as session:
        await session.execute(
            update(Message)
            .where(Message.id == message_id, Message.status == MessageStatus.SENDING)
            .values(updated_at=utcnow(), **values)
            .execution_options(synchronize_session=False)
        )
        await commit(session)


@dataclass
class Delivered:
    """What a delivery run did: each row's new status (rows left as they were are absent) and
    the rows to try again after a backoff."""

    statuses: dict[int, MessageStatus] = field(default_factory=dict)
    retry: dict[int, timedelta] = field(default_factory=dict)


async def deliver(runtime: Runtime, message_ids: Sequence[int]) -> Delivered:
    """Send the outbox rows that are due and allowed, one after another. Each row is claimed
    just before it is sent and marked SENT (with the provider's id) just after, so a job cut
    short leaves at most the row it was sending in doubt."""
    done = Delivered()
    senders: dict[Channel, Sender] = {}
    for row in await _due(runtime, message_ids):
        outgoing = await _claim(runtime, row)
        if outgoing is None:
            continue
        message = outgoing.message
        if message.channel not in senders:
            senders[message.channel] = sender_for(runtime, message.channel)
        try:
            provider_id = await senders[message.channel].send(outgoing)
        except DeliveryError as exc:
            status, backoff = await retrying(_failed, runtime, message, exc)
            done.statuses[message.id] = status
            if backoff is not None:
                done.retry[message.id] = backoff
            continue
        # It went out: a database fault now must not leave the row SENDING (then UNKNOWN).
        await retrying(_mark_sent, runtime, outgoing, provider_id)
        done.statuses[message.id] = MessageStatus.SENT
    return done


async def _failed(
    runtime: Runtime, message: Message, exc: DeliveryError
) -> tuple[MessageStatus, timedelta | None]:
    """Record why a row did not go; the backoff when it is to be tried again."""
    if isinstance(exc, RecipientOptedOut):
        async with runtime.session() as session:
            await opt_out_lead(
                session,
                message.brokerage_id,
                message.lead_id,
                source="provider",
                channel=message.channel.value,
                detail=str(exc),
                # The provider blocks the address (Twilio 21610: the number): that stops, not
                # the lead's other channels.
                channels=PHONE_CHANNELS
                if message.channel is not Channel.EMAIL
                else [Channel.EMAIL.value],
            )
            await session.execute(
                update(Message)
                .where(Message.id == message.id)
                .values(status=MessageStatus.SUPPRESSED, error=f"{OPTED_OUT_ERROR}: {exc}")
                .execution_options(synchronize_session=False)
            )
            await commit(session)
        return MessageStatus.SUPPRESSED, None
    if isinstance(exc, PermanentFailure):
        await _finish(runtime, message.id, status=MessageStatus.FAILED, error=str(exc))
        return MessageStatus.FAILED, None
    if isinstance(exc, TransientFailure):
        if message.attempts >= MAX_ATTEMPTS:
            error = f"gave up after {message.attempts} attempts: {exc}"
            await _finish(runtime, message.id, status=MessageStatus.FAILED, error=error)
            return MessageStatus.FAILED, None
        backoff = retry_backoff(message.attempts)
        await _finish(
            runtime,
            message.id,
            status=MessageStatus.QUEUED,
            deliver_after=utcnow() + backoff,
            error=str(exc),
        )
        return MessageStatus.QUEUED, backoff
    # DeliveryUnknown, or any other delivery error: it may have gone out, never resend it.
    await _finish(runtime, message.id, status=MessageStatus.UNKNOWN, error=str(exc))
    return MessageStatus.UNKNOWN, None


async def _mark_sent(runtime: Runtime, outgoing: Claimed, provider_id: str) -> None:
    message = outgoing.message
    now = utcnow()
    async with runtime.session() as session:
        await repository.mark_sent(session, message.id, provider_id, now)
        record_activity(
            session,
            message.brokerage_id,
            ActivityType.MESSAGE_SENT,
            lead_id=message.lead_id,
            property_id=outgoing.conversation.property_id,
            conversation_id=message.conversation_id,
            message_id=message.id,
        )
        await commit(session)


@dataclass
class SweepResult:
    requeued: list[int] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)


async def sweep(runtime: Runtime, now: datetime | None = None) -> SweepResult:
    """Re-send jobs for due QUEUED rows (lost jobs, lifted pauses); SENDING rows stuck ->
    UNKNOWN."""
    now = now or utcnow()
    result = SweepResult()
    async with runtime.session() as session:
        stuck_before = now - timedelta(minutes=STUCK_SENDING_MINUTES)
        result.unknown = list(await repository.mark_stuck_sending_unknown(session, stuck_before))
        result.requeued = await repository.due_queued_ids(session, now)
        bucket = int(now.timestamp()) // 60
        for message_id in result.requeued:
            # Claiming is atomic, so a job that duplicates a pending one sends nothing twice.
            enqueue(session, DELIVER_TASK, message_id, job_id=f"deliver:{message_id}:s{bucket}")
        await commit(session)
    if result.unknown:
        log.warning("outbox rows left SENDING marked UNKNOWN", extra={"ids": result.unknown})
    return result
