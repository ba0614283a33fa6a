"""A reply answers what the lead asked, only that, and every promise in it is the broker's task:
read as the broker whose name is on the message."""

from __future__ import annotations

from datetime import UTC, datetime

from app.conversations.guard import promises_broker
from app.conversations.intents import DeclineReason, Intent
from app.conversations.model import OfflineModel, ReplyContext
from app.conversations.models import TaskKind
from app.conversations.replies import LeadFacts, PropertyFacts, Turn, answer, own_voice
from app.conversations.understanding import understand
from tests.support.answering import answer_message

LEAD = LeadFacts(name="Ana Martínez", locations=("Polanco",), max_budget=6_000_000)
TOWER = PropertyFacts(
    title="Departamento en Polanco",
    location="Polanco",
    city="Ciudad de México",
    price=5_200_000,
    bedrooms=2,
    bathrooms=2.5,
    amenities=("Alberca", "Roof garden"),
    pets_allowed=True,
    address="Av. Presidente Masaryk 123, Polanco",
)
NOW = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
SIGNED_BY_JORGE = "Jorge Ramírez · Asesor inmobiliario · Polanco Realty"
SIGNED_BY_TEAM = "Equipo Polanco Realty"


async def _reply(message: str, listing: PropertyFacts = TOWER, sender: str = SIGNED_BY_TEAM):
    """What the offline agent answers, and the task the conversation gets for it."""
    answered = await answer_message(
        message, listing, LEAD, now=NOW, sender_name=sender, agent="Jorge"
    )
    if promises_broker(answered.reply):  # every promise has its task
        assert answered.tasks or answered.decision.intent is Intent.VIEWING_REQUEST, answered.reply
    return answered.reply, answered.tasks


async def test_amenities_are_answered_one_by_one_and_a_roof_garden_is_not_a_garden() -> None:
    said, tasks = await _reply("tiene alberca y esta amueblado?")
    assert said.startswith("Sí, tiene alberca. Sobre si está amueblado no tengo el dato")
    assert [task.kind for task in tasks] == [TaskKind.QUESTION]

    garden, tasks = await _reply("tiene jardin?")
    assert "tiene jardín" not in garden and "Sobre el jardín no tengo el dato" in garden
    assert tasks

    english, _ = await _reply("does it have a pool?")
    assert english.startswith("Yes, it has a pool.")  # the lead's language, not "alberca"


async def test_pets_allowed_does_not_settle_a_big_dog() -> None:
    small, tasks = await _reply("aceptan mascotas?")
    assert small.startswith("Sí, se aceptan mascotas.") and not tasks
    big, tasks = await _reply("tengo un perro grande, un labrador de 35 kg, hay problema??")
    assert big.startswith("Sí, se aceptan mascotas.")
    assert "el tamaño o el número de mascotas" in big
    assert [task.kind for task in tasks] == [TaskKind.QUESTION]


async def test_a_question_the_listing_has_no_field_for_is_promised_not_padded() -> None:
    for question in ("de que año es el edificio?", "how old is the building?"):
        said, tasks = await _reply(question)
        assert "bedroom" not in said and "recámara" not in said  # no facts nobody asked for
        assert [task.kind for task in tasks] == [TaskKind.QUESTION]
    more, tasks = await _reply("me interesa, mandame mas info")
    assert "2 recámaras" in more and not [t for t in tasks if t.kind is TaskKind.QUESTION]


async def test_lease_terms_and_financing_are_questions_for_the_broker_not_the_price() -> None:
    said, tasks = await _reply("y piden aval? contrato de cuanto tiempo?")
    assert "$5,200,000" not in said and "las condiciones del contrato" in said
    assert [task.kind for task in tasks] == [TaskKind.QUESTION]
    assert tasks[0].title.endswith("las condiciones del contrato")


async def test_the_price_asked_beside_a_viewing_request_is_answered() -> None:
    said, tasks = await _reply("how much is it? can i see it this week")
    assert said.startswith("It is listed at $5,200,000 MXN.")
    assert [task.kind for task in tasks] == [TaskKind.VIEWING]


async def test_an_offer_is_acknowledged_without_quoting_the_price_back() -> None:
    said, tasks = await _reply("te ofrezco 4.8 millones, como ves?")
    assert "$5,200,000" not in said and "oferta" in said
    assert [task.kind for task in tasks] == [TaskKind.HANDOFF]


async def test_a_greeting_gets_a_question_back_and_no_task() -> None:
    said, tasks = await _reply("Hola buenas tardes")
    assert said.startswith("¡Hola, Ana!") and "?" in said
    assert tasks == []


