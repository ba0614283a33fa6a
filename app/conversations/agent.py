"""The conversation agent: one LangGraph graph, compiled once per process, one thread per
(lead, property), checkpointed in PostgreSQL (or a SQLite file of its own when embedded).

    compose ─▶ approval? ─▶ wait ◀──────────────┐
                              │ reply            │
                              ├──▶ respond ──────┤
                              │ timer            │
                              └──▶ follow_up ────┘   (closed threads end)

The database is the record of what happened: every node loads what it needs, writes its
messages to the outbox under keys that are unique per conversation step, and commits. A node
that runs again (a resume restarts a node from its top; a crash re-runs from the last
checkpoint) therefore finds its work done and never sends a message twice.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime as GraphRuntime
from langgraph.types import interrupt
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Brokerage
from app.activity.events import ActivityType, record_activity
from app.conversations.intents import HANDOFF_SCORE, Intent, classify_intent
from app.conversations.model import (
    ConversationModel,
    Draft,
    FirstMessageContext,
    LeadFacts,
    PropertyFacts,
    ReplyContext,
    Turn,
)
from app.conversations.models import BrokerTask, Conversation, ConversationStatus, TaskKind
from app.conversations.replies import as_text_message, follow_up_message, handoff_summary
from app.core.db import dialect_insert, utcnow
from app.core.jobs import enqueue
from app.core.runtime import Runtime
from app.core.uow import commit
from app.leads.models import Lead, Operation
from app.matching.models import Match, MatchTier
from app.matching.outreach import CALL_TASK_TITLE
from app.messaging.models import Channel, Direction, Message
from app.messaging.optout import opt_out_lead
from app.messaging.outbox import Outgoing, discard_drafts, queue_messages, release_drafts
from app.properties.models import Property

log = logging.getLogger(__name__)

FOLLOW_UP_AFTER = timedelta(days=3)
MAX_FOLLOW_UPS = 2
TRANSCRIPT_TURNS = 12
ENDED = (ConversationStatus.OPTED_OUT, ConversationStatus.CLOSED)


class ThreadState(TypedDict, total=False):
    """Kept deliberately small: ids and the last event; the messages live in our tables."""

    conversation_id: int
    # Set when the campaign already composed the first message in its batch.
    prepared: Literal["approval", "reply", "closed"]
    awaiting: Literal["approval", "reply"]
    event: dict[str, Any]
    closed: bool


@dataclass
class AgentContext:
    runtime: Runtime
    model: ConversationModel


@dataclass
class Loaded:
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


async def _load(session: AsyncSession, conversation_id: int, *, with_match: bool = False) -> Loaded:
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


def waiting_for(conversation: Conversation) -> Literal["approval", "reply", "closed"]:
    """Where a composed conversation's thread stops first."""
    if conversation.status in ENDED:
        return "closed"
    return "approval" if conversation.status is ConversationStatus.AWAITING_APPROVAL else "reply"


async def draft_first_message(model: ConversationModel, loaded: Loaded, now: datetime) -> Draft:
    """The first message, from the lead, the listing and why they match (no I/O but the model)."""
    return await model.compose_first_message(
        FirstMessageContext(
            lead=lead_facts(loaded.lead, loaded.brokerage),
            property=property_facts(loaded.listing),
            breakdown=loaded.match.breakdown if loaded.match else {},
            language=loaded.conversation.language,  # type: ignore[arg-type]
            now=now,
            sender_name=sender_name(loaded.brokerage),
        )
    )


async def record_first_messages(
    session: AsyncSession, composed: Sequence[tuple[Loaded, Draft]], now: datetime
) -> None:
    """Queue (or draft, for approval) the first messages and open the conversations, a whole
    campaign batch in a few statements; no commit."""
    await queue_messages(
        session,
        [
            message
            for loaded, draft in composed
            for message in _on_channels(
                loaded,
                "first",
                draft.subject,
                draft.body,
                draft=loaded.brokerage.requires_approval,
            )
        ],
    )
    hot = []
    for loaded, _ in composed:
        conversation = loaded.conversation
        conversation.turn = 1
        if loaded.brokerage.requires_approval:
            conversation.status = ConversationStatus.AWAITING_APPROVAL
            conversation.next_action = "Approve or edit the first message"
        else:
            conversation.status = ConversationStatus.WAITING
            conversation.follow_up_at = now + FOLLOW_UP_AFTER
            conversation.next_action = "Waiting for the lead's reply"
        if loaded.match is not None and loaded.match.tier is MatchTier.HOT:
            hot.append(
                _task_row(loaded, TaskKind.CALL_HOT_LEAD, CALL_TASK_TITLE, _hot_lead_card(loaded))
            )
        _activity(session, loaded, ActivityType.CONVERSATION_STARTED)
    if hot:
        await session.execute(_new_tasks(session), hot)


