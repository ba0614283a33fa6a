"""The fact guard: a reply may state only what the listing, the lead's data and the offered
viewing times say, whichever way the number is written."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from app.conversations.guard import check_reply, promises_broker
from app.conversations.replies import LeadFacts, PropertyFacts

FLAT = PropertyFacts(
    title="Departamento en Polanco",
    location="Polanco",
    city="Ciudad de México",
    price=5_200_000,
    bedrooms=3,
    bathrooms=2.5,
    parking_spaces=2,
    built_area_m2=120,
    lot_area_m2=None,
    amenities=("Alberca", "Gimnasio"),
    pets_allowed=True,
    maintenance_fee=4_500,
    available_from=date(2027, 2, 1),
    listing_url="https://polancorealty.mx/p/123",
    photos=("https://polancorealty.mx/p/123/1.jpg",),
    address="Av. Presidente Masaryk 123",
    description="Luminoso, 5 baños de lujo en el edificio.",
)
RENTAL = PropertyFacts(
    title="Departamento en Roma Norte",
    location="Roma Norte",
    price=32_000,
    operation="RENT",
    bedrooms=1,
    deposit=64_000,
)
ANA = LeadFacts(
    name="Ana López",
    min_budget=4_000_000,
    max_budget=5_500_000,
    rent_max_budget=30_000,
    bedrooms=2,
)
ZONE = ZoneInfo("America/Mexico_City")
SLOTS = (
    datetime(2027, 1, 12, 10, tzinfo=ZONE),  # a Tuesday
    datetime(2027, 1, 12, 13, tzinfo=ZONE),
    datetime(2027, 1, 13, 17, tzinfo=ZONE),
)


def _problems(text: str, prop: PropertyFacts = FLAT, lead: LeadFacts = ANA) -> tuple[str, ...]:
    return check_reply(text, prop, lead, slots=SLOTS, names=("Jorge", "Polanco Realty")).problems


@pytest.mark.parametrize(
    "text",
    [
        "El precio es $5,200,000 MXN.",
        "Cuesta 5.2 millones de pesos.",
        "Cuesta 5,2 millones.",  # the decimal comma of most of Latin America
        "Son $5.200.000.",  # and its grouping dot
        "The price is $5.2M MXN.",
        "It's 5.2 million pesos.",
        "Tiene 2.5 baños y 3 recámaras.",
        "Tiene tres recámaras y dos baños y medio.",
        "It has 2.5 bathrooms and three bedrooms.",
        "It has two and a half baths.",
        "A 3-bedroom, 2.5-bath condo listed at MXN 5,200,000.",
        "Tiene 120 m2 de construcción.",
        "Tiene 120m² y 2 lugares de estacionamiento.",
        "Recámaras: 3, baños: 2.5",
        "El mantenimiento es de $4,500 MXN al mes.",
        "The maintenance fee is $4,500 MXN per month.",
        "Está disponible a partir del 1 de febrero de 2027.",
        "It is available from February 1, 2027.",
        "Te propongo el martes 12 de enero a las 10:00 o a las 13:00.",
        "How about Tuesday, January 12 at 10:00 AM or at 1:00 PM?",
        "Aquí están las fotos: https://polancorealty.mx/p/123",
        "Photos: https://polancorealty.mx/p/123/1.jpg.",
        "La dirección es Av. Presidente Masaryk 123.",
        "Tiene alberca y gimnasio.",
        "Sí, se aceptan mascotas.",
        "Está dentro de tu presupuesto.",
        "Me dijiste que buscabas 2 recámaras; esta tiene 3.",
        "Buscabas hasta $5,500,000 MXN y cuesta $5,200,000 MXN.",
        "Es uno de los mejores de la zona, con mucha luz.",
        "Sobre la terraza, la ficha no dice nada; se lo pregunto a Jorge y te aviso.",
        "¿Te gustaría ver la terraza del edificio?",
        "Si es negociable, las ofertas las ve directamente Jorge: le paso tu mensaje.",
        "Soy Jorge, de Polanco Realty.",
    ],
)
def test_what_the_listing_and_the_lead_say_passes(text: str) -> None:
    assert _problems(text) == ()


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Tiene 5 baños.", "5 bathrooms the listing does not state (the listing: 2.5)"),
        ("Tiene dos recámaras.", "2 bedrooms the listing does not state (the listing: 3)"),
        ("Tiene las 2 recámaras que querías.", "2 bedrooms the listing does not state"),
        ("It has 4 beds.", "4 bedrooms the listing does not state"),
        ("A cozy 2-bedroom condo.", "2 bedrooms the listing does not state"),
        ("Listed at USD 5,200,000.", "an amount in a currency the listing is not priced in"),
        ("Está a 5 minutos del metro.", "5 duration the listing does not state"),
        ("Está a 3 cuadras del parque.", "3 distance the listing does not state"),
        ("El metro está a 7 de aquí.", "a number nothing gives: 7"),
        ("El precio es $4,900,000 MXN.", "an amount the listing does not state: $4,900,000"),
        ("Cuesta 4.9 millones.", "an amount the listing does not state: 4.9 millones"),
        ("Cuesta $5,500,000, dentro de tu presupuesto.", "an amount the listing does not state"),
        ("El precio es $5,200,000 USD.", "an amount in a currency the listing is not priced in"),
        ("Son $5,200,000 MXN al mes.", "a monthly amount the listing does not state"),
        ("Tiene 150 m2.", "150 area the listing does not state (the listing: 120)"),
        ("It's 1,500 sq ft.", "sqft the listing does not state"),
        ("Está en el piso 5 de 10 pisos.", "10 floors the listing does not state"),
        ("Son 2 meses de depósito.", "2 duration the listing does not state"),
        ("Hay 10% de descuento.", "10 percent the listing does not state"),
        ("Hay 10% de descuento.", "states terms the listing does not give: descuento"),
        ("Acepta crédito Infonavit.", "states terms the listing does not give: credito"),
        ("Ya se vendió.", "states a status the listing does not have"),
        ("Está disponible desde el 15 de marzo.", "a date nothing gives: 15 de marzo"),
        ("¿Te queda el viernes a las 6?", "a day nothing gives: viernes"),
        ("Te veo el martes a las 18:00.", "a time not offered: 18:00"),
        ("Fotos: https://bit.ly/xyz", "a link the listing does not have: https://bit.ly/xyz"),
        ("Sí, tiene terraza.", "states terraza, which the listing does not list"),
        ("Tiene terraza y Jorge te confirma la visita.", "states terraza"),
        ("No tiene alberca.", "says it has no alberca, which the listing lists"),
        ("No se aceptan mascotas.", "states the opposite of the listing's pet policy"),
        ("No tiene estacionamiento.", "states the opposite of the listing's parking"),
        ("Escríbele a jorge@polancorealty.mx", "an e-mail address nobody gave"),
    ],
)
def test_what_nothing_backs_is_caught(text: str, why: str) -> None:
    problems = _problems(text)
    assert any(why in problem for problem in problems), problems


def test_the_budget_of_the_right_kind() -> None:
    """A rental is measured against the monthly rent budget, never the purchase budget."""
    assert _problems("La renta es de $32,000 MXN al mes.", RENTAL) == ()
    assert "says it is within the lead's budget, which it is not" in _problems(
        "La renta es de $32,000 MXN al mes, dentro de tu presupuesto.", RENTAL
    )
    in_budget = LeadFacts(name="Ana", rent_max_budget=35_000, max_budget=1_000_000)
    assert _problems("Está dentro de tu presupuesto.", RENTAL, in_budget) == ()
    unknown = LeadFacts(name="Ana", max_budget=40_000)  # a purchase budget only
    assert _problems("Está dentro de tu presupuesto.", RENTAL, unknown)
    dollars = LeadFacts(name="Ana", max_budget=6_000_000, currency="USD")
    assert _problems("Está dentro de tu presupuesto.", FLAT, dollars)


def test_a_listing_that_does_not_say_is_never_answered_for_it() -> None:
    assert _problems("El depósito es de $64,000 MXN.", RENTAL) == ()
    assert _problems("Tiene 1 recámara.", RENTAL) == ()
    assert "states a pet policy the listing does not give" in _problems(
        "Sí, se aceptan mascotas.", RENTAL
    )
    assert "states parking the listing does not give" in _problems("Tiene estacionamiento.", RENTAL)
    assert _problems("Tiene 1 baño.", RENTAL) == ("1 bathrooms the listing does not state",)
    assert _problems("Sobre las mascotas, se lo pregunto a Jorge.", RENTAL) == ()
    assert _problems("I'll check with Jorge whether pets are allowed.", RENTAL) == ()


def test_numbers_in_quoted_names_and_the_description_are_not_claims() -> None:
    house = PropertyFacts(
        title="Casa de 2 pisos", location="Lomas", price=9_000_000, address="Calle 5 de Mayo 18"
    )
    assert _problems("Casa de 2 pisos está en Calle 5 de Mayo 18.", house, LeadFacts()) == ()
    # A number the model copied from the description is still a claim of its own.
    assert _problems("Tiene 5 baños de lujo.") != ()


def test_an_empty_reply_states_nothing() -> None:
    assert check_reply(None, FLAT, ANA).ok
    assert check_reply("", FLAT, ANA).ok
    verdict = check_reply("Tiene 5 baños.", FLAT, ANA)
    assert not verdict.ok and "bathrooms" in verdict.reason


@pytest.mark.parametrize(
    ("text", "promises"),
    [
        ("Se lo pregunto a Jorge y te aviso.", True),
        ("Le paso su mensaje a Jorge para que le responda.", True),
        ("Jorge te confirma la cita.", True),
        ("I'll check with Sarah and get back to you.", True),
        ("Sarah will call you tomorrow.", True),
        ("Tiene 2.5 baños. ¿Te gustaría verla?", False),
        ("Gracias por avisarme, Ana. No te escribo más.", False),
        ("Listo, no recibirás más mensajes nuestros.", False),
        (None, False),
    ],
)
def test_a_promise_of_the_brokers_answer(text: str | None, promises: bool) -> None:
    assert promises_broker(text) is promises
