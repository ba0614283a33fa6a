"""The OpenAI-compatible model over real HTTP against the loopback stand-in (no patching)."""

from __future__ import annotations

import typing
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import openai
import pytest
from langchain_core.messages import HumanMessage
from langchain_openai import ChatOpenAI

from app.conversations.intents import Intent
from app.conversations.model import (
    FirstMessageContext,
    LeadFacts,
    LLMConversationModel,
    PropertyFacts,
    ReplyContext,
    build_model,
)
from integrations.llm.openai_model import OpenAIConversationModel
from integrations.llm.schema import IntentName, StructuredReply
from tests.support.openai_standin import OpenAIStandin, running_standin

LEAD = LeadFacts(name="Ana López", locations=("Polanco",), bedrooms=3)
FLAT = PropertyFacts(
    title="Departamento con terraza",
    location="Polanco",
    city="Ciudad de México",
    price=4_500_000,
    bedrooms=3,
    bathrooms=2,
)
NOW = datetime(2025, 5, 9, 15, 0, tzinfo=UTC)


@pytest.fixture
async def standin() -> AsyncIterator[tuple[OpenAIStandin, str]]:
    async with running_standin() as served:
        yield served


def _model(standin: OpenAIStandin, url: str, **options: typing.Any) -> LLMConversationModel:
    client = OpenAIConversationModel(
        api_key=options.pop("api_key", standin.api_key),
        base_url=url,
        model="gpt-4o-mini",
        timeout=5,
        max_retries=options.pop("max_retries", 2),
    )
    return LLMConversationModel(client, **options)


def _reply(message: str, score: int = 40) -> ReplyContext:
    return ReplyContext(LEAD, FLAT, message, "es", score, NOW)


def _prompt(standin: OpenAIStandin) -> str:
    return "\n".join(m["content"] for m in standin.requests[-1].body["messages"])


def test_intent_names_match_the_app_intents() -> None:
    assert set(typing.get_args(IntentName)) == {intent.value for intent in Intent}


