"""Questions answered from the listing's own facts and amenities, in the lead's words (Bogotá,
Mexico City, Austin), and every question the listing cannot answer promised with a task that
says what was asked; a hesitant lead, a viewing asked and a call asked are read for what they
are. Read as the broker whose name is on the message."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from app.conversations.guard import promises_broker
from app.conversations.intents import Intent
from app.conversations.models import ConversationStatus, TaskKind
from app.conversations.replies import (
    LeadFacts,
    PropertyFacts,
    Turn,
    financing_noted,
    handoff_summary,
)
from app.conversations.understanding import understand
from tests.support.answering import answer_message

LEAD = LeadFacts(name="Ana Martínez")
BOGOTA = PropertyFacts(
    title="Apartamento en Chapinero Alto",
    location="Chapinero Alto",
    city="Bogotá",
    price=850_000_000,
    currency="COP",
    bedrooms=3,
    bathrooms=2,
    parking_spaces=1,
    maintenance_fee=350_000,
    built_area_m2=90,
    amenities=("Chimenea", "Gimnasio", "Cocina integral"),
    description="Apartamento con estudio, chimenea y vista a los cerros.",
)
AUSTIN = PropertyFacts(
    title="3BR home in Mueller",
    location="Mueller",
    city="Austin",
    price=650_000,
    currency="USD",
    bedrooms=3,
    bathrooms=2.5,
    built_area_m2=180,
    maintenance_fee=120,
    amenities=("Solar panels", "Fenced yard", "Wine cellar"),
)
NOW = datetime(2026, 12, 7, 18, 0, tzinfo=UTC)
VOICES = ("TU", "USTED")


async def _reply(message: str, listing: PropertyFacts, formality: str = "TU", lead=LEAD):
    """What the offline agent answers, the conversation's state after it and its tasks."""
    answered = await answer_message(
        message,
        listing,
        lead,
        now=NOW,
        sender_name="Inmobiliaria Andina",
        agent="Tom" if listing is AUSTIN else "Sofía",
        formality=formality,
        language="en" if listing is AUSTIN else "es",
    )
    if promises_broker(answered.reply):  # every promise has its task
        assert answered.tasks, answered.reply
    return answered.reply, answered.tasks, answered.transition


@pytest.mark.parametrize("formality", VOICES)
@pytest.mark.parametrize(
    ("message", "stated"),
    [
        ("tiene parqueadero?", "Tiene 1 parqueadero."),
        ("Hola! el apto tiene parqueadero??", "Tiene 1 parqueadero."),
        ("¿Tiene garaje?", "Tiene 1 lugar de estacionamiento."),
        ("cuanto es la administración", "La administración es de $350,000 COP al mes."),
        ("y la administracion cuanto sale?", "La administración es de $350,000 COP al mes."),
        ("¿cuánto se paga de mantenimiento?", "El mantenimiento es de $350,000 COP al mes."),
        ("Tiene chimenea?", "Sí, tiene chimenea."),
        ("tiene chimnea?", "Sí, tiene chimenea."),
        ("¿Hay gimnacio en el edificio?", "Sí, tiene gimnasio."),
        ("la cocina es integral?", "Sí, tiene cocina integral."),
    ],
)
async def test_a_colombian_lead_is_answered_from_the_listings_own_facts(
    message: str, stated: str, formality: str
) -> None:
    said, tasks, _ = await _reply(message, BOGOTA, formality)
    assert said.startswith(stated), said
    assert "$850" not in said and tasks == []


@pytest.mark.parametrize(
    ("message", "stated"),
    [
        ("Does the house have solar?", "Yes, it has solar panels."),
        ("any solar panels on the roof?", "Yes, it has solar panels."),
        ("is the yard fenced?", "Yes, it has a fenced yard."),
        ("does it have a wine cellar?", "Yes, it has a wine cellar."),
        ("whats the HOA", "The HOA fee is $120 USD per month."),
    ],
)
async def test_a_us_lead_is_answered_from_the_listings_own_amenities(
    message: str, stated: str
) -> None:
    said, tasks, _ = await _reply(message, AUSTIN)
    assert said.startswith(stated), said
    assert tasks == []


async def test_an_amenity_the_listing_does_not_list_is_never_confirmed() -> None:
    said, tasks, _ = await _reply("tiene piscina?", BOGOTA)
    assert "Sí" not in said and ("piscina" in said or "alberca" in said)
    assert [task.kind for task in tasks] == [TaskKind.QUESTION]
    said, tasks, _ = await _reply("any fireplace?", AUSTIN)
    assert not said.startswith("Yes") and "fireplace" in said
    assert tasks[0].title.endswith(": la chimenea")


