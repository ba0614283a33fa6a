"""Opt-outs through the public API: a stop in any wording ends everything at once, whatever
else the reply says; a channel stop removes that channel only."""

from __future__ import annotations

import pytest

from app.core.runtime import Runtime
from tests.conftest import Api
from tests.conversations.test_flow import RECEIVE, _conversation_of, _setup

pytestmark = pytest.mark.usefixtures("backend")

LEAD = '{ leads(search: "Ana") { edges { node { optedOut optedOutChannels temperature } } } }'


@pytest.mark.parametrize(
    "body",
    [
        "Ya compramos otra casa, gracias. Por favor ya no me escriban.",
        "Favor de no escribirme, ya rentamos",
        "¿Sigue disponible? Igual ya no me contacten",
        "We already bought, don't text or email me anymore",
    ],
)
async def test_a_stop_beside_anything_else_stops_everything_without_an_answer(
    api: Api, runtime: Runtime, body: str
) -> None:
    listing = await _setup(api, runtime)
    conversation_id = _conversation_of(listing, "Ana Martínez")

    data = await api.ok(
        RECEIVE, {"i": {"conversationId": conversation_id, "channel": "SMS", "body": body}}
    )

    conversation = data["receiveLeadMessage"]
    assert conversation["status"] == "OPTED_OUT"
    assert conversation["messages"][-1] == {
        "direction": "INBOUND",
        "channel": "SMS",
        "body": body,
        "intent": "OPT_OUT",
    }
    assert conversation["qualificationScore"] == 0
    # The CALL_HOT_LEAD task the match gave closed itself with the stop.
    assert (await api.ok("{ brokerTasks { totalCount } }"))["brokerTasks"]["totalCount"] == 0
    lead = (await api.ok(LEAD))["leads"]["edges"][0]["node"]
    assert (lead["optedOut"], lead["optedOutChannels"]) == (True, ["EMAIL", "SMS", "WHATSAPP"])


async def test_a_channel_stop_and_a_refusal_are_no_full_stop(api: Api, runtime: Runtime) -> None:
    listing = await _setup(api, runtime)
    conversation_id = _conversation_of(listing, "Ana Martínez")

    await api.ok(
        RECEIVE,
        {
            "i": {
                "conversationId": conversation_id,
                "channel": "SMS",
                "body": "no me escribas por SMS, mejor correo",
            }
        },
    )
    lead = (await api.ok(LEAD))["leads"]["edges"][0]["node"]
    assert (lead["optedOut"], lead["optedOutChannels"]) == (False, ["SMS"])
    data = await api.ok(
        RECEIVE,
        {"i": {"conversationId": conversation_id, "channel": "EMAIL", "body": "no me interesa"}},
    )
    assert data["receiveLeadMessage"]["status"] == "CLOSED"
    lead = (await api.ok(LEAD))["leads"]["edges"][0]["node"]
    assert (lead["optedOut"], lead["optedOutChannels"]) == (False, ["SMS"])


@pytest.mark.parametrize(
    "body", ["¿Es usted una persona o un bot?", "eres robot?", "are you a bot?"]
)
async def test_asked_if_it_is_a_bot_the_assistant_says_what_it_is_without_a_task(
    api: Api, runtime: Runtime, body: str
) -> None:
    listing = await _setup(api, runtime)
    conversation_id = _conversation_of(listing, "Ana Martínez")
    tasks = "{ brokerTasks { edges { node { kind } } } }"
    before = (await api.ok(tasks))["brokerTasks"]["edges"]

    data = await api.ok(
        RECEIVE, {"i": {"conversationId": conversation_id, "channel": "SMS", "body": body}}
    )

    answer = data["receiveLeadMessage"]["messages"][-1]
    assert answer["direction"] == "OUTBOUND" and answer["channel"] == "SMS"
    assert "asistente virtual" in answer["body"] or "virtual assistant" in answer["body"]
    assert "no tengo ese dato" not in answer["body"]
    assert (await api.ok(tasks))["brokerTasks"]["edges"] == before  # no QUESTION task
