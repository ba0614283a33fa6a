"""What a reply says, all of it, through the public API: a channel-scoped opt-out stops that
channel and the question beside it is answered on the channel left; STOP by text stops texts;
"no me escribas más" stops everything; several acts get one message answering each."""

from __future__ import annotations

from typing import Any

import pytest

from app.core.runtime import Runtime
from tests.conftest import Api
from tests.conversations.test_dialogues import (
    CONVERSATIONS,
    CREATE_PROPERTY,
    LEAD,
    RENTAL,
    TASKS,
    TU_FORMS,
    _say,
    _start,
)
from tests.support.jobs import drain_jobs

pytestmark = pytest.mark.usefixtures("backend")

LEAD_STATE = "{ leads { edges { node { optedOut optedOutChannels } } } }"
TU = {"agentName": "Jorge", "formality": "TU", "language": "es"}
USTED = {"agentName": "Jorge", "formality": "USTED", "language": "es"}
ENGLISH = {"agentName": "Jorge", "formality": "TU", "language": "en"}
ENGLISH_LEAD = {**LEAD, "name": "Ann Miller", "email": "ann@example.com", "language": "en"}


def _answers(conversation: dict[str, Any], after: int) -> list[dict[str, Any]]:
    return [m for m in conversation["messages"][after:] if m["direction"] == "OUTBOUND"]


@pytest.mark.parametrize(
    ("brokerage", "lead", "said", "stopped", "pets", "here"),
    [
        (
            TU,
            LEAD,
            "¿acepta mascotas? Y ya no me mandes SMS por favor, mejor correo",
            "Listo, ya no te mando SMS.",
            "Sí, se aceptan mascotas.",
            "Seguimos por correo.",
        ),
        (
            USTED,
            LEAD,
            "¿Aceptan mascotas? Ya no me mande SMS, mejor por correo",
            "Listo, ya no le envío SMS.",
            "Sí, se aceptan mascotas.",
            "Seguimos por correo.",
        ),
        (
            ENGLISH,
            ENGLISH_LEAD,
            "Do you allow pets? No more texts please, email me instead",
            "Done, no more texts.",
            "pets",
            "I'll keep to email.",
        ),
    ],
    ids=["tu", "usted", "en"],
)
async def test_no_sms_email_me_stops_sms_only_and_the_question_is_answered_by_email(
    api: Api,
    runtime: Runtime,
    brokerage: dict[str, str],
    lead: dict[str, Any],
    said: str,
    stopped: str,
    pets: str,
    here: str,
) -> None:
    conversation_id = await _start(api, runtime, brokerage, lead)

    before = len((await _say(api, conversation_id, "Gracias"))["messages"])
    conversation = await _say(api, conversation_id, said)

    assert conversation["status"] == "WAITING"  # the conversation goes on, by e-mail
    assert conversation["messages"][before]["intent"] == "OPT_OUT"
    [answer] = _answers(conversation, before)
    assert answer["channel"] == "EMAIL"
    assert answer["body"].startswith(f"{stopped} {here}")
    assert pets in answer["body"]
    if brokerage is USTED:
        assert not TU_FORMS.search(answer["body"])
    state = (await api.ok(LEAD_STATE))["leads"]["edges"][0]["node"]
    assert state == {"optedOut": False, "optedOutChannels": ["SMS"]}

    # Later answers never go by SMS, even to a text.
    later = await _say(api, conversation_id, "¿Cuántos baños tiene?", channel="SMS")
    [baths] = _answers(later, len(conversation["messages"]))
    assert baths["channel"] == "EMAIL" and "2.5" in baths["body"]


@pytest.mark.parametrize("keyword", ["BAJA", "stop", "Cancelar.", "ALTO!", "unsubscribe"])
async def test_a_stop_keyword_stops_everything_and_the_lead_is_not_reached_again(
    api: Api, runtime: Runtime, keyword: str
) -> None:
    conversation_id = await _start(api, runtime, TU, LEAD)

    stop = await _say(api, conversation_id, keyword)

    assert stop["status"] == "OPTED_OUT"
    assert stop["messages"][-1] == {
        "direction": "INBOUND",
        "channel": "SMS",
        "body": keyword,
        "intent": "OPT_OUT",
    }
    state = (await api.ok(LEAD_STATE))["leads"]["edges"][0]["node"]
    assert state == {"optedOut": True, "optedOutChannels": ["EMAIL", "SMS", "WHATSAPP"]}
    open_tasks = await api.ok(TASKS, {"status": "OPEN"})
    assert open_tasks["brokerTasks"]["edges"] == []  # tasks closed by themselves
    # The next listing reaches the lead on no channel, and gives the broker no call task.
    other = await api.ok(CREATE_PROPERTY, {"i": {**RENTAL, "title": "Depa en Polanco II"}})
    await drain_jobs(runtime)
    listing = await api.ok(CONVERSATIONS, {"id": other["createProperty"]["id"]})
    assert listing["node"]["conversations"]["edges"] == []
    assert (await api.ok(TASKS, {"status": "OPEN"}))["brokerTasks"]["edges"] == []


async def test_a_question_beside_a_viewing_request_is_answered_in_the_same_message(
    api: Api, runtime: Runtime
) -> None:
    conversation_id = await _start(api, runtime, TU, LEAD)

    conversation = await _say(
        api, conversation_id, "¿Tiene estacionamiento? ¿Y la alberca? ¿La puedo ver el sábado?"
    )

    answer = conversation["messages"][-1]
    assert answer["direction"] == "OUTBOUND" and answer["channel"] == "SMS"
    assert answer["body"].startswith("Tiene 2 lugares de estacionamiento.")
    # The pool is not in the listing's amenities: promised, and a task keeps the promise.
    assert "Sobre la alberca no tengo el dato confirmado; lo reviso y te aviso." in answer["body"]
    assert "sábado" in answer["body"]  # the times offered
    tasks = (await api.ok(TASKS, {"status": "OPEN"}))["brokerTasks"]["edges"]
    assert {t["node"]["kind"] for t in tasks} >= {"QUESTION"}
