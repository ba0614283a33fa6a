"""What the lead reads when the day they asked for cannot be had, and when one slot is left."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from app.viewings.wording import Voice, offer

MX = ZoneInfo("America/Mexico_City")
SUNDAY = datetime(2026, 12, 13, tzinfo=MX)
SATURDAY = datetime(2026, 12, 12, tzinfo=MX)
TUESDAY = [datetime(2026, 12, 15, 10, tzinfo=MX), datetime(2026, 12, 15, 12, tzinfo=MX)]


def test_a_day_without_viewing_hours_is_not_called_fully_booked() -> None:
    english = offer(Voice("en", first_name="Sarah"), "the house", TUESDAY, SUNDAY, closed=True)
    usted = offer(Voice("es", "USTED", "José"), "la casa", TUESDAY, SATURDAY, closed=True)

    assert "There are no viewings on Sundays." in english.body
    assert "booked" not in english.body
    assert "Los sábados no hay visitas." in usted.body


def test_a_day_whose_hours_are_taken_is_said_to_be_booked() -> None:
    english = offer(Voice("en", first_name="Sarah"), "the house", TUESDAY, SUNDAY)
    tu = offer(Voice("es", first_name="Ana"), "la casa", TUESDAY, SATURDAY)

    assert "Sunday is fully booked." in english.body
    assert "El sábado 12 ya no tengo horario." in tu.body


def test_one_slot_is_asked_about_not_offered_as_a_choice() -> None:
    one = offer(Voice("es", "USTED", "José"), "la casa", TUESDAY[:1], None)
    two = offer(Voice("en"), "the house", TUESDAY, None)

    assert one.body.endswith("¿Le queda bien?")
    assert "Cuál" not in one.body
    assert two.body.endswith("Which works best for you?")
