"""The offline model end to end: same input, same output; intent, answer and score together."""

from __future__ import annotations

from datetime import UTC, datetime

from app.conversations.intents import Intent
from app.conversations.model import (
    FirstMessageContext,
    LeadFacts,
    LLMConversationModel,
    OfflineModel,
    PropertyFacts,
    ReplyContext,
    build_model,
)

LEAD = LeadFacts(name="John Smith", locations=("Austin",), bedrooms=2)
HOUSE = PropertyFacts(
    title="Bungalow on Elm Street",
    location="Austin",
    city="Austin",
    price=450_000,
    currency="USD",
    bedrooms=2,
    bathrooms=1,
)
NOW = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)


def _reply(message: str, score: int = 40, language: str = "en") -> ReplyContext:
    return ReplyContext(
        lead=LEAD,
        property=HOUSE,
        message=message,
        language=language,  # type: ignore[arg-type]
        qualification_score=score,
        now=NOW,
    )


async def test_offline_model_is_deterministic() -> None:
    model = OfflineModel()
    ctx = FirstMessageContext(LEAD, HOUSE, {"location": 30, "bedrooms": 15}, "en", NOW)
    drafts = {await model.compose_first_message(ctx) for _ in range(3)}
    assert len(drafts) == 1
    decisions = {await model.understand_and_reply(_reply("Can I see it Friday?")) for _ in range(3)}
    assert len(decisions) == 1


async def test_viewing_request_is_answered_with_slots_and_handed_off() -> None:
    decision = await OfflineModel().understand_and_reply(_reply("Can I see it Friday?"))
    assert decision.intent == Intent.VIEWING_REQUEST
    assert decision.language == "en"
    assert decision.qualification_score == 70
    assert len(decision.viewing_slots) == 3
    assert decision.hand_off
    assert decision.reply is not None and "the bungalow on Elm Street" in decision.reply


async def test_a_reply_in_another_language_is_answered_in_that_language() -> None:
    decision = await OfflineModel().understand_and_reply(_reply("¿Cuánto cuesta?", language="en"))
    assert decision.intent == Intent.PRICE_OR_OFFER
    assert decision.language == "es"
    assert decision.reply is not None
    assert decision.reply.startswith("El precio de Bungalow on Elm Street es $450,000 USD.")


async def test_thanks_gets_no_reply_and_no_is_a_close() -> None:
    thanks = await OfflineModel().understand_and_reply(_reply("Thanks! 👍"))
    assert (thanks.intent, thanks.reply, thanks.hand_off) == (Intent.ACKNOWLEDGEMENT, None, False)
    refusal = await OfflineModel().understand_and_reply(_reply("Not interested", score=90))
    assert refusal.intent == Intent.NOT_INTERESTED
    assert refusal.qualification_score == 10
    assert not refusal.hand_off


async def test_a_qualified_lead_is_handed_off() -> None:
    decision = await OfflineModel().understand_and_reply(_reply("I'm interested!", score=60))
    assert (decision.intent, decision.qualification_score) == (Intent.INTERESTED, 80)
    assert decision.hand_off


def test_build_model_without_a_key_is_offline() -> None:
    assert isinstance(build_model(None), OfflineModel)
    assert isinstance(build_model(""), OfflineModel)
    assert isinstance(build_model("sk-x", "http://127.0.0.1:9/v1"), LLMConversationModel)
