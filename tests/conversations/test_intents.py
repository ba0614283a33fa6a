"""The offline intent rules on replies leads really send, in Spanish and English."""

from __future__ import annotations

import pytest

from app.conversations.intents import (
    PRECEDENCE,
    Intent,
    classify_intent,
    detect_language,
    next_qualification,
    qualification_delta,
)

It = Intent

REPLIES: list[tuple[str, Intent]] = [
    # interest, with typos, missing accents and emoji
    ("Sí me interesa", It.INTERESTED),
    ("si me interesa!!", It.INTERESTED),
    ("me intereza", It.INTERESTED),
    ("Estoy interesada", It.INTERESTED),
    ("Me encanta 😍", It.INTERESTED),
    ("😍", It.INTERESTED),
    ("Sí", It.INTERESTED),
    ("Sí, claro, gracias", It.INTERESTED),
    ("Mándame más información", It.INTERESTED),
    ("I'm interested", It.INTERESTED),
    ("Yes! Tell me more", It.INTERESTED),
    ("intrested", It.INTERESTED),
    ("Love it 🔥", It.INTERESTED),
    # negation
    ("No pares, sí me interesa", It.INTERESTED),
    ("no pares si me interesa", It.INTERESTED),
    ("No me interesa", It.NOT_INTERESTED),
    ("Ya no me interesa, gracias", It.NOT_INTERESTED),
    ("no estoy interesado", It.NOT_INTERESTED),
    ("No, gracias", It.NOT_INTERESTED),
    ("no gracias", It.NOT_INTERESTED),
    ("No", It.NOT_INTERESTED),
    ("Ya compramos casa en otra zona", It.NOT_INTERESTED),
    ("Not interested", It.NOT_INTERESTED),
    ("I'm not interested, thanks", It.NOT_INTERESTED),
    ("No longer interested", It.NOT_INTERESTED),
    ("We already bought a place", It.NOT_INTERESTED),
    ("No thanks", It.NOT_INTERESTED),
    ("👎", It.NOT_INTERESTED),
    # opt-out, in any words
    ("STOP", It.OPT_OUT),
    ("stop", It.OPT_OUT),
    ("Baja", It.OPT_OUT),
    ("ALTO", It.OPT_OUT),
    ("PARAR", It.OPT_OUT),
    ("Unsubscribe", It.OPT_OUT),
    ("Deja de escribirme", It.OPT_OUT),
    ("No me escribas más", It.OPT_OUT),
    ("Remove me from your list", It.OPT_OUT),
    ("Please stop texting me", It.OPT_OUT),
    ("Denme de baja por favor", It.OPT_OUT),
    ("Bórrenme de su lista", It.OPT_OUT),
    ("Me interesa pero STOP los SMS", It.OPT_OUT),
    ("no me interesa, no me vuelvas a escribir", It.OPT_OUT),
    # viewing requests
    ("¿Puedo verla el sábado?", It.VIEWING_REQUEST),
    ("Me interesa, ¿cuándo puedo ir a verla?", It.VIEWING_REQUEST),
    ("Quiero agendar una visita", It.VIEWING_REQUEST),
    ("Can I see it this weekend?", It.VIEWING_REQUEST),
    ("I'd like to schedule a showing", It.VIEWING_REQUEST),
    ("Love it, can we tour it Friday?", It.VIEWING_REQUEST),
    ("¿No se podría verla mañana?", It.VIEWING_REQUEST),
    ("I could stop by tomorrow to see the house", It.VIEWING_REQUEST),
    ("Me late 😍 cuándo la puedo ver", It.VIEWING_REQUEST),
    # price, offers, financing
    ("¿Cuánto cuesta?", It.PRICE_OR_OFFER),
    ("cuanto cuesta", It.PRICE_OR_OFFER),
    ("¿Precio?", It.PRICE_OR_OFFER),
    ("¿Es negociable?", It.PRICE_OR_OFFER),
    ("Está muy cara, ¿aceptarían 4 millones?", It.PRICE_OR_OFFER),
    ("¿Aceptan crédito Infonavit?", It.PRICE_OR_OFFER),
    ("How much is it?", It.PRICE_OR_OFFER),
    ("Would they take an offer of 400k?", It.PRICE_OR_OFFER),
    ("Gracias! y cuánto piden de enganche?", It.PRICE_OR_OFFER),
    ("Cuánto?", It.PRICE_OR_OFFER),
    ("I'd like to make an offer", It.PRICE_OR_OFFER),
    # property questions
    ("¿Cuántas recámaras tiene?", It.PROPERTY_QUESTION),
    ("tiene estacionamiento", It.PROPERTY_QUESTION),
    ("¿Aceptan mascotas?", It.PROPERTY_QUESTION),
    ("¿Cuánto es de mantenimiento?", It.PROPERTY_QUESTION),
    ("Me mandas fotos?", It.PROPERTY_QUESTION),
    ("Is there parking?", It.PROPERTY_QUESTION),
    ("Are pets allowed", It.PROPERTY_QUESTION),
    ("What are the HOA fees?", It.PROPERTY_QUESTION),
    ("Gracias 🙏 ¿sigue disponible?", It.PROPERTY_QUESTION),
    ("Me encanta, ¿tiene jardín?", It.PROPERTY_QUESTION),
    ("¿Sigue en venta?", It.PROPERTY_QUESTION),
    ("Is it still available?", It.PROPERTY_QUESTION),
    ("Sí me interesa, ¿tiene jardín y cuánto es de mantenimiento?", It.PROPERTY_QUESTION),
    # too expensive
    ("Está muy caro", It.TOO_EXPENSIVE),
    ("Se sale de mi presupuesto", It.TOO_EXPENSIVE),
    ("no me alcanza", It.TOO_EXPENSIVE),
    ("El precio es muy alto para mí", It.TOO_EXPENSIVE),
    ("Too expensive for us", It.TOO_EXPENSIVE),
    ("It's out of my budget", It.TOO_EXPENSIVE),
    # rent only
    ("Solo busco rentar", It.RENT_ONLY),
    ("No gracias, sólo quiero rentar", It.RENT_ONLY),
    ("Prefiero rentar por ahora", It.RENT_ONLY),
    ("I'm only looking to rent", It.RENT_ONLY),
    ("We'd rather rent", It.RENT_ONLY),
    # acknowledgements: no answer needed
    ("Gracias", It.ACKNOWLEDGEMENT),
    ("Ok 👍", It.ACKNOWLEDGEMENT),
    ("👍", It.ACKNOWLEDGEMENT),
    ("🙏", It.ACKNOWLEDGEMENT),
    ("Muchas gracias por la info", It.ACKNOWLEDGEMENT),
    ("Thanks!", It.ACKNOWLEDGEMENT),
    ("thank you", It.ACKNOWLEDGEMENT),
    ("Perfecto, gracias", It.ACKNOWLEDGEMENT),
    # anything else
    ("¿Quién eres?", It.OTHER),
    ("Estoy manejando, te marco luego", It.OTHER),
    ("Who is this?", It.OTHER),
    ("Ya", It.OTHER),
]


