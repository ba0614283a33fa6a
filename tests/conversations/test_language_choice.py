"""A lead who asks for a language ("I prefer English", "en español por favor") is written in it
from then on, in every conversation, through the public API; the request itself gets a short
acknowledgement in the new language and no task for the broker."""

from __future__ import annotations

from typing import Any

from app.core.runtime import Runtime
from tests.conftest import Api
from tests.support.jobs import drain_jobs

SETTINGS = """mutation($i: UpdateBrokerageInput!) { updateBrokerage(input: $i) {
  agentName formality language } }"""
CREATE_LEAD = "mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }"
CREATE_PROPERTY = "mutation($i: PropertyInput!) { createProperty(input: $i) { id } }"
CONVERSATIONS = """{ conversations(first: 10) { edges { node { id property { title }
  messages { direction channel body } } } } }"""
RECEIVE = """mutation($i: ReceiveLeadMessageInput!) { receiveLeadMessage(input: $i) {
  id messages { direction channel body } } }"""
TASKS = "{ brokerTasks { edges { node { kind title } } } }"

LEAD = {
    "name": "Ana Martínez",
    "phone": "+52 55 1234 5678",
    "locations": ["Polanco"],
    "operation": "RENT",
    "rentMaxBudget": 40_000,
    "language": "es",
}


def listing(title: str) -> dict[str, Any]:
    return {
        "title": title,
        "location": "Polanco",
        "city": "Ciudad de México",
        "price": 38_000,
        "currency": "MXN",
        "bedrooms": 2,
        "bathrooms": 2.5,
        "operation": "RENT",
        "parkingSpaces": 2,
    }


async def _conversations(api: Api) -> dict[str, dict[str, Any]]:
    edges = (await api.ok(CONVERSATIONS))["conversations"]["edges"]
    return {e["node"]["property"]["title"]: e["node"] for e in edges}


async def _start(
    api: Api, runtime: Runtime, settings: dict[str, Any], lead: dict[str, Any]
) -> None:
    await api.sign_up(brokerage="Polanco Realty")
    await api.ok(SETTINGS, {"i": settings})
    await api.ok(CREATE_LEAD, {"i": lead})
    for title in ("Departamento en Polanco", "Loft en Polanco"):
        await api.ok(CREATE_PROPERTY, {"i": listing(title)})
    await drain_jobs(runtime)


async def _say(api: Api, conversation_id: str, body: str) -> str:
    data = await api.ok(
        RECEIVE, {"i": {"conversationId": conversation_id, "channel": "SMS", "body": body}}
    )
    last = data["receiveLeadMessage"]["messages"][-1]
    assert last["direction"] == "OUTBOUND", f"{body!r} got no answer"
    return str(last["body"])


async def test_a_lead_who_asks_for_english_is_written_in_english_everywhere_after(
    api: Api, runtime: Runtime
) -> None:
    await _start(api, runtime, {"agentName": "Jorge", "formality": "TU", "language": "es"}, LEAD)
    conversations = await _conversations(api)
    first = conversations["Departamento en Polanco"]["id"]
    other = conversations["Loft en Polanco"]["id"]

    assert await _say(api, first, "I prefer English") == (
        "Sure, I'll write to you in English from now on."
    )
    # Later replies in Spanish words are still answered in English, in every conversation.
    assert await _say(api, first, "ok, cuantos baños tiene?") == (
        "It has 2.5 bathrooms. Would you like to see it?"
    )
    assert "2 parking spaces" in await _say(api, other, "¿Tiene estacionamiento?")
    # A listing matched later starts in English too.
    await api.ok(CREATE_PROPERTY, {"i": listing("Casa en Polanco")})
    await drain_jobs(runtime)
    new = (await _conversations(api))["Casa en Polanco"]
    opening = [m["body"] for m in new["messages"] if m["direction"] == "OUTBOUND"]
    assert opening and opening[0].startswith("Hi Ana")
    # Asking back: Spanish from then on.
    assert await _say(api, first, "prefiero español") == (
        "Claro, a partir de ahora te escribo en español."
    )
    assert await _say(api, other, "how many bathrooms?") == ("Tiene 2.5 baños. ¿Te gustaría verlo?")
    # The requests were answered, not handed to the broker.
    tasks = (await api.ok(TASKS))["brokerTasks"]["edges"]
    assert [t["node"]["kind"] for t in tasks if t["node"]["kind"] != "CALL_HOT_LEAD"] == []


async def test_usted_and_english_leads_asking_for_the_other_language(
    api: Api, runtime: Runtime
) -> None:
    await _start(
        api,
        runtime,
        {"agentName": "Jorge", "formality": "USTED", "language": "es"},
        {**LEAD, "name": "Bob Stone", "language": "en"},
    )
    bob = (await _conversations(api))["Departamento en Polanco"]["id"]

    assert await _say(api, bob, "can you write in spanish") == (
        "Claro, a partir de ahora le escribo en español."
    )
    assert await _say(api, bob, "Great, how many bathrooms?") == (
        "Tiene 2.5 baños. ¿Le gustaría verlo?"
    )
    # The request beside a question: both answered, in the new language.
    answer = await _say(api, bob, "en inglés por favor, ¿cuántos baños tiene?")
    assert answer == (
        "Sure, I'll write to you in English from now on. It has 2.5 bathrooms. "
        "Would you like to see it?"
    )
