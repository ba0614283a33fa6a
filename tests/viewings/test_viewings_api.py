"""Viewings through the public API: the brokerage's hours, slots offered, accepted, confirmed
with a calendar invite, reminded the day before, moved and cancelled by the lead and the broker."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from app.core.runtime import Runtime
from app.viewings.tasks import send_viewing_reminders
from tests.conftest import Api, error_codes
from tests.support.jobs import drain_jobs

MX = ZoneInfo("America/Mexico_City")

UPDATE_BROKERAGE = """mutation($i: UpdateBrokerageInput!) { updateBrokerage(input: $i) {
  timezone availability { weekday startTime endTime } } }"""
CREATE_LEAD = "mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }"
CREATE_PROPERTY = "mutation($i: PropertyInput!) { createProperty(input: $i) { id } }"
CONVERSATIONS = """{ conversations(first: 10) { edges { node { id lead { name } } } } }"""
RECEIVE = """mutation($i: ReceiveLeadMessageInput!) { receiveLeadMessage(input: $i) {
  id status nextAction
  viewing { id status startsAt endsAt offeredSlots lead { name } property { title } }
  tasks { kind title summary done }
  messages { direction channel subject body intent segments } } }"""
VIEWINGS = """query($s: ViewingStatus) { viewings(first: 10, status: $s) {
  totalCount edges { node { id status startsAt conversation { id } } } } }"""
STATS = "{ crmSyncStats { aiActivity { meetingsScheduled } } }"
CANCEL = "mutation($id: ID!) { cancelViewing(id: $id) { id status } }"
RESCHEDULE = """mutation($id: ID!, $at: DateTime!) { rescheduleViewing(id: $id, startsAt: $at) {
  id status startsAt endsAt } }"""

ANA = {
    "name": "Ana Martínez",
    "email": "ana@example.com",
    "phone": "+52 55 1234 5678",
    "locations": ["Polanco"],
    "maxBudget": 6_000_000,
    "bedrooms": 3,
    "language": "es",
}
BOB = {
    "name": "Bob Stone",
    "email": "bob@example.com",
    "locations": ["Polanco"],
    "maxBudget": 9_000_000,
    "language": "en",
}
LISTING = {
    "title": "Departamento en Polanco",
    "location": "Polanco",
    "city": "Ciudad de México",
    "price": 5_200_000,
    "currency": "MXN",
    "bedrooms": 3,
    "bathrooms": 2,
    "operation": "SALE",
    "description": "Luminoso, con balcón.",
}
HOURS = [
    {"weekday": "TUESDAY", "startTime": "10:00", "endTime": "14:00"},
    {"weekday": "WEDNESDAY", "startTime": "16:00", "endTime": "19:00"},
]


def _unsigned(body: str) -> str:
    """A message's words without the e-mail's sign-off and signature (e-mails always carry
    them; texts never do)."""
    for closing in ("\n\nSaludos,\n", "\n\nBest,\n"):
        body = body.split(closing)[0]
    return body


def at(day: int, hour: int, minute: int = 0) -> str:
    """A December 2026 local time in Mexico City, as the API writes it (UTC)."""
    return datetime(2026, 12, day, hour, minute, tzinfo=MX).astimezone(UTC).isoformat()


async def _setup(api: Api, runtime: Runtime) -> dict[str, str]:
    await api.sign_up()
    hours = await api.ok(UPDATE_BROKERAGE, {"i": {"availability": HOURS}})
    assert hours["updateBrokerage"]["availability"] == HOURS
    for lead in (ANA, BOB):
        await api.ok(CREATE_LEAD, {"i": lead})
    await api.ok(CREATE_PROPERTY, {"i": LISTING})
    await drain_jobs(runtime)
    edges = (await api.ok(CONVERSATIONS))["conversations"]["edges"]
    return {e["node"]["lead"]["name"]: e["node"]["id"] for e in edges}


async def _say(api: Api, conversation_id: str, body: str, channel: str = "SMS") -> dict[str, Any]:
    data = await api.ok(
        RECEIVE, {"i": {"conversationId": conversation_id, "channel": channel, "body": body}}
    )
    conversation: dict[str, Any] = data["receiveLeadMessage"]
    return conversation


def _invites(runtime: Runtime) -> list[tuple[dict[str, Any], Any]]:
    """The e-mails delivered with a calendar attached, in the order they were queued, and
    their parsed calendar."""
    path = runtime.settings.data_dir / "outbox.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    records = (json.loads(line) for line in lines)  # the sign-up e-mail is there too
    sent = sorted((r for r in records if r.get("attachment")), key=lambda record: record["id"])
    return [(record, Calendar.from_ical(record["attachment"]["content"])) for record in sent]


async def test_availability_is_checked(api: Api) -> None:
    await api.sign_up()
    for window, problem in (
        ({"weekday": "MONDAY", "startTime": "25:00", "endTime": "26:00"}, "25:00"),
        ({"weekday": "MONDAY", "startTime": "12:00", "endTime": "12:30"}, "shorter"),
    ):
        body = await api(UPDATE_BROKERAGE, {"i": {"availability": [window]}})
        assert error_codes(body) == ["BAD_USER_INPUT"]
        assert problem in body["errors"][0]["message"]
    cleared = await api.ok(UPDATE_BROKERAGE, {"i": {"availability": []}})
    assert cleared["updateBrokerage"]["availability"] == []


async def test_a_slot_offered_accepted_confirmed_with_an_invite_and_reminded_once(
    api: Api, runtime: Runtime, sunday_noon: Any
) -> None:
    conversations = await _setup(api, runtime)
    ana = conversations["Ana Martínez"]

    offered = await _say(api, ana, "Hola, ¿la puedo ver esta semana?")

    viewing = offered["viewing"]
    assert viewing["status"] == "PROPOSED"
    assert viewing["offeredSlots"] == [at(8, 10), at(8, 13), at(9, 16)]
    offer = offered["messages"][-1]
    assert offer["channel"] == "SMS"
    assert _unsigned(offer["body"]) == (
        "Claro, Ana. Para ver Departamento en Polanco te propongo el martes 8 de diciembre a "
        "las 10:00 o a las 13:00, o el miércoles 9 a las 16:00. ¿Cuál te queda mejor?"
    )
    assert offered["status"] == "WAITING"
    assert "VIEWING" not in {t["kind"] for t in offered["tasks"]}

    confirmed = await _say(api, ana, "El martes a las 13:00 me queda perfecto")

    assert confirmed["viewing"]["status"] == "CONFIRMED"
    assert (confirmed["viewing"]["startsAt"], confirmed["viewing"]["endsAt"]) == (
        at(8, 13),
        at(8, 14),
    )
    assert confirmed["status"] == "HANDED_OFF"
    text, email = confirmed["messages"][-2:]
    assert (text["channel"], email["channel"]) == ("SMS", "EMAIL")
    # Booked by text: one short text with the day and the hour, the full message by e-mail.
    assert text["body"] == (
        "Listo, Ana: tu visita es el martes 8 de diciembre a las 13:00. Te mando la dirección "
        "antes. Te mandé la invitación a tu correo."
    )
    assert text["segments"] <= 2
    # The e-mail carries the invite: it says so, not that it was sent elsewhere.
    body, _, signature = email["body"].partition("\n\nSaludos,\n")
    assert body == (
        "Listo, Ana: tu visita a Departamento en Polanco quedó agendada para el martes 8 de "
        "diciembre a las 13:00. Te mando la dirección exacta antes de la visita. Te "
        "adjunto la invitación para tu calendario. Un día antes te la recuerdo; si algo "
        "cambia, avísame."
    )
    assert signature  # an e-mail always closes with the sign-off and the signature
    assert email["subject"] == "Visita confirmada: Departamento en Polanco"
    task = next(t for t in confirmed["tasks"] if t["kind"] == "VIEWING")
    assert task["title"] == (
        "Visita con Ana Martínez: martes 8 de diciembre, 13:00 (enviar la dirección)"
    )
    assert "Visita confirmada para el martes 8 de diciembre a las 13:00." in task["summary"]
    assert task["done"] is False

    await drain_jobs(runtime)
    [(record, calendar)] = _invites(runtime)
    assert record["to"] == "ana@example.com"
    assert calendar["method"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    start = event.decoded("dtstart")
    assert start == datetime(2026, 12, 8, 13, tzinfo=MX)
    assert str(start.tzinfo) == "America/Mexico_City"
    assert event.decoded("dtend") == datetime(2026, 12, 8, 14, tzinfo=MX)
    assert str(event["location"]) == "Polanco, Ciudad de México"
    assert str(event["summary"]) == "Visita: Departamento en Polanco"
    assert str(event["attendee"]) == "mailto:ana@example.com"
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["America/Mexico_City"]

    stats = await api.ok(STATS)
    assert stats["crmSyncStats"]["aiActivity"]["meetingsScheduled"] == 1

    # Another lead asking for the same listing is not offered Ana's time.
    bob = await _say(api, conversations["Bob Stone"], "Can I see it on Tuesday?", "EMAIL")
    assert bob["viewing"]["offeredSlots"] == [at(8, 10), at(8, 11), at(8, 12)]
    assert _unsigned(bob["messages"][-1]["body"]) == (
        "Of course, Bob. To see Departamento en Polanco I can offer Tuesday, December 8 at "
        "10:00 AM, 11:00 AM or 12:00 PM. Which works best for you?"
    )  # an e-mail answer is signed (06bd469)

    # Monday 13:05: a day before the viewing, the reminder goes once, by text.
    sunday_noon.move_to(datetime(2026, 12, 7, 13, 5, tzinfo=MX))
    assert await send_viewing_reminders({"runtime": runtime}) == 1
    assert await send_viewing_reminders({"runtime": runtime}) == 0
    reminded = await _say(api, ana, "Gracias 👍")
    reminders = [m for m in reminded["messages"] if "Te recuerdo" in m["body"]]
    assert [(m["channel"], m["body"]) for m in reminders] == [
        (
            "SMS",
            "Hola, Ana. Te recuerdo tu visita a Departamento en Polanco mañana, martes 8 de "
            "diciembre, a las 13:00. Si algo cambia, avísame.",
        )
    ]


@pytest.mark.parametrize(
    ("acceptance", "hour"),
    [
        ("el martes a la 1", 13),
        ("ok the second one", 13),
        ("a las 10 está bien", 10),
        ("la primera porfa", 10),
        ("el miercoles a las 4 xfa", 16),
    ],
)
async def test_acceptances_in_many_words_confirm_the_slot_named(
    api: Api, runtime: Runtime, sunday_noon: Any, acceptance: str, hour: int
) -> None:
    ana = (await _setup(api, runtime))["Ana Martínez"]
    await _say(api, ana, "¿Cuándo la puedo ver?")
    confirmed = await _say(api, ana, acceptance)
    assert confirmed["viewing"]["status"] == "CONFIRMED"
    day = 9 if hour == 16 else 8
    assert confirmed["viewing"]["startsAt"] == at(day, hour)


async def test_english_confirmation_and_a_day_with_two_slots_asks_which(
    api: Api, runtime: Runtime, sunday_noon: Any
) -> None:
    bob = (await _setup(api, runtime))["Bob Stone"]
    await _say(api, bob, "I'd love to see it, when can I visit?", "EMAIL")

    which = await _say(api, bob, "Tuesday works", "EMAIL")
    assert which["viewing"]["status"] == "PROPOSED"
    assert (
        _unsigned(which["messages"][-1]["body"])
        == "Great. On Tuesday, December 8, at 10:00 AM or 1:00 PM?"
    )

    confirmed = await _say(api, bob, "1pm please", "EMAIL")
    assert confirmed["viewing"]["startsAt"] == at(8, 13)
    email = confirmed["messages"][-1]
    assert _unsigned(email["body"]) == (
        "Done, Bob: your viewing of Departamento en Polanco is booked for Tuesday, December 8 "
        "at 1:00 PM. I'll send you the exact address before the viewing. The calendar "
        "invite is attached. I'll remind you the day before; if anything changes, just let me "
        "know."
    )
    assert email["segments"] is None
    await drain_jobs(runtime)
    [(record, calendar)] = _invites(runtime)
    assert record["subject"] == "Viewing confirmed: Departamento en Polanco"
    assert str(calendar.walk("VEVENT")[0]["summary"]) == "Viewing: Departamento en Polanco"


async def test_the_lead_moves_then_cancels_and_the_invite_follows(
    api: Api, runtime: Runtime, sunday_noon: Any
) -> None:
    ana = (await _setup(api, runtime))["Ana Martínez"]
    await _say(api, ana, "¿La puedo ver?")
    await _say(api, ana, "la segunda")

    moved = await _say(api, ana, "Perdón, mejor el miércoles a las 5")
    assert moved["viewing"]["status"] == "CONFIRMED"
    assert moved["viewing"]["startsAt"] == at(9, 17)
    assert "miércoles 9 de diciembre a las 17:00" in moved["messages"][-1]["body"]

    asked = await _say(api, ana, "mejor el domingo")  # no viewings on Sundays: other days offered
    assert asked["viewing"]["status"] == "PROPOSED"
    assert asked["messages"][-1]["body"].startswith(
        "Claro, Ana. Los domingos no hay visitas. Para ver Departamento en Polanco te "
        "propongo el martes 8 de diciembre"
    )
    # Wednesday at 5 is no longer booked: the broker's task says so, not "go on Wednesday".
    [moving] = [t for t in asked["tasks"] if t["kind"] == "VIEWING"]
    assert (
        moving["title"]
        == "Visita con Ana Martínez: pidió cambiar la del miércoles 9 de diciembre, 17:00"
    )
    assert "ya no está agendada" in moving["summary"] and not moving["done"]
    rebooked = await _say(api, ana, "el martes a las 10")
    [booked] = [t for t in rebooked["tasks"] if t["kind"] == "VIEWING"]
    assert booked["title"].startswith("Visita con Ana Martínez: martes 8 de diciembre, 10:00")

    cancelled = await _say(api, ana, "Ya no puedo ir, lo siento")
    assert cancelled["viewing"]["status"] == "CANCELLED"
    assert _unsigned(cancelled["messages"][-1]["body"]) == (
        "Entendido, Ana: cancelé tu visita del martes 8 de diciembre a las 10:00. Cuando "
        "quieras, buscamos otro horario."
    )
    assert [t["done"] for t in cancelled["tasks"] if t["kind"] == "VIEWING"] == [True]
    stats = await api.ok(STATS)
    assert stats["crmSyncStats"]["aiActivity"]["meetingsScheduled"] == 0

    await drain_jobs(runtime)
    calendars = [calendar for _, calendar in _invites(runtime)]
    events = [c.walk("VEVENT")[0] for c in calendars]
    assert [(c["method"], e["sequence"]) for c, e in zip(calendars, events, strict=True)] == [
        ("REQUEST", 0),
        ("REQUEST", 1),
        ("REQUEST", 3),
        ("CANCEL", 4),
    ]
    assert len({str(e["uid"]) for e in events}) == 1


async def test_the_broker_moves_and_cancels_and_the_lead_is_told(
    api: Api, runtime: Runtime, sunday_noon: Any
) -> None:
    ana = (await _setup(api, runtime))["Ana Martínez"]
    await _say(api, ana, "¿La puedo ver?")
    booked = await _say(api, ana, "el martes a la 1")
    viewing_id = booked["viewing"]["id"]

    past = await api(RESCHEDULE, {"id": viewing_id, "at": at(5, 10)})
    assert error_codes(past) == ["BAD_USER_INPUT"]

    moved = await api.ok(RESCHEDULE, {"id": viewing_id, "at": "2026-12-09T18:00:00"})
    assert moved["rescheduleViewing"]["startsAt"] == at(9, 18)
    data = await api.ok(VIEWINGS, {"s": "CONFIRMED"})
    assert [e["node"]["startsAt"] for e in data["viewings"]["edges"]] == [at(9, 18)]
    told = await _say(api, ana, "ok")
    # Ana booked by text: a short text says the new time, the e-mail the whole message.
    news = {
        m["channel"]: m for m in told["messages"] if "mover" in m["body"] or "Movimos" in m["body"]
    }
    assert sorted(news) == ["EMAIL", "SMS"]
    email, text = news["EMAIL"], news["SMS"]
    assert _unsigned(email["body"]) == (
        "Hola, Ana. Tuvimos que mover tu visita a Departamento en Polanco: ahora es el "
        "miércoles 9 de diciembre a las 18:00. Si no te queda, dime y buscamos otro horario."
    )
    assert text["body"] == (
        "Hola, Ana. Movimos tu visita a Departamento en Polanco: ahora es el miércoles 9 de "
        "diciembre a las 18:00. ¿Te queda?"
    )
    assert text["segments"] <= 2

    cancelled = await api.ok(CANCEL, {"id": viewing_id})
    assert cancelled["cancelViewing"]["status"] == "CANCELLED"
    again = await api(CANCEL, {"id": viewing_id})
    assert error_codes(again) == ["CONFLICT"]
    told = await _say(api, ana, "ok")
    sorry = sorted(
        (m for m in told["messages"] if "cancelar" in m["body"]), key=lambda m: m["channel"]
    )
    assert [(m["channel"], _unsigned(m["body"])) for m in sorry] == [
        (
            "EMAIL",
            "Hola, Ana. Lo siento: tenemos que cancelar tu visita a Departamento en Polanco del "
            "miércoles 9 de diciembre a las 18:00. ¿Te propongo otro horario?",
        ),
        (
            "SMS",
            "Hola, Ana. Lo siento: tenemos que cancelar tu visita a Departamento en Polanco del "
            "miércoles 9 de diciembre a las 18:00. ¿Te propongo otro horario?",
        ),
    ]
    assert sorry[1]["segments"] <= 2

    await drain_jobs(runtime)
    methods = [c["method"] for _, c in _invites(runtime)]
    assert methods == ["REQUEST", "REQUEST", "CANCEL"]

    other = await api.sign_up("eve@example.com", "Otra")
    body = await api(CANCEL, {"id": viewing_id}, token=other)
    assert error_codes(body) == ["NOT_FOUND"]


async def test_a_lead_who_opts_out_takes_the_booked_viewing_with_them(
    api: Api, runtime: Runtime, sunday_noon: Any
) -> None:
    ana = (await _setup(api, runtime))["Ana Martínez"]
    await _say(api, ana, "¿La puedo ver?")
    await _say(api, ana, "el martes a la 1")

    stopped = await _say(api, ana, "Ya no me escribas, por favor")

    assert stopped["status"] == "OPTED_OUT"
    assert stopped["viewing"]["status"] == "CANCELLED"
    assert [t["done"] for t in stopped["tasks"] if t["kind"] == "VIEWING"] == [True]
    assert stopped["messages"][-1]["direction"] == "INBOUND"  # nothing more is said
    assert (await api.ok(STATS))["crmSyncStats"]["aiActivity"]["meetingsScheduled"] == 0


async def test_a_clear_time_the_lead_accepts_is_booked_not_asked_again(
    api: Api, runtime: Runtime, sunday_noon: Any
) -> None:
    # Saturday's short window: its two slots are half an hour apart.
    bob = (await _setup(api, runtime))["Bob Stone"]
    short = [{"weekday": "SATURDAY", "startTime": "10:00", "endTime": "11:30"}]
    await api.ok(UPDATE_BROKERAGE, {"i": {"availability": short}})
    offered = await _say(api, bob, "Can I see it on Saturday?", "EMAIL")
    assert offered["viewing"]["offeredSlots"] == [at(12, 10), at(12, 10, 30)]

    confirmed = await _say(api, bob, "10am sat works", "EMAIL")

    assert confirmed["viewing"]["status"] == "CONFIRMED"
    assert confirmed["viewing"]["startsAt"] == at(12, 10)
    assert confirmed["messages"][-1]["body"].startswith(
        "Done, Bob: your viewing of Departamento en Polanco is booked for Saturday, December 12 "
        "at 10:00 AM."
    )


async def test_a_listing_without_an_address_is_booked_with_the_address_to_follow(
    api: Api, runtime: Runtime, sunday_noon: Any
) -> None:
    ana = (await _setup(api, runtime))["Ana Martínez"]
    await _say(api, ana, "¿La puedo ver?")

    confirmed = await _say(api, ana, "el martes a la 1")

    assert confirmed["viewing"]["status"] == "CONFIRMED"
    assert _unsigned(confirmed["messages"][-1]["body"]) == (
        "Listo, Ana: tu visita a Departamento en Polanco quedó agendada para el martes 8 de "
        "diciembre a las 13:00. Te mando la dirección exacta antes de la visita. Te "
        "adjunto la invitación para tu calendario. Un día antes te la recuerdo; si algo "
        "cambia, avísame."
    )
    [task] = [t for t in confirmed["tasks"] if t["kind"] == "VIEWING"]
    assert task["title"] == (
        "Visita con Ana Martínez: martes 8 de diciembre, 13:00 (enviar la dirección)"
    )
    assert (
        "Envía al lead la dirección exacta: la propiedad no tiene una registrada."
        in (task["summary"])
    )

    # With an address, it is said and the task asks for nothing more.
    listing = await api.ok("{ properties(first: 1) { edges { node { id } } } }")
    listing_id = listing["properties"]["edges"][0]["node"]["id"]
    await api.ok(
        "mutation($id: ID!, $i: UpdatePropertyInput!) { updateProperty(id: $id, input: $i) {"
        " id } }",
        {"id": listing_id, "i": {"address": "Av. Masaryk 123"}},
    )
    moved = await _say(api, ana, "mejor el martes a las 10")
    assert moved["messages"][-1]["body"].startswith(
        "Listo, Ana: tu visita a Departamento en Polanco quedó agendada para el martes 8 de "
        "diciembre a las 10:00, en Av. Masaryk 123. Te adjunto"
    )
    [task] = [t for t in moved["tasks"] if t["kind"] == "VIEWING" and not t["done"]]
    assert task["title"] == "Visita con Ana Martínez: martes 8 de diciembre, 10:00"
    assert "dirección exacta" not in task["summary"]


async def test_a_lead_who_books_by_email_gets_no_text_and_a_text_booker_the_address(
    api: Api, runtime: Runtime, sunday_noon: Any
) -> None:
    ana = (await _setup(api, runtime))["Ana Martínez"]
    listing = await api.ok("{ properties(first: 1) { edges { node { id } } } }")
    await api.ok(
        "mutation($id: ID!, $i: UpdatePropertyInput!) { updateProperty(id: $id, input: $i) {"
        " id } }",
        {
            "id": listing["properties"]["edges"][0]["node"]["id"],
            "i": {"address": "Av. Presidente Masaryk 123, Polanco"},
        },
    )
    await _say(api, ana, "¿La puedo ver?", "EMAIL")
    booked = await _say(api, ana, "el martes a la 1", "EMAIL")
    assert booked["viewing"]["status"] == "CONFIRMED"
    viewing_id = booked["viewing"]["id"]
    await api.ok(RESCHEDULE, {"id": viewing_id, "at": "2026-12-09T18:00:00"})
    await api.ok(CANCEL, {"id": viewing_id})
    told = await _say(api, ana, "ok", "EMAIL")
    first_reply = next(i for i, m in enumerate(told["messages"]) if m["direction"] == "INBOUND")
    outbound = [m for m in told["messages"][first_reply:] if m["direction"] == "OUTBOUND"]
    assert len(outbound) >= 4  # slots, booked, moved, cancelled
    # Everything went by e-mail, where Ana writes: no text repeats it.
    assert [m["body"] for m in outbound if m["channel"] == "SMS"] == []

    # Booked by text, the text gives the day, the hour and the address in two segments.
    await _say(api, ana, "¿La puedo ver el martes?")
    rebooked = await _say(api, ana, "a las 10 está bien")
    assert rebooked["viewing"]["status"] == "CONFIRMED"
    text, email = rebooked["messages"][-2:]
    assert (text["channel"], email["channel"]) == ("SMS", "EMAIL")
    assert text["body"] == (
        "Listo: tu visita es el martes 8 de diciembre a las 10:00, en Av. Presidente Masaryk "
        "123, Polanco. Te mandé la invitación a tu correo."
    )
    assert text["segments"] <= 2
    assert "Un día antes te la recuerdo" in email["body"]