@pytest.mark.parametrize("formality", VOICES)
@pytest.mark.parametrize(
    ("message", "listing", "named"),
    [
        ("esta cerca del metro", BOGOTA, "el transporte cercano"),
        ("¿Está cerca de TransMilenio?", BOGOTA, "el transporte cercano"),
        ("que estrato es?", BOGOTA, "el estrato"),
        ("cuantos años tiene la casa", BOGOTA, "la antigüedad"),
        ("tiene estudio?", BOGOTA, "¿tiene estudio?"),
        ("is it in a good school district?", AUSTIN, "los colegios de la zona"),
        ("are utilities included", AUSTIN, "los servicios incluidos"),
        ("Does it have a doorman?", AUSTIN, "si tiene portería"),
        ("nice. is there a basketball court?", AUSTIN, "is there a basketball court?"),
        ("y tiene cuarto util?", BOGOTA, "¿y tiene cuarto util?"),
    ],
)
async def test_a_question_the_listing_cannot_answer_is_promised_and_its_task_names_it(
    message: str, listing: PropertyFacts, named: str, formality: str
) -> None:
    said, tasks, transition = await _reply(message, listing, formality)
    assert "Sofía" in said or "Tom" in said or "lo reviso" in said.lower()
    assert transition.status is ConversationStatus.WAITING
    questions = [task for task in tasks if task.kind is TaskKind.QUESTION]
    assert len(questions) == 1, tasks
    assert named in questions[0].title
    assert "una pregunta que la ficha no responde" not in questions[0].title


async def test_a_question_about_one_thing_is_named_back_to_the_lead() -> None:
    said, _, _ = await _reply("tiene estudio?", BOGOTA)
    assert (
        said == "Sobre si tiene estudio no tengo el dato confirmado; se lo pregunto a Sofía y"
        " te aviso."
    )
    said, _, _ = await _reply("tiene estudio?", BOGOTA, "USTED")
    assert said.endswith("se lo pregunto a Sofía y le aviso.")
    said, _, _ = await _reply("Is there a basketball court?", AUSTIN)
    assert said.startswith("About whether there is a basketball court, let me check with Tom")


@pytest.mark.parametrize(
    "message",
    [
        "Not sure yet, maybe. what's the square footage",
        "not sure tbh… how many sq ft is it?",
        "maybe, idk yet. what's the square footage?",
    ],
)
async def test_a_hesitant_lead_with_a_question_is_answered_not_closed(message: str) -> None:
    said, _, transition = await _reply(message, AUSTIN)
    assert transition.status is ConversationStatus.WAITING
    assert "1,938 sq ft" in said and "won't write again" not in said


@pytest.mark.parametrize(
    "message",
    [
        "no se todavia, tal vez. cuantos metros tiene?",
        "Todavía no estoy segura, ¿cuántos metros tiene?",
    ],
)
async def test_a_hesitant_spanish_lead_with_a_question_is_answered(message: str) -> None:
    said, _, transition = await _reply(message, BOGOTA, "USTED")
    assert transition.status is ConversationStatus.WAITING
    assert "90 m²" in said


@pytest.mark.parametrize(
    "message",
    [
        "Sofía, al final no se dio lo de Envigado, todavía tienes el apartaestudio?",
        "todavia lo tienen?",
        "¿Aún está disponible?",
        "hola, sigue disponible el apto?",
    ],
)
async def test_still_available_is_answered_from_the_listings_status(message: str) -> None:
    said, tasks, _ = await _reply(message, BOGOTA)
    assert said.startswith("Sí, sigue disponible."), said
    assert tasks == []
    sold, _, _ = await _reply(message, replace(BOGOTA, active=False))
    assert sold.startswith("Ya no está disponible.") and "sigue disponible" not in sold


async def test_the_leads_own_availability_is_not_the_listings() -> None:
    said, _, _ = await _reply("puedo verlo el sabado? estoy disponible en la tarde", BOGOTA)
    assert "sigue disponible" not in said and "te propongo" in said
    said, _, _ = await _reply("Can I see it Saturday? I'm available after 2", AUSTIN)
    assert "still available" not in said


@pytest.mark.parametrize(
    ("message", "formality"),
    [
        ("quisiera verla este miércoles en la tarde, ¿se puede?", "TU"),
        ("Quisiera conocerla el miércoles en la tarde, ¿sería posible?", "USTED"),
        ("can I see it wednesday afternoon? would that work?", "TU"),
    ],
)
async def test_a_viewing_request_gets_times_not_a_missing_fact(
    message: str, formality: str
) -> None:
    listing = AUSTIN if message.isascii() and " see " in message else BOGOTA
    said, tasks, _ = await _reply(message, listing, formality)
    assert "no tengo ese dato" not in said and "don't have that detail" not in said
    assert [task.kind for task in tasks] == [TaskKind.VIEWING]


