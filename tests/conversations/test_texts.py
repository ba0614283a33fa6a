"""The first text's own template: within two segments with its stop line, accents kept."""

from __future__ import annotations

import pytest

from app.conversations.replies import LeadFacts, PropertyFacts
from app.conversations.texts import first_text
from app.messaging.segments import sms_encoding, sms_segments
from app.messaging.stop_line import stop_line

ANA = LeadFacts(name="Ana Martínez")
POLANCO = PropertyFacts(
    title="Departamento en Polanco",
    location="Polanco",
    city="Ciudad de México",
    price=5_200_000,
    bedrooms=3,
)
LONG = PropertyFacts(
    title="Espectacular penthouse con roof garden privado y vista panorámica al bosque",
    location="Bosques de las Lomas",
    city="Cuajimalpa de Morelos, Ciudad de México",
    price=28_500_000,
    bedrooms=4,
    operation="RENT",
)


@pytest.mark.parametrize("listing", [POLANCO, LONG])
@pytest.mark.parametrize(("language", "formality"), [("es", "TU"), ("es", "USTED"), ("en", "TU")])
@pytest.mark.parametrize("agent", [None, "Jorge", "María Fernanda Gutiérrez"])
def test_a_first_text_with_its_stop_line_costs_at_most_two_segments(
    listing: PropertyFacts, language: str, formality: str, agent: str | None
) -> None:
    text = first_text(
        ANA, listing, language, formality=formality, agent=agent, brokerage="Polanco Realty"
    )
    assert sms_segments(f"{text}\n{stop_line(language, formality)}") <= 2
    assert text.startswith("Hola, Ana." if language == "es" else "Hi Ana,")


def test_spanish_keeps_its_accents_and_its_form_of_address() -> None:
    tu = first_text(ANA, POLANCO, "es", agent="Jorge", brokerage="Casa Sol")
    usted = first_text(ANA, POLANCO, "es", formality="USTED", agent="Jorge", brokerage="Casa Sol")
    # UCS-2 (the stop line's "más"): 134 characters in two segments, so the size goes first.
    assert (
        tu
        == "Hola, Ana. Soy Jorge, de Casa Sol. Departamento en Polanco: $5,200,000 MXN. ¿Te interesa?"
    )
    assert usted == tu.replace("¿Te interesa?", "¿Le interesa?")
    assert sms_encoding(f"{tu}\n{stop_line('es')}") == "UCS-2"
    assert sms_segments(f"{usted}\nResponda BAJA para no recibir más mensajes") == 2
    # Without a brokerage name to say, the room count fits, accent and all.
    short = first_text(ANA, POLANCO, "es", agent="Jorge")
    assert (
        short
        == "Hola, Ana. Soy Jorge. Departamento en Polanco: 3 recámaras, $5,200,000 MXN. ¿Te interesa?"
    )


def test_english_is_gsm_and_says_more() -> None:
    text = first_text(
        LeadFacts(name="bob stone"),
        POLANCO,
        "en",
        agent="Jorge",
        brokerage="Casa Sol",
        breakdown={"price": 25},
    )
    assert text == (
        "Hi Bob, this is Jorge from Casa Sol. An apartment in Polanco: 3 bedrooms, "
        "$5,200,000 MXN, within your budget. Interested?"
    )
    assert sms_segments(f"{text}\nReply STOP to opt out") == 1


def test_a_long_listing_drops_details_before_it_overflows() -> None:
    text = first_text(ANA, LONG, "es", formality="USTED", agent="Jorge", brokerage="Lomas Realty")
    assert "Espectacular" not in text  # the title is too long for a text
    assert "Bosques de las Lomas" in text
    assert sms_segments(f"{text}\n{stop_line('es', 'USTED')}") <= 2


@pytest.mark.parametrize("listing", [POLANCO, LONG])
@pytest.mark.parametrize(("language", "formality"), [("es", "TU"), ("es", "USTED"), ("en", "TU")])
def test_who_writes_and_the_price_are_the_last_things_a_first_text_gives_up(
    listing: PropertyFacts, language: str, formality: str
) -> None:
    """A long name and brokerage ("Lucía Ferrer, de Casa Rioja Inmobiliaria"): the text still
    says who writes (at least the first name) and from which brokerage, dropping the city, the
    bedrooms and then the price first."""
    text = first_text(
        ANA,
        listing,
        language,
        formality=formality,
        agent="Lucía Ferrer",
        brokerage="Casa Rioja Inmobiliaria",
    )
    assert sms_segments(f"{text}\n{stop_line(language, formality)}") <= 2
    assert ("Soy Lucía" if language == "es" else "this is Lucía") in text
    if listing is POLANCO:  # who writes names the brokerage too (a very long place aside)
        assert "Casa Rioja Inmobiliaria" in text
