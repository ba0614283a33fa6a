"""The conversation agent: one LangGraph graph, compiled once per process, one thread per
(lead, property), checkpointed in PostgreSQL (or a SQLite file of its own when embedded).

    compose ─▶ approval? ─▶ wait ◀──────────────┐
                              │ reply            │
                              ├──▶ respond ──────┤
                              │ timer            │
                              └──▶ follow_up ────┘   (closed threads end)

The graph is thin: each node loads through `repository`, asks the model, lets the pure
`decide` say what a reply changes, applies it and commits. The database is the record of what
happened: messages go to the outbox under keys unique per conversation step, so a node that
runs again (a resume restarts a node from its top; a crash re-runs from the last checkpoint)
finds its work done and never sends a message twice.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, TypedDict

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Brokerage
from app.activity.events import ActivityType
from app.conversations import facts, lead_edits, offers, opt_in, qualification, repository
from app.conversations.broker_tasks import mark_qualified
from app.conversations.broker_text import broker_text
from app.conversations.decide import ENDED, ConversationView, TaskOrder, Transition, decide
from app.conversations.guard import check_reply
from app.conversations.intents import (
    HANDOFF_SCORE,
    OFFERED_FOR,
    DeclineReason,
    Intent,
    OptOutScope,
    asks_if_bot,
    classify_intent,
    detect_language,
    language_asked,
    without_language_request,
)
from app.conversations.lead_status import STATUS_OF_REASON, set_lead_status
from app.conversations.lead_updates import (
    Criteria,
    LeadUpdate,
    read_update,
    says_search,
    without_contacts,
)
from app.conversations.model import (
    ConversationModel,
    Draft,
    FirstMessageContext,
    ReplyContext,
    ReplyDecision,
    Turn,
)
from app.conversations.models import ConversationStatus, TaskKind
from app.conversations.replies import (
    follow_up_message,
    handoff_summary,
    lead_facts,
    own_voice,
    pick_variant,
    property_facts,
    sender_name,
    signed,
)
from app.conversations.repository import Loaded, load_for_compose
from app.conversations.templates import say, say_as, voice
from app.conversations.texts import first_text
from app.conversations.understanding import Understanding, understand
from app.core.db import utcnow
from app.core.jobs import enqueue
from app.core.runtime import Runtime
from app.core.uow import commit
from app.core.vocabulary import Tier
from app.leads.models import Operation
from app.leads.places import lead_key
from app.messaging.models import Channel, Message
from app.messaging.optout import opt_out_lead, stopped_channels
from app.messaging.outbox import address_for, discard_drafts, queue_messages, release_drafts
from app.properties.models import Property
from app.viewings import service as viewings

if TYPE_CHECKING:
    # LangGraph (and the langchain-core it brings, ~70 MB) loads when the graph is built, not
    # when a process that never runs a conversation imports the task registry (an import).
    from langgraph.graph import StateGraph
    from langgraph.runtime import Runtime as GraphRuntime

__all__ = [
    "ENDED",
    "AgentContext",
    "Loaded",
    "ThreadState",
    "build_graph",
    "draft_first_message",
    "load_for_compose",
    "record_first_messages",
    "waiting_for",
]

log = logging.getLogger(__name__)

FOLLOW_UP_AFTER = timedelta(days=3)
MAX_FOLLOW_UPS = 2


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


# --- facts the model reads ----------------------------------------------------------------------


def agent_name(brokerage: Brokerage) -> str:
    """The name the agent speaks for ("se lo pregunto a Jorge"): the brokerage's agentName,
    else its name."""
    return brokerage.agent_name.strip() or brokerage.name


def formality(brokerage: Brokerage) -> str:
    return brokerage.formality.value


def waiting_for(conversation: Any) -> Literal["approval", "reply", "closed"]:
    """Where a composed conversation's thread stops first."""
    if conversation.status in ENDED:
        return "closed"
    return "approval" if conversation.status is ConversationStatus.AWAITING_APPROVAL else "reply"


# --- the first message (a campaign batch calls these too) ---------------------------------------


async def draft_first_message(model: ConversationModel, loaded: Loaded, now: datetime) -> Draft:
    """The first message, from the lead, the listing and why they match (no I/O but the model).

    The conversation gets its template variant here (at random, stable for the conversation),
    so reply rates can be compared per variant."""
    brokerage = loaded.brokerage
    conversation = loaded.conversation
    if conversation.variant is None:
        conversation.variant = pick_variant(conversation.thread_id)
    return await model.compose_first_message(
        FirstMessageContext(
            lead=lead_facts(loaded.lead, brokerage),
            property=property_facts(loaded.listing),
            breakdown=loaded.match.breakdown if loaded.match else {},
            language=conversation.language,  # type: ignore[arg-type]
            now=now,
            sender_name=sender_name(brokerage),
            formality=formality(brokerage),
            agent=brokerage.agent_name.strip() or None,
            brokerage=brokerage.name,
            variant=conversation.variant,
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
            for message in repository.on_channels(
                loaded,
                "first",
                draft.subject,
                draft.body,
                draft=loaded.brokerage.requires_approval,
                text_body=_first_text(loaded),
            )
        ],
    )
    hot = []
    for loaded, _ in composed:
        conversation = loaded.conversation
        language = loaded.brokerage.language
        conversation.turn = 1
        if loaded.brokerage.requires_approval:
            conversation.status = ConversationStatus.AWAITING_APPROVAL
            conversation.next_action = broker_text(language, "next.approve")
        else:
            conversation.status = ConversationStatus.WAITING
            conversation.follow_up_at = now + FOLLOW_UP_AFTER
            conversation.next_action = broker_text(language, "next.waiting")
        if loaded.match is not None and loaded.match.tier is Tier.HOT:
            hot.append(
                repository.task_row(
                    loaded,
                    TaskKind.CALL_HOT_LEAD,
                    broker_text(language, "task.call_hot_lead", lead=loaded.lead.name or ""),
                    _hot_lead_card(loaded),
                )
            )
        repository.activity(session, loaded, ActivityType.CONVERSATION_STARTED)
    await repository.insert_tasks(session, hot)


