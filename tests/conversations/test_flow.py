"""The product's core loop through the public API: leads, a listing, matches, conversations,
replies answered in their own thread, hand-off, opt-out."""

from __future__ import annotations

from typing import Any

import pytest

from app.core.runtime import Runtime
from tests.conftest import Api, error_codes
from tests.support.jobs import drain_jobs

pytestmark = pytest.mark.usefixtures("backend")

CREATE_LEAD = (
    """mutation($i: CreateLeadInput!) { createLead(input: $i) { id name phone temperature } }"""
)
CREATE_PROPERTY = """mutation($i: PropertyInput!) { createProperty(input: $i) { id title } }"""
MATCHES = """query($id: ID!) { node(id: $id) { ... on Property {
  matches(first: 10) { totalCount edges { node { score tier breakdown { location price bedrooms recency quality } lead { name } } } }
  conversations(first: 10) { edges { node { id threadId status channels lead { name }
    messages { direction channel body status intent } } } }
  stats { totalConversations waiting qualified }
} } }"""
RECEIVE = """mutation($i: ReceiveLeadMessageInput!) { receiveLeadMessage(input: $i) {
  id status qualificationScore nextAction tasks { kind title summary }
  messages { direction channel body intent } } }"""

ANA = {
    "name": "Ana Martínez",
    "email": "ana@example.com",
    "phone": "+52 55 1234 5678",
    "locations": ["Polanco"],
    "minBudget": 4_000_000,
    "maxBudget": 6_000_000,
    "bedrooms": 3,
    "language": "es",
}
BOB = {
    "name": "Bob Stone",
    "email": "bob@example.com",
    "maxBudget": 9_000_000,
    "language": "en",
}
RENTER = {
    "name": "Rita Renta",
    "email": "rita@example.com",
    "locations": ["Polanco"],
    "operation": "RENT",
    "maxBudget": 6_000_000,
}
LISTING = {
    "title": "Departamento en Polanco",
    "location": "polanco",
    "city": "Ciudad de México",
    "price": 5_200_000,
    "currency": "MXN",
    "bedrooms": 3,
    "bathrooms": 2,
    "operation": "SALE",
    "description": "Luminoso, con balcón y dos estacionamientos. Se aceptan mascotas.",
}


async def _setup(api: Api, runtime: Runtime) -> dict[str, Any]:
    await api.sign_up()
    for lead in (ANA, BOB, RENTER):
        await api.ok(CREATE_LEAD, {"i": lead})
    listing = await api.ok(CREATE_PROPERTY, {"i": LISTING})
    await drain_jobs(runtime)
    data = await api.ok(MATCHES, {"id": listing["createProperty"]["id"]})
    return data["node"]


def _conversation_of(listing: dict[str, Any], name: str) -> str:
    return next(
        e["node"]["id"]
        for e in listing["conversations"]["edges"]
        if e["node"]["lead"]["name"] == name
    )


async def test_a_new_listing_matches_and_reaches_only_fitting_leads(
    api: Api, runtime: Runtime
) -> None:
    listing = await _setup(api, runtime)

    matches = listing["matches"]
    assert matches["totalCount"] == 2  # Rita only rents: skipped for a sale
    match, bob = (edge["node"] for edge in matches["edges"])
    assert match["lead"]["name"] == "Ana Martínez"
    # Fresh lead (contact today): 30 location + 25 price + 15 bedrooms + 20 recency.
    assert match["breakdown"] == {
        "location": 30.0,
        "price": 25.0,
        "bedrooms": 15.0,
        "recency": 20.0,
        "quality": 0.0,
    }
    assert match["score"] == 90.0
    assert match["tier"] == "HOT"
    # Bob named no place: his budget is the reason (price and recency), a LOW match reached
    # by email alone.
    assert (bob["lead"]["name"], bob["score"], bob["tier"]) == ("Bob Stone", 45.0, "LOW")

    by_lead = {e["node"]["lead"]["name"]: e["node"] for e in listing["conversations"]["edges"]}
    assert set(by_lead) == {"Ana Martínez", "Bob Stone"}
    assert by_lead["Bob Stone"]["channels"] == ["EMAIL"]
    conversation = by_lead["Ana Martínez"]
    assert conversation["status"] == "WAITING"
    assert conversation["channels"] == ["EMAIL", "SMS"]
    assert conversation["threadId"].startswith("lead_") and conversation["threadId"].endswith(
        "_property_1"
    )
    outbound = conversation["messages"]
    assert [m["channel"] for m in outbound] == ["EMAIL", "SMS"]
    assert all(m["direction"] == "OUTBOUND" and m["intent"] is None for m in outbound)
    assert "Polanco" in outbound[0]["body"] and "Ana" in outbound[0]["body"]
    assert listing["stats"] == {"totalConversations": 2, "waiting": 2, "qualified": 0}


async def test_a_viewing_request_is_answered_in_its_thread_with_slots_on_the_day_asked(
    api: Api, runtime: Runtime
) -> None:
    listing = await _setup(api, runtime)
    conversation_id = _conversation_of(listing, "Ana Martínez")

    data = await api.ok(
        RECEIVE,
        {
            "i": {
                "conversationId": conversation_id,
                "channel": "SMS",
                "body": "¡Me encanta! ¿La puedo ver el sábado?",
            }
        },
    )
    conversation = data["receiveLeadMessage"]

    assert conversation["status"] == "WAITING"  # for the lead to choose a time
    inbound = [m for m in conversation["messages"] if m["direction"] == "INBOUND"]
    assert [m["intent"] for m in inbound] == ["VIEWING_REQUEST"]
    answers = conversation["messages"][3:]
    assert [m["channel"] for m in answers] == ["SMS"]  # answered where the lead wrote
    assert all(m["direction"] == "OUTBOUND" for m in answers)
    assert "te propongo el sábado" in answers[0]["body"]
    # The broker's viewing task comes with a confirmed time (tests/viewings).
    assert {t["kind"] for t in conversation["tasks"]} == {"CALL_HOT_LEAD"}


