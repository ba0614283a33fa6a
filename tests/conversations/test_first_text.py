"""The first text to a number through the public API: its own short template within two
segments, the stop line in the lead's language, and no stop line on later texts."""

from __future__ import annotations

from typing import Any

from app.core.runtime import Runtime
from tests.conftest import Api
from tests.support.jobs import drain_jobs

CREATE_LEAD = "mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }"
CREATE_PROPERTY = "mutation($i: PropertyInput!) { createProperty(input: $i) { id } }"
CONVERSATIONS = """{ conversations(first: 10) { edges { node { id lead { name } property { title }
  messages { direction channel body segments } } } } }"""
RECEIVE = """mutation($i: ReceiveLeadMessageInput!) { receiveLeadMessage(input: $i) {
  messages { direction channel body segments } } }"""

LISTING = {
    "title": "Departamento en Polanco",
    "location": "Polanco",
    "city": "Ciudad de México",
    "price": 5_200_000,
    "currency": "MXN",
    "bedrooms": 3,
    "bathrooms": 2.5,
    "operation": "SALE",
    "description": "Luminoso, con balcón y dos estacionamientos.",
}


async def _texts(api: Api) -> dict[tuple[str, str], list[dict[str, Any]]]:
    edges = (await api.ok(CONVERSATIONS))["conversations"]["edges"]
    return {
        (e["node"]["lead"]["name"], e["node"]["property"]["title"]): [
            m for m in e["node"]["messages"] if m["channel"] == "SMS"
        ]
        for e in edges
    }


async def test_a_first_text_is_short_and_says_how_to_stop_once(api: Api, runtime: Runtime) -> None:
    await api.sign_up()
    for lead in (
        {"name": "Ana Martínez", "phone": "+52 55 1234 5678", "locations": ["Polanco"]},
        {"name": "Bob Stone", "phone": "+1 305 555 0100", "locations": ["Polanco"],
         "language": "en"},
    ):  # fmt: skip
        await api.ok(CREATE_LEAD, {"i": {**lead, "maxBudget": 6_000_000, "bedrooms": 3}})
    await api.ok(CREATE_PROPERTY, {"i": LISTING})
    await drain_jobs(runtime)

    texts = await _texts(api)
    [ana] = texts[("Ana Martínez", "Departamento en Polanco")]
    [bob] = texts[("Bob Stone", "Departamento en Polanco")]
    assert ana["body"].startswith("Hola, Ana. Soy Ana, de Casa Ana. Departamento en Polanco:")
    assert ana["body"].endswith("\nResponde BAJA para no recibir más mensajes")
    assert bob["body"].startswith(
        "Hi Bob, this is Ana from Casa Ana. An apartment in Polanco: 3 bedrooms"
    )
    assert bob["body"].endswith("\nReply STOP to opt out")
    assert ana["segments"] == 2 and bob["segments"] == 1
    assert "\n\n" not in ana["body"] and "Saludos" not in ana["body"]  # not the e-mail cut down

    # A later text in the conversation, and the first one about another listing, go without it.
    conversation_id = next(
        e["node"]["id"]
        for e in (await api.ok(CONVERSATIONS))["conversations"]["edges"]
        if e["node"]["lead"]["name"] == "Ana Martínez"
    )
    answered = await api.ok(
        RECEIVE,
        {"i": {"conversationId": conversation_id, "channel": "SMS", "body": "¿Cuántos baños?"}},
    )
    answer = answered["receiveLeadMessage"]["messages"][-1]
    assert answer["direction"] == "OUTBOUND" and answer["channel"] == "SMS"
    assert "BAJA" not in answer["body"]

    await api.ok(CREATE_PROPERTY, {"i": {**LISTING, "title": "Casa en Polanco"}})
    await drain_jobs(runtime)
    [second] = (await _texts(api))[("Ana Martínez", "Casa en Polanco")]
    assert second["body"].startswith("Hola, Ana. Soy Ana, de Casa Ana. Casa en Polanco:")
    assert "BAJA" not in second["body"]