def open_on_inquiry(session: AsyncSession, loaded: Loaded) -> None:
    """The lead wrote first (a website form's question, a text before our first message): the
    conversation opens without a pitch, and the agent's first words answer what they asked."""
    conversation = loaded.conversation
    conversation.turn = 1
    if conversation.status not in ENDED:
        conversation.status = ConversationStatus.WAITING
        conversation.next_action = broker_text(loaded.brokerage.language, "next.waiting")
    repository.activity(session, loaded, ActivityType.CONVERSATION_STARTED)


def _first_text(loaded: Loaded) -> str:
    """The first SMS: its own short template, within two segments with its stop line."""
    brokerage = loaded.brokerage
    return first_text(
        lead_facts(loaded.lead, brokerage),
        property_facts(loaded.listing),
        loaded.conversation.language,
        formality=str(getattr(brokerage, "formality", None) or "TU"),
        agent=getattr(brokerage, "agent_name", None),
        brokerage=brokerage.name,
        breakdown=loaded.match.breakdown if loaded.match else None,
    )


def _hot_lead_card(loaded: Loaded) -> str:
    """Why this lead is worth a call today, for the broker's task list (in their language)."""
    lead, match, language = loaded.lead, loaded.match, loaded.brokerage.language
    assert match is not None
    contact = " · ".join(part for part in (lead.name or "Lead", lead.email, lead.phone) if part)
    why = ", ".join(
        f"{broker_text(language, 'component.' + name)} {points:g}"
        for name, points in match.breakdown.items()
        if points
    )
    currency = lead.currency or loaded.listing.currency
    # The budget of the listing's kind: a rent budget for a rental, never the purchase one.
    rental = loaded.listing.operation.value == "RENT"
    budget = lead.rent_max_budget if rental else lead.max_budget
    monthly = broker_text(language, "summary.monthly") if rental else ""
    wants = [
        ", ".join(lead.locations or []),
        broker_text(language, "card.up_to", amount=f"{budget:,} {currency}{monthly}")
        if budget
        else "",
        broker_text(language, "card.bedrooms", count=str(lead.bedrooms)) if lead.bedrooms else "",
    ]
    looking = "; ".join(w for w in wants if w) or broker_text(language, "card.no_preferences")
    return "\n".join(
        (
            contact,
            broker_text(
                language,
                "card.hot",
                listing=loaded.listing.title,
                score=f"{match.score:g}",
                why=why,
            ),
            broker_text(language, "card.looking_for", wants=looking),
        )
    )


# --- nodes --------------------------------------------------------------------------------------


def _stop(where: Literal["approval", "reply", "closed"]) -> ThreadState:
    return {"closed": where == "closed", "awaiting": "approval" if where == "approval" else "reply"}


async def compose(state: ThreadState, runtime: GraphRuntime[AgentContext]) -> ThreadState:
    """Write the first message and queue it (or draft it for approval).

    A campaign composes a whole batch in one transaction and starts each thread with
    `prepared` set: the work is done, and the thread only records where it waits.
    """
    prepared = state.get("prepared")
    if prepared is not None:
        return _stop(prepared)
    context = runtime.context
    async with context.runtime.session() as session:
        loaded = await repository.load(session, state["conversation_id"], with_match=True)
        if loaded.conversation.turn == 0:
            now = utcnow()
            if await repository.written_first(session, [loaded.conversation.id]):
                open_on_inquiry(session, loaded)
            else:
                draft = await draft_first_message(context.model, loaded, now)
                await record_first_messages(session, [(loaded, draft)], now)
            await commit(session)
        # else: composed before a crash; the outbox already has it
        return _stop(waiting_for(loaded.conversation))


async def approval(state: ThreadState, runtime: GraphRuntime[AgentContext]) -> ThreadState:
    """Wait for the broker to approve (maybe edit) or reject the drafted first message."""
    from langgraph.types import interrupt

    decision = interrupt({"kind": "approval"})
    async with runtime.context.runtime.session() as session:
        loaded = await repository.load(session, state["conversation_id"])
        conversation = loaded.conversation
        if conversation.status is not ConversationStatus.AWAITING_APPROVAL:
            return {"closed": conversation.status in ENDED}
        if decision.get("approved"):
            await release_drafts(session, conversation.id, decision.get("body"))
            conversation.status = ConversationStatus.WAITING
            conversation.follow_up_at = utcnow() + FOLLOW_UP_AFTER
            conversation.next_action = broker_text(loaded.brokerage.language, "next.waiting")
        else:
            await discard_drafts(session, conversation.id)
            conversation.status = ConversationStatus.CLOSED
            conversation.next_action = None
        await commit(session)
        return {"closed": conversation.status in ENDED}


async def wait(state: ThreadState) -> ThreadState:
    """Pause the thread until the lead replies or a follow-up timer fires."""
    from langgraph.types import interrupt

    event: dict[str, Any] = interrupt({"kind": "reply"})
    return {"event": event}


