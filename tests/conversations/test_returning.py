"""After a "no": a lead who comes back is answered, one who bought elsewhere leaves the
campaigns (and the broker can put them back), one who turned down the area is offered the
broker's other listings and their choice opens a conversation there. Through the public API."""

from __future__ import annotations

from typing import Any

import pytest

from app.core.runtime import Runtime
from graphql_schema.relay import decode_id
from tests.conftest import Api
from tests.conversations.test_dialogues import (
    CONVERSATIONS,
    CREATE_LEAD,
    CREATE_PROPERTY,
    LEAD,
    RENTAL,
    SETTINGS,
    TASKS,
    TU_FORMS,
    _say,
    _start,
)
from tests.support.jobs import drain_jobs

pytestmark = pytest.mark.usefixtures("backend")

TU = {"agentName": "Jorge", "formality": "TU", "language": "es"}
USTED = {"agentName": "Jorge", "formality": "USTED", "language": "es"}
ENGLISH = {"agentName": "Jorge", "formality": "TU", "language": "en"}
ENGLISH_LEAD = {**LEAD, "name": "Ann Miller", "email": "ann@example.com", "language": "en"}
LEADS = "{ leads { edges { node { id status optedOut } } } }"
UPDATE_STATUS = """mutation($id: ID!, $s: LeadStatus!) { updateLeadStatus(id: $id, status: $s) {
  status } }"""


def _last(conversation: dict[str, Any]) -> dict[str, Any]:
    return dict(conversation["messages"][-1])


async def _lead(api: Api) -> dict[str, Any]:
    [edge] = (await api.ok(LEADS))["leads"]["edges"]
    return dict(edge["node"])


async def _conversations(api: Api, property_id: str) -> list[dict[str, Any]]:
    data = await api.ok(CONVERSATIONS, {"id": property_id})
    return [edge["node"] for edge in data["node"]["conversations"]["edges"]]


@pytest.mark.parametrize(
    ("brokerage", "lead", "no", "back", "welcome", "available"),
    [
        (
            TU,
            LEAD,
            "No me interesa",
            "Perdón, siempre sí me interesa, ¿sigue disponible? gracias",
            "Qué gusto saber de ti otra vez, Ana.",
            "Sí, sigue disponible.",
        ),
        (
            USTED,
            LEAD,
            "No me interesa, gracias",
            "Disculpe, siempre sí me interesa. ¿Sigue disponible?",
            "Qué gusto saber de usted otra vez, Ana.",
            "Sí, sigue disponible.",
        ),
        (
            ENGLISH,
            ENGLISH_LEAD,
            "Not interested",
            "Sorry, I am interested after all, is it still available?",
            "Great to hear from you again, Ann.",
            "Yes, it is still available.",
        ),
    ],
    ids=["tu", "usted", "en"],
)
async def test_a_lead_who_declined_and_writes_again_is_answered(
    api: Api,
    runtime: Runtime,
    brokerage: dict[str, str],
    lead: dict[str, Any],
    no: str,
    back: str,
    welcome: str,
    available: str,
) -> None:
    conversation_id = await _start(api, runtime, brokerage, lead)
    declined = await _say(api, conversation_id, no)
    assert declined["status"] == "CLOSED"

    returning = await _say(api, conversation_id, back)

    assert returning["status"] == "WAITING"
    answer = _last(returning)
    assert answer["direction"] == "OUTBOUND" and answer["channel"] == "SMS"
    assert answer["body"].startswith(welcome)
    assert available in answer["body"]
    first_name = welcome.rstrip(".").rsplit(" ", 1)[-1]
    assert answer["body"].count(first_name) == 1  # greeted by name once, not twice
    if brokerage is USTED:
        assert not TU_FORMS.search(answer["body"])
    # The reopened thread goes on like any other.
    then = await _say(api, conversation_id, "¿Cuántos baños tiene?")
    assert "2.5" in _last(then)["body"] and then["status"] == "WAITING"


async def test_an_opted_out_lead_who_writes_again_stays_stopped(api: Api, runtime: Runtime) -> None:
    conversation_id = await _start(api, runtime, TU, LEAD)
    await _say(api, conversation_id, "No me escribas más")

    again = await _say(api, conversation_id, "¿Sigue disponible?")

    assert again["status"] == "OPTED_OUT"
    assert _last(again)["direction"] == "INBOUND"  # recorded, never answered
    assert (await _lead(api))["optedOut"] is True


