"""`understand`: every act of a reply, the opt-out's scope, the channel wish and the reason."""

from __future__ import annotations

import pytest

from app.conversations.intents import DeclineReason, Intent, OptOutScope
from app.conversations.understanding import understand

It, Scope = Intent, OptOutScope


@pytest.mark.parametrize(
    ("text", "channel", "scope"),
    [
        # The keywords stop everything (CONVERSATION.md section 5); said of one channel, that one.
        ("STOP", "SMS", Scope.ALL),
        ("Baja", "SMS", Scope.ALL),
        ("ALTO", "WHATSAPP", Scope.ALL),
        ("stop", "EMAIL", Scope.ALL),
        ("STOPALL", "SMS", Scope.ALL),
        ("Unsubscribe", "SMS", Scope.ALL),
        ("no me escribas más", "SMS", Scope.ALL),
        ("leave me alone", "EMAIL", Scope.ALL),
        ("no SMS, email me", "SMS", Scope.SMS),
        ("ya no me manden correos porfa", "EMAIL", Scope.EMAIL),
        ("stop texting me", "SMS", Scope.SMS),
        ("please stop emailing me", "EMAIL", Scope.EMAIL),
        ("no me escribas por aquí", "WHATSAPP", Scope.WHATSAPP),
        ("no dejes de escribirme", "SMS", Scope.NONE),
        ("no me mandes más fotos, ya vi suficientes", "SMS", Scope.NONE),
        ("¿baja el precio?", "SMS", Scope.NONE),
        ("ALTA", "SMS", Scope.NONE),
    ],
)
def test_opt_out_scope(text: str, channel: str, scope: OptOutScope) -> None:
    understood = understand(text, channel)
    assert understood.opt_out is scope
    assert (It.OPT_OUT in understood.acts) is (scope is not Scope.NONE)


def test_a_question_and_a_channel_stop_in_one_text() -> None:
    understood = understand(
        "¿acepta mascotas? Y ya no me mandes SMS por favor, mejor correo", "SMS"
    )
    assert understood.intent is It.OPT_OUT
    assert understood.acts == {It.OPT_OUT, It.PROPERTY_QUESTION}
    assert understood.opt_out is Scope.SMS
    assert understood.preferred_channel == "EMAIL"
    assert understood.remaining_intent is It.PROPERTY_QUESTION
    assert understood.language == "es"


def test_a_full_stop_leaves_nothing_to_answer() -> None:
    understood = understand("no me interesa, no me vuelvas a escribir", "SMS")
    assert understood.opt_out is Scope.ALL
    assert understood.remaining_intent is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Ya compramos casa en otra zona, gracias", DeclineReason.BOUGHT_ELSEWHERE),
        ("We already bought a place", DeclineReason.BOUGHT_ELSEWHERE),
        ("ya no estamos buscando, gracias", DeclineReason.STOPPED_LOOKING),
        ("Not looking anymore, thanks", DeclineReason.STOPPED_LOOKING),
        ("No me interesa esa zona", DeclineReason.NOT_THIS_AREA),
    ],
)
def test_decline_reason(text: str, reason: DeclineReason) -> None:
    understood = understand(text)
    assert understood.intent is It.NOT_INTERESTED
    assert understood.reason is reason


@pytest.mark.parametrize(
    ("text", "channel"),
    [("mejor por correo", "EMAIL"), ("text me instead", "SMS"), ("email me please", "EMAIL")],
)
def test_channel_preference(text: str, channel: str) -> None:
    understood = understand(text)
    assert understood.preferred_channel == channel
    assert understood.opt_out is Scope.NONE
