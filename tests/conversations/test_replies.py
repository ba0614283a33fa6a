"""Messages the lead reads: real facts, the right language, slots in business hours."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from app.conversations.intents import Intent
from app.conversations.replies import (
    LeadFacts,
    PropertyFacts,
    Turn,
    answer,
    first_message,
    follow_up_message,
    format_price,
    handoff_summary,
    viewing_slots,
)

LEAD = LeadFacts(
    name="ana lópez",
    email="ana@example.com",
    phone="+525512345678",
    locations=("Polanco",),
    min_budget=4_000_000,
    max_budget=5_000_000,
    bedrooms=3,
)
FLAT = PropertyFacts(
    title="Departamento con terraza",
    location="Polanco",
    city="Ciudad de México",
    price=4_500_000,
    bedrooms=3,
    bathrooms=2.5,
    description="Luminoso, con terraza de 20 m2. Incluye 2 cajones de estacionamiento.",
)
FULL_MATCH = {"location": 30, "price": 25, "bedrooms": 15, "recency": 10, "quality": 2}
# Friday 9 May 2025, 09:00 in Mexico City.
NOW = datetime(2025, 5, 9, 15, 0, tzinfo=UTC)
BANNED = ("As an AI", "como IA", "Great news", "inteligencia artificial")


def test_price_is_formatted_with_currency_and_thousands() -> None:
    assert format_price(FLAT, "es") == "$4,500,000 MXN"
    rental = PropertyFacts(title="Loft", location="Roma", price=25_000, operation="RENT")
    assert format_price(rental, "es") == "$25,000 MXN al mes"
    assert format_price(rental, "en") == "$25,000 MXN per month"


def test_first_message_in_spanish_says_why_it_fits() -> None:
    draft = first_message(LEAD, FLAT, FULL_MATCH, "es", sender_name="Laura")
    assert draft.subject == "Departamento con terraza en Polanco, Ciudad de México"
    assert draft.body.startswith("Hola, Ana.")
    assert "la zona que buscabas" in draft.body
    assert "las 3 recámaras que querías" in draft.body
    assert "$4,500,000 MXN, dentro de tu presupuesto" in draft.body
    assert draft.body.endswith("Saludos,\nLaura")
    assert not any(phrase in draft.body for phrase in BANNED)
    assert len(draft.body.split()) < 90


def test_first_message_in_english_mentions_only_what_matches() -> None:
    draft = first_message(LEAD, FLAT, {"location": 30, "price": 0, "bedrooms": 0}, "en")
    assert draft.body.startswith("Hi Ana,")
    assert "an apartment in Polanco, in Ciudad de México, where you were looking" in draft.body
    assert "It has 3 bedrooms and it is listed at $4,500,000 MXN." in draft.body
    assert "within your budget" not in draft.body
    assert "you wanted" not in draft.body


def test_first_message_without_a_name_stays_polite() -> None:
    draft = first_message(LeadFacts(name=""), FLAT, {}, "es")
    assert draft.body.startswith("Hola. Tengo en venta un departamento con terraza")


def test_two_follow_ups_are_different_and_gentle() -> None:
    first = follow_up_message(LEAD, FLAT, "es", 1)
    second = follow_up_message(LEAD, FLAT, "es", 2)
    assert first.body != second.body
    # The listing inside the sentence, with its article, and its pronoun agreeing with it.
    assert "¿Pudiste ver lo del departamento con terraza?" in first.body
    assert first.body.endswith("un par de horarios para conocerlo.")
    assert "no pasa nada" in second.body
    assert "isn't right for you" in follow_up_message(LEAD, FLAT, "en", 2).body


def test_viewing_slots_are_the_next_business_days_at_local_hours() -> None:
    slots = viewing_slots(NOW, "America/Mexico_City")
    zone = ZoneInfo("America/Mexico_City")
    assert [slot.isoformat() for slot in slots] == [
        datetime(2025, 5, 12, 10, tzinfo=zone).isoformat(),
        datetime(2025, 5, 13, 13, tzinfo=zone).isoformat(),
        datetime(2025, 5, 14, 17, tzinfo=zone).isoformat(),
    ]
    assert all(slot > NOW and slot.weekday() < 5 for slot in slots)


@pytest.mark.parametrize("day", range(1, 15))
def test_viewing_slots_are_always_future_weekdays(day: int) -> None:
    now = datetime(2025, 6, day, 23, 30, tzinfo=UTC)
    slots = viewing_slots(now, "Europe/Madrid")
    assert len(slots) == 3
    assert all(slot > now for slot in slots)
    assert all(slot.weekday() < 5 for slot in slots)
    assert [slot.hour for slot in slots] == [10, 13, 17]
    assert len({slot.date() for slot in slots}) == 3


def test_viewing_request_offers_three_slots_and_the_broker_confirms() -> None:
    reply = answer(Intent.VIEWING_REQUEST, "¿Puedo verla?", LEAD, FLAT, "es", NOW, "Laura")
    assert reply.text == (
        "¡Claro, Ana! Para ver el departamento con terraza te propongo:\n"
        "- el lunes 12 de mayo a las 10:00\n"
        "- el martes 13 de mayo a las 13:00\n"
        "- el miércoles 14 de mayo a las 17:00\n"
        "¿Cuál te acomoda? Laura te confirma la cita."
    )
    assert len(reply.viewing_slots) == 3
    english = answer(Intent.VIEWING_REQUEST, "Can I see it?", LEAD, FLAT, "en", NOW)
    assert "- Monday, May 12 at 10:00 AM" in (english.text or "")
    assert "- Wednesday, May 14 at 5:00 PM" in (english.text or "")


def test_price_answer_states_the_price_and_hands_negotiation_to_the_broker() -> None:
    es = answer(Intent.PRICE_OR_OFFER, "¿es negociable?", LEAD, FLAT, "es", NOW, "Laura").text
    assert es is not None
    assert "$4,500,000 MXN" in es and "negociable" in es and "Laura" in es
    en = answer(Intent.PRICE_OR_OFFER, "how much?", LEAD, FLAT, "en", NOW).text
    assert en is not None
    assert en.startswith("The apartment in Polanco is listed at $4,500,000 MXN.")


def test_property_question_answers_from_the_listing_and_defers_the_rest() -> None:
    text = answer(
        Intent.PROPERTY_QUESTION,
        "¿Tiene estacionamiento? ¿Aceptan mascotas?",
        LEAD,
        FLAT,
        "es",
        NOW,
        "Laura",
    ).text
    # The description mentions parking, but only the listing's fields are facts: neither
    # field is set, so both questions go to the broker.
    assert text == (
        "Sobre el estacionamiento y las mascotas no tengo el dato confirmado; se lo pregunto a"
        " Laura y te aviso."
    )
    rooms = answer(Intent.PROPERTY_QUESTION, "How many bedrooms?", LEAD, FLAT, "en", NOW).text
    assert rooms is not None and rooms.startswith("It has 3 bedrooms.")


def test_acknowledgement_gets_no_answer() -> None:
    assert answer(Intent.ACKNOWLEDGEMENT, "Gracias 👍", LEAD, FLAT, "es", NOW).text is None


@pytest.mark.parametrize(
    ("intent", "language", "expected"),
    [
        (Intent.OPT_OUT, "es", "Listo, no recibirás más mensajes nuestros."),
        (Intent.OPT_OUT, "en", "Done. You won't receive more messages from us."),
        (
            Intent.TOO_EXPENSIVE,
            "es",
            "Entiendo, Ana. ¿Hasta cuánto te gustaría invertir? Así te aviso si aparece algo "
            "que te acomode.",
        ),
        (
            Intent.NOT_INTERESTED,
            "en",
            "Thanks for letting me know, Ana. I won't write again about the apartment "
            "in Polanco. All the best!",
        ),
        (
            Intent.RENT_ONLY,
            "es",
            "Entendido, Ana: buscas rentar. Te aviso cuando aparezca algo en renta que te acomode.",
        ),
    ],
)
def test_closing_and_refusal_answers(intent: Intent, language: str, expected: str) -> None:
    assert answer(intent, "", LEAD, FLAT, language, NOW).text == expected  # type: ignore[arg-type]


def test_interest_answer_recaps_the_facts() -> None:
    text = answer(Intent.INTERESTED, "me interesa", LEAD, FLAT, "es", NOW).text
    assert text == (
        "¡Qué gusto, Ana! El departamento con terraza: Polanco, Ciudad de México, 3 recámaras, "
        "2.5 baños, por $4,500,000 MXN. ¿Quieres que te proponga horarios para ir a verlo?"
    )


def test_handoff_summary_lets_the_broker_pick_up_without_asking_again() -> None:
    transcript = [
        Turn("OUTBOUND", "Hola, Ana. Tengo una propiedad..."),
        Turn("INBOUND", "¿Tiene estacionamiento?", Intent.PROPERTY_QUESTION),
        Turn("OUTBOUND", "Según la ficha: Incluye 2 cajones de estacionamiento."),
        Turn("INBOUND", "Me interesa, ¿puedo verla el sábado?"),
    ]
    summary = handoff_summary(LEAD, FLAT, transcript, 85)
    assert summary.splitlines() == [
        "ana lópez · ana@example.com · +525512345678",
        "Property: Departamento con terraza, Polanco, Ciudad de México ($4,500,000 MXN)",
        "Qualification: 85/100",
        "Lead: asked about the property; wants a viewing.",
        "Looking for: areas Polanco, budget 4,000,000-5,000,000 MXN, 3 bedrooms.",
        "In their words:",
        '- "¿Tiene estacionamiento?"',
        '- "Me interesa, ¿puedo verla el sábado?"',
        "Last said by the assistant: Según la ficha: Incluye 2 cajones de estacionamiento.",
    ]


def test_a_spanish_brokerage_reads_the_handoff_card_in_spanish() -> None:
    transcript = [
        Turn("OUTBOUND", "Hola, Ana. Tengo una propiedad..."),
        Turn("INBOUND", "¿Tiene estacionamiento?", Intent.PROPERTY_QUESTION),
        Turn("INBOUND", "ok gracias", Intent.ACKNOWLEDGEMENT),
    ]
    summary = handoff_summary(LEAD, FLAT, transcript, 40, language="es")
    assert summary.splitlines() == [
        "ana lópez · ana@example.com · +525512345678",
        "Propiedad: Departamento con terraza, Polanco, Ciudad de México ($4,500,000 MXN)",
        "Calificación: 40/100",
        "Lead: preguntó sobre la propiedad.",
        "Busca: zonas Polanco, presupuesto 4,000,000-5,000,000 MXN, 3 recámaras.",
        "En sus palabras:",
        '- "¿Tiene estacionamiento?"',
        '- "ok gracias"',
        "Lo último que dijo el asistente: Hola, Ana. Tengo una propiedad...",
    ]


def test_viewing_slots_fall_on_the_day_the_lead_asked_for() -> None:
    from app.conversations.replies import viewing_slots

    wednesday_noon = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)  # 12:00 in Mexico City
    saturday = viewing_slots(
        wednesday_noon, "America/Mexico_City", "¿la puedo ver el sábado en la mañana?"
    )
    assert [(s.strftime("%A"), s.hour) for s in saturday] == [
        ("Saturday", 10),
        ("Saturday", 13),
        ("Saturday", 17),
    ]
    tomorrow = viewing_slots(wednesday_noon, "America/Mexico_City", "Can I see it tomorrow?")
    assert {s.strftime("%A %d") for s in tomorrow} == {"Thursday 26"}
    plain = viewing_slots(wednesday_noon, "America/Mexico_City", "¿la puedo ver?")
    assert [s.strftime("%A") for s in plain] == ["Thursday", "Friday", "Monday"]


def test_a_text_message_folds_the_sign_off_into_its_last_line() -> None:
    from app.conversations.replies import as_text_message

    body = "Hola, Ana. Tengo algo para ti.\n\n¿Te gustaría verla?\n\nSaludos,\nCasa Ana"
    assert (
        as_text_message(body) == "Hola, Ana. Tengo algo para ti.\n¿Te gustaría verla?\n– Casa Ana"
    )
    assert as_text_message("Thanks!") == "Thanks!"


@pytest.mark.parametrize(
    ("language", "formality", "highlight"),
    [("es", "TU", " Destaca: Alberca."), ("es", "USTED", " Destaca: Alberca."),
     ("en", "TU", " A highlight: a pool.")],
)  # fmt: skip
def test_the_first_message_highlights_what_the_title_does_not_already_say(
    language: str, formality: str, highlight: str
) -> None:
    """Before: "Departamento con balcón en Polanco ... Destaca: Balcón." (the title's own
    word); now the first amenity the title does not say, and none when it says them all."""
    with_balcony = PropertyFacts(
        **{
            **FLAT.__dict__,
            "title": "Departamento con balcón en Polanco",
            "amenities": ("Balcón", "Alberca"),
        }
    )
    body = first_message(
        LEAD, with_balcony, {}, language, "Jorge", formality=formality, agent="Jorge"
    ).body  # type: ignore[arg-type]
    assert highlight in body
    assert "Balcón." not in body and "balcony." not in body
    all_said = PropertyFacts(**{**with_balcony.__dict__, "amenities": ("Balcón",)})
    body = first_message(LEAD, all_said, {}, language, "Jorge", formality=formality).body  # type: ignore[arg-type]
    assert "Destaca" not in body and "highlight" not in body


@pytest.mark.parametrize(
    ("title", "it"),
    [
        ("Casa con jardín en Coyoacán", "verla"),
        ("Departamento en Polanco", "verlo"),
        ("Apartaestudio en Laureles", "verlo"),
        ("Apartamento en Chapinero", "verlo"),
        ("3BR house in Coral Gables", "verla"),
        ("Condo in Brickell", "verlo"),
        ("Torre Anzures 5B", "verla"),  # no kind: "la propiedad"
    ],
)
def test_the_listing_is_spoken_of_in_its_own_gender(title: str, it: str) -> None:
    listing = replace(FLAT, title=title)
    more = answer(Intent.INTERESTED, "me interesa", LEAD, listing, "es", NOW).text or ""
    assert more.endswith(f"ir a {it}?"), more
    first = first_message(LEAD, listing, {}, "es").body
    pronoun = it.removeprefix("ver")  # "la" or "lo", in either variant's closing question
    assert first.endswith((f"ir a ver{pronoun}?", f"conocer{pronoun}?")), first


def test_a_colombian_title_is_named_with_its_article() -> None:
    studio = replace(FLAT, title="Apartaestudio en Laureles", location="Laureles", city="Medellín")
    first = first_message(LEAD, studio, {}, "es").body
    assert "Tengo en venta un apartaestudio en Laureles" in first, first
    follow = follow_up_message(LEAD, studio, "es", 1).body
    assert "¿Pudiste ver lo del apartaestudio en Laureles?" in follow, follow


@pytest.mark.parametrize(
    "message",
    [
        "Sí me interesa mucho. ¿Qué más me puedes contar de la casa?",
        "me interesa, dime mas",
        "que mas me puede platicar?",
    ],
)
def test_asking_for_more_gets_the_listings_summary_not_a_promise(message: str) -> None:
    said = answer(Intent.INTERESTED, message, LEAD, FLAT, "es", NOW)
    assert said.promise is None, said.text
    assert "3 recámaras" in (said.text or "")
    assert "no tengo" not in (said.text or "")
