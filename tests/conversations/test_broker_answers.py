"""The broker's answer to a lead's question, sent from its task: it reaches the lead as the rest
of the conversation did (an e-mail closes with the brokerage's signature, a text stays a text),
and the dashboard counts it as the broker's work, not the agent's."""

from __future__ import annotations

import pytest

from app.core.runtime import Runtime
from tests.conftest import Api
from tests.conversations.test_dialogues import ANSWER, LEAD, SIGNATURE, TASKS, _say, _start

pytestmark = pytest.mark.usefixtures("backend")

MESSAGES = """query($id: ID!) { node(id: $id) { ... on Conversation {
  messages { direction channel body } } } }"""
AI_SENT = "{ crmSyncStats { aiActivity { messagesSent } } }"


async def _answer(api: Api, conversation_id: str, channel: str) -> dict[str, str]:
    await _say(api, conversation_id, "¿Tiene alberca?", channel=channel)
    (task,) = [
        e["node"] for e in (await api.ok(TASKS, {"kind": "QUESTION"}))["brokerTasks"]["edges"]
    ]
    before = (await api.ok(AI_SENT))["crmSyncStats"]
    await api.ok(ANSWER, {"id": task["id"], "a": "Sí, tiene alberca techada."})
    after = (await api.ok(AI_SENT))["crmSyncStats"]
    assert after == before  # the broker wrote it: not the agent's work
    messages = (await api.ok(MESSAGES, {"id": conversation_id}))["node"]["messages"]
    return dict(messages[-1])


async def test_an_emailed_answer_is_signed_like_every_email_of_the_conversation(
    api: Api, runtime: Runtime
) -> None:
    settings = {
        "agentName": "Jorge",
        "formality": "USTED",
        "signature": SIGNATURE,
        "language": "es",
    }
    conversation_id = await _start(api, runtime, settings, LEAD)

    last = await _answer(api, conversation_id, "EMAIL")

    assert last["direction"] == "OUTBOUND" and last["channel"] == "EMAIL"
    assert last["body"].startswith("Sí, tiene alberca techada.")
    assert last["body"].endswith(f"Saludos,\n{SIGNATURE}")


async def test_a_texted_answer_stays_the_brokers_words(api: Api, runtime: Runtime) -> None:
    settings = {
        "agentName": "Jorge",
        "formality": "USTED",
        "signature": SIGNATURE,
        "language": "es",
    }
    conversation_id = await _start(api, runtime, settings, LEAD)

    last = await _answer(api, conversation_id, "SMS")

    assert (last["channel"], last["body"]) == ("SMS", "Sí, tiene alberca techada.")