async def respond(state: ThreadState, runtime: GraphRuntime[AgentContext]) -> ThreadState:
    """Understand every reply not yet answered (a burst is answered once) and act on it."""
    context = runtime.context
    async with context.runtime.session() as session:
        loaded = await repository.load(session, state["conversation_id"])
        conversation = loaded.conversation
        pending = await repository.unanswered_replies(session, conversation.id)
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
        said = "\n".join(m.body for m in pending)
        arrival = pending[-1].channel.value
        understood = understand(said, arrival)
        besides = opt_in.asked(said, loaded)  # "ALTA", "ya puedes escribirme"
        if besides is not None:
            await opt_in.opt_back_in(session, loaded, said, arrival, f"optin:{pending[-1].id}")
            if besides == "":  # that was all: confirmed, nothing else to answer
                await commit(session)
                return {"closed": False}
        if understood.stops_everything:
            # "Ya compramos otra casa. Ya no me escriban": the stop wins over whatever else the
            # reply says (a refusal, a question), at once; it earns no points and no answer.
            pending[-1].intent = Intent.OPT_OUT.value
            await viewings.end_with_conversation(session, _parties(loaded))
            await _stop_asked(session, loaded, said, arrival)
            await commit(session)
            return {"closed": True}
        scoped = understood.opt_out is not OptOutScope.NONE
        if scoped:  # "no SMS, email me": that channel stops, the rest of the reply is answered
            # A keyword alone (STOP, BAJA) stops everything and never comes here.
            await _stop_asked(session, loaded, said, arrival, {understood.opt_out.value})
            pending[-1].intent = Intent.OPT_OUT.value
            if conversation.status in ENDED:  # no channel left to this conversation
                await viewings.end_with_conversation(session, _parties(loaded))
                await commit(session)
                return {"closed": True}
            if understood.remaining_intent is None and understood.preferred_channel is None:
                await commit(session)  # a stop and nothing else: nothing to answer
                return {"closed": False}
        asked = language_asked(said)
        if asked is not None:
            # "I prefer English": the lead's language from now on, in all their conversations.
            await repository.keep_language(session, loaded.lead, asked)
            conversation.language = asked
            rest = understand(without_language_request(said), arrival)
            if not scoped and rest.intent in _NOTHING_ELSE:
                # That was all it asked: a short acknowledgement in the new language, no task.
                text = say(voice(asked, formality(loaded.brokerage)), "language.kept")
                await _say_only(session, loaded, text, asked, pending[-1], arrival, now)
                await commit(session)
                return {"closed": False}
            understood = replace(understood, acts=rest.acts, intent=rest.intent)
        chosen = loaded.lead.chosen_language
        if chosen is not None:
            understood = replace(understood, language="en" if chosen == "en" else "es")
        if not scoped and understood.intent in _SMALL_TALK and asks_if_bot(said):
            # "¿Es usted una persona o un bot?": the truth, in the lead's voice; no task.
            await _disclose_assistant(session, loaded, understood, pending[-1], arrival, now)
            await commit(session)
            return {"closed": False}
        update = LeadUpdate() if scoped else await _lead_update(session, loaded, said)
        if not update and conversation.offered_property_ids:
            picked = await offers.chosen(session, conversation, said)
            if picked is not None:  # "la 2": a conversation about that listing starts
                await offers.open_chosen(session, conversation, loaded.lead, picked)
                conversation.offered_property_ids = []
                pending[-1].intent = Intent.INTERESTED.value
                await commit(session)
                return {"closed": False}
        beside: _Beside | None = None
        if update:
            beside = await _take_update(session, loaded, update, said, understood, now)
            if beside.alone:
                pending[-1].intent = beside.intent.value
                transition = replace(
                    decide(
                        _view(loaded),
                        ReplyDecision(
                            intent=beside.intent,
                            language=beside.language,  # type: ignore[arg-type]
                            reply=beside.words,
                            qualification_score=conversation.qualification_score,
                        ),
                    ),
                    extra_tasks=beside.tasks,
                )
                channel = reply_channel(loaded, arrival, beside.channel)
                await _apply(session, loaded, transition, pending[-1], now, channel=channel)
                await commit(session)
                return {"closed": False}
        booked = None  # the lead confirms the viewing already booked
        if understood.opt_out is OptOutScope.NONE:
            handled = await _viewing_reply(session, loaded, said, pending[-1], now)
            if handled is not None and handled.action != "KEPT":
                await commit(session)
                return {"closed": False}
            booked = handled
        other_words = viewings.besides(said, now) if booked is not None else ""
        turns = await repository.transcript(session, conversation.id)
        if scoped and understood.remaining_intent is None:
            # Only a channel preference beside the stop: its confirmation is the answer.
            reply = ReplyDecision(
                intent=Intent.ACKNOWLEDGEMENT,
                language=understood.language or conversation.language,  # type: ignore[arg-type]
                reply=None,
                qualification_score=conversation.qualification_score,
            )
        else:
            reply = await context.model.understand_and_reply(
                ReplyContext(
                    lead=lead_facts(loaded.lead, loaded.brokerage),
                    property=property_facts(loaded.listing),
                    # Beside a booking said back, only what the reply says besides it.
                    message=other_words or said,
                    language=conversation.language,  # type: ignore[arg-type]
                    qualification_score=conversation.qualification_score,
                    now=now,
                    transcript=turns,
                    sender_name=sender_name(loaded.brokerage),
                    formality=formality(loaded.brokerage),
                    agent=agent_name(loaded.brokerage),
                    acts=understood.acts - {Intent.OPT_OUT},
                    intent=understood.remaining_intent
                    if scoped
                    else (Intent.VIEWING_REQUEST if booked else None),
                    chosen_language=understood.language if chosen else None,
                )
            )
            if booked is not None:  # about the booked viewing, whatever else it says
                reply = replace(reply, intent=Intent.VIEWING_REQUEST)
                if not other_words:  # nothing besides: no other answer, nothing promised
                    reply = replace(reply, preface=None, unanswered=(), promise=None)
        if not scoped:
            pending[-1].intent = reply.intent.value  # what the burst as a whole asked for
        # The score is the qualification signals' sum, not the model's guess.
        sent = [turn.at for turn in turns if turn.direction == "OUTBOUND" and turn.at]
        conversation.qualification = qualification.update(
            conversation.qualification or {},
            "\n".join(m.body for m in pending),
            reply.intent,
            replied_at=pending[0].created_at,
            last_sent_at=max(sent) if sent else None,
        )
        reply = replace(
            reply, qualification_score=qualification.score(conversation.qualification, reply.intent)
        )
        channel = reply_channel(loaded, arrival, understood.preferred_channel)
        reply = _with_channel_words(loaded, reply, understood, scoped, channel, arrival)
        if asked is not None and reply.reply:
            kept = say(voice(reply.language, formality(loaded.brokerage)), "language.kept")
            reply = replace(reply, reply=f"{kept} {reply.reply}")
        if beside is not None:  # "mi nuevo cel es ...; ¿acepta mascotas?": both, one message
            reply = replace(
                reply,
                reply=f"{beside.words} {reply.reply}" if reply.reply else beside.words,
                preface=f"{beside.words} {reply.preface}" if reply.preface else beside.words,
            )
        transition = decide(_view(loaded), reply)
        if beside is not None and beside.tasks:
            transition = replace(transition, extra_tasks=(*transition.extra_tasks, *beside.tasks))
        if reply.intent is Intent.VIEWING_REQUEST and not transition.closed:
            transition = await _offer_viewing(
                session,
                loaded,
                said,
                transition,
                now,
                reply.preface,
                booked,
                key=f"reply:{pending[-1].id}",
                channel=channel,
            )
        elif transition.closed:  # a lead who stops or declines takes their viewing with them
            await viewings.end_with_conversation(session, _parties(loaded))
        declined = transition.closed and reply.intent is Intent.NOT_INTERESTED
        priced_out = not transition.closed and reply.intent is Intent.TOO_EXPENSIVE
        if (declined or priced_out) and understood.reason in OFFERED_FOR:
            assert understood.reason is not None
            transition = await _offer_others(
                session, loaded, said, transition, now, understood.reason
            )
        elif not transition.closed and _back_after_declining(turns, len(pending)):
            transition = _welcome_back(loaded, transition)
        await _apply(session, loaded, transition, pending[-1], now, channel=channel)
        if declined and understood.search_ended and understood.reason is not None:
            # Bought elsewhere or stopped looking: out of matching and campaigns, tasks closed.
            await set_lead_status(
                session,
                loaded.lead.brokerage_id,
                loaded.lead.id,
                STATUS_OF_REASON[understood.reason],
                source="AI",
            )
        await commit(session)
        return {"closed": transition.closed}


