"""The conversation agent's model: what the graph's nodes call to write and to understand.

`OfflineModel` (rules and templates, deterministic, the default) and `LLMConversationModel` (an
OpenAI-compatible chat model, with the offline rules as the opt-out guard and the fallback) share
one protocol; `build_model` picks one from the settings.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Protocol

from app.conversations import facts, replies
from app.conversations.guard import check_reply, promises_broker
from app.conversations.intents import (
    HANDOFF_SCORE,
    Intent,
    Language,
    classify_intent,
    detect_language,
    next_qualification,
    primary_intent,
)
from app.conversations.replies import (
    Draft,
    LeadFacts,
    PropertyFacts,
    Turn,
    answer,
    answer_other_acts,
    first_message,
    format_location,
    format_price,
    format_slot,
    viewing_slots,
)
from app.conversations.understanding import understand
from integrations.llm.openai_model import DEFAULT_MODEL, OpenAIConversationModel
from integrations.llm.schema import (
    ChatLine,
    FirstMessageRequest,
    LeadBrief,
    ListingBrief,
    ReplyRequest,
    Voice,
)

__all__ = [
    "ConversationModel",
    "Draft",
    "FirstMessageContext",
    "LLMConversationModel",
    "LeadFacts",
    "OfflineModel",
    "PropertyFacts",
    "ReplyContext",
    "ReplyDecision",
    "Turn",
    "build_model",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FirstMessageContext:
    lead: LeadFacts
    property: PropertyFacts
    breakdown: Mapping[str, float]
    language: Language
    now: datetime
    sender_name: str | None = None
    formality: str = "TU"
    agent: str | None = None
    brokerage: str | None = None
    variant: str = "a"


@dataclass(frozen=True)
class ReplyContext:
    """A lead's reply (a burst joined with newlines) and what the thread knows so far."""

    lead: LeadFacts
    property: PropertyFacts
    message: str
    language: Language
    qualification_score: int
    now: datetime
    transcript: tuple[Turn, ...] = ()
    sender_name: str | None = None
    formality: str = "TU"
    agent: str | None = None
    # What the agent already understood (`understanding.understand`): every act of the reply,
    # and the one to answer when it is not the reply's primary one (a channel-scoped opt-out
    # is honoured by the agent; the question beside it is what the model answers).
    acts: frozenset[Intent] = frozenset()
    intent: Intent | None = None
    # The language the lead asked for ("I prefer English"): the answer is in it, whatever
    # language this reply seems written in.
    chosen_language: Language | None = None


@dataclass(frozen=True)
class ReplyDecision:
    intent: Intent
    language: Language
    reply: str | None
    qualification_score: int
    viewing_slots: tuple[datetime, ...] = ()
    # Why the model's own reply was not sent and the template's was (the fact guard).
    replaced: str | None = None
    # The reply promised the broker's answer: QUESTION (a fact the listing lacks) or HANDOFF.
    promise: str | None = None
    unanswered: tuple[str, ...] = ()
    # What a HANDOFF promise about the price leaves the broker to do (`replies.Answer.about`).
    about: str | None = None
    # The answer to the reply's other acts (a question beside a viewing request), already in
    # `reply`; kept apart so an answer replaced later (viewing times) still carries it.
    preface: str | None = None
    # A CALL promise's number (`replies.Answer.call_at`).
    call_at: str | None = None

    @property
    def hand_off(self) -> bool:
        """DESIGN.md section 5: a viewing request, or a qualified lead (score above 75)."""
        if self.intent in (Intent.OPT_OUT, Intent.NOT_INTERESTED):
            return False
        return self.intent == Intent.VIEWING_REQUEST or self.qualification_score > HANDOFF_SCORE


class ConversationModel(Protocol):
    name: str

    async def compose_first_message(self, ctx: FirstMessageContext) -> Draft: ...

    async def understand_and_reply(self, ctx: ReplyContext) -> ReplyDecision: ...


