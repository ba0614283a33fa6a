"""Messaging's flows: delivering outbox rows exactly once, the sweep that recovers what a crash
left behind, and what the providers' webhooks and the unsubscribe link hand us (their HTTP side
is the transport's, graphql_schema/messaging/webhooks.py).

A batch's rows are read and checked in one query; then each row is claimed (QUEUED -> SENDING)
in its own committed transaction just before the provider is called, and marked SENT just after.
A row found still SENDING later may have gone out, so it becomes UNKNOWN, never resent.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts.models import Brokerage
from app.accounts.voice import speaking_for
from app.activity.events import ActivityType, record_activity
from app.core.db import utcnow
from app.core.faults import retrying
from app.core.jobs import enqueue
from app.core.runtime import Runtime
from app.core.uow import commit
from app.leads.models import Lead
from app.messaging import repository, service
from app.messaging.config import MAX_ATTEMPTS, STUCK_SENDING_MINUTES, messaging_config
from app.messaging.links import lead_for_unsubscribe
from app.messaging.models import Channel, Message, MessageStatus
from app.messaging.optout import OPTED_OUT_ERROR, opt_out_lead
from app.messaging.outbox import (
    ANSWERED_BEFORE_TEXT,
    DELIVER_TASK,
    GOING,
    email_key,
    follows_email,
    schedule_delivery,
    suppression_reason,
)
from app.messaging.routing import channel_of, find_conversation_for_email, find_conversation_for_sms
from app.messaging.rules import lead_time_zones, next_sending_time
from app.messaging.senders import Claimed, Sender, sender_for
from app.threads.models import Conversation
from integrations.email.inbound import InboundEmail
from integrations.messaging import (
    DeliveryError,
    PermanentFailure,
    RecipientOptedOut,
    TransientFailure,
)
from integrations.twilio.webhooks import InboundMessage, StatusUpdate, keyword_action

log = logging.getLogger("app.messaging.delivery")  # the name it has always logged under
inbound_log = logging.getLogger("app.messaging.webhooks")
# The job that hands a matched reply to its conversation: conversations' (its tasks.py), queued
# by name after the commit, as the thread runs in the domain above messaging.
RECEIVE_TASK = "receive_inbound_message"


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
        rows = list(await repository.queued_with_context(session, message_ids))
        answered = await _answered_before_text(session, [row[0] for row in rows])
        due: list[Row] = []
        for message, lead, conversation, real_brokerage, agent in rows:
            brokerage = speaking_for(real_brokerage, agent)  # e-mails close with the agent's block
            reason = suppression_reason(lead, conversation, message.channel)
            if message.id in answered:
                message.status, message.error = MessageStatus.SUPPRESSED, ANSWERED_BEFORE_TEXT
            elif reason is not None:
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


async def _answered_before_text(session: AsyncSession, messages: Sequence[Message]) -> set[int]:
    """The texts of the agent's own steps whose e-mail went and whose lead has written in the
    conversation since they were queued: the lead answered, the text would be a repeat."""
    texts = [m for m in messages if follows_email(m.idempotency_key, m.channel)]
    if not texts:
        return set()
    wrote = await repository.last_inbound_in(session, sorted({m.conversation_id for m in texts}))
    texts = [
        m for m in texts if m.conversation_id in wrote and wrote[m.conversation_id] > m.created_at
    ]
    emailed = await repository.keys_with_status(
        session, [email_key(m.idempotency_key) for m in texts], GOING
    )
    return {m.id for m in texts if email_key(m.idempotency_key) in emailed}


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
        await repository.finish_sending(session, message_id, **values)
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
            await service.provider_opted_out(session, message, str(exc))
            await repository.suppress_message(session, message.id, f"{OPTED_OUT_ERROR}: {exc}")
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


async def receive_text(
    runtime: Runtime, inbound: InboundMessage, form: dict[str, str]
) -> str | None:
    """A text (SMS or WhatsApp) from a lead: a keyword opts its number out or in, anything else
    goes to the lead's conversation. Returns our confirmation to answer with, if any; a repeated
    delivery (the same message sid) is handled once."""
    async with runtime.session() as session:
        if not await repository.record_webhook_once(session, "twilio", inbound.message_sid, form):
            return None  # a repeated delivery: handled the first time
        reply = None
        action = inbound.keyword
        if action is not None:
            changed = await service.apply_keyword(session, inbound, action)
            reply = service.keyword_reply(inbound, action, changed)
        if action not in ("STOP", "START"):
            conversation = await find_conversation_for_sms(session, inbound.from_, inbound.to)
            if conversation is None:
                inbound_log.info(
                    "inbound text from an unknown number", extra={"sid": inbound.message_sid}
                )
            else:
                enqueue(
                    session,
                    RECEIVE_TASK,
                    conversation.id,
                    channel_of(inbound.from_).value,
                    inbound.body,
                    inbound.message_sid,
                    job_id=f"inbound:{inbound.message_sid}",
                    # A lead waiting for an answer goes ahead of a campaign's queued batches.
                    urgent=True,
                )
        await commit(session)
    return reply


async def record_status(runtime: Runtime, update_: StatusUpdate) -> None:
    """A provider's status callback on a text we sent (unknown ids are ignored)."""
    async with runtime.session() as session:
        message = await repository.message_by_provider_id(
            session, [update_.message_sid], Channel.SMS
        ) or await repository.message_by_provider_id(
            session, [update_.message_sid], Channel.WHATSAPP
        )
        if message is None:
            return
        await service.apply_status(session, message, update_)
        await commit(session)


