"""The outbox: every outgoing message is a row first (one per idempotency key), then delivered.

`queue_messages` decides at once whether a message may go (opt-out, address), and when (quiet
hours, per-lead caps); the delivery job is sent only after the caller commits.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Brokerage
from app.core.db import dialect_insert, utcnow
from app.core.uow import after_commit_batch
from app.leads.models import Lead
from app.messaging import repository
from app.messaging.config import messaging_config
from app.messaging.models import Channel, Direction, Message, MessageStatus
from app.messaging.optout import OPTED_OUT_ERROR, channel_stopped_error
from app.messaging.rules import lead_time_zones, next_sending_time, next_time_under_caps
from app.messaging.stop_line import stop_line_in, with_stop_line
from app.threads.models import Conversation, ConversationStatus

DELIVER_TASK = "deliver_message"
DELIVER_BATCH_TASK = "deliver_messages"
DELIVERY_BATCH = 100
# A conversation the lead wrote in within this window is live: its answers are not capped.
LIVE_CONVERSATION = timedelta(hours=24)
REJECTED = "rejected by the broker"
# The steps the agent takes on its own, not answers (read from the outbox key,
# `{thread}:{step}:...:{channel}`, as the dashboard reads it): a lead reached by e-mail and
# text gets their e-mail first and the text `text_after_email` later, inside the lead's waking
# hours, and no text at all once they have written in the conversation.
OWN_STEPS = ("first", "followup")
ANSWERED_BEFORE_TEXT = "the lead answered the e-mail before this text was due"
# An e-mail that goes or went out.
GOING = (MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.SENT, MessageStatus.DELIVERED)


def step_of(key: str) -> str:
    return key.rsplit(":", 1)[0]


def follows_email(key: str, channel: Channel) -> bool:
    """Whether this outbox row is the text of one of the agent's own steps."""
    parts = key.split(":")
    return channel is not Channel.EMAIL and len(parts) >= 3 and parts[1] in OWN_STEPS


def email_key(key: str) -> str:
    """The key of the e-mail of the same step as the row keyed `key`."""
    return f"{step_of(key)}:{Channel.EMAIL.value}"


def address_for(lead: Lead, channel: Channel) -> str | None:
    return lead.email if channel is Channel.EMAIL else lead.phone


def suppression_reason(lead: Lead, conversation: Conversation, channel: Channel) -> str | None:
    if lead.opted_out or conversation.status is ConversationStatus.OPTED_OUT:
        return OPTED_OUT_ERROR
    if channel.value in (lead.opted_out_channels or ()):  # "no SMS, email me"
        return channel_stopped_error(channel.value)
    if not address_for(lead, channel):
        return f"the lead has no {'email address' if channel is Channel.EMAIL else 'phone'}"
    return None


@dataclass
class SendHistory:
    """What the caps look at for one lead: the conversations it is live in, and its recent sends."""

    live: set[int]
    scheduled: list[datetime]

    def capped(self, conversation_id: int) -> bool:
        """Answers in a live conversation go at once; everything else (a first message about
        another listing, a follow-up) stays under the per-lead caps."""
        return conversation_id not in self.live


async def send_histories(
    session: AsyncSession,
    steps: Iterable[tuple[int, int]],
    now: datetime,
    wrote_at: dict[int, datetime] | None = None,
) -> dict[int, SendHistory]:
    """The send history of each lead of `steps` ((lead id, conversation id) pairs), for a whole
    batch in two queries. `wrote_at`: when the lead wrote in some of these conversations, when
    the caller knows (an answer to a reply): such a conversation is live without a query."""
    steps = list(steps)
    known = {
        conversation_id
        for conversation_id, at in (wrote_at or {}).items()
        if now - at < LIVE_CONVERSATION
    }
    unknown = sorted({conversation_id for _, conversation_id in steps} - known)
    live = known | await repository.conversations_written_since(
        session, unknown, now - LIVE_CONVERSATION
    )
    ids = sorted({lead_id for lead_id, _ in steps})
    scheduled = await repository.recent_send_times(session, ids, now - timedelta(days=7))
    histories = {lead_id: SendHistory(set(), scheduled.get(lead_id, [])) for lead_id in ids}
    for lead_id, conversation_id in steps:
        if conversation_id in live:
            histories[lead_id].live.add(conversation_id)
    return histories


