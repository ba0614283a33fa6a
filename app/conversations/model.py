"""The conversation agent's model: what the graph's nodes call to write and to understand.

`OfflineModel` (rules and templates, deterministic, the default) and `LLMConversationModel` (an
OpenAI-compatible chat model, with the offline rules as the opt-out guard and the fallback) share
one protocol; `build_model` picks one from the settings.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from app.conversations.intents import (
    HANDOFF_SCORE,
    Intent,
    Language,
    classify_intent,
    detect_language,
    next_qualification,
)
from app.conversations.replies import (
    Draft,
    LeadFacts,
    PropertyFacts,
    Turn,
    answer,
    first_message,
    format_location,
    format_price,
    format_slot,
    viewing_slots,
)
from integrations.llm.openai_model import DEFAULT_MODEL, OpenAIConversationModel
from integrations.llm.schema import ChatLine, FirstMessageRequest, ListingBrief, ReplyRequest

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


@dataclass(frozen=True)
class ReplyDecision:
    intent: Intent
    language: Language
    reply: str | None
    qualification_score: int
    viewing_slots: tuple[datetime, ...] = ()
    # The reply promised the broker's answer: QUESTION (a fact the listing lacks) or HANDOFF.
    promise: str | None = None
    unanswered: tuple[str, ...] = ()

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
        intent = classify_intent(ctx.message)
        language = detect_language(ctx.message) or ctx.language
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
        return ReplyDecision(
            intent=intent,
            language=language,
            reply=reply.text,
            qualification_score=next_qualification(ctx.qualification_score, intent),
            viewing_slots=reply.viewing_slots,
            promise=reply.promise,
            unanswered=reply.unanswered,
        )


def _listing(prop: PropertyFacts, language: Language) -> ListingBrief:
    return ListingBrief(
        title=prop.title,
        location=format_location(prop),
        price=format_price(prop, language),
        operation="for rent" if prop.operation == "RENT" else "for sale",
        bedrooms=prop.bedrooms,
        bathrooms=prop.bathrooms,
        description=prop.description,
    )


_REASONS = {
    "location": "it is in an area they were looking in",
    "price": "it is within their budget",
    "bedrooms": "it has the number of bedrooms they wanted",
}


class LLMConversationModel:
    """An OpenAI-compatible chat model, kept honest by the offline rules.

    A message the rules read as an opt-out is an opt-out whatever the model would say (and the
    model is not even asked); scores come from the rules' table, not from the model; if the
    model cannot be reached after its retries, the offline model answers instead.
    """

    name = "openai"

    def __init__(self, client: OpenAIConversationModel, *, fallback_on_error: bool = True) -> None:
        self.client = client
        self.offline = OfflineModel()
        self.fallback_on_error = fallback_on_error

    async def compose_first_message(self, ctx: FirstMessageContext) -> Draft:
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
        )
        try:
            draft = await self.client.draft_first_message(request)
        except Exception:
            if not self.fallback_on_error:
                raise
            log.warning("chat model unavailable, first message from templates", exc_info=True)
            return await self.offline.compose_first_message(ctx)
        return Draft(subject=draft.subject.strip(), body=draft.body.strip())

    async def understand_and_reply(self, ctx: ReplyContext) -> ReplyDecision:
        if classify_intent(ctx.message) == Intent.OPT_OUT:
            return await self.offline.understand_and_reply(ctx)
        language = detect_language(ctx.message) or ctx.language
        slots = viewing_slots(ctx.now, ctx.lead.timezone, ctx.message)
        request = ReplyRequest(
            first_name=ctx.lead.first_name,
            listing=_listing(ctx.property, language),
            message=ctx.message,
            language=ctx.language,
            transcript=tuple(
                ChatLine("lead" if turn.direction == "INBOUND" else "agent", turn.body)
                for turn in ctx.transcript
            ),
            viewing_slots=tuple(format_slot(slot, language) for slot in slots),
            broker=ctx.sender_name or ("tu asesor" if language == "es" else "your agent"),
        )
        try:
            result = await self.client.understand(request)
        except Exception:
            if not self.fallback_on_error:
                raise
            log.warning("chat model unavailable, reply from rules and templates", exc_info=True)
            return await self.offline.understand_and_reply(ctx)
        intent = Intent(result.intent)
        reply = result.reply.strip() if result.reply else None
        if intent == Intent.ACKNOWLEDGEMENT:
            reply = None
        elif intent == Intent.OPT_OUT:
            # The confirmation of a stop is fixed wording, not the model's.
            reply = answer(
                intent, ctx.message, ctx.lead, ctx.property, result.language, ctx.now
            ).text
        return ReplyDecision(
            intent=intent,
            language=result.language,
            reply=reply,
            qualification_score=next_qualification(ctx.qualification_score, intent),
            viewing_slots=slots if intent == Intent.VIEWING_REQUEST else (),
        )


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