# Acts answered beside a change of the lead's data, in the same message.
_ANSWERED_BESIDE = frozenset(
    {Intent.PROPERTY_QUESTION, Intent.VIEWING_REQUEST, Intent.PRICE_OR_OFFER}
)


@dataclass(frozen=True)
class _Beside:
    """What a change of the lead's data adds to the answer: its words, the broker's tasks,
    the channel to answer on; `alone` when it is the whole answer."""

    words: str
    intent: Intent
    language: str
    alone: bool
    tasks: tuple[TaskOrder, ...] = ()
    channel: str | None = None


async def _lead_update(session: AsyncSession, loaded: Loaded, said: str) -> LeadUpdate:
    """What the reply changes in the lead's data; a search is read against the places of the
    brokerage's listings, like an import's notes."""
    lead, brokerage = loaded.lead, loaded.brokerage
    places = await repository.listing_places(session, brokerage.id) if says_search(said) else []
    return read_update(
        said,
        region=brokerage.default_region,
        known_locations=places,
        current_email=lead.email,
        current_phone=lead.phone,
    )


async def _take_update(
    session: AsyncSession,
    loaded: Loaded,
    update: LeadUpdate,
    said: str,
    understood: Understanding,
    now: datetime,
) -> _Beside:
    """Save what the lead said about their own data and say so briefly: a new address or
    number (the answer goes there), someone they refer (a lead of their own kept out of
    campaigns, and the broker's REFERRAL task: nobody writes to them without consent), a new
    search (saved, and the broker's other listings that fit it offered; the conversation
    stays open). An address that is not valid gets a polite ask."""
    lead, brokerage = loaded.lead, loaded.brokerage
    # "mejor escríbeme a juan.p@gmail.com": the language of the words, not of the address.
    language = (
        lead.chosen_language
        or detect_language(without_contacts(said))
        or loaded.conversation.language
    )
    tone = voice(language, formality(brokerage))
    name = lead_facts(lead, brokerage).first_name
    agent = agent_name(brokerage)
    names = {"comma_name": f", {name}" if name else "", "agent": agent,
             "Agent": agent[0].upper() + agent[1:]}  # fmt: skip
    broker_language = brokerage.language
    words: list[str] = []
    tasks: list[TaskOrder] = []
    channel: str | None = None
    intent = Intent.OTHER
    if update.referral is not None:
        referral = update.referral
        referrer = " · ".join(p for p in (lead.name, lead.email, lead.phone) if p)
        referred = await lead_edits.save_referral(
            session,
            lead,
            referral,
            region=brokerage.default_region,
            note=broker_text(broker_language, "referral.note", lead=referrer, said=said[:500]),
        )
        who = referral.name or broker_text(broker_language, "referral.someone")
        if referred is not None:
            whose = (
                say(tone, "referral.whose.named", name=referral.name)
                if referral.name
                else say(tone, "referral.whose")
            )
            words.append(say(tone, "referral.saved", whose=whose, **names))
            title = broker_text(broker_language, "task.referral", lead=lead.name, referred=who)
        else:
            shown = referral.name or say(tone, "referral.who")
            words.append(say(tone, "referral.incomplete", who=shown, **names))
            title = broker_text(broker_language, "task.referral.incomplete", lead=lead.name)
        card = broker_text(broker_language, "referral.summary", lead=referrer, said=said[:500])
        tasks.append(TaskOrder(TaskKind.REFERRAL, title, card))
    elif update.contact:
        saved = await lead_edits.save_contact(session, lead, update.contact)
        if saved:
            what = [
                say(tone, f"update.{kind}", email=lead.email, phone=lead.phone) for kind in saved
            ]
            words.append(say(tone, "update.contact", what=facts.join(what, language), **names))
            channel = "EMAIL" if saved == ("email",) else "SMS" if saved == ("phone",) else None
        for kind in update.contact.invalid:  # what looked like an address but is not one
            words.append(say(tone, f"update.invalid.{kind}"))
        if not words:  # another lead has it: the broker sorts it out
            words.append(say_as(tone, "other", own_voice(agent, sender_name(brokerage)), **names))
            tasks.append(
                TaskOrder(
                    TaskKind.HANDOFF,
                    broker_text(
                        broker_language,
                        "task.handoff",
                        lead=lead.name,
                        listing=loaded.listing.title,
                    ),
                )
            )
    elif update.criteria is not None:
        intent = Intent.INTERESTED
        await lead_edits.save_criteria(session, lead, update.criteria)
        words.append(say(tone, "criteria.saved", wants=_wants(update.criteria, language), **names))
        words.append(await _offer_for_criteria(session, loaded, update, said, now, tone, names))
    alone = update.criteria is not None or understood.intent not in _ANSWERED_BESIDE
    return _Beside(" ".join(words), intent, language, alone, tuple(tasks), channel)


