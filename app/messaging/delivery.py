"""Delivering one outbox row exactly once, and the sweep that recovers what a crash left behind.

A row is claimed (QUEUED -> SENDING) in its own committed transaction before the provider is
called; a row found still SENDING later may have gone out, so it becomes UNKNOWN, never resent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from arq import Retry
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts.models import Brokerage
from app.activity.events import ActivityType, record_activity
from app.conversations.models import Conversation
from app.core.db import utcnow
from app.core.jobs import enqueue
from app.core.runtime import Runtime
from app.core.uow import commit
from app.leads.models import Lead
from app.messaging import repository
from app.messaging.config import MAX_ATTEMPTS, STUCK_SENDING_MINUTES, messaging_config
from app.messaging.models import Channel, Message, MessageStatus
from app.messaging.optout import OPTED_OUT_ERROR, opt_out_lead
from app.messaging.outbox import DELIVER_TASK, suppression_reason
from app.messaging.rules import lead_time_zones, next_sending_time
from app.messaging.senders import Outgoing, sender_for
from integrations.messaging import (
    DeliveryError,
    DeliveryUnknown,
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
    # A new job id: the running job still holds `deliver:{id}`.
    enqueue(
        session,
        DELIVER_TASK,
        message.id,
        job_id=f"deliver:{message.id}:{int(until.timestamp())}",
        defer_by=max((until - now).total_seconds(), 0.0),
    )


async def _claim(runtime: Runtime, message_id: int) -> Outgoing | None:
    """Re-check the rules, then claim the row; None when it is not to be sent now."""
    now = utcnow()
    async with runtime.session() as session:
        row = (
            await session.execute(
                select(Message, Lead, Conversation, Brokerage)
                .join(Lead, Lead.id == Message.lead_id)
                .join(Conversation, Conversation.id == Message.conversation_id)
                .join(Brokerage, Brokerage.id == Message.brokerage_id)
                .where(Message.id == message_id)
            )
        ).one_or_none()
        if row is None or row.Message.status is not MessageStatus.QUEUED:
            return None
        message, lead, conversation, brokerage = row
        reason = suppression_reason(lead, conversation, message.channel)
        if reason is not None:
            message.status, message.error = MessageStatus.SUPPRESSED, reason
            await commit(session)
            return None
        if brokerage.paused:
            return None  # stays QUEUED; the sweep delivers it after the pause is lifted
        if message.deliver_after is not None and message.deliver_after > now:
            _defer(session, message, message.deliver_after, now)
            await commit(session)
            return None
        if message.channel is not Channel.EMAIL:
            zones = lead_time_zones(lead.phone, brokerage.timezone)
            allowed = next_sending_time(now, zones, messaging_config(runtime.settings).quiet_hours)
            if allowed > now:
                _defer(session, message, allowed, now)
                await commit(session)
                return None
        attempts = await repository.claim_for_sending(session, message_id, now)
        if attempts is None:
            return None  # another worker has it
        last_inbound = (
            await repository.last_inbound_at_on(session, conversation.id, message.channel)
            if message.channel is Channel.WHATSAPP  # only WhatsApp's 24-hour window needs it
            else None
        )
        await commit(session)
        set_committed_value(message, "status", MessageStatus.SENDING)
        set_committed_value(message, "attempts", attempts)
        return Outgoing(message, lead, conversation, brokerage, last_inbound)


async def _finish(runtime: Runtime, message_id: int, **values: object) -> None:
    async with runtime.session() as session:
        await session.execute(
            update(Message)
            .where(Message.id == message_id, Message.status == MessageStatus.SENDING)
            .values(updated_at=utcnow(), **values)
        )
        await commit(session)


async def deliver(runtime: Runtime, message_id: int) -> MessageStatus | None:
    """Send one outbox row if it is due and allowed; the status it ended in (None: untouched)."""
    outgoing = await _claim(runtime, message_id)
    if outgoing is None:
        return None
    message = outgoing.message
    try:
        provider_id = await sender_for(runtime, message.channel).send(outgoing)
    except RecipientOptedOut as exc:
        async with runtime.session() as session:
            await opt_out_lead(
                session,
                message.brokerage_id,
                message.lead_id,
                source="provider",
                channel=message.channel.value,
                detail=str(exc),
            )
            await session.execute(
                update(Message)
                .where(Message.id == message_id)
                .values(status=MessageStatus.SUPPRESSED, error=f"{OPTED_OUT_ERROR}: {exc}")
            )
            await commit(session)
        return MessageStatus.SUPPRESSED
    except PermanentFailure as exc:
        await _finish(runtime, message_id, status=MessageStatus.FAILED, error=str(exc))
        return MessageStatus.FAILED
    except TransientFailure as exc:
        if message.attempts >= MAX_ATTEMPTS:
            error = f"gave up after {message.attempts} attempts: {exc}"
            await _finish(runtime, message_id, status=MessageStatus.FAILED, error=error)
            return MessageStatus.FAILED
        backoff = retry_backoff(message.attempts)
        await _finish(
            runtime,
            message_id,
            status=MessageStatus.QUEUED,
            deliver_after=utcnow() + backoff,
            error=str(exc),
        )
        raise Retry(defer=backoff) from exc
    except (DeliveryUnknown, DeliveryError) as exc:
        await _finish(runtime, message_id, status=MessageStatus.UNKNOWN, error=str(exc))
        return MessageStatus.UNKNOWN
    async with runtime.session() as session:
        await session.execute(
            update(Message)
            .where(Message.id == message_id)
            .values(
                status=MessageStatus.SENT,
                provider_id=provider_id,
                sent_at=utcnow(),
                updated_at=utcnow(),
                error=None,
            )
        )
        record_activity(
            session,
            message.brokerage_id,
            ActivityType.MESSAGE_SENT,
            lead_id=message.lead_id,
            property_id=outgoing.conversation.property_id,
            conversation_id=message.conversation_id,
            message_id=message_id,
        )
        await commit(session)
    return MessageStatus.SENT


@dataclass
class SweepResult:
    requeued: list[int] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)


async def sweep(runtime: Runtime, now: datetime | None = None) -> SweepResult:
    """Re-send jobs for due QUEUED rows (lost jobs, lifted pauses); SENDING rows stuck -> UNKNOWN."""
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
