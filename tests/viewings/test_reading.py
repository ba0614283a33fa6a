"""The viewing reply parser over many phrasings, Spanish and English, typos and no accents."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from app.viewings.reading import ViewingReply, Wish, read_viewing_reply, read_wish

MX = ZoneInfo("America/Mexico_City")
TODAY = date(2026, 12, 7)  # a Monday
TUE_10 = datetime(2026, 12, 8, 10, tzinfo=MX)
TUE_13 = datetime(2026, 12, 8, 13, tzinfo=MX)
WED_11 = datetime(2026, 12, 9, 11, tzinfo=MX)
OFFERED = (TUE_10, TUE_13, WED_11)


def read(message: str, *, confirmed: datetime | None = None) -> ViewingReply | None:
    return read_viewing_reply(message, OFFERED, TODAY, confirmed=confirmed)


@pytest.mark.parametrize(
    "message",
    [
        "El martes a las 13:00 me queda perfecto",
        "el martes a la 1",
        "el martes a la una",
        "El Martes a la 1 porfa",
        "martes 1pm",
        "a las 13 hrs",
        "La de la 1 está bien",
        "la de las 13:00 xfa",
        "ok the second one",
        "the second",
        "la segunda",
        "opcion 2",
        "2",
        "Tuesday at 1 works",
        "tuesday 1:00 pm",
        "tues at 1 sounds good",
        "Perfecto, nos vemos el martes 8 a las 13:00",
        "el 8 a la 1",
        "mejor el martes a la 1",
        "si a las 13",
    ],
)
def test_a_lead_accepts_tuesday_at_one(message: str) -> None:
    assert read(message) == ViewingReply("ACCEPT", slot=TUE_13)


@pytest.mark.parametrize(
    ("message", "slot"),
    [
        ("the first", TUE_10),
        ("La primera porfavor", TUE_10),
        ("a las 10 está bien", TUE_10),
        ("10 esta bien", TUE_10),
        ("sí, el miércoles", WED_11),
        ("el miercoles a las 11 va", WED_11),
        ("la ultima", WED_11),
        ("ok the last one", WED_11),
        ("Wednesday 11am please", WED_11),
        ("at 11 is fine", WED_11),
    ],
)
def test_a_lead_names_a_slot_by_position_day_or_hour(message: str, slot: datetime) -> None:
    assert read(message) == ViewingReply("ACCEPT", slot=slot)


def test_a_day_with_two_slots_asks_which() -> None:
    assert read("el martes") == ViewingReply("CHOOSE", choices=(TUE_10, TUE_13))
    assert read("Tuesday works") == ViewingReply("CHOOSE", choices=(TUE_10, TUE_13))


@pytest.mark.parametrize(
    ("message", "day", "at"),
    [
        ("mejor el domingo", date(2026, 12, 13), None),
        ("Mejor el sabado en la mañana", date(2026, 12, 12), None),
        ("no puedo el martes, mejor el jueves a las 5", date(2026, 12, 10), time(17)),
        ("can we do thursday instead?", date(2026, 12, 10), None),
        ("how about friday at 10am", date(2026, 12, 11), time(10)),
        ("el jueves a las 11", date(2026, 12, 10), time(11)),
        ("¿puede ser mañana a las 4?", date(2026, 12, 8), time(16)),
        ("ninguno me queda", None, None),
        ("none of those work for me", None, None),
    ],
)
def test_a_lead_asks_for_another_time(message: str, day: date | None, at: time | None) -> None:
    assert read(message) == ViewingReply("RESCHEDULE", day=day, at=at)


@pytest.mark.parametrize(
    "message",
    [
        "ya no puedo",
        "Ya no puedo ir, lo siento",
        "No voy a poder ir",
        "se me complico, hay que cancelar",
        "can't make it, sorry",
        "I cant make it anymore",
        "something came up, please cancel",
    ],
)
def test_a_lead_cancels(message: str) -> None:
    assert read(message) == ViewingReply("CANCEL")
    assert read(message, confirmed=TUE_13) == ViewingReply("CANCEL")


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("ok nos vemos el martes", ViewingReply("KEEP")),  # the booking said back, kept
        ("gracias!", None),
        ("mejor el domingo", ViewingReply("RESCHEDULE", day=date(2026, 12, 13))),
        (
            "Could we move it to Friday at 10am?",
            ViewingReply("RESCHEDULE", day=date(2026, 12, 11), at=time(10)),
        ),
        (
            "¿Podemos cambiarla al jueves a las 5?",
            ViewingReply("RESCHEDULE", day=date(2026, 12, 10), at=time(17)),
        ),
    ],
)
def test_once_confirmed_only_changes_count(message: str, expected: ViewingReply | None) -> None:
    assert read(message, confirmed=TUE_13) == expected


@pytest.mark.parametrize(
    "message",
    [
        "¿Tiene estacionamiento?",
        "gracias",
        "Primero quiero saber si aceptan mascotas",
        "cuanto cuesta el mantenimiento?",
        "ok",
    ],
)
def test_other_messages_are_left_to_the_classifier(message: str) -> None:
    assert read(message) is None


def test_a_single_slot_is_accepted_with_a_plain_yes() -> None:
    assert read_viewing_reply("Sí, perfecto", (TUE_13,), TODAY) == ViewingReply(
        "ACCEPT", slot=TUE_13
    )
    assert read_viewing_reply("ok", (TUE_13,), TODAY) == ViewingReply("ACCEPT", slot=TUE_13)
    assert read_viewing_reply("¿sí hay estacionamiento?", (TUE_13,), TODAY) is None


SAT_10 = datetime(2026, 12, 12, 10, tzinfo=MX)
SAT_1030 = datetime(2026, 12, 12, 10, 30, tzinfo=MX)


@pytest.mark.parametrize(
    "message", ["10am sat works", "sat at 10 works", "el sabado a las 10", "a las 10 porfa"]
)
def test_an_hour_without_minutes_is_the_slot_on_the_hour(message: str) -> None:
    # QA: "10am sat works" was answered "At 10:00 AM or 10:30 AM?".
    reading = read_viewing_reply(message, (SAT_10, SAT_1030), TODAY)
    assert reading == ViewingReply("ACCEPT", slot=SAT_10)
    half = read_viewing_reply("10:30 sat works", (SAT_10, SAT_1030), TODAY)
    assert half == ViewingReply("ACCEPT", slot=SAT_1030)


WEEKDAYS = frozenset(range(5))


@pytest.mark.parametrize(
    ("message", "wish"),
    [
        ("solo puedo despues de las 7pm", Wish(after=time(19))),
        ("Solo puedo después de las 7", Wish(after=time(19))),
        ("depues de las 7 de la noche", Wish(after=time(19))),
        ("a partir de las 4", Wish(after=time(16))),
        ("weekday evening after 6", Wish(weekdays=WEEKDAYS, after=time(18))),
        ("entre semana despues de las 5", Wish(weekdays=WEEKDAYS, after=time(17))),
        ("de lunes a viernes en la mañana", Wish(weekdays=WEEKDAYS, until=time(12))),
        (
            "jueves en la tarde como a las 5",
            Wish(dates=(date(2026, 12, 10),), after=time(12), until=time(19), around=time(17)),
        ),
        ("el sabado en la manana", Wish(dates=(date(2026, 12, 12),), until=time(12))),
        ("can we do the weekend?", Wish(weekdays=frozenset((5, 6)))),
        ("I can only come before 2pm", Wish(ends_by=time(14))),
        ("antes de las 12", Wish(ends_by=time(12))),
        ("no puedo en las mañanas", Wish(after=time(12))),
        ("only in the evening", Wish(after=time(18))),
        ("en la noche", Wish(after=time(19))),
        ("ninguno me queda, no hay chance?", Wish()),
    ],
)
def test_the_hours_a_lead_can_come_are_read(message: str, wish: Wish) -> None:
    assert read_wish(message, TODAY) == wish


@pytest.mark.parametrize(
    "message",
    [
        "la puedo ver despues de 2 semanas?",
        "can I see it after 2 weeks?",
        "I'm coming from 5th avenue",
        "despues de 15 de diciembre",
        "after 10/12",
        "after 3 days",
    ],
)
def test_counts_and_dates_are_not_hours(message: str) -> None:
    wish = read_wish(message, TODAY)
    assert (wish.after, wish.until, wish.ends_by) == (None, None, None)


def test_hours_the_lead_can_come_are_not_a_time_to_book() -> None:
    # "después de las 7" is not 19:00 sharp, nor the offered 13:00.
    assert read("solo puedo despues de las 7pm") == ViewingReply("RESCHEDULE")
    assert read("mejor el jueves despues de las 5") == ViewingReply(
        "RESCHEDULE", day=date(2026, 12, 10)
    )
    # An offered slot inside them, on the day named, is the one chosen.
    assert read("el martes en la tarde") == ViewingReply("ACCEPT", slot=TUE_13)
    assert read("el martes en la mañana") == ViewingReply("ACCEPT", slot=TUE_10)


SAT_12 = datetime(2026, 12, 12, 12, tzinfo=MX)


@pytest.mark.parametrize(
    "message",
    [
        # QA: Ricardo's confirmation replaced his booking with three new times.
        "Fernanda confirmo lo del sabado, llevo a mi esposa. Ya tenemos el credito y queremos "
        "firmar antes de navidad",
        "confirmado el sabado a las 12, ahi estare",
        "si ahi nos vemos el sabado, voy con mi novia",
        "sigue en pie lo del sábado? ya tengo el crédito aprobado",
        "Buenas tardes, le confirmo la visita del sábado a mediodía",
        "Confirming Saturday at noon, my wife is coming too. We're preapproved",
        "still on for saturday right?",
        "see you saturday!",
    ],
)
def test_a_lead_who_confirms_the_booked_viewing_keeps_it(message: str) -> None:
    assert read(message, confirmed=SAT_12) == ViewingReply("KEEP")


@pytest.mark.parametrize(
    ("message", "day", "at"),
    [
        # QA: "pasarla" was no change, "se me cruzó" a cancellation.
        ("uy se me cruzó algo, podemos pasarla para el martes en la tarde?", TUE_13.date(), None),
        ("surgio algo, la podemos mover al lunes?", date(2026, 12, 14), None),
        ("se me complico, me la cambias para el jueves a las 4?", date(2026, 12, 10), time(16)),
        ("Disculpe, se me atravesó un compromiso, ¿podríamos hacerla el viernes en la mañana?",
         date(2026, 12, 11), None),
        ("no voy a poder el sabado, el martes a las 10?", TUE_10.date(), time(10)),
        ("pasala para el miercoles porfa", date(2026, 12, 9), None),
        ("something came up, can we push it to tuesday afternoon?", TUE_13.date(), None),
        ("cant make it saturday anymore, could we do monday at 11 instead", date(2026, 12, 14),
         time(11)),
        ("can we postpone to friday", date(2026, 12, 11), None),
    ],
)  # fmt: skip
def test_a_change_with_a_cannot_is_a_reschedule_not_a_cancellation(
    message: str, day: date, at: time | None
) -> None:
    assert read(message, confirmed=SAT_12) == ViewingReply("RESCHEDULE", day=day, at=at)


@pytest.mark.parametrize(
    "message",
    [
        "se me cruzo algo, ya no voy a poder ir",
        "no voy a poder el sabado, lo siento",
        "something came up, I can't make it saturday",
    ],
)
def test_a_cannot_without_another_time_still_cancels(message: str) -> None:
    assert read(message, confirmed=SAT_12) == ViewingReply("CANCEL")