async def test_a_thanks_gets_no_answer_and_stop_by_text_stops_everything(
    api: Api, runtime: Runtime
) -> None:
    listing = await _setup(api, runtime)
    conversation_id = _conversation_of(listing, "Ana Martínez")

    thanks = await api.ok(
        RECEIVE, {"i": {"conversationId": conversation_id, "channel": "SMS", "body": "Gracias 👍"}}
    )
    messages = thanks["receiveLeadMessage"]["messages"]
    assert len(messages) == 3 and messages[-1]["intent"] == "ACKNOWLEDGEMENT"

    # STOP stops everything (CONVERSATION.md section 5), e-mail too, with no answer.
    stop = await api.ok(
        RECEIVE, {"i": {"conversationId": conversation_id, "channel": "SMS", "body": "STOP"}}
    )
    assert stop["receiveLeadMessage"]["status"] == "OPTED_OUT"
    assert stop["receiveLeadMessage"]["messages"][-1]["intent"] == "OPT_OUT"
    assert len(stop["receiveLeadMessage"]["messages"]) == 4  # no answer to a bare STOP
    lead = '{ leads(search: "Ana") { edges { node { optedOut optedOutChannels } } } }'
    everything = (await api.ok(lead))["leads"]["edges"][0]["node"]
    assert everything == {"optedOut": True, "optedOutChannels": ["EMAIL", "SMS", "WHATSAPP"]}

    alone = await api.ok(
        RECEIVE,
        {"i": {"conversationId": conversation_id, "channel": "EMAIL", "body": "Leave me alone"}},
    )
    assert alone["receiveLeadMessage"]["status"] == "OPTED_OUT"


async def test_an_empty_reply_is_bad_input(api: Api, runtime: Runtime) -> None:
    listing = await _setup(api, runtime)
    conversation_id = listing["conversations"]["edges"][0]["node"]["id"]
    body = await api(
        RECEIVE, {"i": {"conversationId": conversation_id, "channel": "SMS", "body": "  "}}
    )
    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_search_finds_a_phone_however_it_is_written_and_wildcards_are_literal(
    api: Api,
) -> None:
    await api.sign_up()
    await api.ok(CREATE_LEAD, {"i": ANA})
    await api.ok(CREATE_LEAD, {"i": BOB})
    for text, names in (("55 1234 5678", ["Ana Martínez"]), ("%", []), ("bob", ["Bob Stone"])):
        data = await api.ok(
            "query($s: String) { leads(search: $s) { edges { node { name } } } }", {"s": text}
        )
        assert [e["node"]["name"] for e in data["leads"]["edges"]] == names, text


async def test_create_lead_refuses_nonsense(api: Api) -> None:
    await api.sign_up()
    body = await api(
        CREATE_LEAD, {"i": {**BOB, "minBudget": -5, "bedrooms": -2, "language": "klingon"}}
    )
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert "negative" in body["errors"][0]["message"] and "language" in body["errors"][0]["message"]


async def test_a_new_listing_reaches_leads_whose_notes_name_its_neighbourhood(
    api: Api, runtime: Runtime
) -> None:
    await api.sign_up()
    await api.ok(
        CREATE_LEAD,
        {
            "i": {
                "name": "Pedro",
                "email": "pedro@example.com",
                "notes": "Busca compra en polanco, 3 recámaras",
                "maxBudget": 6_000_000,
                "bedrooms": 3,
            }
        },
    )
    listing = await api.ok(CREATE_PROPERTY, {"i": LISTING})
    await drain_jobs(runtime)
    data = await api.ok(MATCHES, {"id": listing["createProperty"]["id"]})
    (match,) = [e["node"] for e in data["node"]["matches"]["edges"]]
    assert match["breakdown"]["location"] == 30.0
    lead = await api.ok(
        '{ leads(search: "Pedro") { edges { node { preferences { locations } } } } }'
    )
    assert lead["leads"]["edges"][0]["node"]["preferences"]["locations"] == ["polanco"]


async def test_the_broker_sees_whom_to_call_today_and_ticks_tasks_off(
    api: Api, runtime: Runtime
) -> None:
    await _setup(api, runtime)
    tasks = await api.ok(
        "{ brokerTasks { totalCount edges { node { id kind title summary done } } } }"
    )
    (task,) = [e["node"] for e in tasks["brokerTasks"]["edges"]]
    assert (task["kind"], task["title"], task["done"]) == (
        "CALL_HOT_LEAD",
        "Llamar hoy a Ana Martínez",
        False,
    )
    assert "Ana Martínez" in task["summary"] and "90 puntos" in task["summary"]

    await api.ok("mutation($id: ID!) { completeBrokerTask(id: $id) { done } }", {"id": task["id"]})
    assert (await api.ok("{ brokerTasks { totalCount } }"))["brokerTasks"]["totalCount"] == 0
    assert (await api.ok("{ brokerTasks(done: true) { totalCount } }"))["brokerTasks"][
        "totalCount"
    ] == 1
