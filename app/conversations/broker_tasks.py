"""The broker's side of a task: tick it off, or answer the lead's question from it (the answer
goes to the lead through the outbox, on the channel they last wrote from)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.activity.events import ActivityType
from app.conversations import qualification, repository
from app.conversations.broker_text import broker_text
from app.conversations.models import BrokerTask, ConversationStatus, TaskKind, TaskStatus
from app.conversations.replies import format_price, property_facts, sender_name, signed
from app.conversations.repository import Loaded
from app.core.db import utcnow
from app.core.errors import BadUserInput, Conflict
from app.core.tenancy import get_scoped
from app.messaging.models import Channel

ANSWERABLE = (TaskKind.QUESTION, TaskKind.HANDOFF)


async def mark_qualified(session: AsyncSession, loaded: Loaded) -> None:
    """A lead just lifted above 75: LEAD_QUALIFIED, and the broker's QUALIFIED task with who
    they are and what they said. Whatever lifted them, a reply or a confirmed viewing."""
    repository.activity(session, loaded, ActivityType.LEAD_QUALIFIED)
    language = loaded.brokerage.language
    title = broker_text(
        language, "task.qualified", lead=loaded.lead.name, listing=loaded.listing.title
    )
    summary = qualified_summary(loaded, language)
    if await repository.add_task(session, loaded, TaskKind.QUALIFIED, title, summary):
        repository.activity(session, loaded, ActivityType.HANDOFF_CREATED)


def qualified_summary(loaded: Loaded, language: str) -> str:
    """Two lines for the broker: who and what they said; which listing and when to call."""
    lead = loaded.lead
    contact = " · ".join(part for part in (lead.name or "Lead", lead.email, lead.phone) if part)
    said = ", ".join(
        broker_text(language, f"signal.{name}")
        for name in qualification.POINTS
        if name in (loaded.conversation.qualification or {})
    )
    price = format_price(property_facts(loaded.listing), "en" if language == "en" else "es")
    return "\n".join(
        (
            f"{contact}: {said}.",
            broker_text(language, "card.qualified", listing=loaded.listing.title, price=price),
        )
    )


async def set_task_done(
    session: AsyncSession, brokerage_id: int, task_id: int, done: bool = True
) -> BrokerTask:
    """DONE, or OPEN again (unless the lead has another open task of that kind by now)."""
    task = await get_scoped(session, BrokerTask, brokerage_id, task_id, what="Task")
    if (
        not done
        and task.status is not TaskStatus.OPEN
        and await repository.open_task_of(session, task.lead_id, task.kind) is not None
    ):
        raise Conflict("The lead has another open task of this kind.")
    task.status = TaskStatus.DONE if done else TaskStatus.OPEN
    task.closed_at = utcnow() if done else None
    await session.flush()
    return task


async def answer_task(
    session: AsyncSession, brokerage_id: int, task_id: int, answer: str
) -> BrokerTask:
    """Send the broker's answer to the lead in their conversation and close the task."""
    text = answer.strip()
    if not text:
        raise BadUserInput("The answer is empty.")
    task = await get_scoped(session, BrokerTask, brokerage_id, task_id, what="Task")
    if task.kind not in ANSWERABLE:
        raise BadUserInput("Only a question or a hand-off can be answered from its task.")
    if task.status is not TaskStatus.OPEN:
        raise Conflict(f"This task is {task.status.value.lower()}.")
    loaded = await repository.load(session, task.conversation_id)
    conversation = loaded.conversation
    if conversation.status in (ConversationStatus.OPTED_OUT, ConversationStatus.CLOSED):
        raise Conflict("This conversation has ended: the lead gets no more messages.")
    channel = await repository.last_inbound_channel(session, conversation.id)
    channels = [Channel(channel).value] if channel is not None else conversation.channels[:1]
    if channels == [Channel.EMAIL.value]:  # closed as every e-mail of the conversation is
        text = signed(text, sender_name(loaded.brokerage), conversation.language)
    await repository.queue_on_channels(
        session, loaded, f"answer:{task.id}", None, text, channels=channels
    )
    task.status = TaskStatus.DONE
    task.closed_at = utcnow()
    conversation.next_action = broker_text(loaded.brokerage.language, "next.waiting")
    await session.flush()
    return task