def _wants(criteria: Criteria, language: str) -> str:
    """ "3 recámaras en Coyoacán hasta $5,000,000 MXN": the new search in the lead's words."""
    lang = "en" if language == "en" else "es"
    parts = []
    if criteria.bedrooms is not None:
        parts.append(facts.bedrooms(criteria.bedrooms, lang))
    if criteria.locations:
        parts.append(
            ("in " if lang == "en" else "en ") + facts.join(list(criteria.locations), lang)
        )
    low, high, monthly = criteria.min_budget, criteria.max_budget, ""
    if criteria.rent_max_budget is not None or criteria.rent_min_budget is not None:
        low, high = criteria.rent_min_budget, criteria.rent_max_budget
        monthly = " a month" if lang == "en" else " al mes"
    currency = f" {criteria.currency}" if criteria.currency else ""
    if high is not None:
        parts.append(("up to " if lang == "en" else "hasta ") + f"${high:,}{currency}{monthly}")
    elif low is not None:
        parts.append(("from " if lang == "en" else "desde ") + f"${low:,}{currency}{monthly}")
    return " ".join(parts) if parts else ("something else" if lang == "en" else "otra cosa")


def _fits(listing: Property, criteria: Criteria) -> bool:
    """A listing that answers the new search on what it says."""
    if criteria.operation is not None and criteria.operation is not Operation.ANY:
        wanted = "RENT" if criteria.operation is Operation.RENT else "SALE"
        if listing.operation.value != wanted:
            return False
    if criteria.bedrooms is not None and (listing.bedrooms or 0) < criteria.bedrooms:
        return False
    rent = listing.operation.value == "RENT"
    high = criteria.rent_max_budget if rent else criteria.max_budget
    same = criteria.currency is None or criteria.currency.upper() == listing.currency.upper()
    if high is not None and (not same or listing.price > high):
        return False  # over the budget, or priced in another currency than it
    if criteria.locations:
        keys = {lead_key(place) for place in criteria.locations}
        if listing.location_key not in keys and lead_key(listing.location or "") not in keys:
            return False
    return True


async def _offer_for_criteria(
    session: AsyncSession,
    loaded: Loaded,
    update: LeadUpdate,
    said: str,
    now: datetime,
    tone: str,
    names: dict[str, str],
) -> str:
    """The broker's other active listings that fit the new search (the offer of "not this
    area"), kept on the conversation so the lead's choice opens a conversation there."""
    assert update.criteria is not None
    criteria = update.criteria
    candidates = await offers.other_listings(
        session, loaded.lead, loaded.listing, said, now, DeclineReason.NOT_THIS_AREA, asked=True
    )
    fitting = [p for p in candidates if _fits(p, criteria)]
    language = "en" if tone == "en" else "es"
    others = _backed(loaded, fitting, language, DeclineReason.NOT_THIS_AREA)
    own = own_voice(agent_name(loaded.brokerage), sender_name(loaded.brokerage))
    if not others:
        return say_as(tone, "criteria.none", own, **names)
    loaded.conversation.offered_property_ids = [listing.id for listing in others]
    options = "\n".join(
        offers.option_line(number, property_facts(listing), language)  # type: ignore[arg-type]
        for number, listing in enumerate(others, start=1)
    )
    return say_as(tone, "criteria.offer", own, options=options, **names)