async def delivery_time(
    session: AsyncSession,
    lead: Lead,
    channel: Channel,
    conversation_id: int,
    now: datetime | None = None,
    history: SendHistory | None = None,
    not_before: datetime | None = None,
) -> datetime:
    """The earliest instant, from `not_before` if later than now, `conversation_id`'s message
    may go: under the caps unless the lead is live in that conversation and, for texts, in
    waking hours."""
    now = now or utcnow()
    config = messaging_config(session.info["runtime"].settings)
    if history is None:
        history = (await send_histories(session, [(lead.id, conversation_id)], now))[lead.id]
    capped, scheduled = history.capped(conversation_id), history.scheduled
    zones = None
    if channel is not Channel.EMAIL:
        brokerage = await session.get(Brokerage, lead.brokerage_id)
        fallback = brokerage.timezone if brokerage else "UTC"
        zones = lead_time_zones(lead.phone, fallback)
    when = max(now, not_before) if not_before is not None else now
    for _ in range(10):  # each rule can only push later; stop when both agree
        moved = next_time_under_caps(when, scheduled, config.caps) if capped else when
        if zones is not None:
            moved = next_sending_time(moved, zones, config.quiet_hours)
        if moved == when:
            break
        when = moved
    return when


def schedule_delivery(
    session: AsyncSession, message_id: int, deliver_after: datetime | None, now: datetime
) -> None:
    """Send the delivery jobs after the commit: the transaction's rows that may go at the same
    second share jobs of `DELIVERY_BATCH` (a campaign batch queues hundreds, and quiet hours
    defer most of its texts to the same morning)."""
    from app.messaging import tasks  # noqa: F401  (registers the delivery jobs)

    delay = math.ceil((deliver_after - now).total_seconds()) if deliver_after else 0
    jobs = session.info["runtime"].jobs

    async def enqueue_all(items: list[tuple[int, int]]) -> None:
        by_delay: dict[int, list[int]] = defaultdict(list)
        for item_id, seconds in items:
            by_delay[max(seconds, 0)].append(item_id)
        for seconds, ids in by_delay.items():
            for start in range(0, len(ids), DELIVERY_BATCH):
                batch = ids[start : start + DELIVERY_BATCH]
                await jobs.enqueue(
                    DELIVER_BATCH_TASK,
                    batch,
                    job_id=f"deliver-batch:{batch[0]}:{batch[-1]}:{seconds}",
                    defer_by=seconds or None,
                )

    after_commit_batch(session, "deliveries", (message_id, delay), enqueue_all)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message of a conversation step; `key` names the step and channel, once for all."""

    conversation: Conversation
    lead: Lead
    channel: Channel
    body: str
    subject: str | None
    key: str
    # Kept as a DRAFT for the broker's approval instead of queued.
    draft: bool = False
    # An e-mail's attachment: {"filename", "content_type", "content"} (a calendar invite).
    attachment: dict[str, str] | None = None
    # How to stop, added to a text when it is the first to that number (`stop_line`).
    stop_line: str | None = None
    # When the lead wrote the reply this message answers (it needs no query to know the lead
    # is in a live conversation).
    lead_wrote_at: datetime | None = None


async def queue_messages(session: AsyncSession, outgoing: Sequence[Outgoing]) -> int:
    """The outbox rows of conversation steps, in one statement; returns how many are new.

    Each row is created once (its idempotency key): a step run again leaves its rows as they
    are and schedules nothing. Whether a message may go (opt-out, address) is decided here,
    and when (quiet hours, per-lead caps, counting the rows queued before it in this call).
    """
    if not outgoing:
        return 0
    now = utcnow()
    wrote_at = {o.conversation.id: o.lead_wrote_at for o in outgoing if o.lead_wrote_at is not None}
    histories = await send_histories(
        session, ((o.lead.id, o.conversation.id) for o in outgoing if not o.draft), now, wrote_at
    )
    texted = await _texted(session, outgoing)
    text_after_email = messaging_config(session.info["runtime"].settings).text_after_email
    # The steps whose e-mail goes now: their texts follow it.
    emailed = {
        step_of(o.key)
        for o in outgoing
        if o.channel is Channel.EMAIL
        and not o.draft
        and suppression_reason(o.lead, o.conversation, o.channel) is None
    }
    rows = []
    for item in outgoing:
        body = item.body
        address = address_for(item.lead, item.channel)
        if item.stop_line and item.channel is Channel.SMS and address and address not in texted:
            body = with_stop_line(body, item.stop_line)
            texted.add(address)
        reason = suppression_reason(item.lead, item.conversation, item.channel)
        deliver_after = None
        if reason is not None:
            status = MessageStatus.SUPPRESSED
        elif item.draft:
            status = MessageStatus.DRAFT
        else:
            status = MessageStatus.QUEUED
            history = histories[item.lead.id]
            later = follows_email(item.key, item.channel) and step_of(item.key) in emailed
            deliver_after = await delivery_time(
                session,
                item.lead,
                item.channel,
                item.conversation.id,
                now,
                history,
                not_before=now + text_after_email if later else None,
            )
            history.scheduled.append(deliver_after)
        rows.append(
            {
                "brokerage_id": item.conversation.brokerage_id,
                "conversation_id": item.conversation.id,
                "lead_id": item.lead.id,
                "direction": Direction.OUTBOUND,
                "channel": item.channel,
                "status": status,
                "idempotency_key": item.key,
                "to_address": address,
                "subject": item.subject,
                "body": body,
                "attachment": item.attachment if item.channel is Channel.EMAIL else None,
                "deliver_after": deliver_after,
                "error": reason,
                "attempts": 0,
                "created_at": now,
                "updated_at": now,
            }
        )
    # ON CONFLICT DO NOTHING: of two runs of one step racing, one inserts; RETURNING names
    # the rows this call created, the only ones whose delivery it schedules.
    stmt = (
        dialect_insert(session, Message.__table__)
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(Message.id, Message.status, Message.deliver_after)
    )
    inserted = (await session.execute(stmt, rows)).all()
    for message_id, status, deliver_after in inserted:
        if status is MessageStatus.QUEUED:
            schedule_delivery(session, message_id, deliver_after, now)
    return len(inserted)


async def _texted(session: AsyncSession, outgoing: Sequence[Outgoing]) -> set[str]:
    """The numbers of this batch's texts that were texted before: their texts need no stop line."""
    numbers: dict[int, set[str]] = defaultdict(set)
    for item in outgoing:
        if item.stop_line and item.channel is Channel.SMS and item.lead.phone:
            numbers[item.conversation.brokerage_id].add(item.lead.phone)
    texted: set[str] = set()
    for brokerage_id, phones in numbers.items():
        texted |= await repository.texted_numbers(session, brokerage_id, sorted(phones))
    return texted