def _hot_lead_card(loaded: Loaded) -> str:
    """Why this lead is worth a call today, for the broker's task list."""
    lead, match = loaded.lead, loaded.match
    assert match is not None
    contact = " · ".join(part for part in (lead.name or "Lead", lead.email, lead.phone) if part)
    why = ", ".join(f"{name} {points:g}" for name, points in match.breakdown.items() if points)
    wants = [
        ", ".join(lead.locations or []),
        f"up to {lead.max_budget:,} {lead.currency or loaded.listing.currency}"
        if lead.max_budget
        else "",
        f"{lead.bedrooms} bedrooms" if lead.bedrooms else "",
    ]
    return (
        f"{contact}\nMatches {loaded.listing.title} with {match.score:g} points ({why}).\n"
        f"Looking for: {'; '.join(w for w in wants if w) or 'no preferences recorded'}."
    )


def lead_facts(lead: Lead, brokerage: Brokerage) -> LeadFacts:
    return LeadFacts(
        name=lead.name,
        email=lead.email,
        phone=lead.phone,
        locations=tuple(lead.locations or ()),
        min_budget=lead.min_budget,
        max_budget=lead.max_budget,
        bedrooms=lead.bedrooms,
        timezone=brokerage.timezone,
    )


def property_facts(listing: Property) -> PropertyFacts:
    return PropertyFacts(
        title=listing.title,
        location=listing.location,
        price=listing.price,
        city=listing.city,
        currency=listing.currency,
        bedrooms=listing.bedrooms,
        bathrooms=listing.bathrooms,
        operation="RENT" if listing.operation.value == "RENT" else "SALE",
        description=listing.description,
    )


async def _transcript(session: AsyncSession, conversation_id: int) -> tuple[Turn, ...]:
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
            step = key.rsplit(":", 1)[0]  # one step sent by email and by text is one turn
            if step in seen_steps:
                continue
            seen_steps.add(step)
        turns.append(Turn(direction.value, body, Intent(intent) if intent else None, at))
    return tuple(turns)


def _on_channels(
    loaded: Loaded,
    key: str,
    subject: str | None,
    body: str,
    *,
    draft: bool = False,
    channels: list[str] | None = None,
) -> list[Outgoing]:
    """One step's message on each of the conversation's channels (texts in their short form)."""
    messages = []
    for channel in channels or loaded.conversation.channels:
        email = channel == Channel.EMAIL.value
        messages.append(
            Outgoing(
                conversation=loaded.conversation,
                lead=loaded.lead,
                channel=Channel(channel),
                body=body if email else as_text_message(body),
                subject=subject if email else None,
                key=f"{loaded.conversation.thread_id}:{key}:{channel}",
                draft=draft,
            )
        )
    return messages


async def _queue_on_channels(
    session: AsyncSession,
    loaded: Loaded,
    key: str,
    subject: str | None,
    body: str,
    *,
    channels: list[str] | None = None,
) -> None:
    await queue_messages(session, _on_channels(loaded, key, subject, body, channels=channels))


def _task_row(loaded: Loaded, kind: TaskKind, title: str, summary: str) -> dict[str, Any]:
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


async def _add_task(
    session: AsyncSession, loaded: Loaded, kind: TaskKind, title: str, summary: str = ""
) -> bool:
    """A broker task, at most one per kind per conversation; True when it is new."""
    stmt = _new_tasks(session).returning(BrokerTask.id)
    inserted = await session.scalar(stmt, _task_row(loaded, kind, title, summary))
    return inserted is not None


def _activity(
    session: AsyncSession, loaded: Loaded, type_: ActivityType, **ids: int | None
) -> None:
    record_activity(
        session,
        loaded.conversation.brokerage_id,
        type_,
        lead_id=loaded.lead.id,
        property_id=loaded.listing.id,
        conversation_id=loaded.conversation.id,
        **ids,
    )


# --- nodes ------------------------------------------------------------------------------------


async def compose(state: ThreadState, runtime: GraphRuntime[AgentContext]) -> ThreadState:
    """Write the first message and queue it (or draft it for approval).

    A campaign composes a whole batch in one transaction and starts each thread with
    `prepared` set: the work is done, and the thread only records where it waits.
    """
    prepared = state.get("prepared")
    if prepared is not None:
        return {
            "closed": prepared == "closed",
            "awaiting": "approval" if prepared == "approval" else "reply",
        }
    context = runtime.context
    async with context.runtime.session() as session:
        loaded = await _load(session, state["conversation_id"], with_match=True)
        if loaded.conversation.turn == 0:
            now = utcnow()
            draft = await draft_first_message(context.model, loaded, now)
            await record_first_messages(session, [(loaded, draft)], now)
            await commit(session)
        # else: composed before a crash; the outbox already has it
        where = waiting_for(loaded.conversation)
    return {"closed": where == "closed", "awaiting": "approval" if where == "approval" else "reply"}


