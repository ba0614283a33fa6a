"""The hours a lead says they can come are kept: slots are offered inside them; when the
brokerage shows no listing then, the lead is told so plainly and the broker's task asks them to
propose a time (QA, a new broker on the default hours: weekdays 10:00-18:00, Saturday
10:00-14:00)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from app.core.runtime import Runtime
from tests.conftest import Api
from tests.viewings.test_agent_calendar import _two_listings
from tests.viewings.test_viewings_api import _say, at

MX = ZoneInfo("America/Mexico_City")
HOURS_ES = "de lunes a viernes de 10:00 a 18:00 y el sábado de 10:00 a 14:00"


def _unsigned(body: str) -> str:
    """A message's words without the e-mail's sign-off and signature (e-mails always carry
    them; texts never do)."""
    for closing in ("\n\nSaludos,\n", "\n\nBest,\n"):
        body = body.split(closing)[0]
    return body


async def test_a_lead_who_can_come_only_after_hours_is_told_and_the_broker_proposes(
    api: Api, runtime: Runtime, sunday_noon: Any
) -> None:
    lucia = (await _two_listings(api, runtime))["Lucía Pérez"]
    offered = await _say(api, lucia, "Hola, ¿la puedo ver esta semana?")
    slots = offered["viewing"]["offeredSlots"]

    late = await _say(api, lucia, "solo puedo despues de las 7pm")

    assert _unsigned(late["messages"][-1]["body"]) == (
        f"Gracias, Lucía. En ese horario no tengo visitas: son {HOURS_ES}. Busco un horario "
        "que te quede y te escribo en breve."
    )
    assert late["status"] == "HANDED_OFF"
    assert late["nextAction"] == "Proponer al lead un horario de visita"
    [task] = [t for t in late["tasks"] if t["kind"] == "VIEWING"]
    assert task["title"] == "Proponer a Lucía Pérez un horario para ver Depto en Roma Norte"
    assert "«solo puedo despues de las 7pm»" in task["summary"]
    assert late["viewing"]["offeredSlots"] == slots  # what was offered still stands

    # Nothing suits and nothing is named: not the same offer again, the broker's task stays.
    again = await _say(api, lucia, "ninguno me queda, no hay chance?")
    said = again["messages"][-1]["body"]
    assert said == (
        "Entiendo, Lucía. ¿Qué día y a qué hora te queda bien? Mientras, busco un horario que "
        "proponerte y te escribo en breve."
    )
    [task] = [t for t in again["tasks"] if t["kind"] == "VIEWING"]
    assert not task["done"]
    assert "«ninguno me queda, no hay chance?»" in task["summary"]


async def test_a_day_and_part_of_the_day_are_offered_inside_what_the_lead_said(
    api: Api, runtime: Runtime, sunday_noon: Any
) -> None:
    lucia = (await _two_listings(api, runtime))["Lucía Pérez"]
    await _say(api, lucia, "Hola, ¿la puedo ver?")

    # Thursday afternoon with no hour: three slots then.
    thursday = await _say(api, lucia, "jueves en la tarde")
    assert thursday["viewing"]["offeredSlots"] == [at(10, 12), at(10, 15), at(10, 17)]
    said = thursday["messages"][-1]["body"]
    assert "el jueves 10 de diciembre a las 12:00, a las 15:00 o a las 17:00" in said

    # An hour named on the day ("como a las 5", QA: "like 6:30") is the lead's time: booked
    # at once when it is free (tests/viewings/test_booked_and_asked_times.py).
    booked = await _say(api, lucia, "el jueves en la tarde como a las 5")
    assert booked["viewing"]["status"] == "CONFIRMED"
    assert booked["viewing"]["startsAt"] == at(10, 17)


async def test_an_english_lead_who_can_come_only_on_weekday_evenings_is_told_so(
    api: Api, runtime: Runtime, sunday_noon: Any
) -> None:
    marco = (await _two_listings(api, runtime))["Marco Ruiz"]
    await _say(api, marco, "Hi, can I see it this week?", "EMAIL")

    evening = await _say(api, marco, "weekday evening after 6 please", "EMAIL")

    assert _unsigned(evening["messages"][-1]["body"]) == (
        "Thanks, Marco. I have no viewings at that time: they are Monday to Friday from 10:00 "
        "AM to 6:00 PM and Saturday from 10:00 AM to 2:00 PM. I'll look for a time that works "
        "for you and write to you shortly."
    )
    assert [t["title"] for t in evening["tasks"] if t["kind"] == "VIEWING"] == [
        "Proponer a Marco Ruiz un horario para ver Casa en Del Valle"
    ]


async def test_the_first_request_keeps_the_lead_hours_too(
    api: Api, runtime: Runtime, sunday_noon: Any
) -> None:
    leads = await _two_listings(api, runtime)

    thursday = await _say(
        api, leads["Lucía Pérez"], "Hola! la puedo ver el jueves en la tarde como a las 5?"
    )
    late = await _say(api, leads["Marco Ruiz"], "Me gustaria verla, solo puedo despues de las 7pm")

    # A free day and hour named in the first request is booked at once.
    assert thursday["viewing"]["status"] == "CONFIRMED"
    assert thursday["viewing"]["startsAt"] == at(10, 17)
    assert late["viewing"] is None
    assert _unsigned(late["messages"][-1]["body"]) == (
        f"Gracias, Marco. En ese horario no tengo visitas: son {HOURS_ES}. Busco un horario "
        "que te quede y te escribo en breve."
    )
    assert late["status"] == "HANDED_OFF"
    assert [t["title"] for t in late["tasks"] if t["kind"] == "VIEWING"] == [
        "Proponer a Marco Ruiz un horario para ver Casa en Del Valle"
    ]


async def test_the_lead_hours_are_kept_when_they_ask_for_another_day(
    api: Api, runtime: Runtime, sunday_noon: Any
) -> None:
    """Before, "¿y el jueves?" after "solo puedo después de las 4" was offered Thursday
    morning: the hours were read from the last message only."""
    lucia = (await _two_listings(api, runtime))["Lucía Pérez"]
    offered = await _say(api, lucia, "Hola, ¿la puedo ver esta semana? solo puedo después de las 4")
    assert offered["viewing"]["offeredSlots"]
    assert all(
        datetime.fromisoformat(slot).astimezone(MX).hour >= 16
        for slot in offered["viewing"]["offeredSlots"]
    )

    thursday = await _say(api, lucia, "¿y el jueves?")

    assert thursday["viewing"]["offeredSlots"] == [at(10, 16), at(10, 16, 30), at(10, 17)]
    said = thursday["messages"][-1]["body"]
    assert "el jueves 10 de diciembre a las 16:00, a las 16:30 o a las 17:00" in said
