"""The chat model's path with the fact guard, over real HTTP against the loopback stand-in: the
prompt carries the listing's facts, the lead's budget of the right kind and the brokerage's
voice; a reply stating what nothing backs never reaches the lead (the template's does)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest

from app.conversations.model import (
    FirstMessageContext,
    LeadFacts,
    LLMConversationModel,
    OfflineModel,
    PropertyFacts,
    ReplyContext,
)
from integrations.llm.openai_model import OpenAIConversationModel
from tests.support.openai_standin import OpenAIStandin, running_standin

RENTAL = PropertyFacts(
    title="Departamento en Polanco",
    location="Polanco",
    city="Ciudad de México",
    price=38_000,
    operation="RENT",
    bedrooms=2,
    bathrooms=2.5,
    parking_spaces=2,
    built_area_m2=120.5,
    amenities=("gimnasio", "roof garden"),
    pets_allowed=True,
    maintenance_fee=3_500,
    deposit=76_000,
    available_from=date(2027, 2, 1),
    photos=("https://polancorealty.mx/p/123/1.jpg",),
    listing_url="https://polancorealty.mx/p/123",
    address="Av. Presidente Masaryk 123",
    description="Luminoso, 5 baños de lujo en el edificio y 3 cajones para visitas.",
)
# A purchase budget of millions and a rent budget: a rental is told the rent one.
ANA = LeadFacts(
    name="Ana Martínez",
    locations=("Polanco",),
    min_budget=4_000_000,
    max_budget=6_000_000,
    rent_max_budget=40_000,
    currency="MXN",
    bedrooms=2,
)
NOW = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)


@pytest.fixture
async def standin() -> AsyncIterator[tuple[OpenAIStandin, str]]:
    async with running_standin() as served:
        yield served


def _model(server: OpenAIStandin, url: str) -> LLMConversationModel:
    client = OpenAIConversationModel(
        api_key=server.api_key, base_url=url, model="gpt-4o-mini", timeout=5, max_retries=0
    )
    return LLMConversationModel(client, fallback_on_error=False)


def _ctx(message: str, formality: str = "USTED") -> ReplyContext:
    return ReplyContext(
        ANA,
        RENTAL,
        message,
        "es",
        20,
        NOW,
        sender_name="Jorge Ramírez · Asesor inmobiliario · Polanco Realty",
        formality=formality,
        agent="Jorge",
    )


def _prompt(server: OpenAIStandin) -> str:
    return "\n".join(m["content"] for m in server.requests[-1].body["messages"])


async def _template(message: str) -> str | None:
    return (await OfflineModel().understand_and_reply(_ctx(message))).reply


async def test_the_prompt_carries_the_listing_the_lead_and_the_voice(
    standin: tuple[OpenAIStandin, str],
) -> None:
    server, url = standin
    server.reply_next(
        {"intent": "PROPERTY_QUESTION", "language": "es", "reply": "Tiene 2.5 baños."}
    )
    await _model(server, url).understand_and_reply(_ctx("¿cuántos baños tiene?"))
    prompt = _prompt(server)
    for line in (
        "Price: $38,000 MXN al mes",
        "Operation: for rent (the price is per month)",
        "Bedrooms: 2 recámaras",
        "Bathrooms: 2.5 baños",
        "Parking spaces: 2 lugares de estacionamiento",
        "Built area: 120.5 m²",
        "Lot area: not stated",
        "Amenities: gimnasio, roof garden (nothing else is listed)",
        "Pets: allowed",
        "Maintenance fee: $3,500 MXN al mes",
        "Deposit: $76,000 MXN",
        "Available from: 1 de febrero de 2027",
        "Listing link: https://polancorealty.mx/p/123",
        "Photos: https://polancorealty.mx/p/123/1.jpg",
        "Address: Av. Presidente Masaryk 123",
        "Description (background, not facts to quote)",
        "Lead's first name: Ana",
        "Lead wanted bedrooms: 2",
        # The rent budget for a rental, per month, with its currency; never the purchase one.
        "Lead's budget: up to $40,000 MXN per month (rent); the price fits it",
        "Address the lead as 'usted'",
        "on behalf of Jorge",
    ):
        assert line in prompt, line
    assert "6,000,000" not in prompt
    assert "Asesor inmobiliario" not in prompt  # a name, never the signature block


async def test_a_model_reply_with_a_wrong_number_is_replaced_by_the_template(
    standin: tuple[OpenAIStandin, str], caplog: pytest.LogCaptureFixture
) -> None:
    server, url = standin
    server.reply_next(
        {"intent": "PROPERTY_QUESTION", "language": "es", "reply": "Tiene 5 baños, Ana."}
    )
    with caplog.at_level(logging.WARNING, logger="app.conversations.model"):
        decision = await _model(server, url).understand_and_reply(_ctx("¿cuántos baños tiene?"))
    assert decision.reply == "Tiene 2.5 baños. ¿Le gustaría verlo?"
    assert decision.reply == await _template("¿cuántos baños tiene?")
    assert decision.replaced is not None and "5 bathrooms" in decision.replaced
    (record,) = [r for r in caplog.records if "fact guard" in r.getMessage()]
    assert "5 bathrooms the listing does not state" in record.__dict__["reason"]


async def test_an_invented_amenity_is_replaced_and_the_question_goes_to_the_broker(
    standin: tuple[OpenAIStandin, str],
) -> None:
    server, url = standin
    server.reply_next(
        {"intent": "PROPERTY_QUESTION", "language": "es", "reply": "Sí, tiene alberca techada."}
    )
    decision = await _model(server, url).understand_and_reply(_ctx("¿tiene alberca?"))
    assert decision.reply == "Sobre la alberca no tengo el dato confirmado; lo reviso y le aviso."
    assert (decision.promise, decision.unanswered) == ("QUESTION", ("amenity:alberca",))


async def test_a_wrong_price_and_a_made_up_discount_are_replaced(
    standin: tuple[OpenAIStandin, str],
) -> None:
    server, url = standin
    model = _model(server, url)
    server.reply_next(
        {"intent": "PRICE_OR_OFFER", "language": "es", "reply": "La renta es de $35,000 al mes."}
    )
    wrong = await model.understand_and_reply(_ctx("¿cuánto es la renta?"))
    assert "$38,000 MXN al mes" in (wrong.reply or "")
    assert "35,000" not in (wrong.reply or "")
    server.reply_next(
        {
            "intent": "PRICE_OR_OFFER",
            "language": "es",
            "reply": "Son $38,000 MXN al mes, con 10% de descuento si firma este mes.",
        }
    )
    discount = await model.understand_and_reply(_ctx("¿cuánto es la renta?"))
    assert "descuento" not in (discount.reply or "")
    assert discount.replaced is not None and "descuento" in discount.replaced


async def test_a_correct_model_reply_is_sent_as_written(
    standin: tuple[OpenAIStandin, str],
) -> None:
    server, url = standin
    written = (
        "Claro, Ana: el depósito es de $76,000 MXN y el mantenimiento de $3,500 MXN al mes. "
        "Tiene 2.5 baños y 2 lugares de estacionamiento, y se aceptan mascotas. ¿Le gustaría "
        "conocerlo?"
    )
    server.reply_next({"intent": "PROPERTY_QUESTION", "language": "es", "reply": written})
    decision = await _model(server, url).understand_and_reply(
        _ctx("¿depósito, mantenimiento, baños, estacionamiento? tengo un perro")
    )
    assert (decision.reply, decision.replaced, decision.promise) == (written, None, None)


async def test_an_unanswerable_question_needs_the_promise_of_the_brokers_answer(
    standin: tuple[OpenAIStandin, str],
) -> None:
    """The listing does not say whether there is a pool: a model reply that dodges it is
    replaced by the template that promises Jorge's answer (and a QUESTION task keeps it); one
    that promises it is sent, and its promise is kept the same way."""
    server, url = standin
    model = _model(server, url)
    server.reply_next(
        {"intent": "PROPERTY_QUESTION", "language": "es", "reply": "Es un gran departamento."}
    )
    dodged = await model.understand_and_reply(_ctx("¿tiene alberca?"))
    assert dodged.reply is not None and "lo reviso y le aviso" in dodged.reply  # Jorge signs
    assert dodged.promise == "QUESTION"
    promised = "No lo indica la ficha; se lo pregunto a Jorge y le aviso."
    server.reply_next({"intent": "PROPERTY_QUESTION", "language": "es", "reply": promised})
    kept = await model.understand_and_reply(_ctx("¿tiene alberca?"))
    assert (kept.reply, kept.promise, kept.unanswered) == (
        promised,
        "QUESTION",
        ("amenity:alberca",),
    )


async def test_a_model_reply_that_hands_over_is_a_promise_a_task_keeps(
    standin: tuple[OpenAIStandin, str],
) -> None:
    server, url = standin
    server.reply_next(
        {
            "intent": "INTERESTED",
            "language": "es",
            "reply": "Qué gusto, Ana. Le paso su mensaje a Jorge para que la contacte.",
        }
    )
    decision = await _model(server, url).understand_and_reply(_ctx("me interesa"))
    assert decision.promise == "HANDOFF"


async def test_a_first_message_with_an_invented_fact_is_the_templates(
    standin: tuple[OpenAIStandin, str],
) -> None:
    server, url = standin
    ctx = FirstMessageContext(
        ANA,
        RENTAL,
        {"location": 30, "price": 25, "bedrooms": 15},
        "es",
        NOW,
        sender_name="Jorge\nPolanco Realty",
        formality="USTED",
        agent="Jorge",
        brokerage="Polanco Realty",
    )
    server.reply_next(
        {
            "subject": "Departamento en Polanco",
            "body": "Hola, Ana. Soy Jorge. Tiene alberca y 3 recámaras por $38,000 al mes.",
        }
    )
    draft = await _model(server, url).compose_first_message(ctx)
    assert draft == await OfflineModel().compose_first_message(ctx)
    assert "alberca" not in draft.body
    prompt = _prompt(server)
    assert "Lead's budget: up to $40,000 MXN per month (rent); the price fits it" in prompt
    good = "Hola, Ana. Soy Jorge, de Polanco Realty: el departamento en Polanco tiene gimnasio."
    server.reply_next({"subject": "Departamento en Polanco", "body": good})
    assert (await _model(server, url).compose_first_message(ctx)).body == good
