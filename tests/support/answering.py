"""One lead message through the offline agent as a thread runs it (understand, the model's
answer, `decide`), with the fact guard checked on what it says: for tests that read the answer
and the broker's tasks without a database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.conversations.decide import ConversationView, TaskOrder, Transition, decide
from app.conversations.guard import check_reply
from app.conversations.intents import Language
from app.conversations.model import OfflineModel, ReplyContext, ReplyDecision
from app.conversations.models import ConversationStatus
from app.conversations.replies import LeadFacts, PropertyFacts
from app.conversations.understanding import understand


@dataclass(frozen=True)
class Answered:
    reply: str
    tasks: list[TaskOrder]
    transition: Transition
    decision: ReplyDecision


async def answer_message(
    message: str,
    listing: PropertyFacts,
    lead: LeadFacts,
    *,
    now: datetime,
    sender_name: str,
    agent: str,
    formality: str = "TU",
    language: Language = "es",
) -> Answered:
    """The agent's answer to `message` (in the language it was written in, else `language`)
    and the tasks the conversation gets; fails when the answer states what the listing, the
    lead or the offered slots do not hold."""
    understood = understand(message)
    decision = await OfflineModel().understand_and_reply(
        ReplyContext(
            lead=lead,
            property=listing,
            message=message,
            language=understood.language or language,
            qualification_score=0,
            now=now,
            sender_name=sender_name,
            agent=agent,
            formality=formality,
            acts=understood.acts,
        )
    )
    view = ConversationView(
        status=ConversationStatus.WAITING,
        qualification_score=0,
        listing_operation=listing.operation,
        listing_title=listing.title,
        lead_name=lead.name,
        broker_language="es",
    )
    transition = decide(view, decision)
    tasks = [order for order in (transition.task, *transition.extra_tasks) if order]
    names = (agent, sender_name)
    verdict = check_reply(decision.reply, listing, lead, slots=decision.viewing_slots, names=names)
    assert verdict.ok, verdict.problems
    return Answered(decision.reply or "", tasks, transition, decision)
