"""What a broker does to a conversation: approve or reject a draft, take over, hand back.

Each takes the runtime and commits the broker's decision (with its audit) before the thread
goes on, under the thread's lock where the decision resumes it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from app.accounts.models import Brokerage
from app.accounts.principal import Principal
from app.conversations import repository
from app.conversations.agent import ENDED
from app.conversations.broker_text import broker_text
from app.conversations.engine import get_engine
from app.conversations.inbound import process_replies
from app.conversations.models import Conversation, ConversationStatus
from app.core.errors import BadUserInput, Conflict, DomainError
from app.core.runtime import Runtime
from app.core.tenancy import get_scoped
from app.core.uow import commit
from app.messaging.models import Direction, Message, MessageStatus
from app.messaging.outbox import discard_draft, release_draft
from app.messaging.repository import any_released, drafts_of
from app.teams import audit
from app.teams.models import AuditAction

# Drafts one `approveMessages` call may name, and how many conversations it resumes at once.
APPROVE_AT_MOST = 500
_APPROVING_AT_ONCE = 4


async def _draft_conversation(
    runtime: Runtime, principal: Principal, message_id: int
) -> Conversation:
    async with runtime.session() as session:
        message = await get_scoped(
            session, Message, principal.brokerage_id, message_id, what="Message"
        )
        if message.direction is not Direction.OUTBOUND or message.status is not MessageStatus.DRAFT:
            raise Conflict("This message is not a draft waiting for approval.")
        conversation = await session.get(Conversation, message.conversation_id)
        if conversation is None or conversation.status is not ConversationStatus.AWAITING_APPROVAL:
            raise Conflict("This conversation is not waiting for approval.")
        return conversation


async def decide_draft(
    runtime: Runtime,
    principal: Principal,
    message_id: int,
    *,
    approved: bool,
    body: str | None = None,
) -> int:
    """Approve (optionally with the broker's edits) or reject one drafted first message: each
    channel's draft is decided on its own, and an edit changes only that draft. Once the last
    draft is decided the conversation goes on (or closes, when every draft was rejected)."""
    if body is not None and not body.strip():
        raise BadUserInput("An approved message cannot be empty.")
    conversation = await _draft_conversation(runtime, principal, message_id)
    engine = await get_engine(runtime)
    async with engine.locks.hold(conversation.thread_id) as held:
        if not held:
            raise Conflict("The assistant is busy with this conversation; try again in a moment.")
        async with runtime.session() as session:
            message = await session.get(Message, message_id)
            if message is None or message.status is not MessageStatus.DRAFT:
                raise Conflict("This message is not a draft waiting for approval.")
            if approved:
                await release_draft(session, message, body.strip() if body else None)
            else:
                discard_draft(message)
            await audit.record(  # who decided, in the decision's own transaction
                session,
                principal,
                AuditAction.MESSAGE_APPROVED if approved else AuditAction.MESSAGE_REJECTED,
                "Message",
                message_id,
                conversation_id=conversation.id,
                **({"edited": body is not None} if approved else {}),
            )
            waiting = await drafts_of(session, conversation.id)
            sent_any = await any_released(session, conversation.id)
            await commit(session)
        if not waiting:  # the last draft decided: the thread goes on
            resumed = await engine.resume(
                conversation.thread_id, "approval", {"approved": sent_any, "body": None}
            )
            if not resumed:
                raise Conflict("This conversation is not waiting for approval.")
    if approved and not waiting:  # replies that came in meanwhile are answered now
        await process_replies(runtime, conversation.id, conversation.thread_id)
    return conversation.id


@dataclass(frozen=True)
class Refusal:
    """A draft `approve_drafts` could not approve, and why (an error's code and message)."""

    message_id: int
    code: str
    message: str


async def approve_drafts(
    runtime: Runtime, principal: Principal, message_ids: list[int]
) -> tuple[list[int], list[Refusal]]:
    """Approve many drafts as they are (the board's "approve all"): each one as `decide_draft`
    would, a few conversations at once and the drafts of one conversation in turn, so one
    refused draft (already decided, another broker's) does not stop the others. Returns the
    conversations that went on, in the order asked, and the refusals."""
    if len(message_ids) > APPROVE_AT_MOST:
        raise BadUserInput(f"Approve at most {APPROVE_AT_MOST} messages at once.")
    ids = list(dict.fromkeys(message_ids))
    async with runtime.session() as session:
        owners = await repository.conversations_of_messages(session, principal.brokerage_id, ids)
    by_conversation: dict[int | None, list[int]] = {}
    for message_id in ids:
        by_conversation.setdefault(owners.get(message_id), []).append(message_id)
    approved: dict[int, None] = {}
    refused: list[Refusal] = []
    room = asyncio.Semaphore(_APPROVING_AT_ONCE)

    async def approve_in_turn(drafts: list[int]) -> None:
        async with room:
            for message_id in drafts:
                try:
                    approved[await decide_draft(runtime, principal, message_id, approved=True)] = (
                        None
                    )
                except DomainError as exc:
                    refused.append(Refusal(message_id, exc.code, exc.message))

    await asyncio.gather(*(approve_in_turn(d) for d in by_conversation.values()))
    position = {message_id: i for i, message_id in enumerate(ids)}
    in_order = [owners[i] for i in ids if owners.get(i) in approved]
    refused.sort(key=lambda r: position[r.message_id])
    return list(dict.fromkeys(in_order)), refused


async def set_taken_over(
    runtime: Runtime, principal: Principal, conversation_id: int, taken_over: bool
) -> int:
    """The broker takes the conversation (the AI goes silent on it) or hands it back."""
    async with runtime.session() as session:
        conversation = await get_scoped(
            session, Conversation, principal.brokerage_id, conversation_id, what="Conversation"
        )
        if conversation.status in ENDED:
            raise Conflict(
                f"This conversation is {conversation.status.value.lower().replace('_', ' ')}."
            )
        conversation.taken_over = taken_over
        brokerage = await session.get(Brokerage, conversation.brokerage_id)
        conversation.next_action = broker_text(
            brokerage.language if brokerage else None,
            "next.taken_over" if taken_over else "next.waiting",
        )
        thread_id = conversation.thread_id
        await audit.record(
            session,
            principal,
            AuditAction.CONVERSATION_TAKEN_OVER
            if taken_over
            else AuditAction.CONVERSATION_HANDED_BACK,
            "Conversation",
            conversation_id,
        )
        await commit(session)
    if not taken_over:  # what the lead said meanwhile gets its answer now
        await process_replies(runtime, conversation_id, thread_id)
    return conversation_id