async def test_a_reply_is_classified_and_answered_by_the_model(
    standin: tuple[OpenAIStandin, str],
) -> None:
    server, url = standin
    server.reply_next(
        {"intent": "VIEWING_REQUEST", "language": "es", "reply": "¡Claro, Ana! ¿El lunes?"}
    )
    decision = await _model(server, url).understand_and_reply(_reply("quiero ir a conocerla"))
    assert decision.intent == Intent.VIEWING_REQUEST
    assert decision.reply == "¡Claro, Ana! ¿El lunes?"
    assert decision.qualification_score == 70
    assert len(decision.viewing_slots) == 3
    assert decision.hand_off

    [request] = server.requests
    assert request.headers["authorization"] == f"Bearer {server.api_key}"
    assert request.body["model"] == "gpt-4o-mini"
    response_format = request.body["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["name"] == "StructuredReply"
    assert response_format["json_schema"]["strict"] is True
    prompt = _prompt(server)
    assert "quiero ir a conocerla" in prompt
    assert "$4,500,000 MXN" in prompt
    assert "- el lunes 12 de mayo a las 10:00" in prompt


async def test_a_server_error_is_retried(standin: tuple[OpenAIStandin, str]) -> None:
    server, url = standin
    server.fail_next(500)
    server.reply_next(
        {"intent": "PRICE_OR_OFFER", "language": "es", "reply": "Son $4,500,000 MXN."}
    )
    decision = await _model(server, url).understand_and_reply(_reply("¿precio?"))
    assert decision.intent == Intent.PRICE_OR_OFFER
    assert decision.reply == "Son $4,500,000 MXN."
    assert len(server.requests) == 2
    assert server.requests[1].headers["x-stainless-retry-count"] == "1"


async def test_a_rate_limit_waits_for_retry_after(standin: tuple[OpenAIStandin, str]) -> None:
    server, url = standin
    server.fail_next(429, retry_after="1")
    server.reply_next({"intent": "INTERESTED", "language": "es", "reply": "¡Qué gusto!"})
    decision = await _model(server, url).understand_and_reply(_reply("me late"))
    assert decision.intent == Intent.INTERESTED
    first, second = server.requests
    assert second.at - first.at >= 0.95


async def test_stop_is_a_stop_without_asking_the_model(standin: tuple[OpenAIStandin, str]) -> None:
    server, url = standin
    server.reply_next({"intent": "INTERESTED", "language": "es", "reply": "¡Genial!"})
    decision = await _model(server, url).understand_and_reply(_reply("STOP", score=80))
    assert decision.intent == Intent.OPT_OUT
    assert decision.reply == "Listo, no recibirás más mensajes nuestros."
    assert decision.qualification_score == 0
    assert server.requests == []


async def test_an_acknowledgement_is_never_answered(standin: tuple[OpenAIStandin, str]) -> None:
    server, url = standin
    server.reply_next({"intent": "ACKNOWLEDGEMENT", "language": "es", "reply": "¡De nada!"})
    decision = await _model(server, url).understand_and_reply(_reply("va, gracias"))
    assert (decision.intent, decision.reply) == (Intent.ACKNOWLEDGEMENT, None)


async def test_a_model_opt_out_gets_the_fixed_confirmation(
    standin: tuple[OpenAIStandin, str],
) -> None:
    server, url = standin
    server.reply_next({"intent": "OPT_OUT", "language": "en", "reply": "Sure thing, bye!"})
    decision = await _model(server, url).understand_and_reply(_reply("pls don't bother me again"))
    assert decision.intent == Intent.OPT_OUT
    assert decision.reply == "Done. You won't receive more messages from us."


async def test_an_unreachable_model_falls_back_to_the_rules(
    standin: tuple[OpenAIStandin, str],
) -> None:
    server, url = standin
    for _ in range(2):
        server.fail_next(503)
    decision = await _model(server, url, max_retries=1).understand_and_reply(
        _reply("¿Cuánto cuesta?")
    )
    assert len(server.requests) == 2
    assert decision.intent == Intent.PRICE_OR_OFFER
    assert decision.reply is not None
    assert decision.reply.startswith("El precio del departamento con terraza es $4,500,000 MXN.")


async def test_a_wrong_key_is_an_authentication_error(standin: tuple[OpenAIStandin, str]) -> None:
    server, url = standin
    model = _model(server, url, api_key="sk-wrong", fallback_on_error=False)
    with pytest.raises(openai.AuthenticationError):
        await model.understand_and_reply(_reply("me interesa"))
    assert server.requests[0].headers["authorization"] == "Bearer sk-wrong"


async def test_the_first_message_is_drafted_by_the_model(
    standin: tuple[OpenAIStandin, str],
) -> None:
    server, url = standin
    server.reply_next({"subject": "Un depa en Polanco", "body": "Hola, Ana. Tengo algo para ti."})
    model = build_model(server.api_key, url, "gpt-4o-mini")
    ctx = FirstMessageContext(LEAD, FLAT, {"location": 30, "price": 0, "bedrooms": 15}, "es", NOW)
    draft = await model.compose_first_message(ctx)
    assert (draft.subject, draft.body) == ("Un depa en Polanco", "Hola, Ana. Tengo algo para ti.")
    body = server.requests[0].body
    assert body["response_format"]["json_schema"]["name"] == "StructuredDraft"
    prompt = _prompt(server)
    assert "Write in Spanish" in prompt
    assert "it is in an area they were looking in" in prompt
    assert "it has the number of bedrooms they wanted" in prompt
    assert "within their budget" not in prompt


async def test_the_standin_also_speaks_forced_tool_calls(
    standin: tuple[OpenAIStandin, str],
) -> None:
    server, url = standin
    server.reply_next({"intent": "OTHER", "language": "en", "reply": "Who is asking?"})
    chat = ChatOpenAI(model="gpt-4o-mini", api_key=server.api_key, base_url=url, max_retries=0)  # type: ignore[arg-type]
    reader = chat.with_structured_output(StructuredReply, method="function_calling")
    result = await reader.ainvoke([HumanMessage("who is this?")])
    assert result == StructuredReply(intent="OTHER", language="en", reply="Who is asking?")
    body = server.requests[0].body
    assert body["tool_choice"]["function"]["name"] == "StructuredReply"
    assert [tool["function"]["name"] for tool in body["tools"]] == ["StructuredReply"]