async def release_drafts(
    session: AsyncSession, conversation_id: int, body: str | None = None
) -> list[Message]:
    """The broker approved (optionally with an edited body): DRAFT -> QUEUED and delivered."""
    drafts = await repository.drafts_of(session, conversation_id)
    for message in drafts:
        await release_draft(session, message, body)
    return drafts


async def release_draft(session: AsyncSession, message: Message, body: str | None = None) -> None:
    """One drafted message approved, with the broker's edits when given: queued for delivery.
    A first text keeps the line saying how to stop, even when the edit left it out."""
    now = utcnow()
    lead = await session.get(Lead, message.lead_id)
    conversation = await session.get(Conversation, message.conversation_id)
    assert lead is not None and conversation is not None
    if body is not None:
        stop = stop_line_in(message.body) if message.channel is not Channel.EMAIL else None
        message.body = body if stop is None else with_stop_line(body, stop)
    reason = suppression_reason(lead, conversation, message.channel)
    if reason is not None:
        message.status, message.error = MessageStatus.SUPPRESSED, reason
    else:
        not_before = None
        if follows_email(message.idempotency_key, message.channel):
            # The step's e-mail goes (approved with it, or before): the text follows it.
            going = await repository.keys_with_status(
                session, [email_key(message.idempotency_key)], GOING
            )
            if going:
                config = messaging_config(session.info["runtime"].settings)
                not_before = now + config.text_after_email
        message.deliver_after = await delivery_time(
            session,
            lead,
            message.channel,
            conversation.id,
            now,
            not_before=not_before,
        )
        message.status = MessageStatus.QUEUED
        schedule_delivery(session, message.id, message.deliver_after, now)
    await session.flush()


def discard_draft(message: Message) -> None:
    message.status, message.error = MessageStatus.SUPPRESSED, REJECTED


async def discard_drafts(session: AsyncSession, conversation_id: int) -> list[Message]:
    """The broker rejected the draft: it is never sent."""
    drafts = await repository.drafts_of(session, conversation_id)
    for message in drafts:
        discard_draft(message)
    await session.flush()
    return drafts