async def test_the_agent_who_signs_promises_in_the_first_person() -> None:
    assert own_voice("Jorge", SIGNED_BY_JORGE) and own_voice("Jorge", "Jorge\nPolanco Realty")
    assert not own_voice("Jorge", SIGNED_BY_TEAM) and not own_voice(None, SIGNED_BY_JORGE)
    own, _ = await _reply("tiene gimnasio?", sender=SIGNED_BY_JORGE)
    assert "lo reviso y te aviso" in own and "Jorge" not in own
    team, _ = await _reply("tiene gimnasio?", sender=SIGNED_BY_TEAM)
    assert "se lo pregunto a Jorge" in team
    other = answer(
        Intent.OTHER, "le paso el dato a mi esposo", LEAD, TOWER, "es", NOW, SIGNED_BY_JORGE,
        agent="Jorge",
    )  # fmt: skip
    assert other.text == "Gracias, Ana. Lo reviso y te respondo en breve."
    assert other.promise == "HANDOFF"
    # A question no field answers is a question all the same: "let me check", a QUESTION task.
    asked = answer(
        Intent.OTHER, "y la fibra?", LEAD, TOWER, "es", NOW, SIGNED_BY_JORGE, agent="Jorge"
    )
    assert asked.text == "Buena pregunta; no tengo ese dato a la mano. Lo reviso y te aviso."
    assert asked.promise == "QUESTION"


def test_asking_for_other_areas_is_a_decline_for_the_area() -> None:
    for said in (
        "este no me late mucho. tienen algo en Coyoacan o Narvarte, casa de preferencia?",
        "not for me. anything in Brooklyn?",
    ):
        understood = understand(said)
        assert understood.intent is Intent.NOT_INTERESTED
        assert understood.reason is DeclineReason.NOT_THIS_AREA


async def test_the_same_question_again_is_told_the_answer_is_on_its_way_not_the_same_words() -> (
    None
):
    """Asked twice before the broker answered: the second answer says it is still pending (the
    open task keeps the promise), never the first one word for word."""
    model = OfflineModel()

    async def ask(message: str, transcript: tuple[Turn, ...] = ()) -> str:
        decision = await model.understand_and_reply(
            ReplyContext(
                lead=LEAD,
                property=TOWER,
                message=message,
                language="es",
                qualification_score=0,
                now=NOW,
                transcript=transcript,
                sender_name=SIGNED_BY_TEAM,
                agent="Jorge",
            )
        )
        assert decision.promise == "QUESTION"
        return decision.reply or ""

    first = await ask("esta amueblado?")
    again = await ask(
        "si no esta amueblado no me sirve, esta amueblado?",
        (
            Turn("INBOUND", "esta amueblado?"),
            Turn("OUTBOUND", f"{first}\n\nSaludos,\n{SIGNED_BY_TEAM}"),
        ),
    )
    assert again != first
    assert again == "Sigo pendiente, Ana: en cuanto Jorge me confirme, te respondo."
    assert promises_broker(again)


RENTAL_WITH_DEPOSIT = PropertyFacts(
    title="Departamento en Polanco",
    location="Polanco",
    city="Ciudad de México",
    price=38_000,
    operation="RENT",
    bedrooms=2,
    deposit=76_000,
)


async def test_a_price_task_says_what_the_broker_has_to_do_or_there_is_none() -> None:
    """Before, every price reply got "Ana Martínez pregunta por el precio de …", even a deposit
    question the listing had answered."""
    said, tasks = await _reply("de cuanto es el deposito?", RENTAL_WITH_DEPOSIT)
    assert "$76,000" in said
    assert tasks == []  # answered from the listing: nothing is left for the broker

    said, tasks = await _reply("te ofrezco 4.8 millones, como ves?")
    assert [(task.kind, task.title) for task in tasks] == [
        (TaskKind.HANDOFF, "Responder la oferta de Ana Martínez por Departamento en Polanco")
    ]
    said, tasks = await _reply("se puede negociar el deposito?", RENTAL_WITH_DEPOSIT)
    assert "$76,000" in said
    assert [(task.kind, task.title) for task in tasks] == [
        (
            TaskKind.HANDOFF,
            "Responder a Ana Martínez si se pueden negociar las condiciones de Departamento en "
            "Polanco",
        )
    ]
    said, tasks = await _reply("cuanto cuesta?")
    assert "$5,200,000" in said
    assert [task.title for task in tasks] == [
        "Contactar a Ana Martínez sobre ofertas y formas de pago de Departamento en Polanco"
    ]