async def receive_email(
    runtime: Runtime, inbound: InboundEmail, once: tuple[str, str, dict[str, str]] | None
) -> bool:
    """An e-mail reply: STOP opts the lead out, anything else goes to its conversation. `once`
    is the delivery's (source, id, payload) in the webhook inbox; False when it was seen."""
    async with runtime.session() as session:
        if once is not None and not await repository.record_webhook_once(session, *once):
            return False
        conversation = await find_conversation_for_email(session, inbound)
        if conversation is None:
            inbound_log.info(
                "inbound email matched no conversation", extra={"from": inbound.sender}
            )
        elif keyword_action(inbound.reply_text) == "STOP":
            # "STOP", "BAJA", "unsubscribe" by e-mail: everything, as by text.
            await opt_out_lead(
                session,
                conversation.brokerage_id,
                conversation.lead_id,
                source="email:reply",
                channel=Channel.EMAIL.value,
                detail=inbound.reply_text[:200],
            )
        else:
            enqueue(
                session,
                RECEIVE_TASK,
                conversation.id,
                Channel.EMAIL.value,
                inbound.reply_text,
                inbound.message_id,
                job_id=f"inbound:{inbound.message_id}" if inbound.message_id else None,
                urgent=True,  # ahead of a campaign's queued batches
            )
        await commit(session)
    return True


@dataclass
class Unsubscribing:
    """Whose messages an unsubscribe link stops, in the lead's language ("es" or "en")."""

    brokerage_name: str
    language: str


async def unsubscribe(runtime: Runtime, token: str, *, confirm: bool) -> Unsubscribing | None:
    """The lead an unsubscribe link names (None for a link that is not valid); with `confirm`
    (RFC 8058 one-click, or the page's button) the lead is opted out of everything."""
    lead_id = lead_for_unsubscribe(runtime.settings.signing_keys, token)
    async with runtime.session() as session:
        lead = await session.get(Lead, lead_id) if lead_id is not None else None
        if lead is None:
            return None
        brokerage = await session.get(Brokerage, lead.brokerage_id)
        language = (
            "en" if (lead.language or (brokerage.language if brokerage else "es")) == "en" else "es"
        )
        if confirm:
            await opt_out_lead(
                session, lead.brokerage_id, lead.id, source="email:unsubscribe", channel=None
            )
            await commit(session)
    return Unsubscribing(brokerage.name if brokerage else "", language)