class OfflineModel:
    """Rules and templates: the same input always gives the same message."""

    name = "offline"

    async def compose_first_message(self, ctx: FirstMessageContext) -> Draft:
        return first_message(
            ctx.lead,
            ctx.property,
            ctx.breakdown,
            ctx.language,
            ctx.sender_name,
            formality=ctx.formality,
            agent=ctx.agent,
            brokerage=ctx.brokerage,
            variant=ctx.variant,
            now=ctx.now,
        )

    async def understand_and_reply(self, ctx: ReplyContext) -> ReplyDecision:
        acts = replies.asked_acts(ctx.acts or understand(ctx.message).acts, ctx.message)
        intent = ctx.intent or primary_intent(acts)
        if intent is Intent.PRICE_OR_OFFER and Intent.PRICE_OR_OFFER not in acts:
            intent = primary_intent(acts)  # financing stated, no price asked
        language = ctx.chosen_language or detect_language(ctx.message) or ctx.language
        reply = answer(
            intent,
            ctx.message,
            ctx.lead,
            ctx.property,
            language,
            ctx.now,
            ctx.sender_name,
            formality=ctx.formality,
            agent=ctx.agent,
        )
        # Every act answered in one message: a question beside a viewing request or a price.
        other = answer_other_acts(
            acts,
            intent,
            ctx.message,
            ctx.property,
            language,
            formality=ctx.formality,
            agent=ctx.agent or ctx.sender_name,
            sender_name=ctx.sender_name,
        )
        text = reply.text
        if other is not None and other.text:
            text = f"{other.text} {text}" if text else other.text
        text = replies.once(replies.financing_noted(text, ctx.message, intent, language,
                                                    ctx.formality))  # fmt: skip
        promise = reply.promise or (other.promise if other else None)
        if promise is not None and text and _said_before(text, ctx.transcript):
            # The same question again while the broker has not answered: not the same words.
            text = replies.still_waiting(
                ctx.lead, language, ctx.formality, ctx.agent, ctx.sender_name
            )
        decision = ReplyDecision(
            intent=intent,
            language=language,
            reply=text,
            qualification_score=next_qualification(ctx.qualification_score, intent),
            viewing_slots=reply.viewing_slots,
            promise=promise,
            unanswered=tuple(dict.fromkeys(reply.unanswered + (other.unanswered if other else ()))),
            about=reply.about if reply.promise == promise else None,
            preface=other.text if other else None,
            call_at=reply.call_at,
        )
        return guarded(decision, ctx)


def _said_before(text: str, transcript: tuple[Turn, ...]) -> bool:
    """Whether the agent already sent these very words in this thread (an e-mail's sign-off
    aside)."""
    return any(
        turn.direction == "OUTBOUND" and turn.body.strip().startswith(text.strip())
        for turn in transcript
    )


def guarded(decision: ReplyDecision, ctx: ReplyContext) -> ReplyDecision:
    """The composed reply if the fact guard lets it through; else a safe line that states
    nothing (the broker answers instead, and a task says so), with the guard's reason logged
    and kept in `replaced`. Templates are written never to invent, but they are filled from
    data (a template edited, a field in an odd unit): this is the last check before the lead."""
    verdict = check_reply(
        decision.reply,
        ctx.property,
        ctx.lead,
        slots=decision.viewing_slots,
        names=(
            ctx.agent,
            ctx.sender_name,
            replies.broker_name(ctx.agent or ctx.sender_name, decision.language),
        ),
    )
    if verdict.ok:
        return decision
    log.warning(
        "fact guard: a composed reply replaced by a safe line",
        extra={"reason": verdict.reason, "intent": decision.intent.value},
    )
    safe = replies.safe_answer(
        decision.intent,
        ctx.lead,
        decision.language,
        formality=ctx.formality,
        agent=ctx.agent or ctx.sender_name,
        sender_name=ctx.sender_name,
    )
    return replace(
        decision,
        reply=safe.text,
        promise=safe.promise,
        unanswered=(),
        about=None,
        preface=None,
        viewing_slots=(),
        call_at=None,
        replaced=verdict.reason,
    )


def _listing(prop: PropertyFacts, language: Language) -> ListingBrief:
    """The listing's fields for the prompt, written as the lead reads them (facts.py)."""
    es = language == "es"
    if prop.pets_allowed is None:
        pets = None
    elif prop.pets_allowed:
        pets = "allowed" + (" (se aceptan mascotas)" if es else "")
    else:
        pets = "not allowed" + (" (no se aceptan mascotas)" if es else "")
    fee = prop.maintenance_fee
    return ListingBrief(
        title=prop.title,
        location=format_location(prop),
        price=format_price(prop, language),
        operation="for rent (the price is per month)" if prop.operation == "RENT" else "for sale",
        bedrooms=facts.bedrooms(prop.bedrooms, language) if prop.bedrooms is not None else None,
        bathrooms=facts.bathrooms(prop.bathrooms, language) if prop.bathrooms is not None else None,
        description=prop.description,
        parking=facts.parking(prop.parking_spaces, language)
        if prop.parking_spaces is not None
        else None,
        built_area=facts.area(prop.built_area_m2, language) if prop.built_area_m2 else None,
        lot_area=facts.area(prop.lot_area_m2, language) if prop.lot_area_m2 else None,
        amenities=prop.amenities,
        pets=pets,
        maintenance_fee=(
            facts.per_month(facts.money(fee, prop.currency, language), language)
            if fee
            else ("none" if fee == 0 else None)
        ),
        deposit=(
            facts.money(prop.deposit, prop.currency, language)
            if prop.deposit
            else ("none" if prop.deposit == 0 else None)
        ),
        available_from=facts.long_date(prop.available_from, language)
        if prop.available_from
        else None,
        listing_url=prop.listing_url,
        photos=prop.photos,
        address=prop.address,
    )