@pytest.mark.parametrize(
    ("brokerage", "lead", "bought"),
    [
        (TU, LEAD, "Ya rentamos otro depa, gracias"),
        (ENGLISH, ENGLISH_LEAD, "We already rented a place, thanks"),
    ],
    ids=["es", "en"],
)
async def test_a_lead_who_bought_elsewhere_leaves_campaigns_until_the_broker_undoes_it(
    api: Api, runtime: Runtime, brokerage: dict[str, str], lead: dict[str, Any], bought: str
) -> None:
    conversation_id = await _start(api, runtime, brokerage, lead)
    await _say(api, conversation_id, "¿Tiene alberca?")  # the broker's task to answer it
    assert (await api.ok(TASKS, {"status": "OPEN"}))["brokerTasks"]["edges"]

    done = await _say(api, conversation_id, bought)

    assert done["status"] == "CLOSED"
    assert (await _lead(api))["status"] == "BOUGHT_ELSEWHERE"
    assert (await api.ok(TASKS, {"status": "OPEN"}))["brokerTasks"]["edges"] == []
    # The next listing that would fit them does not reach them.
    other = await api.ok(CREATE_PROPERTY, {"i": {**RENTAL, "title": "Departamento II"}})
    other_id = other["createProperty"]["id"]
    await drain_jobs(runtime)
    assert await _conversations(api, other_id) == []

    # The broker puts them back: matched again, and the listing reaches them.
    lead_id = (await _lead(api))["id"]
    undone = await api.ok(UPDATE_STATUS, {"id": lead_id, "s": "ACTIVE"})
    assert undone["updateLeadStatus"]["status"] == "ACTIVE"
    await drain_jobs(runtime)
    [reached] = await _conversations(api, other_id)
    assert [m["direction"] for m in reached["messages"]] == ["OUTBOUND", "OUTBOUND"]


CONDESA = {**RENTAL, "title": "Departamento en Condesa", "location": "Condesa", "price": 30_000}
ROMA = {**RENTAL, "title": "Loft en Roma Norte", "location": "Roma Norte", "price": 45_000}
THREAD = "query($id: ID!) { node(id: $id) { ... on Conversation { threadId status } } }"


@pytest.mark.parametrize(
    ("brokerage", "lead", "not_here", "offered", "choice"),
    [
        (
            TU,
            LEAD,
            "No me gusta la zona, mejor algo en Roma Norte",
            "Entiendo, Ana, Departamento en Condesa no está en la zona que buscas. También"
            " tengo:\n1. Loft en Roma Norte, Roma Norte, Ciudad de México: 2"
            " recámaras, $45,000 MXN al mes\n¿Te interesa alguna?",
            "Me interesa el de Roma Norte",
        ),
        (
            ENGLISH,
            ENGLISH_LEAD,
            "Not this area, I want something in Roma Norte",
            "Understood, Ann, Departamento en Condesa isn't in the area you want. I also"
            " have:\n1. Loft en Roma Norte, Roma Norte, Ciudad de México: 2 bedrooms, $45,000"
            " MXN per month\nDoes one of them interest you?",
            "The first one",
        ),
    ],
    ids=["es", "en"],
)
async def test_not_this_area_offers_another_listing_and_the_choice_opens_its_conversation(
    api: Api,
    runtime: Runtime,
    brokerage: dict[str, str],
    lead: dict[str, Any],
    not_here: str,
    offered: str,
    choice: str,
) -> None:
    await api.sign_up(brokerage="Polanco Realty")
    await api.ok(SETTINGS, {"i": brokerage})
    await api.ok(CREATE_LEAD, {"i": {**lead, "locations": ["Condesa"]}})
    condesa = (await api.ok(CREATE_PROPERTY, {"i": CONDESA}))["createProperty"]["id"]
    roma = (await api.ok(CREATE_PROPERTY, {"i": ROMA}))["createProperty"]["id"]
    await drain_jobs(runtime)
    [first] = await _conversations(api, condesa)
    assert await _conversations(api, roma) == []  # over budget, not a place they wanted

    declined = await _say(api, first["id"], not_here)

    assert declined["status"] == "CLOSED"
    assert _last(declined)["body"].startswith(offered)

    chose = await _say(api, first["id"], choice)
    await drain_jobs(runtime)

    assert chose["status"] == "CLOSED"
    [opened] = await _conversations(api, roma)
    thread = (await api.ok(THREAD, {"id": opened["id"]}))["node"]
    lead_id = decode_id((await _lead(api))["id"], "Lead")
    assert thread["threadId"] == f"lead_{lead_id}_property_{decode_id(roma, 'Property')}"
    assert {m["channel"] for m in opened["messages"]} == {"EMAIL", "SMS"}
    assert all("Roma Norte" in m["body"] for m in opened["messages"])  # by kind and place
