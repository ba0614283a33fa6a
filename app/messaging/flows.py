"""Messaging's flows: delivering outbox rows exactly once, the sweep that recovers what a crash
left behind, and what the providers' webhooks and the unsubscribe link hand us (their HTTP side
is the transport's, graphql_schema/messaging/webhooks.py).

A batch's rows are read and checked in one query; then each row is claimed (QUEUED -> SENDING)
in its own committed transaction just before the provider is called, and marked SENT just after.
A job cut short (its timeout, a shutdown) still finishes the row it is sending, and hands the
rows it did not reach to a new job at once. A row found still SENDING minutes later (its worker
killed, its answer never read) is settled by asking the provider for it: SENT with the
provider's id when the provider has it, sent again when it does not, FAILED with the reason
when the provider cannot be asked (SMTP). Never sent twice, never left in doubt.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Sequence
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
    DELIVER_BATCH_TASK,
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
# A batch stops claiming rows after this share of the job timeout (and at most `BATCH_BUDGET`)
# and hands the rest to a new job: on a loaded machine a 100-row batch outlasted the 600 s
# timeout, which cut it off mid-send and left its other rows to the sweep.
BATCH_BUDGET_SHARE = 1 / 3
BATCH_BUDGET = timedelta(minutes=2)
HAND_ON_WAIT = 5.0  # seconds a cancelled batch gives Redis to take the rest
# What a row left SENDING gets, by how the provider's answer settled it.
NOT_AT_PROVIDER = "its send was cut off before the provider got it; sent again"
CANNOT_ASK = (
    "its worker stopped before {provider} confirmed it, and {provider} cannot be asked whether "
    "it went out: not sent again, so that it cannot go twice"
)
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
    """What a delivery run did: each row's new status (rows left as they were are absent), the
    rows to try again after a backoff, and the rows handed to a new job (past the budget)."""

    statuses: dict[int, MessageStatus] = field(default_factory=dict)
    retry: dict[int, timedelta] = field(default_factory=dict)
    handed_on: list[int] = field(default_factory=list)


def _budget(runtime: Runtime) -> float:
    timeout = runtime.settings.job_timeout_seconds
    return min(timeout * BATCH_BUDGET_SHARE, BATCH_BUDGET.total_seconds())


async def deliver(runtime: Runtime, message_ids: Sequence[int]) -> Delivered:
    """Send the outbox rows that are due and allowed, one after another. Each row is claimed
    just before it is sent and marked SENT (with the provider's id) just after, and that step
    runs to its end even when the job is cancelled meanwhile (its timeout, a shutdown): only a
    killed process leaves a row SENDING, for the sweep to settle. A batch past its budget, or
    cancelled, hands the rows it did not reach to a new job at once."""
    done = Delivered()
    senders: dict[Channel, Sender] = {}
    budget = _budget(runtime) if len(message_ids) > 1 else None
    started = time.monotonic()
    due = await _due(runtime, message_ids)
    for index, row in enumerate(due):
        # At least one row per job: a batch handed on always moves forward.
        if budget is not None and index and time.monotonic() - started > budget:
            done.handed_on = [message.id for message, *_ in due[index:]]
            await _hand_on(runtime, done.handed_on)
            break
        try:
            await _to_the_end(_deliver_row(runtime, row, senders, done))
        except asyncio.CancelledError:
            # Best effort (a shutdown may be for a dead Redis): what is not handed on is
            # still QUEUED, for arq's re-run of a cancelled job or the sweep.
            with contextlib.suppress(Exception):
                rest = [message.id for message, *_ in due[index + 1 :]]
                await asyncio.wait_for(_hand_on(runtime, rest), HAND_ON_WAIT)
            raise
    return done


async def _to_the_end(work: Awaitable[None]) -> None:
    """Await `work`; if the caller is cancelled meanwhile, let `work` finish first, then pass
    the cancellation on. A send cut off between the provider's answer and our record of it
    would leave the row in doubt."""
    task = asyncio.ensure_future(work)
    try:
        await asyncio.shield(task)
    except asyncio.CancelledError:
        await asyncio.wait([task])
        if not task.cancelled() and task.exception() is not None:
            log.error("a send its job's cancellation waited for failed", exc_info=task.exception())
        raise


async def _hand_on(runtime: Runtime, message_ids: list[int]) -> None:
    """A job of their own, at once, for the rows a cut-short batch did not reach."""
    if not message_ids:
        return
    from app.messaging import tasks  # noqa: F401  (registers the delivery jobs)

    await runtime.jobs.enqueue(
        DELIVER_BATCH_TASK,
        message_ids,
        job_id=f"deliver-batch:{message_ids[0]}:{message_ids[-1]}:rest",
    )
    log.info("delivery batch handed on", extra={"rows": len(message_ids)})


async def _deliver_row(
    runtime: Runtime, row: Row, senders: dict[Channel, Sender], done: Delivered
) -> None:
    outgoing = await _claim(runtime, row)
    if outgoing is None:
        return
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
        return
    except Exception as exc:
        # A defect of ours around the provider call (one bad row): the batch goes on, and
        # the row stays SENDING with the error for the sweep to settle with the provider.
        log.exception("sending an outbox row failed", extra={"message_id": message.id})
        await retrying(_in_doubt, runtime, message, f"sending failed: {exc!r}")
        done.statuses[message.id] = MessageStatus.SENDING
        return
    # It went out: a database fault now must not leave the row SENDING.
    property_id = outgoing.conversation.property_id
    await retrying(_mark_sent, runtime, message, property_id, provider_id)
    done.statuses[message.id] = MessageStatus.SENT


async def _in_doubt(runtime: Runtime, message: Message, error: str) -> None:
    """The send may have reached the provider: the row stays SENDING, the reason noted, and
    the sweep asks the provider once it is past `STUCK_SENDING_MINUTES`."""
    await _finish(runtime, message.id, error=f"{error}; to be checked with the provider")


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
    # DeliveryUnknown, or any other delivery error: it may have gone out, never resend it
    # blindly; the sweep asks the provider.
    await _in_doubt(runtime, message, str(exc))
    return MessageStatus.SENDING, None


async def _mark_sent(
    runtime: Runtime, message: Message, property_id: int | None, provider_id: str
) -> bool:
    """SENDING -> SENT, and the activity once: False when the sweep settled the row first."""
    async with runtime.session() as session:
        if not await repository.mark_sent(session, message.id, provider_id, utcnow()):
            return False
        record_activity(
            session,
            message.brokerage_id,
            ActivityType.MESSAGE_SENT,
            lead_id=message.lead_id,
            property_id=property_id,
            conversation_id=message.conversation_id,
            message_id=message.id,
        )
        await commit(session)
    return True


@dataclass
class SweepResult:
    requeued: list[int] = field(default_factory=list)
    # Rows left SENDING, settled with the provider: it had them / it did not (sent again) /
    # it cannot be asked (FAILED with the reason).
    found_sent: list[int] = field(default_factory=list)
    resent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


async def sweep(runtime: Runtime, now: datetime | None = None) -> SweepResult:
    """Settle rows stuck SENDING with their provider, then re-send jobs for due QUEUED rows
    (lost jobs, lifted pauses, rows the provider never got)."""
    now = now or utcnow()
    result = SweepResult()
    await _settle_stuck(runtime, now - timedelta(minutes=STUCK_SENDING_MINUTES), result)
    async with runtime.session() as session:
        result.requeued = await repository.due_queued_ids(session, now)
        bucket = int(now.timestamp()) // 60
        for message_id in result.requeued:
            # Claiming is atomic, so a job that duplicates a pending one sends nothing twice.
            enqueue(session, DELIVER_TASK, message_id, job_id=f"deliver:{message_id}:s{bucket}")
        await commit(session)
    return result


async def _settle_stuck(runtime: Runtime, before: datetime, result: SweepResult) -> None:
    """Each row SENDING since before `before` (no live send lasts that long: its worker was
    killed, or its answer never came) asked for at its provider, one row at a time."""
    async with runtime.session() as session:
        stuck = await repository.stuck_sending(session, before)
        conversations = {
            message.id: await session.get(Conversation, message.conversation_id)
            for message in stuck
        }
    senders: dict[Channel, Sender] = {}
    for message in stuck:
        if message.channel not in senders:
            senders[message.channel] = sender_for(runtime, message.channel)
        sender = senders[message.channel]
        try:
            candidates = await sender.find(message)
        except Exception as exc:  # the provider down, or a defect: the other rows go on
            log.warning(
                "could not ask the provider about an outbox row left SENDING; next sweep",
                extra={"message_id": message.id, "error": repr(exc)},
            )
            continue
        if candidates is None:
            provider = "the mail server" if message.channel is Channel.EMAIL else "the provider"
            await _finish(
                runtime,
                message.id,
                status=MessageStatus.FAILED,
                error=CANNOT_ASK.format(provider=provider),
            )
            result.failed.append(message.id)
            continue
        async with runtime.session() as session:
            taken = await repository.provider_ids_taken(session, candidates)
        ours = next((c for c in candidates if c not in taken), None)
        if ours is not None:
            conversation = conversations[message.id]
            property_id = conversation.property_id if conversation else None
            if await _mark_sent(runtime, message, property_id, ours):
                result.found_sent.append(message.id)
        elif message.attempts >= MAX_ATTEMPTS:
            error = f"gave up after {message.attempts} attempts: never reached the provider"
            await _finish(runtime, message.id, status=MessageStatus.FAILED, error=error)
            result.failed.append(message.id)
        else:
            async with runtime.session() as session:
                if await repository.requeue_unsent(session, message.id, NOT_AT_PROVIDER):
                    result.resent.append(message.id)
                await commit(session)
    if stuck:
        log.warning(
            "outbox rows left SENDING settled with their provider",
            extra={"sent": result.found_sent, "resent": result.resent, "failed": result.failed},
        )


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