async def approval(state: ThreadState, runtime: GraphRuntime[AgentContext]) -> ThreadState:
    """Wait for the broker to approve (maybe edit) or reject the drafted first message."""
    decision = interrupt({"kind": "approval"})
    async with runtime.context.runtime.session() as session:
        loaded = await _load(session, state["conversation_id"])
        conversation = loaded.conversation
        if conversation.status is not ConversationStatus.AWAITING_APPROVAL:
            return {"closed": conversation.status in ENDED}
        if decision.get("approved"):
            await release_drafts(session, conversation.id, decision.get("body"))
            conversation.status = ConversationStatus.WAITING
            conversation.follow_up_at = utcnow() + FOLLOW_UP_AFTER
            conversation.next_action = "Waiting for the lead's reply"
        else:
            await discard_drafts(session, conversation.id)
            conversation.status = ConversationStatus.CLOSED
            conversation.next_action = None
        await commit(session)
        return {"closed": conversation.status in ENDED}


async def wait(state: ThreadState) -> ThreadState:
    """Pause the thread until the lead replies or a follow-up timer fires."""
    event: dict[str, Any] = interrupt({"kind": "reply"})
    return {"event": event}


async def respond(state: ThreadState, runtime: GraphRuntime[AgentContext]) -> ThreadState:
    """Understand every reply not yet answered (a burst is answered once) and act on it."""
    context = runtime.context
    async with context.runtime.session() as session:
        loaded = await _load(session, state["conversation_id"])
        conversation, lead = loaded.conversation, loaded.lead
        pending = list(
            (
                await session.execute(
                    select(Message)
                    .where(
                        Message.conversation_id == conversation.id,
                        Message.direction == Direction.INBOUND,
                        Message.intent.is_(None),
                    )
                    .order_by(Message.id)
                )
            ).scalars()
        )
        if not pending:  # answered before a crash, or by a concurrent turn
            return {"closed": conversation.status in ENDED}
        if conversation.taken_over:  # the broker is talking: replies wait for the hand-back
            return {"closed": False}
        for message in pending:
            message.intent = classify_intent(message.body).value
        if conversation.status in ENDED:
            await commit(session)  # the thread is over: understood and kept, not answered
            return {"closed": True}

        now = utcnow()
        decision = await context.model.understand_and_reply(
            ReplyContext(
                lead=lead_facts(lead, loaded.brokerage),
                property=property_facts(loaded.listing),
                message="\n".join(m.body for m in pending),
                language=conversation.language,  # type: ignore[arg-type]
                qualification_score=conversation.qualification_score,
                now=now,
                transcript=await _transcript(session, conversation.id),
                sender_name=sender_name(loaded.brokerage),
            )
        )
        pending[-1].intent = decision.intent.value  # what the burst as a whole asked for
        was_qualified = conversation.qualification_score > HANDOFF_SCORE
        conversation.qualification_score = decision.qualification_score
        lead.qualification_score = decision.qualification_score
        conversation.language = decision.language
        conversation.follow_ups_sent = 0
        conversation.follow_up_at = now + FOLLOW_UP_AFTER

        if decision.intent is Intent.OPT_OUT:
            await opt_out_lead(
                session,
                lead.brokerage_id,
                lead.id,
                source="conversation",
                channel=pending[-1].channel.value,
            )
            conversation.next_action = None
            await commit(session)
            return {"closed": True}

        if decision.reply:  # answered where the lead wrote from
            await _queue_on_channels(
                session,
                loaded,
                f"reply:{pending[-1].id}",
                None,
                decision.reply,
                channels=[pending[-1].channel.value],
            )
        if decision.intent in (Intent.NOT_INTERESTED, Intent.RENT_ONLY):
            if decision.intent is Intent.RENT_ONLY and loaded.listing.operation.value == "SALE":
                lead.operation = Operation.RENT  # and no sale listing will reach them again
            conversation.status = ConversationStatus.CLOSED
            conversation.follow_up_at = None
            conversation.next_action = None
        elif decision.hand_off:
            await _hand_off(session, loaded, decision.intent, was_qualified)
        elif decision.intent is Intent.PRICE_OR_OFFER:  # the reply promised the broker's call
            title = f"{lead.name or 'A lead'} asks about the price of {loaded.listing.title}"
            summary = await _summary(session, loaded)
            if await _add_task(session, loaded, TaskKind.HANDOFF, title, summary):
                _activity(session, loaded, ActivityType.HANDOFF_CREATED)
            conversation.next_action = "Call the lead about the price or their offer"
        else:
            if conversation.status is not ConversationStatus.HANDED_OFF:
                conversation.status = ConversationStatus.WAITING
            conversation.next_action = "Waiting for the lead's reply"
        await commit(session)
        return {"closed": conversation.status in ENDED}