def _lead(lead: LeadFacts, prop: PropertyFacts, language: Language) -> LeadBrief:
    """What the lead wants, with the budget of this listing's kind (a monthly rent for a
    rental, a purchase budget for a sale) and whether the price fits it."""
    low, high = lead.budget_for(prop.operation)
    budget = None
    if low or high:
        currency = lead.currency or prop.currency
        shown = [facts.money(v, currency, language) for v in (low, high) if v]
        budget = (
            " - ".join(shown)
            if low and high
            else (f"from {shown[0]}" if low else f"up to {shown[0]}")
        )
        if prop.operation == "RENT":
            budget += " per month (rent)"
        fits = (
            currency.upper() == prop.currency.upper()
            and (not low or prop.price >= low)
            and (not high or prop.price <= high)
        )
        budget += "; the price fits it" if fits else "; the price does NOT fit it"
    return LeadBrief(
        first_name=lead.first_name,
        areas=lead.locations,
        bedrooms=lead.bedrooms,
        budget=budget,
    )


def _voice(language: Language, formality: str, agent: str | None, brokerage: str | None) -> Voice:
    return Voice(
        language=language,
        formality="USTED" if str(formality).upper() == "USTED" else "TU",
        agent_name=replies.broker_name(agent, language) if agent else None,
        brokerage=brokerage,
    )


_REASONS = {
    "location": "it is in an area they were looking in",
    "price": "it is within their budget",
    "bedrooms": "it has the number of bedrooms they wanted",
}


