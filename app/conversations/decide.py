"""What a lead's reply changes: a pure function from the conversation and the model's decision
to a `Transition` that the respond node applies (status, next action, timer, the broker's
task, the events). No I/O: every rule of the conversation's life is testable here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from app.conversations.broker_text import broker_text
from app.conversations.facts import AMENITY_NAMES, BROKER_TOPIC_NAMES, TOPIC_NAMES
from app.conversations.intents import HANDOFF_SCORE, Intent
from app.conversations.model import ReplyDecision
from app.conversations.models import ConversationStatus, TaskKind

ENDED = (ConversationStatus.OPTED_OUT, ConversationStatus.CLOSED)


@dataclass(frozen=True)
class ConversationView:
    """What `decide` needs to know of a conversation, before this reply."""

    status: ConversationStatus
    qualification_score: int
    listing_operation: Literal["SALE", "RENT"]
    listing_title: str
    lead_name: str
    broker_language: str


@dataclass(frozen=True)
class TaskOrder:
    """A task for the broker: created, or the open one of that kind brought up to date."""

    kind: TaskKind
    title: str
    # The card's text when not the conversation's summary (a referral's consent note).
    summary: str | None = None


@dataclass(frozen=True)
class Transition:
    status: ConversationStatus
    next_action: str | None
    reply: str | None
    qualification_score: int
    language: str
    # False: no follow-up timer (the conversation ended or is with the broker's task).
    follow_up: bool = True
    opt_out: bool = False
    task: TaskOrder | None = None
    # The score crossed the qualification line on this reply.
    qualified: bool = False
    # The lead only rents: no sale listing will reach them again.
    lead_rents_only: bool = False
    # The hand-off is written back to the lead's CRM.
    crm_write_back: bool = False
    # Open tasks that lost their point: the conversation's (a refusal) or the lead's (a stop).
    cancel_tasks: Literal["conversation", "lead"] | None = None
    # More promises of the same reply: a question the listing cannot answer, asked beside a
    # viewing request or a price question, is the broker's QUESTION task as well.
    extra_tasks: tuple[TaskOrder, ...] = ()

    @property
    def closed(self) -> bool:
        return self.status in ENDED


def decide(conversation: ConversationView, reply: ReplyDecision) -> Transition:
    """The conversation after this reply: every promise its answer makes has its task."""
    transition = _decide(conversation, reply)
    if (
        reply.unanswered
        and not transition.closed
        and (transition.task is None or transition.task.kind is not TaskKind.QUESTION)
    ):
        question = _question_task(conversation, reply)
        transition = replace(transition, extra_tasks=(question,))
    return transition


def _question_task(conversation: ConversationView, reply: ReplyDecision) -> TaskOrder:
    """ "Se lo pregunto a Jorge": the broker's task naming what the listing could not answer."""
    language = conversation.broker_language
    names = {"lead": conversation.lead_name, "listing": conversation.listing_title}
    lang = "en" if language == "en" else "es"
    topic_names = {**TOPIC_NAMES[lang], **BROKER_TOPIC_NAMES[lang]}
    # A topic key is named in the broker's words; an amenity by its name; a question no topic
    # names is quoted as the lead asked it ("¿está cerca del metro?").
    asked = ", ".join(
        dict.fromkeys(
            AMENITY_NAMES[lang].get(topic[8:], topic[8:])
            if topic.startswith("amenity:")
            else topic_names.get(topic, topic)
            for topic in reply.unanswered
        )
    )
    title = broker_text(language, "task.question", **names)
    return TaskOrder(TaskKind.QUESTION, f"{title}: {asked}" if asked else title)


def _decide(conversation: ConversationView, reply: ReplyDecision) -> Transition:
    language = conversation.broker_language
    names = {"lead": conversation.lead_name, "listing": conversation.listing_title}
    score = reply.qualification_score
    # Whatever the intent: the answer, the new score, the lead's language.
    base = Transition(
        ConversationStatus.WAITING,
        broker_text(language, "next.waiting"),
        reply=reply.reply,
        qualification_score=score,
        language=reply.language,
    )
    intent = reply.intent
    if intent is Intent.OPT_OUT:
        return replace(
            base,
            status=ConversationStatus.OPTED_OUT,
            next_action=None,
            follow_up=False,
            opt_out=True,
        )
    if intent in (Intent.NOT_INTERESTED, Intent.RENT_ONLY):
        return replace(
            base,
            status=ConversationStatus.CLOSED,
            next_action=None,
            follow_up=False,
            lead_rents_only=intent is Intent.RENT_ONLY and conversation.listing_operation == "SALE",
            cancel_tasks="conversation",
        )
    qualified = score > HANDOFF_SCORE and conversation.qualification_score <= HANDOFF_SCORE
    if reply.hand_off:
        viewing = intent is Intent.VIEWING_REQUEST
        # A qualified lead's QUALIFIED task comes with `qualified`; a viewing has its own.
        task = TaskOrder(TaskKind.VIEWING, broker_text(language, "task.viewing", **names))
        return replace(
            base,
            status=ConversationStatus.HANDED_OFF,
            next_action=broker_text(language, "next.viewing" if viewing else "next.qualified"),
            task=task if viewing else None,
            qualified=qualified,
            crm_write_back=True,
        )
    status = (
        conversation.status
        if conversation.status is ConversationStatus.HANDED_OFF
        else ConversationStatus.WAITING
    )
    # A price question or an offer is the broker's call; lease terms or financing the listing
    # cannot answer are a question for the broker (below).
    if intent is Intent.PRICE_OR_OFFER and reply.promise is None:
        # Answered from the listing ("¿cuánto es el depósito?"): nothing left for the broker.
        return replace(base, status=status, qualified=qualified)
    if intent is Intent.PRICE_OR_OFFER and reply.promise != "QUESTION":
        # The title says what the broker has to do: answer an offer, say whether there is
        # room to negotiate, or talk offers and payment terms.
        about = (
            reply.about
            if reply.about in ("price", "offer", "negotiate", "negotiate_terms")
            else None
        )
        title = broker_text(language, f"task.{about}" if about else "task.handoff", **names)
        return replace(
            base,
            status=status,
            next_action=broker_text(language, "next.price"),
            task=TaskOrder(TaskKind.HANDOFF, title),
            qualified=qualified,
        )
    if reply.promise == "QUESTION":  # "se lo pregunto a Jorge": the question becomes a task
        return replace(
            base,
            status=status,
            next_action=broker_text(language, "next.question"),
            task=_question_task(conversation, reply),
            qualified=qualified,
        )
    if reply.promise == "CALL" and reply.call_at:  # "can Tom call me?": the broker calls
        call = broker_text(language, "task.call_back", lead=names["lead"], phone=reply.call_at)
        return replace(
            base,
            status=status,
            next_action=broker_text(language, "next.call_back"),
            task=TaskOrder(TaskKind.CALL_HOT_LEAD, call),
            qualified=qualified,
        )
    if reply.promise is not None:  # any other "he/she will get back to you"
        return replace(
            base,
            status=status,
            next_action=broker_text(language, "next.handoff"),
            task=TaskOrder(TaskKind.HANDOFF, broker_text(language, "task.handoff", **names)),
            qualified=qualified,
        )
    return replace(base, status=status, qualified=qualified)