async def _offer_others(
    session: AsyncSession,
    loaded: Loaded,
    said: str,
    transition: Transition,
    now: datetime,
    reason: DeclineReason,
    *,
    none: bool = False,
) -> Transition:
    """Not this area, too expensive, too small: the broker's other listings that fit the lead
    and answer the reason, in the same answer; the lead's choice among them opens a
    conversation there (`returning`). "Too expensive" with something cheaper to offer is a "no"
    to this listing: the conversation closes like a refusal (a question about it reopens it).
    With nothing to offer, the answer says so and keeps in touch."""
    others = (
        []
        if none
        else await offers.other_listings(session, loaded.lead, loaded.listing, said, now, reason)
    )
    name = lead_facts(loaded.lead, loaded.brokerage).first_name
    agent = agent_name(loaded.brokerage)
    own = own_voice(agent, sender_name(loaded.brokerage))  # Jorge signs: "tengo", not "Jorge tiene"
    if not others and not transition.closed:  # too expensive, nothing cheaper: it goes on
        tone = voice(transition.language, formality(loaded.brokerage))
        text = say_as(
            tone,
            f"too_expensive.none.{property_facts(loaded.listing).operation.lower()}",
            own,
            comma_name=f", {name}" if name else "",
            Agent=agent[0].upper() + agent[1:],
        )
        return replace(transition, reply=text)
    others = _backed(loaded, others, transition.language, reason)
    if not others and not transition.closed:
        return await _offer_others(session, loaded, said, transition, now, reason, none=True)
    loaded.conversation.offered_property_ids = [listing.id for listing in others]
    text = offers.offer_text(
        [property_facts(listing) for listing in others],
        transition.language,  # type: ignore[arg-type]
        formality=formality(loaded.brokerage),
        agent=agent,
        declined=loaded.listing.title,
        first_name=name,
        reason=reason,
        own=own,
    )
    if not transition.closed:
        await viewings.end_with_conversation(session, _parties(loaded))
        transition = replace(
            transition,
            status=ConversationStatus.CLOSED,
            next_action=None,
            follow_up=False,
            cancel_tasks="conversation",
        )
    return replace(transition, reply=text)


def _backed(
    loaded: Loaded, others: Sequence[Property], language: str, reason: DeclineReason
) -> list[Property]:
    """The offered listings whose line passes the fact guard against that listing's own
    fields; one that does not is left out and logged (the answer never states a fact that
    nothing backs)."""
    lead = lead_facts(loaded.lead, loaded.brokerage)
    kept = []
    for listing in others:
        shown = property_facts(listing)
        line = offers.option_line(
            1, shown, "en" if language == "en" else "es", size=reason is DeclineReason.SIZE
        )
        verdict = check_reply(line, shown, lead)
        if verdict.ok:
            kept.append(listing)
        else:
            log.warning(
                "fact guard: an offered listing left out",
                extra={"reason": verdict.reason, "property_id": listing.id},
            )
    return kept


def _back_after_declining(turns: Sequence[Turn], replies: int) -> bool:
    """The lead's last word before these replies was a "no": they came back."""
    said = [turn for turn in turns if turn.direction == "INBOUND"]
    before = said[-replies - 1] if len(said) > replies else None
    return before is not None and before.intent in (Intent.NOT_INTERESTED, Intent.RENT_ONLY)


def _welcome_back(loaded: Loaded, transition: Transition) -> Transition:
    """A lead who said no and comes back is answered warmly, without reproach."""
    if not transition.reply:
        return transition
    name = lead_facts(loaded.lead, loaded.brokerage).first_name
    tone = voice(transition.language, formality(loaded.brokerage))
    hello = say(tone, "welcome_back", comma_name=f", {name}" if name else "")
    # The name once: "Qué gusto saber de ti otra vez, Andrea. Claro." not "..., Andrea. Claro,
    # Andrea."
    rest = transition.reply.replace(f", {name}", "", 1) if name else transition.reply
    return replace(transition, reply=f"{hello} {rest}")


# What a "are you a bot?" may come with and still be answered by the disclosure alone.
_SMALL_TALK = frozenset(
    {Intent.OTHER, Intent.ACKNOWLEDGEMENT, Intent.PROPERTY_QUESTION, Intent.INTERESTED}
)


# What a language request may come with and still be answered by its acknowledgement alone.
_NOTHING_ELSE = frozenset({Intent.OTHER, Intent.ACKNOWLEDGEMENT})


async def _disclose_assistant(
    session: AsyncSession,
    loaded: Loaded,
    understood: Understanding,
    last: Message,
    arrival: str,
    now: datetime,
) -> None:
    """Say truthfully that the broker's virtual (AI) assistant writes and the broker reads."""
    language = understood.language or loaded.conversation.language
    agent = agent_name(loaded.brokerage)
    text = say(
        voice(language, formality(loaded.brokerage)),
        "bot.disclosure",
        Agent=agent[0].upper() + agent[1:],
    )
    await _say_only(session, loaded, text, language, last, arrival, now)


async def _say_only(
    session: AsyncSession,
    loaded: Loaded,
    text: str,
    language: str,
    last: Message,
    arrival: str,
    now: datetime,
) -> None:
    """Answer with `text` alone (what the lead asked needs no listing fact and no task)."""
    conversation = loaded.conversation
    last.intent = Intent.OTHER.value
    transition = decide(
        _view(loaded),
        ReplyDecision(
            intent=Intent.OTHER,
            language=language,  # type: ignore[arg-type]
            reply=text,
            qualification_score=conversation.qualification_score,
        ),
    )
    channel = reply_channel(loaded, arrival, None)
    await _apply(session, loaded, transition, last, now, channel=channel)