@pytest.mark.parametrize(
    ("message", "listing", "formality", "phone"),
    [
        ("can tom call me? 512 555 0199", AUSTIN, "TU", "512 555 0199"),
        ("Could you have Tom give me a call at (512) 555-0199", AUSTIN, "TU", "(512) 555-0199"),
        ("llámame al 300 123 4567 porfa", BOGOTA, "TU", "300 123 4567"),
        ("¿Me puede marcar Sofía? mi cel es 310 555 1234", BOGOTA, "USTED", "310 555 1234"),
    ],
)
async def test_a_call_asked_with_a_number_is_the_brokers_call_task(
    message: str, listing: PropertyFacts, formality: str, phone: str
) -> None:
    said, tasks, _ = await _reply(message, listing, formality)
    assert "no tengo ese dato" not in said and "don't have that detail" not in said
    assert [task.kind for task in tasks] == [TaskKind.CALL_HOT_LEAD]
    assert tasks[0].title == f"Llamar a Ana Martínez al {phone}: pidió una llamada"
    assert phone not in said  # the lead's number is not read back
    if formality == "USTED":
        assert "le llama" in said and " te " not in f" {said} "


async def test_a_call_asked_without_a_number_uses_the_one_on_file_or_asks_for_it() -> None:
    said, tasks, _ = await _reply("me puedes llamar?", BOGOTA, lead=replace(LEAD, phone="+57 310"))
    assert said == "Claro, Ana. Sofía te llama en cuanto pueda."
    assert [task.title for task in tasks] == ["Llamar a Ana Martínez al +57 310: pidió una llamada"]
    said, tasks, _ = await _reply("call me please", AUSTIN)
    assert said == "Sure, Ana. What number can Tom call you at?" and tasks == []


async def test_a_question_beside_a_call_is_answered_too() -> None:
    said, tasks, _ = await _reply("tiene parqueadero? y me llamas al 300 123 4567", BOGOTA)
    assert said.startswith("Tiene 1 parqueadero.") and "te llama" in said
    assert [task.kind for task in tasks] == [TaskKind.CALL_HOT_LEAD]


def test_the_intent_of_a_hesitant_question_is_a_question() -> None:
    assert understand("Not sure yet, maybe. what's the square footage").intent is (
        Intent.PROPERTY_QUESTION
    )
    assert understand("esta cerca del metro").intent is Intent.PROPERTY_QUESTION


@pytest.mark.parametrize(
    ("message", "listing"),
    [
        ("no me llames porfa, mejor por aquí. tiene parqueadero?", BOGOTA),
        ("please don't call me, just text. does it have solar?", AUSTIN),
    ],
)
async def test_a_call_refused_is_no_call_task(message: str, listing: PropertyFacts) -> None:
    said, tasks, _ = await _reply(message, listing)
    assert "llama" not in said and "call you" not in said
    assert TaskKind.CALL_HOT_LEAD not in [task.kind for task in tasks]


@pytest.mark.parametrize(
    "body",
    [
        "Hola, ¿tiene parqueadero?\n\nSaludos,\nSofía Restrepo · Asesora · Inmobiliaria Andina\n"
        "310 555 1234",
        "Hola, ¿tiene parqueadero?\n\nEl lun, 7 dic 2026 a las 10:00, Sofía <s@andina.co> escribió:"
        "\n> Hola Ana, tengo un apartamento...\n> Saludos, Sofía Restrepo · Asesora · Andina",
        "Hola, ¿tiene parqueadero?\nOn Mon, Dec 7, 2026 at 10:00 AM Tom wrote:\n> Hi Ana",
    ],
)
def test_the_brokers_card_quotes_the_lead_not_the_quoted_email_or_signature(body: str) -> None:
    summary = handoff_summary(LEAD, BOGOTA, [Turn("INBOUND", body)], 40, language="es")
    assert summary.splitlines()[-1] == '- "Hola, ¿tiene parqueadero?"'
    assert "Asesora" not in summary and "escribió" not in summary


@pytest.mark.parametrize(
    ("answer", "language"),
    [
        ("Gracias, María. Se lo comento a Sofía para que te responda.", "es"),
        ("Thanks, Ann. I'll pass this on to Tom to get back to you.", "en"),
    ],
)
def test_financing_stated_is_thanked_once(answer: str, language: str) -> None:
    said = financing_noted(answer, "tengo el crédito aprobado", Intent.OTHER, language, "TU")
    assert said is not None
    assert said.lower().count("gracias") + said.lower().count("thank") == 1, said
    assert said.endswith(answer.split(". ", 1)[1])
