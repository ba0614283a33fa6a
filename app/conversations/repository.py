"""The agent's SQL: what its nodes read (a conversation with its lead, listing, brokerage and
match; the unanswered replies; the transcript) and write (messages on the conversation's
channels, broker tasks, activity).

Nodes call these and commit; nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, case, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.accounts.models import Brokerage, User
from app.accounts.voice import speaking_for
from app.activity.events import ActivityType, record_activity
from app.conversations.intents import Intent
from app.conversations.models import (
    BrokerTask,
    Conversation,
    ConversationStatus,
    TaskKind,
    TaskStatus,
    thread_id_for,
)
from app.conversations.replies import Turn, as_text_message
from app.core.db import dialect_insert, utcnow
from app.leads.models import Lead, LeadStatus
from app.matching.models import Match
from app.messaging.models import Channel, Direction, Message, MessageStatus
from app.messaging.optout import stopped_channels
from app.messaging.outbox import Outgoing, queue_messages
from app.messaging.stop_line import stop_line
from app.properties.models import Property
from app.teams.notices import notify_assignee

TRANSCRIPT_TURNS = 12


@dataclass
class Loaded:
    """One conversation and everything a node reads about it."""

    conversation: Conversation
    lead: Lead
    listing: Property
    brokerage: Brokerage
    match: Match | None = None


def _loading() -> Any:
    return (
        select(Conversation, Lead, Property, Brokerage, User)
        .join(Lead, Lead.id == Conversation.lead_id)
        .join(Property, Property.id == Conversation.property_id)
        .join(Brokerage, Brokerage.id == Conversation.brokerage_id)
        .outerjoin(User, User.id == Lead.assignee_id)
    )


async def load(session: AsyncSession, conversation_id: int, *, with_match: bool = False) -> Loaded:
    """Everything a node reads, in one round trip (the match too, when composing)."""
    if with_match:
        return (await load_for_compose(session, [conversation_id]))[0]
    stmt = _loading().where(Conversation.id == conversation_id)
    conversation, lead, listing, brokerage, agent = (await session.execute(stmt)).one()
    # The AI speaks for the lead's agent (app.accounts.voice).
    return Loaded(conversation, lead, listing, speaking_for(brokerage, agent))


async def load_for_compose(session: AsyncSession, conversation_ids: list[int]) -> list[Loaded]:
    """Conversations with their lead, listing, brokerage and match, in one query."""
    stmt = (
        _loading()
        .add_columns(Match)
        .outerjoin(
            Match, (Match.lead_id == Conversation.lead_id) & (Match.property_id == Property.id)
        )
        .where(Conversation.id.in_(conversation_ids))
        .order_by(Conversation.id)
    )
    return [
        Loaded(conversation, lead, listing, speaking_for(brokerage, agent), match)
        for conversation, lead, listing, brokerage, agent, match in (
            await session.execute(stmt)
        ).all()
    ]


async def written_first(session: AsyncSession, conversation_ids: Sequence[int]) -> set[int]:
    """Of these conversations, those the lead has written in: before our first message, that
    is an inquiry (a website form's question), answered instead of pitched."""
    if not conversation_ids:
        return set()
    stmt = (
        select(Message.conversation_id)
        .where(
            Message.conversation_id.in_(list(conversation_ids)),
            Message.direction == Direction.INBOUND,
        )
        .distinct()
    )
    return set((await session.execute(stmt)).scalars())


async def open_inquiry(
    session: AsyncSession,
    lead: Lead,
    listing: Property,
    language: str,
    channel: Channel,
    body: str,
    key: str,
) -> int:
    """The conversation of a lead who asked about this listing (opened if it was not), with
    their question on it as their message, recorded once under `key`; its id."""
    conversation_id = await open_asked(session, lead, listing, language, channel)
    now = utcnow()
    await session.execute(
        dialect_insert(session, Message)
        .values(
            brokerage_id=lead.brokerage_id,
            conversation_id=conversation_id,
            lead_id=lead.id,
            direction=Direction.INBOUND,
            channel=channel,
            status=MessageStatus.RECEIVED,
            idempotency_key=f"in:{channel.value}:{key}",
            provider_id=key,
            body=body.strip(),
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
    )
    return conversation_id


async def open_asked(
    session: AsyncSession, lead: Lead, listing: Property, language: str, channel: Channel
) -> int:
    """The conversation about the listing a lead asked about (a form, a portal), opened now if
    it was not, before matching opens any other: the lead hears about this one first
    (`hold_for_asked` keeps the others back). Its id."""
    now = utcnow()
    addresses = {Channel.EMAIL: lead.email, Channel.SMS: lead.phone}
    stopped = lead.opted_out_channels or ()
    channels = [c.value for c, address in addresses.items() if address and c.value not in stopped]
    await session.execute(
        dialect_insert(session, Conversation)
        .values(
            brokerage_id=lead.brokerage_id,
            lead_id=lead.id,
            property_id=listing.id,
            thread_id=thread_id_for(lead.id, listing.id),
            status=ConversationStatus.RESPONDING,
            channels=channels or [channel.value],
            language=lead.language or language,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["lead_id", "property_id"])
    )
    conversation_id: int = (
        await session.execute(
            select(Conversation.id).where(
                Conversation.lead_id == lead.id, Conversation.property_id == listing.id
            )
        )
    ).scalar_one()
    return conversation_id


async def hold_for_asked(
    session: AsyncSession, conversation_ids: Sequence[int], *, window: timedelta, language: str
) -> set[int]:
    """Of new conversations (no first message yet), those of a lead already hearing from us
    about another listing opened before them within `window` (the listing they asked about
    on a form): held until that conversation's follow-up time, so the lead gets the answer
    on what they asked first and other listings only later, never the same minute. The held
    ones' ids; the broker's next action says why."""
    if not conversation_ids:
        return set()
    from app.conversations.broker_text import broker_text

    new, earlier = Conversation, aliased(Conversation)
    rows = (
        await session.execute(
            select(new.id, func.min(earlier.created_at))
            .join(
                earlier,
                (earlier.lead_id == new.lead_id)
                & (earlier.property_id != new.property_id)
                & (earlier.id < new.id),
            )
            .where(
                new.id.in_(list(conversation_ids)),
                # one the lead wrote to first is theirs to be answered on, never held
                ~select(Message.id)
                .where(Message.conversation_id == new.id, Message.direction == Direction.INBOUND)
                .exists(),
                earlier.created_at >= utcnow() - window,
                earlier.status.not_in((ConversationStatus.CLOSED, ConversationStatus.OPTED_OUT)),
            )
            .group_by(new.id)
        )
    ).all()
    for conversation_id, opened_at in rows:
        await hold_unstarted(
            session,
            [conversation_id],
            until=opened_at + window,
            next_action=broker_text(language, "next.held_for_asked"),
        )
    return {conversation_id for conversation_id, _ in rows}


async def address_taken(session: AsyncSession, lead: Lead, column: str, value: str) -> bool:
    """Whether another lead of the brokerage already has this e-mail or phone (`column`)."""
    stmt = select(Lead.id).where(
        Lead.brokerage_id == lead.brokerage_id,
        getattr(Lead, column) == value,
        Lead.id != lead.id,
    )
    return (await session.execute(stmt.limit(1))).first() is not None


async def listing_places(session: AsyncSession, brokerage_id: int) -> list[str]:
    """The places of the brokerage's active listings: the ones a lead's new search can name
    (the import reads notes against the same list)."""
    rows = await session.execute(
        select(Property.location)
        .where(Property.brokerage_id == brokerage_id, Property.active.is_(True))
        .distinct()
    )
    return [place for place in rows.scalars() if place]


async def unanswered_replies(session: AsyncSession, conversation_id: int) -> list[Message]:
    """The lead's messages not yet understood (a burst is answered once), oldest first."""
    stmt = (
        select(Message)
        .where(
            Message.conversation_id == conversation_id,
            Message.direction == Direction.INBOUND,
            Message.intent.is_(None),
        )
        .order_by(Message.id)
    )
    return list((await session.execute(stmt)).scalars())


async def transcript(session: AsyncSession, conversation_id: int) -> tuple[Turn, ...]:
    """The last turns of the conversation, oldest first; a step sent by email and by text is
    one turn."""
    stmt = (
        select(
            Message.direction,
            Message.body,
            Message.intent,
            Message.created_at,
            Message.idempotency_key,
        )
        .where(Message.conversation_id == conversation_id)
        .order_by(Message.id.desc())
        .limit(TRANSCRIPT_TURNS * 2)
    )
    turns: list[Turn] = []
    seen_steps: set[str] = set()
    for direction, body, intent, at, key in reversed((await session.execute(stmt)).all()):
        if direction is Direction.OUTBOUND:
            step = key.rsplit(":", 1)[0]
            if step in seen_steps:
                continue
            seen_steps.add(step)
        turns.append(Turn(direction.value, body, Intent(intent) if intent else None, at))
    return tuple(turns)


def on_channels(
    loaded: Loaded,
    key: str,
    subject: str | None,
    body: str,
    *,
    draft: bool = False,
    channels: Iterable[str] | None = None,
    text_body: str | None = None,
    lead_wrote_at: datetime | None = None,
) -> list[Outgoing]:
    """One step's message on each of the conversation's channels (texts in their short form,
    or `text_body` when the step has a text of its own)."""
    messages = []
    stopped = stopped_channels(loaded.lead)
    for channel in channels or loaded.conversation.channels:
        if channel in stopped:  # "no SMS": nothing is even queued there
            continue
        email = channel == Channel.EMAIL.value
        messages.append(
            Outgoing(
                conversation=loaded.conversation,
                lead=loaded.lead,
                channel=Channel(channel),
                body=body if email else (text_body or as_text_message(body)),
                subject=subject if email else None,
                key=f"{loaded.conversation.thread_id}:{key}:{channel}",
                draft=draft,
                stop_line=None if email else stop_line_for(loaded),
                lead_wrote_at=lead_wrote_at,
            )
        )
    return messages


def stop_line_for(loaded: Loaded) -> str:
    """How to stop, in the conversation's language and the brokerage's form of address."""
    formality = getattr(loaded.brokerage, "formality", None)
    return stop_line(loaded.conversation.language, str(formality) if formality else None)


async def queue_on_channels(
    session: AsyncSession,
    loaded: Loaded,
    key: str,
    subject: str | None,
    body: str,
    *,
    channels: Iterable[str] | None = None,
    lead_wrote_at: datetime | None = None,
) -> None:
    """One step's messages queued; `lead_wrote_at`: when the lead wrote what they answer."""
    await queue_messages(
        session,
        on_channels(loaded, key, subject, body, channels=channels, lead_wrote_at=lead_wrote_at),
    )


# How soon the broker should act on each kind of task (a promise made to a lead waits least).
DUE_IN = {
    TaskKind.QUALIFIED: timedelta(hours=2),
    TaskKind.VIEWING: timedelta(hours=2),
    TaskKind.QUESTION: timedelta(hours=4),
    TaskKind.HANDOFF: timedelta(hours=24),
    TaskKind.CALL_HOT_LEAD: timedelta(hours=24),
    TaskKind.REFERRAL: timedelta(hours=24),
}


def task_row(loaded: Loaded, kind: TaskKind, title: str, summary: str) -> dict[str, Any]:
    now = utcnow()
    return {
        "brokerage_id": loaded.conversation.brokerage_id,
        "conversation_id": loaded.conversation.id,
        "lead_id": loaded.lead.id,
        "property_id": loaded.listing.id,
        "kind": kind,
        "title": title[:300],
        "summary": summary,
        "status": TaskStatus.OPEN,
        "due_at": now + DUE_IN[kind],
        "created_at": now,
        "assignee_id": loaded.lead.assignee_id,  # the lead's agent does what was promised
    }


# Spelled as the partial unique index spells it, so ON CONFLICT finds that index.
_OPEN_TASK = text("status = 'OPEN'")


async def insert_tasks(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Several conversations' tasks in one statement (a campaign batch's hot leads); a lead
    with an open task of that kind keeps it as it is."""
    if rows:
        stmt = dialect_insert(session, BrokerTask.__table__).on_conflict_do_nothing(
            index_elements=["lead_id", "kind"], index_where=_OPEN_TASK
        )
        await session.execute(stmt, list(rows))


async def add_task(
    session: AsyncSession, loaded: Loaded, kind: TaskKind, title: str, summary: str = ""
) -> bool:
    """The lead's open task of this kind, created or brought up to date (one open task per
    lead and kind: a second promise updates the first); True when it is new."""
    row = task_row(loaded, kind, title, summary)
    insert = dialect_insert(session, BrokerTask.__table__)
    stmt = insert.on_conflict_do_update(
        index_elements=["lead_id", "kind"],
        index_where=_OPEN_TASK,
        set_={
            "title": insert.excluded.title,
            "summary": insert.excluded.summary,
            "conversation_id": insert.excluded.conversation_id,
            "property_id": insert.excluded.property_id,
            "assignee_id": insert.excluded.assignee_id,
        },
    ).returning(BrokerTask.__table__.c.id, BrokerTask.__table__.c.created_at)
    task_id, created_at = (await session.execute(stmt, row)).one()
    # An update keeps the task's first creation time.
    new = created_at is not None and abs((created_at - row["created_at"]).total_seconds()) < 1e-3
    if new:
        await notify_assignee(session, task_id, loaded.lead, title, summary)
    return new


async def cancel_open_tasks(
    session: AsyncSession, lead_id: int, *, conversation_id: int | None = None
) -> None:
    """Close the open tasks that lost their point (CANCELLED): the lead's, or one
    conversation's."""
    stmt = update(BrokerTask).where(
        BrokerTask.lead_id == lead_id, BrokerTask.status == TaskStatus.OPEN
    )
    if conversation_id is not None:
        stmt = stmt.where(BrokerTask.conversation_id == conversation_id)
    await session.execute(
        stmt.values(status=TaskStatus.CANCELLED, closed_at=utcnow()).execution_options(
            synchronize_session=False
        )
    )


def activity(session: AsyncSession, loaded: Loaded, type_: ActivityType) -> None:
    record_activity(
        session,
        loaded.conversation.brokerage_id,
        type_,
        lead_id=loaded.lead.id,
        property_id=loaded.listing.id,
        conversation_id=loaded.conversation.id,
    )


async def variant_reply_rates(
    session: AsyncSession, brokerage_id: int, property_ids: list[int]
) -> dict[int, list[tuple[str, int, int]]]:
    """Per listing and first-message variant: conversations whose first message went out, and
    how many of those the lead answered (one grouped query for every listing asked)."""
    replied = (
        select(Message.id)
        .where(Message.conversation_id == Conversation.id, Message.direction == Direction.INBOUND)
        .exists()
    )
    stmt = (
        select(
            Conversation.property_id,
            Conversation.variant,
            func.count(),
            func.sum(case((replied, 1), else_=0)),
        )
        .where(
            Conversation.brokerage_id == brokerage_id,
            Conversation.property_id.in_(property_ids),
            Conversation.variant.is_not(None),
            Conversation.turn > 0,
        )
        .group_by(Conversation.property_id, Conversation.variant)
        .order_by(Conversation.property_id, Conversation.variant)
    )
    found: dict[int, list[tuple[str, int, int]]] = {}
    for property_id, variant, sent, answered in (await session.execute(stmt)).all():
        found.setdefault(property_id, []).append((variant, int(sent), int(answered or 0)))
    return found


async def open_task_of(session: AsyncSession, lead_id: int, kind: TaskKind) -> int | None:
    """The id of the lead's open task of this kind, if it has one (one open task per kind)."""
    return await session.scalar(
        select(BrokerTask.id).where(
            BrokerTask.lead_id == lead_id,
            BrokerTask.kind == kind,
            BrokerTask.status == TaskStatus.OPEN,
        )
    )


async def keep_language(session: AsyncSession, lead: Lead, language: str) -> None:
    """The lead asked to be written in `language`: it is theirs from now on, in every one of
    their conversations (the ones open now and the ones a campaign starts later)."""
    lead.chosen_language = language
    lead.language = language
    await session.execute(
        update(Conversation)
        .where(Conversation.brokerage_id == lead.brokerage_id, Conversation.lead_id == lead.id)
        .values(language=language)
        .execution_options(synchronize_session="fetch")
    )


async def last_inbound_channel(session: AsyncSession, conversation_id: int) -> str | None:
    """The channel the lead last wrote on in this conversation."""
    return await session.scalar(
        select(Message.channel)
        .where(Message.conversation_id == conversation_id, Message.direction == Direction.INBOUND)
        .order_by(Message.id.desc())
        .limit(1)
    )


async def hold_unstarted(
    session: AsyncSession,
    conversation_ids: Sequence[int],
    *,
    until: datetime | None,
    next_action: str,
    close: bool = False,
) -> list[int]:
    """Of `conversation_ids`, those still without their first message: held until `until`
    (their campaign batch failed; `unstarted` skips them until then), or closed
    (`close`: it failed for good), with `next_action` saying why to the broker."""
    values: dict[str, Any] = {"start_after": until, "next_action": next_action[:300]}
    if close:
        values["status"] = ConversationStatus.CLOSED
    rows = await session.execute(
        update(Conversation)
        .where(
            Conversation.id.in_(list(conversation_ids)),
            Conversation.turn == 0,
            Conversation.status == ConversationStatus.RESPONDING,
        )
        .values(**values)
        .returning(Conversation.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(rows.scalars())


async def close_lead_threads(session: AsyncSession, brokerage_id: int, lead_id: int) -> None:
    """Close every conversation of the lead not ended yet, and cancel its open tasks (a lead
    no longer ACTIVE: won, lost, not interested)."""
    await session.execute(
        update(Conversation)
        .where(
            Conversation.brokerage_id == brokerage_id,
            Conversation.lead_id == lead_id,
            Conversation.status.not_in((ConversationStatus.OPTED_OUT, ConversationStatus.CLOSED)),
        )
        .values(status=ConversationStatus.CLOSED, next_action=None, follow_up_at=None)
        .execution_options(synchronize_session="fetch")
    )
    await session.execute(
        update(BrokerTask)
        .where(BrokerTask.lead_id == lead_id, BrokerTask.status == TaskStatus.OPEN)
        .values(status=TaskStatus.CANCELLED, closed_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )


async def other_active_listings(
    session: AsyncSession, lead: Lead, declined_id: int
) -> list[Property]:
    """The brokerage's active listings other than the declined one that the lead is not already
    talking about (a conversation not ended), by id."""
    talking = select(Conversation.property_id).where(
        Conversation.lead_id == lead.id,
        Conversation.status.not_in((ConversationStatus.OPTED_OUT, ConversationStatus.CLOSED)),
    )
    return list(
        (
            await session.execute(
                select(Property)
                .where(
                    Property.brokerage_id == lead.brokerage_id,
                    Property.active.is_(True),
                    Property.id != declined_id,
                    Property.id.not_in(talking),
                )
                .order_by(Property.id)
            )
        ).scalars()
    )


async def active_listings_among(
    session: AsyncSession, brokerage_id: int, property_ids: Sequence[int]
) -> list[Property]:
    """The listings of these ids (offered to a lead) that are still active."""
    return list(
        (
            await session.execute(
                select(Property).where(
                    Property.brokerage_id == brokerage_id,
                    Property.id.in_(property_ids),
                    Property.active.is_(True),
                )
            )
        ).scalars()
    )


# The sweeps' reads span every brokerage: each one finds work lost by a job, whoever's it is.


async def due_follow_ups(session: AsyncSession, limit: int) -> list[tuple[int, str, int]]:
    """Waiting conversations whose follow-up is due and that no broker took over: (id, thread
    id, follow-ups sent so far)."""
    stmt = (
        select(Conversation.id, Conversation.thread_id, Conversation.follow_ups_sent)
        .where(
            Conversation.follow_up_at <= utcnow(),
            Conversation.status == ConversationStatus.WAITING,
            Conversation.taken_over.is_(False),
        )
        .limit(limit)
    )
    return list((await session.execute(stmt)).tuples().all())


async def stalled_campaigns(
    session: AsyncSession, opened_before: datetime
) -> list[tuple[int, int]]:
    """(listing id, brokerage id) of campaigns with a conversation opened before this time and
    never started (turn 0, still RESPONDING), not held."""
    stmt = (
        select(Conversation.property_id, Conversation.brokerage_id)
        .where(
            Conversation.turn == 0,
            Conversation.status == ConversationStatus.RESPONDING,
            Conversation.created_at < opened_before,
            # held (a failed batch, a lead answered first on what they asked): later
            (Conversation.start_after.is_(None)) | (Conversation.start_after <= utcnow()),
        )
        .distinct()
    )
    return list((await session.execute(stmt)).tuples().all())


async def with_unanswered_replies(
    session: AsyncSession, received_before: datetime, received_since: datetime, limit: int
) -> list[int]:
    """Conversations with a reply received in this window and not answered yet (no intent
    read), leaving out those waiting for the broker's approval or taken over by the broker
    (answered by the approval, or by the broker)."""
    stmt = (
        select(Message.conversation_id)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(
            Message.direction == Direction.INBOUND,
            Message.intent.is_(None),
            Message.created_at < received_before,
            Message.created_at >= received_since,
            Conversation.status != ConversationStatus.AWAITING_APPROVAL,
            Conversation.taken_over.is_(False),
        )
        .distinct()
        .limit(limit)
    )
    return list((await session.execute(stmt)).scalars())


async def threads_ended_since(
    session: AsyncSession, ended: Iterable[ConversationStatus], since: datetime
) -> dict[str, int]:
    """Conversations in one of these ended statuses last changed since this time, by thread id."""
    stmt = select(Conversation.thread_id, Conversation.id).where(
        Conversation.status.in_(list(ended)), Conversation.updated_at >= since
    )
    return dict((await session.execute(stmt)).tuples().all())


async def lead_thread_ids(session: AsyncSession, brokerage_id: int, lead_id: int) -> list[str]:
    """The conversation threads of a lead (whose checkpoints go when the lead is erased)."""
    stmt = select(Conversation.thread_id).where(
        Conversation.brokerage_id == brokerage_id, Conversation.lead_id == lead_id
    )
    return list((await session.execute(stmt)).scalars())


async def conversations_of_messages(
    session: AsyncSession, brokerage_id: int, message_ids: Sequence[int]
) -> dict[int, int]:
    """The conversation of each of these messages the brokerage has, by message id."""
    stmt = select(Message.id, Message.conversation_id).where(
        Message.id.in_(list(message_ids)), Message.brokerage_id == brokerage_id
    )
    return {
        message_id: conversation_id for message_id, conversation_id in await session.execute(stmt)
    }


async def matches_without_conversation(
    session: AsyncSession, brokerage_id: int, property_id: int, lead_ids: list[int] | None
) -> list[tuple[Any, ...]]:
    """The listing's matches (of `lead_ids`, if given) of active leads not opted out with no
    conversation yet: (lead id, tier, e-mail, phone, stopped channels, lead's language,
    brokerage's language)."""
    stmt = (
        select(
            Match.lead_id,
            Match.tier,
            Lead.email,
            Lead.phone,
            Lead.opted_out_channels,
            Lead.language,
            Brokerage.language,
        )
        .join(Lead, Lead.id == Match.lead_id)
        .join(Brokerage, Brokerage.id == Match.brokerage_id)
        .outerjoin(
            Conversation,
            (Conversation.lead_id == Match.lead_id)
            & (Conversation.property_id == Match.property_id),
        )
        .where(
            Match.property_id == property_id,
            Match.brokerage_id == brokerage_id,
            Conversation.id.is_(None),
            Lead.opted_out.is_(False),
            Lead.status == LeadStatus.ACTIVE,
        )
    )
    if lead_ids is not None:
        stmt = stmt.where(Match.lead_id.in_(lead_ids))
    return list((await session.execute(stmt)).tuples().all())


async def insert_conversations(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Insert these conversation rows, 5,000 a statement; a (lead, listing) pair that has one
    already is left as it is."""
    insert = dialect_insert(session, Conversation).on_conflict_do_nothing(
        index_elements=["lead_id", "property_id"]
    )
    for start in range(0, len(rows), 5000):
        await session.execute(insert, rows[start : start + 5000])


async def unstarted(
    session: AsyncSession, property_id: int, *, lead_ids: list[int] | None = None
) -> list[int]:
    """The listing's conversations with no first message yet (of `lead_ids`, if given)."""
    stmt = (
        select(Conversation.id)
        .where(Conversation.property_id == property_id, Conversation.turn == 0)
        .where(Conversation.status == ConversationStatus.RESPONDING)
        # held: their batch failed and runs again later (`batch_failed`)
        .where((Conversation.start_after.is_(None)) | (Conversation.start_after <= utcnow()))
        .order_by(Conversation.id)
    )
    if lead_ids is not None:
        stmt = stmt.where(Conversation.lead_id.in_(lead_ids))
    return list((await session.execute(stmt)).scalars())


async def campaign_counts(
    session: AsyncSession, property_id: int
) -> tuple[int, dict[str, int], int]:
    """The listing's matches, its conversations by status, and those with a first message."""
    matches = await session.scalar(select(func.count()).where(Match.property_id == property_id))
    by_status = dict(
        (status.value, count)
        for status, count in await session.execute(
            select(Conversation.status, func.count())
            .where(Conversation.property_id == property_id)
            .group_by(Conversation.status)
        )
    )
    started = await session.scalar(
        select(func.count()).where(Conversation.property_id == property_id, Conversation.turn > 0)
    )
    return matches or 0, by_status, started or 0


async def campaign_paused(session: AsyncSession, brokerage_id: int, property_id: int) -> bool:
    """Whether the listing's campaign holds: paused, the listing inactive or gone, or the
    brokerage paused."""
    row = (
        await session.execute(
            select(Property.campaign_paused, Property.active, Brokerage.paused)
            .join(Brokerage, Brokerage.id == Property.brokerage_id)
            .where(Property.id == property_id, Property.brokerage_id == brokerage_id)
        )
    ).one_or_none()
    return row is None or row.campaign_paused or not row.active or row.paused


async def brokerage_language(session: AsyncSession, brokerage_id: int) -> str | None:
    """The brokerage's language, for the broker's words."""
    return await session.scalar(select(Brokerage.language).where(Brokerage.id == brokerage_id))


async def record_reply(
    session: AsyncSession,
    conversation: Conversation,
    channel: Channel,
    body: str,
    key: str,
    provider_id: str | None,
    now: datetime,
) -> int | None:
    """Store a lead's reply on its conversation under `key`; its id, or None when a reply of
    that key was stored already."""
    inserted = await session.execute(
        dialect_insert(session, Message)
        .values(
            brokerage_id=conversation.brokerage_id,
            conversation_id=conversation.id,
            lead_id=conversation.lead_id,
            direction=Direction.INBOUND,
            channel=channel,
            status=MessageStatus.RECEIVED,
            idempotency_key=key,
            body=body.strip(),
            provider_id=provider_id,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(Message.id)
    )
    message_id: int | None = inserted.scalar_one_or_none()
    return message_id


async def mark_lead_contacted(session: AsyncSession, lead_id: int, at: datetime) -> None:
    """The lead was last in touch at `at` (a reply)."""
    await session.execute(update(Lead).where(Lead.id == lead_id).values(last_contact_at=at))


def _unanswered(conversation_ids: Sequence[int]) -> Select[int, str]:
    """Those conversations (id, thread) with replies the agent should still answer: none while
    the broker has taken the conversation over."""
    waiting_reply = (
        select(Message.id)
        .where(
            Message.conversation_id == Conversation.id,
            Message.direction == Direction.INBOUND,
            Message.intent.is_(None),
        )
        .exists()
    )
    return select(Conversation.id, Conversation.thread_id).where(
        Conversation.id.in_(conversation_ids), Conversation.taken_over.is_(False), waiting_reply
    )


async def with_replies_to_answer(
    session: AsyncSession, conversation_ids: Sequence[int]
) -> list[tuple[int, str]]:
    """Of these conversations, those (id, thread) with replies the agent should still answer."""
    return list((await session.execute(_unanswered(conversation_ids))).tuples().all())


async def status_with_replies_to_answer(
    session: AsyncSession, conversation_id: int
) -> ConversationStatus | None:
    """The conversation's status while it has replies the agent should answer, else None."""
    stmt = _unanswered([conversation_id]).add_columns(Conversation.status)
    row = (await session.execute(stmt)).first()
    return row.status if row is not None else None
