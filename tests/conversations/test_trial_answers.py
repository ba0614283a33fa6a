"""What a QA broker trial found dropped or misread, read as the broker who signs the message:
every question gets its answer or a promise with its task, one topic is one topic, and a lead
who states how they pay is not asked back about credit."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from app.conversations.guard import check_reply
from app.conversations.intents import Intent
from app.conversations.models import TaskKind
from app.conversations.replies import LeadFacts, PropertyFacts, answer, first_message, pick_variant
from app.conversations.templates import FIRST_VARIANTS
from app.conversations.texts import first_text
from app.messaging.segments import sms_segments
from app.messaging.stop_line import stop_line
from tests.support.answering import answer_message

LEAD = LeadFacts(name="José Pérez")
HOUSE = PropertyFacts(
    title="Casa con jardín en Coyoacán",
    location="Del Carmen",
    city="Ciudad de México",
    price=8_500_000,
    bedrooms=3,
    bathrooms=2.5,
    parking_spaces=2,
    built_area_m2=110,
    maintenance_fee=2_500,
)
RENTAL = PropertyFacts(
    title="3BR house in Coral Gables",
    location="Coral Gables",
    city="Miami",
    price=5_600,
    currency="USD",
    operation="RENT",
    bedrooms=3,
    bathrooms=2,
    deposit=5_600,
    maintenance_fee=300,
)
NOW = datetime(2026, 12, 7, 18, 0, tzinfo=UTC)
TEAM = "Equipo Casa Rioja"


async def _reply(message: str, listing: PropertyFacts = HOUSE):
    answered = await answer_message(
        message,
        listing,
        LEAD,
        now=NOW,
        sender_name=TEAM,
        agent="Lucía",
        language="en" if listing is RENTAL else "es",
    )
    return answered.reply, answered.tasks


@pytest.mark.parametrize(
    ("message", "listing"),
    [
        ("¿cuánto es el predial?", HOUSE),
        ("doorman?", RENTAL),
        ("Sounds great! Is there a doorman?", RENTAL),
        ("la casa tiene estudio?", HOUSE),
        ("Me gusta, ¿se puede pagar parte en efectivo?", HOUSE),
        ("Thanks. Does it have a doorman", RENTAL),
    ],
)
async def test_a_question_the_listing_cannot_answer_is_promised_with_its_task(
    message: str, listing: PropertyFacts
) -> None:
    said, tasks = await _reply(message, listing)
    assert "pregunto a Lucía" in said or "check with Lucía" in said
    assert TaskKind.QUESTION in [task.kind for task in tasks]


async def test_a_question_beside_a_viewing_request_or_the_price_is_not_dropped() -> None:
    said, tasks = await _reply("¿La puedo ver el sábado? ¿cuánto es el predial?")
    assert "se lo pregunto a lucía" in said.lower() and "te propongo" in said
    assert [task.kind for task in tasks] == [TaskKind.VIEWING, TaskKind.QUESTION]
    said, tasks = await _reply("¿Cuál es el precio? ¿tiene estudio?")
    assert "$8,500,000 MXN" in said and "se lo pregunto a lucía" in said.lower()
    assert {task.kind for task in tasks} == {TaskKind.HANDOFF, TaskKind.QUESTION}


async def test_a_field_and_a_question_no_field_answers_are_both_taken_up() -> None:
    said, tasks = await _reply("¿tiene estacionamiento? ¿y estudio?")
    assert said == (
        "Tiene 2 lugares de estacionamiento. Sobre lo otro que me preguntas no tengo el dato"
        " confirmado; se lo pregunto a Lucía y te aviso."
    )
    assert [task.kind for task in tasks] == [TaskKind.QUESTION]


async def test_a_question_inside_thanks_is_answered_in_the_leads_words() -> None:
    said, tasks = await _reply("Thanks, I'm interested. Can you tell me the HOA fee…", RENTAL)
    assert (
        said == "You're welcome, José. The HOA fee is $300 USD per month. Would you like to see it?"
    )
    assert tasks == []


async def test_thanks_alone_and_small_talk_are_no_question() -> None:
    assert (await _reply("Gracias!"))[0] == ""
    said, tasks = await _reply("te ofrezco 8 millones, ¿cómo ves?")
    assert "oferta" in said and [task.kind for task in tasks] == [TaskKind.HANDOFF]


async def test_the_security_deposit_is_one_topic() -> None:
    said, tasks = await _reply("how much is the security deposit", RENTAL)
    assert said.startswith("The deposit is $5,600 USD.") and "security" not in said
    assert TaskKind.QUESTION not in [task.kind for task in tasks]


async def test_where_a_fact_is_included_is_no_question_about_the_lease() -> None:
    said, tasks = await _reply("Is parking included in the lease?", RENTAL)
    assert said == "About parking, let me check with Lucía and get back to you."
    assert tasks[0].title.endswith(": el estacionamiento")


async def test_financing_stated_is_a_signal_not_a_question_and_nothing_is_said_twice() -> None:
    said, tasks = await _reply("¿tiene estacionamiento? Pd. tengo preaprobado credito bancario")
    assert said == (
        "Gracias por contarme, lo tomo en cuenta. Tiene 2 lugares de estacionamiento."
        " ¿Te gustaría verla?"
    )
    assert tasks == []
    said, tasks = await _reply("Pd. tengo preaprobado credito bancario")
    assert said == "Gracias por contarme, lo tomo en cuenta. ¿Te gustaría verla?"
    assert "$8,500,000" not in said and tasks == []


async def test_financing_asked_is_still_the_brokers_question_once() -> None:
    said, tasks = await _reply("¿tiene estacionamiento? ¿aceptan crédito infonavit?")
    assert said.count("si acepta crédito") == 1
    assert [task.title.count("si acepta crédito") for task in tasks] == [1]


async def test_an_amenity_the_listings_own_title_names_is_confirmed() -> None:
    said, tasks = await _reply("Tiene jardín?")
    assert said == "Sí, tiene jardín. ¿Te gustaría verla?" and tasks == []
    # Named as missing in the title, or not named at all: the broker's to confirm.
    no_lift = PropertyFacts(title="Depa sin elevador en Roma", location="Roma Norte", price=1)
    said, tasks = await _reply("¿tiene elevador?", no_lift)
    assert "se lo pregunto a Lucía" in said and tasks


async def test_a_us_lead_reads_the_size_in_square_feet_beside_the_m2() -> None:
    said, _ = await _reply("110 m2 is how many sq ft?", replace(RENTAL, built_area_m2=110))
    assert said == "It has 110 m² (1,184 sq ft) of floor area. Would you like to see it?"
    made_up = check_reply("It has 1,500 sq ft.", replace(RENTAL, built_area_m2=110), LEAD)
    assert not made_up.ok


def _first(prop: PropertyFacts, language: str, formality: str, variant: str):
    return first_message(
        LeadFacts(name="José Pérez", locations=("Coyoacán",)),
        prop,
        {"location": 1},
        language,  # type: ignore[arg-type]
        "Lucía\nCasa Rioja",
        formality=formality,
        agent="Lucía",
        brokerage="Casa Rioja",
        variant=variant,
    )


def test_a_first_message_names_the_listing_as_a_phrase_and_each_place_once() -> None:
    coyoacan = replace(HOUSE, title="Casa en venta en Coyoacán", location="Del Carmen, Coyoacán")
    draft = _first(coyoacan, "es", "USTED", "b")
    assert "Acaba de entrar una casa en venta en Coyoacán, en Del Carmen, Ciudad de México," in (
        draft.body
    )
    assert draft.subject == "Casa en venta en Coyoacán en Del Carmen, Ciudad de México"
    condesa = replace(
        HOUSE, title="Departamento en renta en la Condesa", location="Condesa", operation="RENT"
    )
    assert "Tengo un departamento en renta en la Condesa, en Ciudad de México" in (
        _first(condesa, "es", "USTED", "a").body
    )


def test_an_english_title_is_named_by_kind_and_place_in_a_spanish_message() -> None:
    draft = _first(replace(RENTAL, amenities=("rooftop",)), "es", "TU", "a")
    assert "3BR house" not in draft.body and "una casa en Coral Gables" in draft.body
    said = answer(Intent.VIEWING_REQUEST, "¿la puedo ver?", LEAD, RENTAL, "es", NOW, TEAM)
    assert "Para ver la casa en Coral Gables te propongo" in (said.text or "")


def test_a_highlight_keeps_the_listings_own_word() -> None:
    draft = _first(replace(RENTAL, amenities=("rooftop",)), "en", "TU", "a")
    assert "A highlight: the rooftop." in draft.body and "roof garden" not in draft.body


@pytest.mark.parametrize("formality", ["TU", "USTED"])
def test_the_first_text_says_who_writes_and_from_which_brokerage(formality: str) -> None:
    coyoacan = replace(HOUSE, title="Casa en venta en Coyoacán", location="Del Carmen, Coyoacán")
    for agent, brokerage in (("Lucía Ferrer", "Inmobiliaria Casa Rioja"), ("Lucía", "Casa Rioja")):
        for prop, language in ((coyoacan, "es"), (RENTAL, "es"), (RENTAL, "en")):
            text = first_text(
                LEAD, prop, language, formality=formality, agent=agent, brokerage=brokerage
            )
            assert "Lucía" in text and brokerage in text, text
            assert sms_segments(f"{text}\n{stop_line(language, formality)}") <= 2


@pytest.mark.parametrize(("language", "formality"), [("es", "TU"), ("es", "USTED"), ("en", "TU")])
def test_the_first_message_variants_differ_and_are_spread(language: str, formality: str) -> None:
    bodies = {_first(HOUSE, language, formality, v).body for v in FIRST_VARIANTS}
    assert len(bodies) == len(FIRST_VARIANTS) >= 2
    picked = Counter(pick_variant(f"lead:{n}:property:7") for n in range(400))
    assert set(picked) == set(FIRST_VARIANTS) and min(picked.values()) > 150
