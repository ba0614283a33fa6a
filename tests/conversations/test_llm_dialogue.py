"""A brokerage with a chat model (OPENAI_API_KEY set, the loopback stand-in behind it), tried
through the public API: what the model invents never reaches the lead, what it gets right does,
and a question the listing cannot answer still becomes the broker's task."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_asyncio

from app.core.config import Settings
from app.core.runtime import Runtime
from tests.conftest import Api, make_settings, truncate_all

# The listing (2.5 bathrooms, a deposit, no pool) and the lead of the scripted dialogues.
from tests.conversations.test_dialogues import LEAD, TASKS, _say, _start
from tests.support.openai_standin import OpenAIStandin, running_standin

# What the stand-in "model" answers to each lead message (first messages get a draft).
SCRIPT: dict[str, dict[str, Any]] = {
    # An invented number: the bathrooms of the description, not the listing's 2.5.
    "¿Cuántos baños tiene?": {"intent": "PROPERTY_QUESTION", "reply": "Tiene 5 baños, Ana."},
    # An amenity the listing does not have.
    "¿Tiene alberca?": {"intent": "PROPERTY_QUESTION", "reply": "Sí, tiene alberca techada."},
    # Two acts, a pets question and an offer; the model answers with a discount nothing gives.
    "¿Aceptan mascotas? ¿Y aceptarían una oferta?": {
        "intent": "PRICE_OR_OFFER",
        "reply": "Claro, y le podemos hacer un 10% de descuento.",
    },
    # Right on every fact.
    "¿Y de cuánto es el depósito?": {
        "intent": "PROPERTY_QUESTION",
        "reply": "El depósito es de $76,000 MXN y la renta de $38,000 MXN al mes.",
    },
}


@pytest_asyncio.fixture
async def standin() -> AsyncIterator[tuple[OpenAIStandin, str]]:
    async with running_standin() as served:
        server, _ = served

        def answer(body: dict[str, Any]) -> dict[str, Any]:
            schema = body["response_format"]["json_schema"]["name"]
            if schema == "StructuredDraft":
                return {"subject": "Departamento en Polanco", "body": "Hola, Ana. Soy Jorge."}
            said = body["messages"][-1]["content"].rsplit("Lead's latest message:\n", 1)[1]
            return {"language": "es", **SCRIPT[said.strip()]}

        server.respond_with(answer)
        yield served


@pytest_asyncio.fixture
async def settings(
    tmp_path: Path, pg_url: str, redis_url: str, standin: tuple[OpenAIStandin, str]
) -> Settings:
    """The suite's PostgreSQL and Redis, with a chat model: the `runtime` and `api` built on
    these settings answer through it."""
    server, url = standin
    await truncate_all(pg_url)
    return make_settings(
        tmp_path,
        DATABASE_URL=pg_url,
        REDIS_URL=redis_url,
        OPENAI_API_KEY=server.api_key,
        OPENAI_BASE_URL=url,
    )


async def test_the_lead_gets_the_template_answer_never_the_invented_one(
    api: Api, runtime: Runtime, standin: tuple[OpenAIStandin, str]
) -> None:
    server, _ = standin
    conversation_id = await _start(
        api, runtime, {"agentName": "Jorge", "formality": "USTED", "language": "es"}, LEAD
    )

    baths = await _say(api, conversation_id, "¿Cuántos baños tiene?")
    assert baths["messages"][-1]["body"] == "Tiene 2.5 baños. ¿Le gustaría verlo?"
    assert "Bathrooms: 2.5 baños" in server.requests[-1].body["messages"][-1]["content"]

    pool = await _say(api, conversation_id, "¿Tiene alberca?")
    assert pool["messages"][-1]["body"] == (
        "Sobre la alberca no tengo el dato confirmado; lo reviso y le aviso."
    )
    tasks = (await api.ok(TASKS, {"kind": "QUESTION"}))["brokerTasks"]["edges"]
    assert [edge["node"]["title"] for edge in tasks] == [
        "Ana Martínez pregunta sobre Departamento en Polanco: la alberca"
    ]

    deposit = await _say(api, conversation_id, "¿Y de cuánto es el depósito?")
    assert deposit["messages"][-1]["body"] == (
        "El depósito es de $76,000 MXN y la renta de $38,000 MXN al mes."
    )
    sent = [m["body"] for m in deposit["messages"] if m["direction"] == "OUTBOUND"]
    invented = re.compile(r"(?<![\d.])5 baños|alberca techada")
    assert not any(invented.search(body) for body in sent)


async def test_a_refused_model_reply_falls_back_to_an_answer_to_every_act(
    api: Api, runtime: Runtime
) -> None:
    conversation_id = await _start(
        api, runtime, {"agentName": "Jorge", "formality": "USTED", "language": "es"}, LEAD
    )

    both = await _say(api, conversation_id, "¿Aceptan mascotas? ¿Y aceptarían una oferta?")

    # The pets question is answered from the listing, whether an offer is welcome goes to Jorge
    # (with a task), the invented discount never goes out: the offline path's multi-act answer.
    assert both["messages"][-1]["body"] == (
        "Sí, se aceptan mascotas. El precio del departamento en Polanco es $38,000 MXN al mes. Si"
        " es negociable lo decido yo: lo reviso y le respondo en breve."
    )
    tasks = (await api.ok(TASKS, {"status": "OPEN"}))["brokerTasks"]["edges"]
    assert "HANDOFF" in {edge["node"]["kind"] for edge in tasks}
