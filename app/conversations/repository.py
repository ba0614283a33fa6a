"""The agent's SQL: what its nodes read (a conversation with its lead, listing, brokerage and
match; the unanswered replies; the transcript) and write (messages on the conversation's
channels, broker tasks, activity).

Nodes call these and commit; nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Brokerage
from app.activity.events import ActivityType, record_activity
from app.conversations.intents import Intent
from app.conversations.models import BrokerTask, Conversation, TaskKind
from app.conversations.replies import Turn, as_text_message
from app.core.db import dialect_insert, utcnow
from app.leads.models import Lead
from app.matching.models import Match
from app.messaging.models import Channel, Direction, Message
from app.messaging.outbox import Outgoing, queue_messages
from app.messaging.stop_line import stop_line
from app.properties.models import Property

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
        select(Conversation, Lead, Property, Brokerage)
        .join(Lead, Lead.id == Conversation.lead_id)
        .join(Property, Property.id == Conversation.property_id)
        .join(Brokerage, Brokerage.id == Conversation.brokerage_id)
    )


async def load(session: AsyncSession, conversation_id: int, *, with_match: bool = False) -> Loaded:
    """Everything a node reads, in one round trip (the match too, when composing)."""
    if with_match:
        return (await load_for_compose(session, [conversation_id]))[0]
    stmt = _loading().where(Conversation.id == conversation_id)
    conversation, lead, listing, brokerage = (await session.execute(stmt)).one()
    return Loaded(conversation, lead, listing, brokerage)


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
    return [Loaded(*row) for row in (await session.execute(stmt)).all()]


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
) -> list[Outgoing]:
    """One step's message on each of the conversation's channels (texts in their short form,
    or `text_body` when the step has a text of its own)."""
    messages = []
    for channel in channels or loaded.conversation.channels:
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
) -> None:
    await queue_messages(session, on_channels(loaded, key, subject, body, channels=channels))


def task_row(loaded: Loaded, kind: TaskKind, title: str, summary: str) -> dict[str, Any]:
    return {
        "brokerage_id": loaded.conversation.brokerage_id,
        "conversation_id": loaded.conversation.id,
        "lead_id": loaded.lead.id,
        "kind": kind,
        "title": title,
        "summary": summary,
        "done": False,
        "created_at": utcnow(),
    }


def _new_tasks(session: AsyncSession) -> Any:
    # The unique (conversation, kind) pair makes a repeat a no-op: one task per kind.
    return dialect_insert(session, BrokerTask.__table__).on_conflict_do_nothing(
        index_elements=["conversation_id", "kind"]
    )


async def insert_tasks(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Several conversations' tasks in one statement (a campaign batch's hot leads)."""
    if rows:
        await session.execute(_new_tasks(session), list(rows))


async def add_task(
    session: AsyncSession, loaded: Loaded, kind: TaskKind, title: str, summary: str = ""
) -> bool:
    """A broker task, at most one per kind per conversation; True when it is new."""
    stmt = _new_tasks(session).returning(BrokerTask.id)
    inserted = await session.scalar(stmt, task_row(loaded, kind, title, summary))
    return inserted is not None


def activity(session: AsyncSession, loaded: Loaded, type_: ActivityType, **ids: int | None) -> None:
    record_activity(
        session,
        loaded.conversation.brokerage_id,
        type_,
        lead_id=loaded.lead.id,
        property_id=loaded.listing.id,
        conversation_id=loaded.conversation.id,
        **ids,
    )
