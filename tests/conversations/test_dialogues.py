"""Scripted dialogues through the public API, as a broker would try them: facts quoted exactly
from the listing's fields, unanswerable questions turned into tasks whose answer reaches the
lead, the broker's voice (usted, tú, English; a name, not a signature block), qualification,
and first-message variants."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from sqlalchemy import select

from app.accounts.models import Brokerage
from app.activity.events import activity_channel
from app.core.runtime import Runtime
from tests.conftest import Api, error_codes
from tests.support.jobs import drain_jobs

pytestmark = pytest.mark.usefixtures("backend")

SETTINGS = """mutation($i: UpdateBrokerageInput!) { updateBrokerage(input: $i) {
  agentName formality language signature } }"""
CREATE_LEAD = "mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }"
CREATE_PROPERTY = "mutation($i: PropertyInput!) { createProperty(input: $i) { id } }"
CONVERSATIONS = """query($id: ID!) { node(id: $id) { ... on Property {
  conversations(first: 100) { edges { node { id variant lead { name }
    messages { direction channel body } } } } } } }"""
RECEIVE = """mutation($i: ReceiveLeadMessageInput!) { receiveLeadMessage(input: $i) {
  id status qualificationScore nextAction qualification { signal points }
  messages { direction channel body intent } } }"""
TASKS = """query($kind: TaskKind, $status: TaskStatus) {
  brokerTasks(kind: $kind, status: $status) { edges { node {
    id kind title summary status dueAt lead { name } property { title }
    conversation { id } } } } }"""
ANSWER = """mutation($id: ID!, $a: String!) { answerBrokerTask(id: $id, answer: $a) {
  status } }"""

SIGNATURE = "Jorge Ramírez · Asesor inmobiliario · Polanco Realty · 55 1234 5678"
RENTAL = {
    "title": "Departamento en Polanco",
    "location": "Polanco",
    "city": "Ciudad de México",
    "price": 38_000,
    "currency": "MXN",
    "bedrooms": 2,
    "bathrooms": 2.5,
    "operation": "RENT",
    # Numbers in the description are context, never facts: none of them may be quoted.
    "description": "Luminoso, 5 baños de lujo en el edificio y 3 cajones para visitas.",
    "parkingSpaces": 2,
    "builtAreaM2": 120.5,
    "amenities": ["gimnasio", "roof garden"],
    "petsAllowed": True,
    "maintenanceFee": 3_500,
    "deposit": 76_000,
    "listingUrl": "https://polancorealty.mx/p/123",
}
LEAD = {
    "name": "Ana Martínez",
    "email": "ana@example.com",
    "phone": "+52 55 1234 5678",
    "locations": ["Polanco"],
    "operation": "RENT",
    "rentMaxBudget": 40_000,
    "bedrooms": 2,
    "language": "es",
}
# Tú forms that must never appear in an usted message.
TU_FORMS = re.compile(
    r"\b(?:te|tú|tu|tus|ti|puedes|quieres|prefieres|buscas|buscabas|querías|preguntaste)\b",
    re.IGNORECASE,
)


async def _start(api: Api, runtime: Runtime, settings: dict[str, Any], lead: dict[str, Any]) -> str:
    await api.sign_up(brokerage="Polanco Realty")
    await api.ok(SETTINGS, {"i": settings})
    await api.ok(CREATE_LEAD, {"i": lead})
    listing = await api.ok(CREATE_PROPERTY, {"i": RENTAL})
    await drain_jobs(runtime)
    data = await api.ok(CONVERSATIONS, {"id": listing["createProperty"]["id"]})
    (edge,) = data["node"]["conversations"]["edges"]
    return str(edge["node"]["id"])


async def _say(api: Api, conversation_id: str, body: str, channel: str = "SMS") -> dict[str, Any]:
    data = await api.ok(
        RECEIVE, {"i": {"conversationId": conversation_id, "channel": channel, "body": body}}
    )
    return dict(data["receiveLeadMessage"])


def _last_answer(conversation: dict[str, Any]) -> str:
    return str(conversation["messages"][-1]["body"])


async def test_usted_dialogue_quotes_the_listing_and_keeps_its_promise(
    api: Api, runtime: Runtime
) -> None:
    conversation_id = await _start(
        api,
        runtime,
        {"agentName": "Jorge", "formality": "USTED", "signature": SIGNATURE, "language": "es"},
        LEAD,
    )

    baths = await _say(api, conversation_id, "¿Cuántos baños tiene?")
    assert _last_answer(baths) == "Tiene 2.5 baños. ¿Le gustaría verlo?"
    deposit = await _say(api, conversation_id, "¿Y de cuánto es el depósito?")
    assert "El depósito es de $76,000 MXN." in _last_answer(deposit)
    assert "38,000" not in _last_answer(deposit)  # the deposit, not the rent
    fees = await _say(api, conversation_id, "¿Cuánto se paga de mantenimiento?")
    assert "El mantenimiento es de $3,500 MXN al mes." in _last_answer(fees)
    pets = await _say(api, conversation_id, "¿Aceptan mascotas? Tengo un perro")
    assert "Sí, se aceptan mascotas." in _last_answer(pets)
    parking = await _say(api, conversation_id, "¿Tiene estacionamiento?")
    assert "Tiene 2 lugares de estacionamiento." in _last_answer(parking)
    size = await _say(api, conversation_id, "¿Cuántos metros tiene?")
    assert "Tiene 120.5 m² de construcción." in _last_answer(size)

    # Nothing on the listing says whether it has a pool: Jorge (who signs) will find out, and
    # a task says so.
    pool = await _say(api, conversation_id, "¿Tiene alberca?")
    assert (
        _last_answer(pool) == "Sobre la alberca no tengo el dato confirmado; lo reviso y le aviso."
    )
    tasks = (await api.ok(TASKS, {"kind": "QUESTION"}))["brokerTasks"]["edges"]
    (task,) = [edge["node"] for edge in tasks]
    assert task["title"] == "Ana Martínez pregunta sobre Departamento en Polanco: la alberca"
    assert task["status"] == "OPEN" and task["dueAt"] is not None
    assert task["lead"]["name"] == "Ana Martínez"
    assert task["property"]["title"] == "Departamento en Polanco"
    assert task["conversation"]["id"] == conversation_id
    assert pool["nextAction"] == "Responder la pregunta del lead"

    # A second unanswerable question updates the same open task: one per lead and kind.
    await _say(api, conversation_id, "¿Y tiene elevador?")
    tasks = (await api.ok(TASKS, {"kind": "QUESTION"}))["brokerTasks"]["edges"]
    assert len(tasks) == 1

    answered = await api.ok(ANSWER, {"id": task["id"], "a": "Sí tiene alberca techada y elevador."})
    assert answered["answerBrokerTask"]["status"] == "DONE"
    conversation = await api.ok(
        "query($id: ID!) { node(id: $id) { ... on Conversation { messages { direction channel"
        " body } } } }",
        {"id": conversation_id},
    )
    last = conversation["node"]["messages"][-1]
    assert (last["direction"], last["channel"], last["body"]) == (
        "OUTBOUND",
        "SMS",  # where the lead last wrote from
        "Sí tiene alberca techada y elevador.",
    )
    assert (await api.ok(TASKS, {"kind": "QUESTION"}))["brokerTasks"]["edges"] == []
    again = await api(ANSWER, {"id": task["id"], "a": "otra vez"})
    assert error_codes(again) == ["CONFLICT"]

    outbound = [m["body"] for m in conversation["node"]["messages"] if m["direction"] == "OUTBOUND"]
    agent_lines = outbound[:-1]  # the broker's own answer is theirs
    assert any("Responda BAJA" in body for body in agent_lines)  # the stop line in usted too
    for body in agent_lines:
        assert not TU_FORMS.search(body), body
        # The signature closes an e-mail; it never sits inside a sentence.
        text_before_signoff = body.split("\n\nSaludos,\n")[0].split("\n– ")[0]
        assert "Asesor inmobiliario" not in text_before_signoff, body
    from_description = re.compile(r"(?<![\d.])5 baños|3 cajones")
    assert not any(from_description.search(body) for body in agent_lines)


async def test_tu_dialogue_and_a_thanks_with_a_question_get_one_answer(
    api: Api, runtime: Runtime
) -> None:
    conversation_id = await _start(
        api, runtime, {"agentName": "Jorge", "formality": "TU", "language": "es"}, LEAD
    )
    reply = await _say(api, conversation_id, "Gracias! y cuantos baños tiene?")
    answers = [m for m in reply["messages"] if m["direction"] == "OUTBOUND"][2:]
    assert [m["body"] for m in answers] == ["Con gusto, Ana. Tiene 2.5 baños. ¿Te gustaría verlo?"]
    first = next(m for m in reply["messages"] if m["channel"] == "EMAIL")["body"]
    assert "Jorge" in first and "Polanco Realty" in first
    assert "https://polancorealty.mx/p/123" in first


async def test_english_dialogue_quotes_facts_and_tasks_follow_the_brokerage_language(
    api: Api, runtime: Runtime
) -> None:
    conversation_id = await _start(
        api,
        runtime,
        {"agentName": "Sarah", "language": "en"},
        {**LEAD, "name": "Bob Stone", "email": "bob@example.com", "language": "en"},
    )
    baths = await _say(api, conversation_id, "How many bathrooms does it have?", "EMAIL")
    # An e-mail answer is signed like every e-mail the lead got from Sarah.
    assert _last_answer(baths) == (
        "It has 2.5 bathrooms. Would you like to see it?\n\nBest,\nSarah\nPolanco Realty"
    )
    deposit = await _say(api, conversation_id, "What's the deposit?", "EMAIL")
    assert "The deposit is $76,000 MXN." in _last_answer(deposit)
    pets = await _say(api, conversation_id, "are pets ok? I have a cat", "EMAIL")
    assert "Yes, pets are allowed." in _last_answer(pets)
    furnished = await _say(api, conversation_id, "Is it furnished?", "EMAIL")
    assert _last_answer(furnished).startswith(
        "About whether it is furnished, let me check and get back to you.\n\nBest,\nSarah"
    )
    (task,) = [
        e["node"] for e in (await api.ok(TASKS, {"kind": "QUESTION"}))["brokerTasks"]["edges"]
    ]
    assert task["title"] == "Bob Stone asks about Departamento en Polanco: whether it is furnished"


async def test_spanish_brokerage_reads_its_tasks_in_spanish_whatever_the_lead_writes(
    api: Api, runtime: Runtime
) -> None:
    conversation_id = await _start(
        api,
        runtime,
        {"agentName": "Jorge", "language": "es"},
        {**LEAD, "language": "en"},
    )
    viewing = await _say(api, conversation_id, "Can I see it on Saturday?")
    assert viewing["nextAction"] == "Esperando que el lead elija un horario de visita"
    question = await _say(api, conversation_id, "Does it have a pool?")
    assert question["nextAction"] == "Responder la pregunta del lead"
    tasks = [e["node"] for e in (await api.ok(TASKS))["brokerTasks"]["edges"]]
    titles = {task["kind"]: task["title"] for task in tasks}
    assert titles["QUESTION"] == "Ana Martínez pregunta sobre Departamento en Polanco: la alberca"
    assert titles["CALL_HOT_LEAD"] == "Llamar hoy a Ana Martínez"


async def test_financing_a_timeline_and_a_viewing_qualify_the_lead(
    api: Api, runtime: Runtime
) -> None:
    conversation_id = await _start(api, runtime, {"agentName": "Jorge", "language": "es"}, LEAD)

    first = await _say(api, conversation_id, "Ya tengo mi crédito aprobado, quiero cerrar este mes")
    assert {s["signal"] for s in first["qualification"]} >= {"financing", "timeline"}
    async with runtime.session() as session:
        brokerage_id = await session.scalar(select(Brokerage.id))
    async with runtime.events.subscribe(activity_channel(brokerage_id)) as bus:
        reply = await _say(api, conversation_id, "¿La puedo ver el sábado?")
        types: list[str] = []
        for _ in range(40):  # events arrive through Redis pub/sub
            while not bus.empty():
                types.append(bus.get_nowait()["type"])
            if "LEAD_QUALIFIED" in types:
                break
            await asyncio.sleep(0.05)

    points = {s["signal"]: s["points"] for s in reply["qualification"]}
    assert points["financing"] == 30
    assert points["timeline"] == 25
    assert points["viewing_requested"] == 25
    assert reply["qualificationScore"] == min(100, sum(points.values()))
    assert reply["qualificationScore"] > 75
    (task,) = [
        e["node"] for e in (await api.ok(TASKS, {"kind": "QUALIFIED"}))["brokerTasks"]["edges"]
    ]
    assert task["title"] == "Lead calificado: Ana Martínez, para Departamento en Polanco"
    lines = task["summary"].split("\n")
    assert len(lines) == 2
    assert "crédito aprobado o pago de contado" in lines[0]
    assert lines[1] == "Departamento en Polanco ($38,000 MXN al mes). Llamar hoy."
    assert types.count("LEAD_QUALIFIED") == 1


async def test_a_refusal_cancels_the_leads_open_tasks(api: Api, runtime: Runtime) -> None:
    conversation_id = await _start(api, runtime, {"agentName": "Jorge", "language": "es"}, LEAD)
    await _say(api, conversation_id, "¿Tiene alberca?")
    await _say(api, conversation_id, "Ya no me interesa, gracias")
    tasks = [
        e["node"]
        for e in (await api.ok(TASKS, {"kind": "QUESTION", "status": "CANCELLED"}))["brokerTasks"][
            "edges"
        ]
    ]
    assert [task["status"] for task in tasks] == ["CANCELLED"]


async def test_first_messages_come_in_two_variants_with_reply_rates(
    api: Api, runtime: Runtime
) -> None:
    await api.sign_up(brokerage="Polanco Realty")
    await api.ok(SETTINGS, {"i": {"agentName": "Jorge", "formality": "USTED"}})
    for number in range(24):
        await api.ok(
            CREATE_LEAD,
            {
                "i": {
                    **LEAD,
                    "name": f"Lead {number}",
                    "email": f"l{number}@example.com",
                    "phone": None,
                }
            },
        )
    listing = await api.ok(CREATE_PROPERTY, {"i": RENTAL})
    await drain_jobs(runtime)
    data = await api.ok(CONVERSATIONS, {"id": listing["createProperty"]["id"]})
    conversations = [edge["node"] for edge in data["node"]["conversations"]["edges"]]
    by_variant: dict[str, list[dict[str, Any]]] = {}
    for conversation in conversations:
        by_variant.setdefault(conversation["variant"], []).append(conversation)
    assert set(by_variant) == {"a", "b"}
    bodies = {variant: items[0]["messages"][0]["body"] for variant, items in by_variant.items()}
    assert bodies["a"] != bodies["b"]
    assert all(not TU_FORMS.search(body) for body in bodies.values())

    replied = by_variant["a"][0]
    await _say(api, replied["id"], "Me interesa", "EMAIL")
    stats = await api.ok(
        "query($id: ID!) { node(id: $id) { ... on Property { stats { variants {"
        " variant sent replied replyRate } } } } }",
        {"id": listing["createProperty"]["id"]},
    )
    variants = {v["variant"]: v for v in stats["node"]["stats"]["variants"]}
    assert variants["a"]["sent"] == len(by_variant["a"])
    assert variants["a"]["replied"] == 1
    assert variants["a"]["replyRate"] == pytest.approx(1 / len(by_variant["a"]))
    assert (variants["b"]["sent"], variants["b"]["replied"]) == (len(by_variant["b"]), 0)


async def test_update_property_changes_only_the_fields_given(api: Api, runtime: Runtime) -> None:
    await api.sign_up()
    created = await api.ok(CREATE_PROPERTY, {"i": RENTAL})
    update = """mutation($id: ID!, $i: UpdatePropertyInput!) { updateProperty(id: $id, input: $i) {
      price description bathrooms deposit petsAllowed amenities listingUrl } }"""
    pid = created["createProperty"]["id"]
    priced = await api.ok(update, {"id": pid, "i": {"price": 36_000}})
    assert priced["updateProperty"] == {
        "price": 36_000,
        "description": RENTAL["description"],
        "bathrooms": 2.5,
        "deposit": 76_000,
        "petsAllowed": True,
        "amenities": ["gimnasio", "roof garden"],
        "listingUrl": "https://polancorealty.mx/p/123",
    }
    cleared = await api.ok(update, {"id": pid, "i": {"deposit": None, "petsAllowed": None}})
    assert (cleared["updateProperty"]["deposit"], cleared["updateProperty"]["petsAllowed"]) == (
        None,
        None,
    )
    assert cleared["updateProperty"]["price"] == 36_000
    refused = await api(update, {"id": pid, "i": {"price": None}})
    assert error_codes(refused) == ["BAD_USER_INPUT"]
