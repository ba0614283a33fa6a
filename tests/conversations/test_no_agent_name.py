"""A brokerage that names no agent writes its first messages as itself, in the plural, in
natural sentences (English, Spanish tú and usted), through the public API."""

from __future__ import annotations

import re

import pytest

from app.core.runtime import Runtime
from tests.conftest import Api
from tests.support.jobs import drain_jobs

SETTINGS = """mutation($i: UpdateBrokerageInput!) { updateBrokerage(input: $i) {
  agentName formality language } }"""
CREATE_LEAD = "mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }"
CREATE_PROPERTY = "mutation($i: PropertyInput!) { createProperty(input: $i) { id } }"
CONVERSATIONS = """{ conversations(first: 10) { edges { node {
  messages { direction channel body } } } } }"""

LISTING = {
    "title": "Departamento en Polanco",
    "location": "Polanco",
    "city": "Ciudad de México",
    "price": 5_200_000,
    "currency": "MXN",
    "bedrooms": 3,
    "bathrooms": 2,
    "operation": "SALE",
    "listingUrl": "https://polancorealty.mx/p/1",
}


async def _first_messages(
    api: Api, runtime: Runtime, language: str, formality: str
) -> tuple[str, str]:
    await api.sign_up(brokerage="Polanco Realty")
    await api.ok(SETTINGS, {"i": {"agentName": "", "formality": formality, "language": "es"}})
    lead = {
        "name": "Ana Martínez",
        "email": "ana@example.com",
        "phone": "+1 415 555 0100",
        "locations": ["Polanco"],
        "maxBudget": 6_000_000,
        "language": language,
    }
    await api.ok(CREATE_LEAD, {"i": lead})
    await api.ok(CREATE_PROPERTY, {"i": LISTING})
    await drain_jobs(runtime)
    (edge,) = (await api.ok(CONVERSATIONS))["conversations"]["edges"]
    sent = {m["channel"]: m["body"] for m in edge["node"]["messages"]}
    return sent["SMS"], sent["EMAIL"]


@pytest.mark.parametrize(
    ("language", "formality", "opening", "wrong"),
    [
        # Before: "Hi Ana, this is the team at Polanco Realty. A place for sale made me think
        # of you" (a team that says "me").
        ("en", "TU", "Hi Ana, this is Polanco Realty. ", r"\b(?:I|me|I'm|I'll|my)\b"),
        # Before: "Hola, Ana. Le escribimos de Polanco Realty. Tengo en venta…" (usted in a tú
        # message, a brokerage that says "tengo").
        ("es", "TU", "Hola, Ana. Te escribimos de Polanco Realty. ", r"\b(?:Le|le|Tengo|tengo)\b"),
        ("es", "USTED", "Hola, Ana. Le escribimos de Polanco Realty. ", r"\b(?:te|tu|Tengo)\b"),
    ],
)
async def test_the_first_text_and_email_say_the_brokerage_writes(
    api: Api, runtime: Runtime, language: str, formality: str, opening: str, wrong: str
) -> None:
    text, email = await _first_messages(api, runtime, language, formality)

    assert text.startswith(opening)
    assert email.startswith(opening)
    body = email.split("\n\n")[0]  # the message, without the question, sign-off and signature
    assert re.search(wrong, body) is None, body
    # Each sentence starts with a capital, and nothing follows a comma with one.
    assert re.search(r", (?!Ana\b|Ciudad\b)[A-Z][a-z]", body) is None, body