@pytest.mark.parametrize(("text", "expected"), REPLIES)
def test_reply_intent(text: str, expected: Intent) -> None:
    assert classify_intent(text) == expected


def test_the_reply_set_covers_every_intent_and_is_large() -> None:
    assert len(REPLIES) >= 60
    assert {intent for _, intent in REPLIES} == set(Intent)


def test_precedence_lists_every_intent_once_with_action_first() -> None:
    assert sorted(PRECEDENCE) == sorted(Intent)
    order = PRECEDENCE.index
    assert order(It.OPT_OUT) == 0
    assert order(It.VIEWING_REQUEST) < order(It.INTERESTED)
    assert order(It.PROPERTY_QUESTION) < order(It.ACKNOWLEDGEMENT)
    assert order(It.PRICE_OR_OFFER) < order(It.TOO_EXPENSIVE)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("¿Cuánto cuesta?", "es"),
        ("me interesa la casa", "es"),
        ("Quiero verla", "es"),
        ("I'm interested in the house", "en"),
        ("How much is it?", "en"),
        ("Can I see it this weekend?", "en"),
        ("👍", None),
        ("ok", None),
    ],
)
def test_detect_language(text: str, language: str | None) -> None:
    assert detect_language(text) == language


def test_qualification_steps() -> None:
    assert qualification_delta(It.VIEWING_REQUEST) == 30
    assert qualification_delta(It.INTERESTED) == 20
    assert qualification_delta(It.PRICE_OR_OFFER) == 15
    assert qualification_delta(It.PROPERTY_QUESTION) == 10
    assert qualification_delta(It.TOO_EXPENSIVE) == -10


def test_qualification_is_clamped_and_refusals_cap_it_low() -> None:
    assert next_qualification(40, It.VIEWING_REQUEST) == 70
    assert next_qualification(90, It.VIEWING_REQUEST) == 100
    assert next_qualification(5, It.TOO_EXPENSIVE) == 0
    assert next_qualification(95, It.NOT_INTERESTED) == 10
    assert next_qualification(30, It.NOT_INTERESTED) == 0
    assert next_qualification(80, It.OPT_OUT) == 0
    assert next_qualification(50, It.OTHER) == 50


def test_questions_found_by_trying_the_product() -> None:
    assert classify_intent("¿y se puede ver mañana?") is Intent.VIEWING_REQUEST
    assert (
        classify_intent("hola\n¿tiene balcón?\n¿y se puede ver mañana?") is Intent.VIEWING_REQUEST
    )
    assert classify_intent("Actually, what floor is it on?") is Intent.PROPERTY_QUESTION
