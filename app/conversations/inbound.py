"""A lead's reply reaches exactly its own thread, and a burst of replies gets one answer.

The reply is stored first (idempotent per provider message id), then the thread's turn runs
under the thread's lock. Whoever cannot take the lock leaves the reply to the holder, which
looks for unanswered replies again after releasing it: nothing is answered twice or lost.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence

from app.activity.events import ActivityType, record_activity
from app.conversations import repository
from app.conversations.agent import ENDED
from app.conversations.engine import Engine, get_engine
from app.conversations.models import Conversation, ConversationStatus
from app.conversations.returning import reply_to_ended
from app.conversations.understanding import OptOutScope, understand
from app.core.db import utcnow
from app.core.errors import NotFound
from app.core.runtime import Runtime
from app.core.uow import commit
from app.messaging.models import Channel


async def receive_lead_message(
    runtime: Runtime,
    conversation_id: int,
    channel: Channel,
    body: str,
    *,
    provider_id: str | None = None,
) -> None:
    """Record a lead's reply on its conversation and let the agent answer it."""
    async with runtime.session() as session:
        conversation = await session.get(Conversation, conversation_id)
        if conversation is None:
            raise NotFound("Conversation not found")
        now = utcnow()
        key = (
            f"in:{channel.value}:{provider_id}"
            if provider_id
            else f"in:{conversation_id}:{uuid.uuid4().hex}"
        )
        message_id = await repository.record_reply(
            session, conversation, channel, body, key, provider_id, now
        )
        # Recorded already (the provider delivered it again, or this job runs again after a
        # fault cut its first run short): only what is still unanswered gets an answer below.
        if message_id is not None and not _only_stops(body, channel):
            # A lead who replies is hot again; "STOP" or "ya no me escriban" is no such reply.
            await repository.mark_lead_contacted(session, conversation.lead_id, now)
            record_activity(
                session,
                conversation.brokerage_id,
                ActivityType.LEAD_REPLIED,
                lead_id=conversation.lead_id,
                property_id=conversation.property_id,
                conversation_id=conversation.id,
                message_id=message_id,
            )
        thread_id = conversation.thread_id
        # Just recorded, so unanswered: its answer needs no query to say so (none while the
        # broker has the conversation; a reply recorded before is looked for as usual).
        known = None if message_id is None else conversation.status
        taken_over = conversation.taken_over
        await commit(session)
    if known is not None and taken_over:
        return
    await process_replies(runtime, conversation_id, thread_id, known=known)


async def answer_waiting_replies(runtime: Runtime, conversation_ids: Sequence[int]) -> None:
    """Answer the replies these conversations received while a campaign batch held their
    threads (their senders found the lock taken and left them to the holder)."""
    async with runtime.session() as session:
        waiting = await repository.with_replies_to_answer(session, conversation_ids)
    for conversation_id, thread_id in waiting:
        await process_replies(runtime, conversation_id, thread_id)


async def _unanswered_in(runtime: Runtime, conversation_id: int) -> ConversationStatus | None:
    """The conversation's status while it has replies to answer, else None."""
    async with runtime.read_session() as session:  # one statement: no transaction around it
        return await repository.status_with_replies_to_answer(session, conversation_id)


async def process_replies(
    runtime: Runtime,
    conversation_id: int,
    thread_id: str,
    *,
    known: ConversationStatus | None = None,
) -> None:
    """Answer every unanswered reply of the thread, one turn at a time. `known`: the caller
    has just recorded a reply on the conversation, which had this status."""
    engine = await get_engine(runtime)
    await engine.ready_to_read()
    debounce = runtime.settings.reply_debounce_seconds
    status = known
    while True:
        if status is None:  # after a turn: what came while the lock was held, if anything
            status = await _unanswered_in(runtime, conversation_id)
            if status is None:
                return
        async with engine.locks.hold(thread_id) as held:
            if not held:
                return  # the holder will see our reply when it re-checks
            with engine.turn():  # the thread's checkpoint read once
                if debounce:  # texts sent in a burst arrive meanwhile and get one answer
                    await asyncio.sleep(debounce)
                at = None if status in ENDED else await engine.waiting_on(thread_id)
                if at == "new":  # a reply before the first message went out: start the thread
                    started = await engine.run(thread_id, {"conversation_id": conversation_id})
                    at = await engine.waiting_on(thread_id) if started else None
                if at == "wait":
                    await engine.resume_now(thread_id, {"kind": "reply"})
                elif at is None:  # the conversation ended: a stop, a choice, or the lead is back
                    if await _reply_to_ended(runtime, conversation_id):
                        await _restart(engine, conversation_id, thread_id)
                    else:  # an ended thread still waiting (stopped from another one) is forgotten
                        await engine.forget(thread_id)
                else:
                    return  # awaiting the broker's approval: replies are answered after it
        status = None


def _only_stops(body: str, channel: Channel) -> bool:
    """The reply stops everything, or stops a channel and says nothing else."""
    understood = understand(body, channel.value)
    return understood.opt_out is not OptOutScope.NONE and understood.remaining_intent is None


async def _restart(engine: Engine, conversation_id: int, thread_id: str) -> None:
    """A reopened conversation's thread starts afresh (what it kept from before, if anything,
    is dropped), waits at once (its first message went out long ago) and answers the reply."""
    await engine.forget(thread_id)
    if await engine.run(thread_id, {"conversation_id": conversation_id, "prepared": "reply"}):
        await engine.resume_now(thread_id, {"kind": "reply"})


async def _reply_to_ended(runtime: Runtime, conversation_id: int) -> bool:
    """`reply_to_ended` in a transaction of its own."""
    async with runtime.session() as session:
        reopened = await reply_to_ended(session, conversation_id)
        await commit(session)
    return reopened