class LLMConversationModel:
    """An OpenAI-compatible chat model, kept honest by the offline rules.

    A message the rules read as an opt-out is an opt-out whatever the model would say (and the
    model is not even asked); scores come from the rules' table, not from the model; a reply
    that states a fact the listing and the lead's data do not back (the fact guard) is
    replaced by the template's answer; if the model cannot be reached after its retries, the
    offline model answers instead.
    """

    name = "openai"

    def __init__(self, client: OpenAIConversationModel, *, fallback_on_error: bool = True) -> None:
        self.client = client
        self.offline = OfflineModel()
        self.fallback_on_error = fallback_on_error

    async def compose_first_message(self, ctx: FirstMessageContext) -> Draft:
        returning = None
        if _returning(ctx):
            wanted = ", ".join(ctx.lead.locations) or "homes"
            returning = f"they asked us about {wanted} a while ago and we have not written since"
        request = FirstMessageRequest(
            first_name=ctx.lead.first_name,
            listing=_listing(ctx.property, ctx.language),
            reasons=tuple(
                reason
                for component, reason in _REASONS.items()
                if float(ctx.breakdown.get(component, 0) or 0) > 0
            ),
            language=ctx.language,
            sender_name=ctx.sender_name,
            lead=_lead(ctx.lead, ctx.property, ctx.language),
            voice=_voice(ctx.language, ctx.formality, ctx.agent, ctx.brokerage),
            returning=returning,
        )
        try:
            draft = await self.client.draft_first_message(request)
        except Exception:
            if not self.fallback_on_error:
                raise
            log.warning("chat model unavailable, first message from templates", exc_info=True)
            return await self.offline.compose_first_message(ctx)
        subject, body = draft.subject.strip(), draft.body.strip()
        verdict = check_reply(
            f"{subject}\n{body}",
            ctx.property,
            ctx.lead,
            names=(ctx.agent, ctx.brokerage, ctx.sender_name),
        )
        if not verdict.ok:
            log.warning(
                "fact guard: the model's first message replaced by the template",
                extra={"reason": verdict.reason},
            )
            return await self.offline.compose_first_message(ctx)
        return Draft(subject=subject, body=body)

    async def understand_and_reply(self, ctx: ReplyContext) -> ReplyDecision:
        if classify_intent(ctx.message) == Intent.OPT_OUT:
            return await self.offline.understand_and_reply(ctx)
        language = ctx.chosen_language or detect_language(ctx.message) or ctx.language
        slots = viewing_slots(ctx.now, ctx.lead.timezone, ctx.message)
        request = ReplyRequest(
            first_name=ctx.lead.first_name,
            listing=_listing(ctx.property, language),
            message=ctx.message,
            language=ctx.chosen_language or ctx.language,
            transcript=tuple(
                ChatLine("lead" if turn.direction == "INBOUND" else "agent", turn.body)
                for turn in ctx.transcript
            ),
            viewing_slots=tuple(format_slot(slot, language) for slot in slots),
            broker=replies.broker_name(ctx.agent or ctx.sender_name, language),
            signed_by_broker=replies.own_voice(ctx.agent, ctx.sender_name),
            lead=_lead(ctx.lead, ctx.property, language),
            voice=_voice(language, ctx.formality, ctx.agent, None),
        )
        try:
            result = await self.client.understand(request)
        except Exception:
            if not self.fallback_on_error:
                raise
            log.warning("chat model unavailable, reply from rules and templates", exc_info=True)
            return await self.offline.understand_and_reply(ctx)
        intent = Intent(result.intent)
        # The offline answer to the same reply, every act of it (a question beside a price or a
        # viewing request), as the offline model gives it: what the listing can and cannot
        # answer (and so the promise a task must keep), and the reply when the model's is
        # refused.
        acts = (ctx.acts or understand(ctx.message).acts) | {intent}
        spoken: Language = ctx.chosen_language or result.language
        template = await self.offline.understand_and_reply(
            replace(ctx, acts=acts, intent=intent, language=spoken)
        )
        reply = result.reply.strip() if result.reply else None
        replaced = None
        preface = None
        if intent == Intent.ACKNOWLEDGEMENT:
            reply = None
        elif intent == Intent.OPT_OUT or not reply:
            reply = template.reply  # the confirmation of a stop is fixed wording, not the model's
            preface = template.preface
        else:
            replaced = self._refusal(reply, template.promise, ctx, slots)
            if replaced is not None:
                log.warning(
                    "fact guard: the model's reply replaced by the template",
                    extra={"reason": replaced, "intent": intent.value},
                )
                reply = template.reply
                preface = template.preface
        promise = template.promise
        if promise is None and promises_broker(reply) and intent != Intent.VIEWING_REQUEST:
            promise = "HANDOFF"  # the model said the broker will answer: a task keeps it
        return ReplyDecision(
            intent=intent,
            language=spoken,
            reply=reply,
            qualification_score=next_qualification(ctx.qualification_score, intent),
            viewing_slots=slots if intent == Intent.VIEWING_REQUEST else (),
            promise=promise,
            unanswered=template.unanswered,
            about=template.about if promise == template.promise else None,
            call_at=template.call_at if promise == "CALL" else None,
            replaced=replaced,
            preface=preface,
        )

    @staticmethod
    def _refusal(
        reply: str, promise: str | None, ctx: ReplyContext, slots: tuple[datetime, ...]
    ) -> str | None:
        """Why the model's reply may not be sent (None: it may)."""
        verdict = check_reply(
            reply,
            ctx.property,
            ctx.lead,
            slots=slots,
            names=(
                ctx.agent,
                ctx.sender_name,
                replies.broker_name(ctx.agent or ctx.sender_name, "es"),
            ),
        )
        if not verdict.ok:
            return verdict.reason
        if promise == "QUESTION" and not promises_broker(reply):
            # The listing cannot answer part of the question: the lead must hear that the
            # broker will, as the task created for it says.
            return "did not say the broker will answer what the listing does not state"
        return None


def _returning(ctx: FirstMessageContext) -> bool:
    last = ctx.lead.last_contact_at
    if last is None:
        return False
    last = last if last.tzinfo else last.replace(tzinfo=UTC)
    now = ctx.now if ctx.now.tzinfo else ctx.now.replace(tzinfo=UTC)
    return now - last > replies.UNTOUCHED_FOR


def build_model(
    openai_api_key: str | None,
    openai_base_url: str | None = None,
    model_name: str = DEFAULT_MODEL,
    *,
    timeout: float = 30.0,
    max_retries: int = 3,
) -> ConversationModel:
    """The OpenAI-compatible model when a key is set, else the offline model."""
    if not openai_api_key:
        return OfflineModel()
    client = OpenAIConversationModel(
        api_key=openai_api_key,
        base_url=openai_base_url,
        model=model_name,
        timeout=timeout,
        max_retries=max_retries,
    )
    return LLMConversationModel(client)