async def _stop_asked(
    session: AsyncSession,
    loaded: Loaded,
    said: str,
    arrival: str,
    channels: set[str] | None = None,
) -> None:
    """Stop what the lead asked to stop: `channels` ("no me mandes SMS"), or everything."""
    await opt_out_lead(
        session,
        loaded.lead.brokerage_id,
        loaded.lead.id,
        source="conversation",
        channel=arrival,
        detail=said[:200],
        channels=channels,
    )


def reply_channel(loaded: Loaded, arrival: str, preferred: str | None) -> str | None:
    """Where the answer goes: the channel the lead asked for, else the one they wrote from,
    else another of the conversation's; never one they stopped or have no address for."""
    lead, conversation = loaded.lead, loaded.conversation
    stopped = stopped_channels(lead)
    for candidate in (preferred, arrival, *(conversation.channels or ())):
        if candidate is None or candidate in stopped:
            continue
        if address_for(lead, Channel(candidate)):
            if candidate == preferred and candidate not in (conversation.channels or ()):
                # "mejor por correo": the conversation goes on there.
                conversation.channels = [*(conversation.channels or ()), candidate]
            return candidate
    return None


def _with_channel_words(
    loaded: Loaded,
    reply: ReplyDecision,
    understood: Understanding,
    scoped: bool,
    channel: str | None,
    arrival: str,
) -> ReplyDecision:
    """The answer opens by saying what changed: the channel stopped, where we go on."""
    tone = voice(reply.language, formality(loaded.brokerage))
    words = []
    if scoped:
        words.append(say(tone, f"channel.stopped.{understood.opt_out.value}"))
    if channel is not None and (understood.preferred_channel == channel or channel != arrival):
        words.append(say(tone, f"channel.here.{channel}"))
    if not words:
        return reply
    opening = " ".join(words)
    preface = f"{opening} {reply.preface}" if reply.preface else opening
    return replace(
        reply, reply=f"{opening} {reply.reply}" if reply.reply else opening, preface=preface
    )


def _parties(loaded: Loaded) -> viewings.Parties:
    return viewings.Parties(loaded.conversation, loaded.lead, loaded.listing, loaded.brokerage)


async def _viewing_reply(
    session: AsyncSession, loaded: Loaded, said: str, last: Message, now: datetime
) -> viewings.Handled | None:
    """A reply about the viewing on the table (a slot chosen, a change, a cancellation) is
    answered by the viewing rules; None when it is about something else. A booked viewing
    the lead confirms (KEPT) is said back with the answer to the rest of the reply."""
    handled = await viewings.answer_reply(
        session, _parties(loaded), said, now, key=f"reply:{last.id}", channel=last.channel
    )
    if handled is None or handled.action == "KEPT":
        return handled
    last.intent = Intent.VIEWING_REQUEST.value
    loaded.conversation.follow_ups_sent = 0
    return handled


async def _offer_viewing(
    session: AsyncSession,
    loaded: Loaded,
    said: str,
    transition: Transition,
    now: datetime,
    preface: str | None = None,
    booked: viewings.Handled | None = None,
    *,
    key: str = "",
    channel: str | None = None,
) -> Transition:
    """A viewing request gets concrete times from the brokerage's calendar instead of a call:
    the broker's VIEWING task comes when the lead picks one (a lead who is also qualified
    is still handed over), or the lead's own time is booked. A viewing already booked stays
    booked and is said back (only a change or a cancellation, read before, moves it). With
    no free time at all, the broker is asked to call."""
    parties = _parties(loaded)
    kept = booked or await viewings.kept(session, parties, said, language=transition.language)
    if kept is not None:
        body = f"{preface} {kept.reply.body}" if preface else kept.reply.body
        return replace(transition, status=ConversationStatus.HANDED_OFF, reply=body, task=None,
                       next_action=loaded.conversation.next_action, follow_up=False,
                       crm_write_back=False)  # fmt: skip
    offered = await viewings.offer(session, parties, said, now, language=transition.language)
    if offered is None:
        return transition
    # What else the reply asked is answered before the times ("tiene 2 lugares... te propongo").
    body = f"{preface}\n\n{offered.reply.body}" if preface else offered.reply.body
    if offered.action == "CONFIRMED" and channel is not None:
        # The lead's own time was free and is booked: the confirmation goes out as every
        # confirmation does (the invite by e-mail), with the answer to the rest before it.
        answer = offered.reply
        if preface:
            email = answer.email_body or answer.body
            answer = replace(answer, body=body, email_body=f"{preface}\n\n{email}")
        await viewings.tell(session, parties, replace(offered, reply=answer), key, channel)
        return replace(transition, status=ConversationStatus.HANDED_OFF, reply=None, task=None,
                       next_action=loaded.conversation.next_action, follow_up=False,
                       crm_write_back=False,
                       # The booking counted its points (and a lead it lifted is qualified).
                       qualification_score=loaded.conversation.qualification_score,
                       qualified=transition.qualified
                       and loaded.conversation.qualified_at is None)  # fmt: skip
    if offered.waits_for_broker:  # no time suits the lead: their VIEWING task asks the broker
        status, next_action = ConversationStatus.HANDED_OFF, offered.next_action
        return replace(transition, status=status, next_action=next_action, reply=body, task=None,
                       follow_up=False)  # fmt: skip
    if transition.qualification_score > HANDOFF_SCORE:
        return replace(transition, reply=body)
    return replace(
        transition,
        status=ConversationStatus.WAITING,
        next_action=offered.next_action,
        reply=body,
        task=None,
        crm_write_back=False,
    )


