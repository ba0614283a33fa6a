"""One agent shows every listing of a new brokerage: a time they already have a viewing at
(with the travel buffer around it) is offered to no one else and confirmed for no one else,
whichever listing; two leads confirming the same time at once do not both get it."""

from __future__ import annotations

import asyncio
from typing import Any

from app.core.runtime import Runtime
from tests.conftest import Api, error_codes
from tests.support.jobs import drain_jobs
from tests.viewings.test_viewings_api import (
    CREATE_LEAD,
    CREATE_PROPERTY,
    RESCHEDULE,
    VIEWINGS,
    _say,
    at,
)

ROMA = {
    "title": "Depto en Roma Norte",
    "location": "Roma Norte",
    "city": "Ciudad de México",
    "price": 4_100_000,
    "currency": "MXN",
    "bedrooms": 2,
    "bathrooms": 1,
    "operation": "SALE",
    "description": "Con terraza.",
}
DEL_VALLE = {**ROMA, "title": "Casa en Del Valle", "location": "Del Valle", "bedrooms": 3}
LUCIA = {
    "name": "Lucía Pérez",
    "email": "lucia@example.com",
    "phone": "+52 55 2222 3333",
    "locations": ["Roma Norte"],
    "maxBudget": 5_000_000,
    "language": "es",
}
MARCO = {**LUCIA, "name": "Marco Ruiz", "email": "marco@example.com", "phone": "+52 55 4444 5555",
         "locations": ["Del Valle"]}  # fmt: skip


async def _two_listings(api: Api, runtime: Runtime) -> dict[str, str]:
    """A new broker on the default hours (weekdays 10:00-18:00, Saturday 10:00-14:00), alone
    on the brokerage, with two listings in two areas and a lead for each."""
    await api.sign_up()
    for lead in (LUCIA, MARCO):
        await api.ok(CREATE_LEAD, {"i": lead})
    for listing in (ROMA, DEL_VALLE):
        await api.ok(CREATE_PROPERTY, {"i": listing})
    await drain_jobs(runtime)
    query = (
        "{ conversations(first: 10) { edges { node { id lead { name } property { title } } } } }"
    )
    edges = (await api.ok(query))["conversations"]["edges"]
    found = {(e["node"]["lead"]["name"], e["node"]["property"]["title"]): e["node"]["id"]
             for e in edges}  # fmt: skip
    return {
        "Lucía Pérez": found["Lucía Pérez", ROMA["title"]],
        "Marco Ruiz": found["Marco Ruiz", DEL_VALLE["title"]],
    }


async def _confirmed(api: Api) -> list[str]:
    data = await api.ok(VIEWINGS, {"s": "CONFIRMED"})
    return sorted(e["node"]["startsAt"] for e in data["viewings"]["edges"])


async def test_the_agents_booked_time_is_not_offered_nor_confirmed_on_another_listing(
    api: Api, runtime: Runtime, sunday_noon: Any
) -> None:
    leads = await _two_listings(api, runtime)
    lucia, marco = leads["Lucía Pérez"], leads["Marco Ruiz"]
    await _say(api, lucia, "Hola, ¿la puedo ver el viernes?")
    booked = await _say(api, lucia, "el viernes a las 4")
    assert booked["viewing"]["startsAt"] == at(11, 16)

    # Friday 16:00-17:00 in Roma Norte: nothing from 15:00 to 17:30 in Del Valle (30 minutes
    # to get there either side).
    offered = await _say(api, marco, "¿La puedo ver el viernes?")
    friday = offered["viewing"]["offeredSlots"]
    assert friday and all(at(11, 10) <= slot <= at(11, 14, 30) for slot in friday)

    # Marco names the taken time: he is told, and offered the nearest free ones.
    taken = await _say(api, marco, "el viernes a las 4 puedo")
    assert taken["viewing"]["status"] == "PROPOSED"
    assert taken["viewing"]["offeredSlots"] == [at(11, 13, 30), at(11, 14, 30)]
    assert taken["messages"][-1]["body"] == (
        "Claro, Marco. El viernes 11 a las 16:00 ya está ocupado. Para ver Casa en Del Valle "
        "te propongo el viernes 11 de diciembre a las 13:30 o a las 14:30. ¿Cuál te queda mejor?"
    )
    assert await _confirmed(api) == [at(11, 16)]


async def test_a_lead_who_moves_their_viewing_cannot_take_the_agents_other_viewing(
    api: Api, runtime: Runtime, sunday_noon: Any
) -> None:
    leads = await _two_listings(api, runtime)
    lucia, marco = leads["Lucía Pérez"], leads["Marco Ruiz"]
    await _say(api, lucia, "¿La puedo ver el sábado?")
    await _say(api, lucia, "el sabado a las 10")
    await _say(api, marco, "¿La puedo ver el lunes?")
    await _say(api, marco, "el lunes a las 10")

    moved = await _say(api, marco, "mejor el sábado a las 10")

    assert moved["viewing"]["status"] == "PROPOSED"
    assert at(12, 10) not in moved["viewing"]["offeredSlots"]
    assert "El sábado 12 a las 10:00 ya está ocupado." in moved["messages"][-1]["body"]
    assert await _confirmed(api) == [at(12, 10)]


async def test_two_leads_confirming_the_same_time_at_once_do_not_both_get_it(
    backend: str, api: Api, runtime: Runtime, sunday_noon: Any
) -> None:
    leads = await _two_listings(api, runtime)
    for lead in leads.values():
        await _say(api, lead, "¿La puedo ver el viernes?")

    both = await asyncio.gather(*(_say(api, lead, "el viernes a las 4") for lead in leads.values()))

    assert sorted(c["viewing"]["status"] for c in both) == ["CONFIRMED", "PROPOSED"]
    assert await _confirmed(api) == [at(11, 16)]


async def test_the_broker_cannot_move_a_viewing_onto_the_agents_other_viewing(
    api: Api, runtime: Runtime, sunday_noon: Any
) -> None:
    leads = await _two_listings(api, runtime)
    lucia, marco = leads["Lucía Pérez"], leads["Marco Ruiz"]
    await _say(api, lucia, "¿La puedo ver el viernes?")
    await _say(api, lucia, "el viernes a las 4")
    await _say(api, marco, "¿La puedo ver el lunes?")
    booked = await _say(api, marco, "el lunes a las 10")
    viewing_id = booked["viewing"]["id"]

    # 17:00 in Del Valle is inside the 30 minutes after Roma Norte's 16:00-17:00.
    clash = await api(RESCHEDULE, {"id": viewing_id, "at": at(11, 17)})
    assert error_codes(clash) == ["CONFLICT"]
    moved = await api.ok(RESCHEDULE, {"id": viewing_id, "at": at(11, 14, 30)})
    assert moved["rescheduleViewing"]["startsAt"] == at(11, 14, 30)
    assert await _confirmed(api) == [at(11, 14, 30), at(11, 16)]