async def _summary(session: AsyncSession, loaded: Loaded) -> str:
    """The broker's card: who, which listing, the score, and the lead's own words."""
    return handoff_summary(
        lead_facts(loaded.lead, loaded.brokerage),
        property_facts(loaded.listing),
        await _transcript(session, loaded.conversation.id),
        loaded.conversation.qualification_score,
    )


def sender_name(brokerage: Brokerage) -> str:
    """How messages are signed: the brokerage's signature when it set one, else its name."""
    return brokerage.signature.strip() or brokerage.name


async def _hand_off(
    session: AsyncSession, loaded: Loaded, intent: Intent, was_qualified: bool
) -> None:
    conversation = loaded.conversation
    summary = await _summary(session, loaded)
    viewing = intent is Intent.VIEWING_REQUEST
    kind = TaskKind.VIEWING if viewing else TaskKind.HANDOFF
    title = (
        f"{loaded.lead.name or 'A lead'} wants to see {loaded.listing.title}"
        if viewing
        else f"{loaded.lead.name or 'A lead'} is qualified for {loaded.listing.title}"
    )
    if await _add_task(session, loaded, kind, title, summary):
        _activity(session, loaded, ActivityType.HANDOFF_CREATED)
    if conversation.qualification_score > HANDOFF_SCORE and not was_qualified:
        _activity(session, loaded, ActivityType.LEAD_QUALIFIED)
    conversation.status = ConversationStatus.HANDED_OFF
    conversation.next_action = "Call the lead: " + (
        "confirm a viewing time" if viewing else "they are qualified"
    )
    if loaded.lead.external_source:
        enqueue(
            session,
            "crm_write_back",
            conversation.brokerage_id,
            loaded.lead.id,
            conversation.id,
            job_id=f"crm_write_back:{conversation.id}:{conversation.status.value}",
        )


async def follow_up(state: ThreadState, runtime: GraphRuntime[AgentContext]) -> ThreadState:
    """A gentle nudge after days of silence; after the last one, the lead is marked cold."""
    number = int(state.get("event", {}).get("number", 0))
    async with runtime.context.runtime.session() as session:
        loaded = await _load(session, state["conversation_id"])
        conversation = loaded.conversation
        if (
            conversation.follow_ups_sent >= number
            or conversation.taken_over
            or conversation.status in ENDED
        ):
            return {"closed": conversation.status in ENDED}
        if number > MAX_FOLLOW_UPS:
            conversation.status = ConversationStatus.COLD
            conversation.follow_up_at = None
            conversation.next_action = None
        else:
            draft = follow_up_message(
                lead_facts(loaded.lead, loaded.brokerage),
                property_facts(loaded.listing),
                conversation.language,  # type: ignore[arg-type]
                number,
                sender_name(loaded.brokerage),
            )
            await _queue_on_channels(
                session, loaded, f"followup:{number}", draft.subject, draft.body
            )
            conversation.follow_up_at = utcnow() + FOLLOW_UP_AFTER
        conversation.follow_ups_sent = number
        await commit(session)
        return {"closed": False}


# --- routing ----------------------------------------------------------------------------------
# Async on purpose: LangGraph runs a plain function in a thread pool, a hop per edge per run.


async def after_compose(state: ThreadState) -> str:
    if state.get("closed"):
        return END
    return "approval" if state.get("awaiting") == "approval" else "wait"


async def after_turn(state: ThreadState) -> str:
    return END if state.get("closed") else "wait"


async def after_wait(state: ThreadState) -> str:
    kind = state.get("event", {}).get("kind")
    if kind == "reply":
        return "respond"
    if kind == "follow_up":
        return "follow_up"
    return END


def build_graph() -> StateGraph[ThreadState, AgentContext, ThreadState, ThreadState]:
    graph = StateGraph(ThreadState, context_schema=AgentContext)
    graph.add_node("compose", compose)
    graph.add_node("approval", approval)
    graph.add_node("wait", wait)
    graph.add_node("respond", respond)
    graph.add_node("follow_up", follow_up)
    graph.add_edge(START, "compose")
    graph.add_conditional_edges("compose", after_compose)
    graph.add_conditional_edges("approval", after_turn)
    graph.add_conditional_edges("wait", after_wait)
    graph.add_conditional_edges("respond", after_turn)
    graph.add_conditional_edges("follow_up", after_turn)
    return graph
