"""A lead who asks whether the price is negotiable, or whether offers are taken, is told the
truth (the broker decides and will answer; nothing about flexibility is invented) and the
broker gets a task that says what to answer, in the brokerage's language."""

from __future__ import annotations

from typing import Any

import pytest

from app.core.runtime import Runtime
from tests.conftest import Api
from tests.support.jobs import drain_jobs

SETTINGS = """mutation($i: UpdateBrokerageInput!) { updateBrokerage(input: $i) {
  agentName formality language } }"""
CREATE_LEAD = "mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }"
CREATE_PROPERTY = "mutation($i: PropertyInput!) { createProperty(input: $i) { id } }"
CONVERSATIONS = "{ conversations(first: 10) { edges { node { id } } } }"
RECEIVE = """mutation($i: ReceiveLeadMessageInput!) { receiveLeadMessage(input: $i) {
  id nextAction messages { direction channel body } } }"""
TASKS = """{ brokerTasks(status: OPEN) { edges { node { kind title summary
  conversation { id } } } } }"""

LISTING = {
    "title": "Departamento en Polanco",
    "location": "Polanco",
    "city": "Ciudad de México",
    "price": 5_200_000,
    "currency": "MXN",
    "bedrooms": 3,
    "bathrooms": 2,
    "operation": "SALE",
}


async def _ask(
    api: Api, runtime: Runtime, settings: dict[str, Any], lead: dict[str, Any], said: str
) -> tuple[str, list[dict[str, Any]]]:
    await api.sign_up(brokerage="Polanco Realty")
    await api.ok(SETTINGS, {"i": settings})
    await api.ok(CREATE_LEAD, {"i": lead})
    await api.ok(CREATE_PROPERTY, {"i": LISTING})
    await drain_jobs(runtime)
    (edge,) = (await api.ok(CONVERSATIONS))["conversations"]["edges"]
    data = await api.ok(
        RECEIVE, {"i": {"conversationId": edge["node"]["id"], "channel": "SMS", "body": said}}
    )
    answer = data["receiveLeadMessage"]["messages"][-1]
    assert answer["direction"] == "OUTBOUND"
    tasks = [e["node"] for e in (await api.ok(TASKS))["brokerTasks"]["edges"]]
    return str(answer["body"]), tasks


ANA = {
    "name": "Ana Martínez",
    "phone": "+52 55 1234 5678",
    "locations": ["Polanco"],
    "maxBudget": 6_000_000,
    "language": "es",
}


@pytest.mark.parametrize("said", ["se puede negociar?", "aceptan ofertas?"])
async def test_a_spanish_lead_asking_to_negotiate(api: Api, runtime: Runtime, said: str) -> None:
    answer, tasks = await _ask(
        api, runtime, {"agentName": "Jorge", "formality": "TU", "language": "es"}, ANA, said
    )
    # The price, and who decides: no flexibility promised, no "las ofertas y las formas de pago".
    assert answer == (
        "El precio del departamento en Polanco es $5,200,000 MXN. Si es negociable lo decido yo:"
        " lo reviso y te respondo en breve."
    )
    assert [(t["kind"], t["title"]) for t in tasks if t["kind"] != "CALL_HOT_LEAD"] == [
        (
            "HANDOFF",
            "Responder a Ana Martínez si el precio de Departamento en Polanco es negociable",
        )
    ]


async def test_an_english_lead_asking_if_the_price_is_negotiable(
    api: Api, runtime: Runtime
) -> None:
    answer, tasks = await _ask(
        api,
        runtime,
        {"agentName": "Sarah", "language": "en"},
        {**ANA, "name": "Bob Stone", "language": "en"},
        "is the price negotiable?",
    )
    # One promise, one task: not also "I don't have that detail at hand" and a QUESTION task.
    assert answer == (
        "The apartment in Polanco is listed at $5,200,000 MXN. Whether the price is negotiable"
        " is my call: I'll look into it and get back to you shortly."
    )
    assert [(t["kind"], t["title"]) for t in tasks if t["kind"] != "CALL_HOT_LEAD"] == [
        ("HANDOFF", "Tell Bob Stone whether the price of Departamento en Polanco is negotiable")
    ]


async def test_a_usted_lead_is_told_the_agent_decides(api: Api, runtime: Runtime) -> None:
    answer, tasks = await _ask(
        api,
        runtime,
        {"formality": "USTED", "language": "es"},
        ANA,
        "¿El precio es negociable?",
    )
    assert answer.startswith("El precio del departamento en Polanco es $5,200,000 MXN. Si es ")
    assert "le responde en breve" in answer or "le respondo en breve" in answer
    assert [(t["kind"], t["title"]) for t in tasks if t["kind"] != "CALL_HOT_LEAD"] == [
        (
            "HANDOFF",
            "Responder a Ana Martínez si el precio de Departamento en Polanco es negociable",
        )
    ]