def _view(loaded: Loaded) -> ConversationView:
    return ConversationView(
        status=loaded.conversation.status,
        qualification_score=loaded.conversation.qualification_score,
        listing_operation="RENT" if loaded.listing.operation.value == "RENT" else "SALE",
        listing_title=loaded.listing.title,
        lead_name=loaded.lead.name,
        broker_language=loaded.brokerage.language,
    )


async def _apply(
    session: AsyncSession,
    loaded: Loaded,
    transition: Transition,
    last: Message,
    now: datetime,
    *,
    channel: str | None = None,
) -> None:
    """Carry out what `decide` said: the answer on `channel` (the lead's, see
    `reply_channel`), the conversation's new state, the broker's tasks, the events."""
    conversation, lead = loaded.conversation, loaded.lead
    conversation.qualification_score = transition.qualification_score
    if transition.qualification_score > HANDOFF_SCORE and conversation.qualified_at is None:
        conversation.qualified_at = now
    lead.qualification_score = transition.qualification_score
    conversation.language = transition.language
    lead.language = transition.language  # the language the lead writes in, kept on the lead
    conversation.follow_ups_sent = 0
    conversation.follow_up_at = now + FOLLOW_UP_AFTER if transition.follow_up else None
    conversation.next_action = transition.next_action
    if transition.cancel_tasks is not None:
        await repository.cancel_open_tasks(
            session,
            lead.id,
            conversation_id=conversation.id if transition.cancel_tasks == "conversation" else None,
        )
    if transition.opt_out:
        await opt_out_lead(
            session, lead.brokerage_id, lead.id, source="conversation", channel=last.channel.value
        )
        return  # the opt-out closed every thread of the lead, this one included
    conversation.status = transition.status
    if transition.reply and channel is not None:  # answered where the lead wrote from
        body = transition.reply
        if channel == Channel.EMAIL.value:
            body = signed(body, sender_name(loaded.brokerage), transition.language)
        await repository.queue_on_channels(
            session,
            loaded,
            f"reply:{last.id}",
            _reply_subject(loaded, channel),
            body,
            channels=[channel],
            lead_wrote_at=last.created_at,
        )
    if transition.lead_rents_only:
        lead.operation = Operation.RENT
    orders = [o for o in (transition.task, *transition.extra_tasks) if o is not None]
    if orders:
        summary = await _summary(session, loaded)
        for order in orders:
            card = order.summary or summary
            if await repository.add_task(session, loaded, order.kind, order.title, card):
                repository.activity(session, loaded, ActivityType.HANDOFF_CREATED)
    if transition.qualified:
        await mark_qualified(session, loaded)
    if transition.crm_write_back and lead.external_source:
        enqueue(
            session,
            "crm_write_back",
            conversation.brokerage_id,
            lead.id,
            conversation.id,
            job_id=f"crm_write_back:{conversation.id}:{conversation.status.value}",
        )


def _reply_subject(loaded: Loaded, channel: str) -> str | None:
    """An e-mail answer (the lead asked to go on by e-mail) is about the listing."""
    if channel != Channel.EMAIL.value:
        return None
    listing = loaded.listing
    return f"Re: {listing.title}"


async def _summary(session: AsyncSession, loaded: Loaded) -> str:
    """The broker's card: who, which listing, the score, and the lead's own words."""
    return handoff_summary(
        lead_facts(loaded.lead, loaded.brokerage),
        property_facts(loaded.listing),
        await repository.transcript(session, loaded.conversation.id),
        loaded.conversation.qualification_score,
        language=loaded.brokerage.language,
    )


async def follow_up(state: ThreadState, runtime: GraphRuntime[AgentContext]) -> ThreadState:
    """A gentle nudge after days of silence; after the last one, the lead is marked cold."""
    number = int(state.get("event", {}).get("number", 0))
    async with runtime.context.runtime.session() as session:
        loaded = await repository.load(session, state["conversation_id"])
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
                formality=formality(loaded.brokerage),
            )
            await repository.queue_on_channels(
                session, loaded, f"followup:{number}", draft.subject, draft.body
            )
            conversation.follow_up_at = utcnow() + FOLLOW_UP_AFTER
        conversation.follow_ups_sent = number
        await commit(session)
        return {"closed": False}


# --- routing ------------------------------------------------------------------------------------
# Async on purpose: LangGraph runs a plain function in a thread pool, a hop per edge per run.
# "__end__" is LangGraph's END, spelled out so the routes' Literal types name every target.


async def after_compose(state: ThreadState) -> Literal["approval", "wait", "__end__"]:
    if state.get("closed"):
        return "__end__"
    return "approval" if state.get("awaiting") == "approval" else "wait"


async def after_turn(state: ThreadState) -> Literal["wait", "__end__"]:
    return "__end__" if state.get("closed") else "wait"


async def after_wait(state: ThreadState) -> Literal["respond", "follow_up", "__end__"]:
    kind = state.get("event", {}).get("kind")
    if kind == "reply":
        return "respond"
    if kind == "follow_up":
        return "follow_up"
    return "__end__"


def build_graph() -> StateGraph[ThreadState, AgentContext, ThreadState, ThreadState]:
    from langgraph.graph import START, StateGraph

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
