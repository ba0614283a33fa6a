"""A lead who turns a listing down for its price or its size is offered the broker's other
listings that answer it (cheaper, bigger), like one who turns down its area; their choice
opens a conversation there; with nothing to offer, the answer says so. Through the public
API, in Spanish (tú and usted) and English."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from app.core.db import utcnow
from app.core.runtime import Runtime
from app.leads.models import Lead
from graphql_schema.relay import decode_id
from tests.conftest import Api
from tests.conversations.test_dialogues import (
    CREATE_LEAD,
    CREATE_PROPERTY,
    LEAD,
    RENTAL,
    SETTINGS,
    TU_FORMS,
    _say,
)
from tests.conversations.test_returning import (
    ENGLISH,
    ENGLISH_LEAD,
    THREAD,
    TU,
    USTED,
    _conversations,
    _last,
    _lead,
)
from tests.support.jobs import drain_jobs

pytestmark = pytest.mark.usefixtures("backend")

# The lead rents in Polanco, up to $40,000 a month, 2 bedrooms, and was last contacted months
# ago. The others are elsewhere with other bedrooms: under the match line, so not already in
# conversation with the lead.
CONDESA = {
    **RENTAL,
    "title": "Estudio en Condesa",
    "location": "Condesa",
    "price": 28_000,
    "bedrooms": 1,
    "builtAreaM2": 55,
}
ROMA = {
    **RENTAL,
    "title": "Loft en Roma Norte",
    "location": "Roma Norte",
    "price": 30_000,
    "bedrooms": 1,
    "builtAreaM2": 60,
}
NARVARTE = {
    **RENTAL,
    "title": "Casa en Narvarte",
    "location": "Narvarte",
    "price": 39_000,
    "bedrooms": 3,
    "builtAreaM2": 150,
}
# Bigger, but over the lead's budget and nowhere they want: no fit for them.
SAN_ANGEL = {**NARVARTE, "title": "Casa en San Ángel", "location": "San Ángel", "price": 90_000}


async def _untouched_for_months(runtime: Runtime) -> None:
    """The lead of a reactivation campaign: last contacted half a year ago."""
    async with runtime.session() as session:
        await session.execute(update(Lead).values(last_contact_at=utcnow() - timedelta(days=180)))
        await session.commit()


async def _offered(
    api: Api, runtime: Runtime, brokerage: dict[str, str], lead: dict[str, Any]
) -> tuple[str, dict[str, str]]:
    """The lead's conversation about the Polanco rental, and the other listings' ids."""
    await api.sign_up(brokerage="Polanco Realty")
    await api.ok(SETTINGS, {"i": brokerage})
    await api.ok(CREATE_LEAD, {"i": lead})
    await _untouched_for_months(runtime)
    polanco = (await api.ok(CREATE_PROPERTY, {"i": RENTAL}))["createProperty"]["id"]
    others = {}
    for listing in (CONDESA, ROMA, NARVARTE, SAN_ANGEL):
        created = await api.ok(CREATE_PROPERTY, {"i": listing})
        others[str(listing["title"])] = created["createProperty"]["id"]
    await drain_jobs(runtime)
    [first] = await _conversations(api, polanco)
    for title, listing_id in others.items():
        assert (title, await _conversations(api, listing_id)) == (title, [])
    return str(first["id"]), others


@pytest.mark.parametrize(
    ("brokerage", "lead", "too_expensive", "offered", "choice", "chosen"),
    [
        (
            TU,
            LEAD,
            "Está muy cara para mí",
            "Entiendo, Ana. Tengo opciones más económicas:\n"
            "1. Estudio en Condesa, Condesa, Ciudad de México: 1 recámara, $28,000 MXN al mes\n"
            "2. Loft en Roma Norte, Roma Norte, Ciudad de México: 1 recámara, $30,000 MXN al mes\n"
            "¿Te interesa alguna? Dime cuál y te cuento más.",
            "la segunda",
            "Loft en Roma Norte",
        ),
        (
            USTED,
            LEAD,
            "Se sale de mi presupuesto",
            "Entiendo, Ana. Tengo opciones más económicas:\n"
            "1. Estudio en Condesa, Condesa, Ciudad de México: 1 recámara, $28,000 MXN al mes\n"
            "2. Loft en Roma Norte, Roma Norte, Ciudad de México: 1 recámara, $30,000 MXN al mes\n"
            "¿Le interesa alguna? Dígame cuál y le cuento más.",
            "La 1 por favor",
            "Estudio en Condesa",
        ),
        (
            ENGLISH,
            ENGLISH_LEAD,
            "Too pricey for me",
            "Understood, Ann. I have some more affordable options:\n"
            "1. Estudio en Condesa, Condesa, Ciudad de México: 1 bedroom, $28,000 MXN per month\n"
            "2. Loft en Roma Norte, Roma Norte, Ciudad de México: 1 bedroom, $30,000 MXN per"
            " month\nDoes one of them interest you? Tell me which and I'll tell you more.",
            "the one in Roma",
            "Loft en Roma Norte",
        ),
    ],
    ids=["tu", "usted", "en"],
)
async def test_too_expensive_offers_cheaper_listings_and_the_choice_opens_its_conversation(
    api: Api,
    runtime: Runtime,
    brokerage: dict[str, str],
    lead: dict[str, Any],
    too_expensive: str,
    offered: str,
    choice: str,
    chosen: str,
) -> None:
    conversation_id, others = await _offered(api, runtime, brokerage, lead)

    declined = await _say(api, conversation_id, too_expensive)

    # Cheaper than $38,000 only: not Narvarte ($39,000, within budget), not San Ángel.
    assert _last(declined)["body"] == offered
    assert declined["status"] == "CLOSED"
    if brokerage is USTED:
        assert not TU_FORMS.search(_last(declined)["body"])

    chose = await _say(api, conversation_id, choice)
    await drain_jobs(runtime)

    assert chose["status"] == "CLOSED"
    [opened] = await _conversations(api, others[chosen])
    thread = (await api.ok(THREAD, {"id": opened["id"]}))["node"]
    lead_id = decode_id((await _lead(api))["id"], "Lead")
    listing_id = decode_id(others[chosen], "Property")
    assert thread["threadId"] == f"lead_{lead_id}_property_{listing_id}"
    place = chosen.split(" en ", 1)[1]  # the first message names the listing by kind and place
    assert all(place in m["body"] for m in opened["messages"]), opened["messages"]
    for title, listing in others.items():  # only the one chosen
        if title != chosen:
            assert await _conversations(api, listing) == []


@pytest.mark.parametrize(
    ("brokerage", "lead", "too_small", "offered", "choice"),
    [
        (
            TU,
            LEAD,
            "Está muy chica, necesitamos 3 recámaras",
            "Entiendo, Ana. Tengo opciones más amplias:\n"
            "1. Casa en Narvarte, Narvarte, Ciudad de México: 3 recámaras, 150 m², $39,000 MXN"
            " al mes\n¿Te interesa alguna? Dime cuál y te cuento más.",
            "Sí, la de Narvarte",
        ),
        (
            ENGLISH,
            ENGLISH_LEAD,
            "Too small for us, we need more bedrooms",
            "Understood, Ann. I have some bigger options:\n"
            "1. Casa en Narvarte, Narvarte, Ciudad de México: 3 bedrooms, 150 m² (1,615 sq ft),"
            " $39,000 MXN per month\nDoes one of them interest you? Tell me which and I'll tell you more.",
            "ok the first one",
        ),
    ],
    ids=["es", "en"],
)
async def test_too_small_offers_bigger_listings_and_the_choice_opens_its_conversation(
    api: Api,
    runtime: Runtime,
    brokerage: dict[str, str],
    lead: dict[str, Any],
    too_small: str,
    offered: str,
    choice: str,
) -> None:
    conversation_id, others = await _offered(api, runtime, brokerage, lead)

    declined = await _say(api, conversation_id, too_small)

    # More than 2 bedrooms and a fit: not the studio, the loft, nor San Ángel (over budget).
    assert declined["status"] == "CLOSED"
    assert _last(declined)["body"] == offered

    await _say(api, conversation_id, choice)
    await drain_jobs(runtime)

    [opened] = await _conversations(api, others["Casa en Narvarte"])
    assert all("Narvarte" in m["body"] for m in opened["messages"])  # by kind and place


@pytest.mark.parametrize(
    ("brokerage", "lead", "said", "status", "answer"),
    [
        (
            TU,
            LEAD,
            "Está muy cara",
            "WAITING",
            "Entiendo, Ana. Por ahora no tengo otra opción más económica. ¿Hasta cuánto"
            " te gustaría pagar al mes? Así te aviso si aparece algo.",
        ),
        (
            USTED,
            LEAD,
            "Muy chica para nosotros, no nos cabe",
            "CLOSED",
            "Entiendo, Ana. Por ahora no tengo otra opción más amplia; si aparece alguna,"
            " le aviso.",
        ),
        (
            ENGLISH,
            ENGLISH_LEAD,
            "way too expensive, we'll pass",
            "CLOSED",
            "Understood, Ann. I have nothing more affordable right now; I'll let you know if"
            " something comes up.",
        ),
    ],
    ids=["tu-price", "usted-size", "en-price"],
)
async def test_with_nothing_to_offer_the_answer_says_so_and_keeps_in_touch(
    api: Api,
    runtime: Runtime,
    brokerage: dict[str, str],
    lead: dict[str, Any],
    said: str,
    status: str,
    answer: str,
) -> None:
    await api.sign_up(brokerage="Polanco Realty")
    await api.ok(SETTINGS, {"i": brokerage})
    await api.ok(CREATE_LEAD, {"i": lead})
    await _untouched_for_months(runtime)
    polanco = (await api.ok(CREATE_PROPERTY, {"i": RENTAL}))["createProperty"]["id"]
    await api.ok(CREATE_PROPERTY, {"i": SAN_ANGEL})  # neither cheaper nor a fit
    await drain_jobs(runtime)
    [first] = await _conversations(api, polanco)

    answered = await _say(api, first["id"], said)

    assert answered["status"] == status
    assert _last(answered)["body"] == answer
    assert "San Ángel" not in _last(answered)["body"]
