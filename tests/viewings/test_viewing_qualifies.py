"""A confirmed viewing is one of the signals a broker qualifies a lead by (DESIGN.md): it counts
toward the score, and a lead it lifts above 75 is counted as qualified on the dashboard and gets
the broker's QUALIFIED task, as when a reply lifts it."""

from __future__ import annotations

from typing import Any

from app.core.runtime import Runtime
from tests.conftest import Api
from tests.viewings.test_viewings_api import _say, _setup

QUALIFIED = "{ crmSyncStats { aiActivity { leadsQualified } } }"
TASKS = "{ brokerTasks(first: 20) { edges { node { kind title summary lead { name } } } } }"
SCORE = "query($id: ID!) { node(id: $id) { ... on Conversation { qualificationScore } } }"


async def _score(api: Api, conversation_id: str) -> int:
    return int((await api.ok(SCORE, {"id": conversation_id}))["node"]["qualificationScore"])


async def _qualified(api: Api) -> int:
    return int((await api.ok(QUALIFIED))["crmSyncStats"]["aiActivity"]["leadsQualified"])


async def test_a_confirmed_viewing_counts_and_can_qualify_the_lead(
    api: Api, runtime: Runtime, sunday_noon: Any
) -> None:
    ana = (await _setup(api, runtime))["Ana Martínez"]

    # A viewing asked for with a timeline: interested, but not yet qualified.
    await _say(api, ana, "Hola, ¿la puedo ver esta semana? Queremos mudarnos este mes")
    asked = await _score(api, ana)
    assert 0 < asked <= 75
    assert await _qualified(api) == 0

    confirmed = await _say(api, ana, "El martes a las 13:00 me queda perfecto")

    assert confirmed["viewing"]["status"] == "CONFIRMED"
    assert await _score(api, ana) == min(100, asked + 30)
    assert await _qualified(api) == 1
    tasks = [e["node"] for e in (await api.ok(TASKS))["brokerTasks"]["edges"]]
    qualified = [t for t in tasks if t["kind"] == "QUALIFIED"]
    assert len(qualified) == 1, tasks
    assert "Ana Martínez" in qualified[0]["title"]
    assert "Ana Martínez" in qualified[0]["summary"]
    assert {t["kind"] for t in tasks} >= {"VIEWING", "QUALIFIED"}
    # Saying yes again does not count the viewing twice.
    await _say(api, ana, "Perfecto, ahí nos vemos")
    assert await _score(api, ana) == min(100, asked + 30)
