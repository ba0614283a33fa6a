"""A lead who writes about their own data: a new address or number is saved and used from then
on, a referral becomes a lead of its own that nobody writes to without consent (or the broker's
task asks for the details), a new search is saved and the broker's other listings that fit it
are offered, the conversation open. Through the public API, in Spanish (tú, usted) and English.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.core.runtime import Runtime
from tests.conftest import Api
from tests.conversations.test_dialogues import (
    CREATE_PROPERTY,
    LEAD,
    RENTAL,
    TASKS,
    TU_FORMS,
    _say,
    _start,
)
from tests.conversations.test_returning import (
    ENGLISH,
    ENGLISH_LEAD,
    TU,
    USTED,
    _conversations,
    _last,
)
from tests.support.jobs import drain_jobs

pytestmark = pytest.mark.usefixtures("backend")

LEADS = """{ leads(first: 10) { edges { node { id name email phone source status notes
  preferences { locations bedrooms operation maxBudget rentMaxBudget currency }
  history(first: 10) { edges { node { source field before after } } } } } } }"""
US = {**ENGLISH, "defaultRegion": "US"}
US_LEAD = {**ENGLISH_LEAD, "phone": "+1 305 555 0100"}


async def _leads(api: Api) -> dict[str, dict[str, Any]]:
    data = await api.ok(LEADS)
    return {edge["node"]["name"]: edge["node"] for edge in data["leads"]["edges"]}


def _changes(lead: dict[str, Any]) -> set[tuple[str, str, str | None, str | None]]:
    return {
        (c["source"], c["field"], c["before"], c["after"])
        for c in (e["node"] for e in lead["history"]["edges"])
    }


async def _messages_to(runtime: Runtime, address: str) -> list[str]:
    """What the outbox sent (or queued) to this address."""
    from sqlalchemy import select

    from app.messaging.models import Message

    async with runtime.session() as session:
        rows = (
            await session.execute(select(Message.body).where(Message.to_address == address))
        ).scalars()
        return list(rows)


@pytest.mark.parametrize(
    ("brokerage", "lead", "said", "channel", "field", "before", "after", "answer"),
    [
        (
            TU,
            LEAD,
            "mejor escríbeme a juan.p@gmail.com",
            "SMS",
            "email",
            "ana@example.com",
            "juan.p@gmail.com",
            "Listo, Ana, guardé tu correo juan.p@gmail.com; te escribo ahí de ahora en adelante.",
        ),
        (
            USTED,
            LEAD,
            "mi nuevo cel es 55 8888 7777",
            "SMS",
            "phone",
            "+525512345678",
            "+525588887777",
            "Listo, Ana, guardé su número +525588887777; le escribo ahí de ahora en adelante.",
        ),
        (
            US,
            US_LEAD,
            "text me at (305) 555-0101 instead",
            "EMAIL",
            "phone",
            "+13055550100",
            "+13055550101",
            "Got it, Ann, I saved your number +13055550101 and will write to you there from now"
            " on.",
        ),
    ],
    ids=["tu-email", "usted-phone", "en-phone"],
)
async def test_new_contact_data_is_saved_acknowledged_and_used(
    api: Api,
    runtime: Runtime,
    brokerage: dict[str, str],
    lead: dict[str, Any],
    said: str,
    channel: str,
    field: str,
    before: str,
    after: str,
    answer: str,
) -> None:
    conversation_id = await _start(api, runtime, brokerage, lead)

    answered = await _say(api, conversation_id, said, channel)

    assert answered["status"] == "WAITING"  # the conversation goes on
    # (the first text to a new number carries the stop line below)
    assert _last(answered)["body"].split("\n")[0] == answer
    if brokerage is USTED:
        assert not TU_FORMS.search(_last(answered)["body"])
    [saved] = (await _leads(api)).values()
    assert saved[field] == after
    assert ("AI", field, before, after) in _changes(saved)
    tasks = (await api.ok(TASKS, {"status": "OPEN"}))["brokerTasks"]["edges"]
    assert [t["node"]["kind"] for t in tasks if t["node"]["kind"] != "CALL_HOT_LEAD"] == []
    # From then on: the answer and what follows go to the new address.
    await _say(
        api, conversation_id, "¿Tiene estacionamiento?", "EMAIL" if field == "email" else "SMS"
    )
    await drain_jobs(runtime)
    assert len(await _messages_to(runtime, after)) >= 2


@pytest.mark.parametrize(
    ("brokerage", "lead", "said", "answer"),
    [
        (
            TU,
            LEAD,
            "mi nuevo cel es 55 1234",
            "Creo que al número le faltan dígitos; ¿me lo compartes completo, con lada?",
        ),
        (
            ENGLISH,
            ENGLISH_LEAD,
            "please email me at ann.miller@gmail instead",
            "I think that email address is missing something; could you send it again?",
        ),
    ],
    ids=["es-phone", "en-email"],
)
async def test_contact_data_that_is_not_valid_gets_a_polite_ask_and_nothing_changes(
    api: Api,
    runtime: Runtime,
    brokerage: dict[str, str],
    lead: dict[str, Any],
    said: str,
    answer: str,
) -> None:
    conversation_id = await _start(api, runtime, brokerage, lead)

    answered = await _say(api, conversation_id, said)

    assert answered["status"] == "WAITING"
    assert _last(answered)["body"] == answer
    [kept] = (await _leads(api)).values()
    assert (kept["email"], kept["phone"]) == (lead["email"], "+525512345678")
    assert _changes(kept) == set()


@pytest.mark.parametrize(
    ("brokerage", "lead", "said", "referred", "answer", "title"),
    [
        (
            TU,
            LEAD,
            "mi cuñado también busca casa, su cel es 55 8765 4321, se llama Pedro",
            {"name": "Pedro", "phone": "+525587654321", "email": None},
            "¡Gracias por recomendarnos, Ana! Le paso los datos de Pedro a Jorge; nadie le"
            " escribirá sin su permiso.",
            "Ana Martínez recomienda a Pedro: pedir su permiso antes de escribirle",
        ),
        (
            ENGLISH,
            ENGLISH_LEAD,
            "my sister is looking too, her email is kate.miller@example.com",
            {"name": "", "phone": None, "email": "kate.miller@example.com"},
            "Thanks for the referral, Ann! I'll pass their details on to Jorge; nobody will"
            " message them without their permission.",
            # A Spanish brokerage reads its tasks in Spanish.
            "Ann Miller recomienda a alguien: pedir su permiso antes de escribirle",
        ),
    ],
    ids=["es", "en"],
)
async def test_a_referral_becomes_a_lead_nobody_writes_to_without_consent(
    api: Api,
    runtime: Runtime,
    brokerage: dict[str, str],
    lead: dict[str, Any],
    said: str,
    referred: dict[str, Any],
    answer: str,
    title: str,
) -> None:
    conversation_id = await _start(api, runtime, {**brokerage, "language": "es"}, lead)

    answered = await _say(api, conversation_id, said)
    await drain_jobs(runtime)
    # A new listing that would match them both does not reach the referred person.
    await api.ok(CREATE_PROPERTY, {"i": {**RENTAL, "title": "Depa en Polanco II"}})
    await drain_jobs(runtime)

    assert answered["status"] == "WAITING"
    assert _last(answered)["body"] == answer
    leads = await _leads(api)
    [new] = [row for name, row in leads.items() if name != lead["name"]]
    assert {k: new[k] for k in ("name", "phone", "email")} == referred
    assert (new["source"], new["status"]) == ("REFERRAL", "REFERRED")
    assert lead["name"] in new["notes"] and said in new["notes"]
    for address in (referred["phone"], referred["email"]):
        if address:
            assert await _messages_to(runtime, address) == []
    [task] = [
        e["node"] for e in (await api.ok(TASKS, {"kind": "REFERRAL"}))["brokerTasks"]["edges"]
    ]
    assert (task["title"], task["status"]) == (title, "OPEN")
    assert "confirme que está de acuerdo" in task["summary"]


async def test_a_referral_without_a_way_to_reach_them_is_a_task_asking_for_it(
    api: Api, runtime: Runtime
) -> None:
    conversation_id = await _start(api, runtime, TU, LEAD)

    answered = await _say(api, conversation_id, "mi hermana también anda buscando depa por aquí")

    assert answered["status"] == "WAITING"
    assert _last(answered)["body"] == (
        "¡Gracias por recomendarnos, Ana! Se lo comento a Jorge. Si quieres, compárteme el"
        " celular o el correo de esa persona para que Jorge le llame."
    )
    assert list(await _leads(api)) == [LEAD["name"]]
    [task] = [
        e["node"] for e in (await api.ok(TASKS, {"kind": "REFERRAL"}))["brokerTasks"]["edges"]
    ]
    assert task["title"] == ("Ana Martínez recomienda a alguien que también busca: pedir sus datos")


COYOACAN = {
    "title": "Casa en Coyoacán",
    "location": "Coyoacán",
    "city": "Ciudad de México",
    "price": 4_800_000,
    "currency": "MXN",
    "bedrooms": 3,
    "operation": "SALE",
}
BIG_COYOACAN = {**COYOACAN, "title": "Casa grande en Coyoacán", "price": 9_000_000}
SMALL_RENTAL = {**RENTAL, "title": "Depa en Roma Norte", "location": "Roma Norte", "bedrooms": 2,
                "price": 2_800, "currency": "USD"}  # fmt: skip


@pytest.mark.parametrize(
    ("brokerage", "lead", "said", "preferences", "answer"),
    [
        (
            TU,
            LEAD,
            "ahora busco 3 recámaras en Coyoacán hasta 5 millones",
            {
                "locations": ["Coyoacán"],
                "bedrooms": 3,
                "operation": "BUY",
                "maxBudget": 5_000_000,
                "rentMaxBudget": 40_000,
                "currency": "MXN",
            },
            "Anotado, Ana: ahora buscas 3 recámaras en Coyoacán hasta $5,000,000 MXN. Tengo estas"
            " opciones:\n1. Casa en Coyoacán, Coyoacán, Ciudad de México: 3 recámaras,"
            " $4,800,000 MXN\n¿Te interesa alguna? Dime cuál y te cuento más.",
        ),
        (
            US,
            US_LEAD,
            "actually we need a 2 bed, under 3k a month",
            {
                "locations": ["Polanco"],
                "bedrooms": 2,
                "operation": "RENT",
                "maxBudget": None,
                "rentMaxBudget": 3_000,
                "currency": "USD",
            },
            "Noted, Ann: you're now looking for 2 bedrooms up to $3,000 USD a month. I have"
            " these options:\n1. Depa en Roma Norte, Roma Norte, Ciudad de México: 2 bedrooms,"
            " $2,800 USD per month\nDoes one of them interest you? Tell me which and I'll tell"
            " you more.",
        ),
    ],
    ids=["es", "en"],
)
async def test_new_criteria_are_saved_and_fitting_listings_offered_the_conversation_open(
    api: Api,
    runtime: Runtime,
    brokerage: dict[str, str],
    lead: dict[str, Any],
    said: str,
    preferences: dict[str, Any],
    answer: str,
) -> None:
    conversation_id = await _start(api, runtime, brokerage, lead)
    listings = {}
    for listing in (COYOACAN, BIG_COYOACAN, SMALL_RENTAL):
        created = await api.ok(CREATE_PROPERTY, {"i": listing})
        listings[listing["title"]] = created["createProperty"]["id"]
    await drain_jobs(runtime)

    answered = await _say(api, conversation_id, said)

    assert answered["status"] == "WAITING"  # not a "no": the conversation stays open
    assert _last(answered)["body"] == answer
    [saved] = (await _leads(api)).values()
    assert saved["preferences"] == preferences
    changed = "operation" if brokerage is TU else "rent_max_budget"
    assert ("AI", changed) in {(s, f) for s, f, _, _ in _changes(saved)}

    chose = await _say(api, conversation_id, "la 1")
    await drain_jobs(runtime)

    chosen = "Casa en Coyoacán" if brokerage is TU else "Depa en Roma Norte"
    assert chose["status"] == "WAITING"
    [opened] = await _conversations(api, listings[chosen])
    assert opened["messages"], opened
    assert await _conversations(api, listings["Casa grande en Coyoacán"]) == []


async def test_a_question_beside_new_contact_data_gets_both_in_one_message(
    api: Api, runtime: Runtime
) -> None:
    conversation_id = await _start(api, runtime, TU, LEAD)

    answered = await _say(api, conversation_id, "mi nuevo cel es 55 8888 7777. ¿Aceptan mascotas?")

    body = _last(answered)["body"]
    assert body.startswith(
        "Listo, Ana, guardé tu número +525588887777; te escribo ahí de ahora en adelante."
    )
    assert "mascotas" in body
    assert [m["direction"] for m in answered["messages"]].count("OUTBOUND") == 3  # first x2 + 1
