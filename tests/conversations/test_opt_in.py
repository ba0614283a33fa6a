"""A lead who stopped our messages and writes "ALTA", "START" or "ya puedes escribirme" in the
conversation gets them back on the channel they wrote on, with one short line saying so; a
conversation that had ended is not reopened by it, only by a question. Through the public API."""

from __future__ import annotations

from typing import Any

import pytest

from app.core.runtime import Runtime
from tests.conftest import Api
from tests.conversations.test_dialogues import LEAD, _say, _start
from tests.conversations.test_returning import ENGLISH, ENGLISH_LEAD, TU, USTED, _last, _lead

pytestmark = pytest.mark.usefixtures("backend")

LEAD_CHANNELS = "{ leads { edges { node { optedOut optedOutChannels } } } }"


async def _stopped(api: Api) -> tuple[bool, list[str]]:
    [edge] = (await api.ok(LEAD_CHANNELS))["leads"]["edges"]
    return edge["node"]["optedOut"], sorted(edge["node"]["optedOutChannels"])


@pytest.mark.parametrize(
    ("brokerage", "lead", "stop", "back", "confirmed"),
    [
        (
            TU,
            LEAD,
            "BAJA",
            "ALTA",
            "Listo, Ana, vuelves a recibir nuestros mensajes por aquí.\nResponde BAJA para no recibir"
            " más mensajes",
        ),
        (
            USTED,
            LEAD,
            "BAJA",
            "Ya me pueden escribir",
            "Listo, Ana, vuelve a recibir nuestros mensajes por aquí.\nResponda BAJA para no"
            " recibir más mensajes",
        ),
        (
            ENGLISH,
            ENGLISH_LEAD,
            "STOP",
            "START",
            "Done, Ann, you'll get our messages here again.\nReply STOP to opt out",
        ),
    ],
    ids=["tu", "usted", "en"],
)
async def test_a_lead_who_stopped_everything_gets_texts_back_with_one_line(
    api: Api,
    runtime: Runtime,
    brokerage: dict[str, str],
    lead: dict[str, Any],
    stop: str,
    back: str,
    confirmed: str,
) -> None:
    conversation_id = await _start(api, runtime, brokerage, lead)
    stopped = await _say(api, conversation_id, stop)
    assert await _stopped(api) == (True, ["EMAIL", "SMS", "WHATSAPP"])  # a keyword: everything

    again = await _say(api, conversation_id, back)

    # Texts come back (the channel they wrote on); e-mail stays stopped until asked for.
    assert await _stopped(api) == (False, ["EMAIL"])
    answer = _last(again)
    assert (answer["direction"], answer["channel"], answer["body"]) == (
        "OUTBOUND",
        "SMS",
        confirmed,
    )
    assert len(again["messages"]) == len(stopped["messages"]) + 2  # the "ALTA" and one line
    # Ended by the stop, and not reopened by the opt-in alone (a question reopens it).
    assert (stopped["status"], again["status"]) == ("OPTED_OUT", "CLOSED")


async def test_an_ended_conversation_is_not_reopened_by_an_opt_in_but_by_a_question(
    api: Api, runtime: Runtime
) -> None:
    conversation_id = await _start(api, runtime, TU, LEAD)
    await _say(api, conversation_id, "No me interesa")
    ended = await _say(api, conversation_id, "Y ya no me escribas más")
    assert ended["status"] == "OPTED_OUT" and (await _lead(api))["optedOut"] is True

    back = await _say(api, conversation_id, "ya puedes escribirme")

    # Texts come back (the channel they wrote on), e-mail stays stopped; declined stays declined.
    assert await _stopped(api) == (False, ["EMAIL"])
    assert back["status"] == "CLOSED"
    assert _last(back)["body"].startswith(
        "Listo, Ana, vuelves a recibir nuestros mensajes por aquí."
    )
    assert _last(back)["channel"] == "SMS"

    asked = await _say(api, conversation_id, "Oye, ¿cuántos baños tiene?")

    assert asked["status"] == "WAITING"
    assert "2.5 baños" in _last(asked)["body"] and _last(asked)["channel"] == "SMS"


async def test_an_opt_in_with_a_question_is_confirmed_and_answered(
    api: Api, runtime: Runtime
) -> None:
    conversation_id = await _start(api, runtime, TU, LEAD)
    await _say(api, conversation_id, "No me escribas más")

    back = await _say(api, conversation_id, "Ya me pueden escribir otra vez, ¿cuántos baños tiene?")

    bodies = [m["body"] for m in back["messages"] if m["direction"] == "OUTBOUND"][-2:]
    assert bodies[0].startswith("Listo, Ana, vuelves a recibir nuestros mensajes por aquí.")
    assert "2.5 baños" in bodies[1]
    assert back["status"] == "WAITING"
