"""The fact guard over every viewing message: what the rules compose always passes it (for
any time, title, address, language and formality), and a message stating a time the viewing
does not have is held: the lead gets a line with no fact in it and the broker a task."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.accounts.availability import DEFAULT_WINDOWS, Window
from app.accounts.models import Brokerage
from app.conversations.models import Conversation
from app.core.runtime import Runtime
from app.leads.models import Lead
from app.properties.models import ListingOperation, Property
from app.viewings import service, wording
from tests.conftest import Api
from tests.viewings.test_viewings_api import _say, _setup

MX = ZoneInfo("America/Mexico_City")

TITLES = ["Departamento en Polanco", "Depto 2 rec. Roma Norte 301", "Casa con jardín"]
ADDRESSES = ["", "Av. Presidente Masaryk 123, Polanco", "Calle 5 de Mayo 40, int. 2"]
VOICES = [
    wording.Voice("es", "TU", "Ana"),
    wording.Voice("es", "USTED", None),
    wording.Voice("en", "TU", "Bob"),
]


def _parties(title: str, address: str) -> service.Parties:
    brokerage = Brokerage(name="Polanco Realty", timezone="America/Mexico_City", language="es")
    lead = Lead(name="Ana Martínez", email="ana@example.com", phone="+525512345678")
    listing = Property(
        title=title,
        location="Polanco",
        city="Ciudad de México",
        price=5_200_000,
        currency="MXN",
        bedrooms=3,
        bathrooms=2.5,
        operation=ListingOperation.SALE,
        description="",
        address=address or None,
    )
    return service.Parties(Conversation(id=1), lead, listing, brokerage)


def _messages(voice: wording.Voice, title: str, address: str, at: datetime) -> list[Any]:
    later = at + timedelta(days=1, hours=3, minutes=30)
    return [
        (wording.offer(voice, title, [at, later], None), (at, later)),
        (wording.offer(voice, title, [later], at), (later, at)),
        (wording.which_time(voice, [at, at + timedelta(hours=3)]), (at, at + timedelta(hours=3))),
        (wording.confirmation(voice, title, at, address, invite_by_email=True), (at,)),
        (wording.confirmation(voice, title, at, address, False, agent="Jorge Ruiz"), (at,)),
        (wording.none_suit(voice, "Jorge Ruiz"), ()),
        (wording.moved_by_broker(voice, title, at, address), (at,)),
        (wording.cancelled_by_broker(voice, title, at), (at,)),
        (wording.cancelled_by_lead(voice, at), (at,)),
        (wording.cancelled_by_lead(voice, None), ()),
        (wording.reminder(voice, title, at, address), (at,)),
    ]


# Every message's text and e-mail wordings are checked (about 20,000 guard runs): on the
# shared 2-core machine this takes over two minutes.
@pytest.mark.timeout(360)
def test_every_viewing_message_the_rules_compose_passes_the_guard() -> None:
    hours = [datetime(2026, 12, 8, 9, tzinfo=MX) + timedelta(hours=h, minutes=m) for h in
             range(0, 11) for m in (0, 30)]  # fmt: skip
    days = [timedelta(days=d) for d in (0, 3, 25, 30)]  # into January too
    held = []
    for title, address, voice in itertools.product(TITLES, ADDRESSES, VOICES):
        parties = _parties(title, address)
        for hour, day in itertools.product(hours, days):
            for said, times in _messages(voice, title, address, hour + day):
                if not service._backed(parties, said, times):
                    held.append(said.body)
    assert held == []


@pytest.mark.parametrize(
    ("body", "times_said"),
    [
        ("Listo: tu visita quedó agendada para el martes 8 de diciembre a las 9:00.", 0),
        ("Listo: tu visita quedó el miércoles 9 a las 13:00.", 0),
        ("Te propongo el martes 8 a las 13:00; el depa tiene 4 recámaras.", 1),
        ("Te recuerdo tu visita mañana a las 13:00 en Masaryk 123.", 1),
    ],
)
def test_a_time_place_or_fact_the_viewing_does_not_have_is_held(body: str, times_said: int) -> None:
    tuesday_one = datetime(2026, 12, 8, 13, tzinfo=MX)
    parties = _parties("Departamento en Polanco", "Av. Presidente Masaryk 456")
    times = (tuesday_one,) if times_said else (tuesday_one - timedelta(hours=1),)
    assert not service._backed(parties, wording.Said("", body), times)


async def test_a_held_confirmation_tells_the_lead_nothing_wrong_and_the_broker_writes_instead(
    api: Api, runtime: Runtime, sunday_noon: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    conversations = await _setup(api, runtime)
    ana = conversations["Ana Martínez"]
    await _say(api, ana, "Hola, ¿la puedo ver esta semana?")

    # A template edited badly: it states an hour an hour off the one booked.
    def off_by_an_hour(voice: wording.Voice, title: str, at: datetime, *args: Any, **kw: Any):
        return wording.Said("Visita", f"Listo: tu visita a {title} es a las {at.hour - 1}:00.")

    monkeypatch.setattr(wording, "confirmation", off_by_an_hour)
    confirmed = await _say(api, ana, "El martes a las 13:00 me queda perfecto")

    assert confirmed["viewing"]["status"] == "CONFIRMED"  # the booking itself stands
    sent = [m for m in confirmed["messages"] if m["direction"] == "OUTBOUND"][-2:]
    assert {m["channel"] for m in sent} == {"SMS", "EMAIL"}
    for message in sent:
        assert "12:00" not in message["body"]
        assert message["body"].startswith("Gracias, Ana. ")
        # Ana signs: she writes herself, never "Ana te escribe" above her name.
        words = message["body"].split("\n\n")[0]  # an e-mail's sign-off follows
        assert words.endswith("Te escribo en breve para confirmar los detalles de la visita.")
    task = next(t for t in confirmed["tasks"] if t["kind"] == "HANDOFF")
    assert task["title"] == "Escribe a Ana Martínez sobre la visita a Departamento en Polanco"
    assert "a las 12:00" in task["summary"]  # the broker sees what was held


@pytest.mark.parametrize(
    "windows",
    [
        DEFAULT_WINDOWS,
        (Window(1, time(10), time(14)), Window(2, time(16), time(19))),
        (
            Window(0, time(9), time(12)),
            Window(0, time(16, 30), time(20)),
            Window(6, time(11), time(13)),
        ),
    ],
)
def test_the_showing_hours_said_when_nothing_fits_pass_the_guard(windows: Any) -> None:
    parties = _parties("Departamento en Polanco", "")
    spans = [(w.weekday, w.start, w.end) for w in windows]
    for voice in VOICES:
        said = wording.nothing_fits(
            voice, "Jorge Ruiz", wording.hours_phrase(spans, voice.language)
        )
        times = service.window_times(windows, date(2026, 12, 6), MX)
        assert service._backed(parties, said, times), said.body


def test_what_the_signing_agent_says_in_the_first_person_passes_the_guard() -> None:
    """The first-person wording (the agent signs as themself) states no time, place or fact
    the viewing does not have."""
    at = datetime(2026, 12, 8, 13, tzinfo=MX)
    parties = _parties("Departamento en Polanco", "")
    hours = "de lunes a viernes de 10:00 a 18:00"
    for language, formality in (("es", "TU"), ("es", "USTED"), ("en", "TU")):
        voice = wording.Voice(language, formality, "Ana", own=True)  # type: ignore[arg-type]
        for said, times in (
            (wording.confirmation(voice, parties.listing.title, at, "", True), (at,)),
            (wording.none_suit(voice, "Jorge"), ()),
            (wording.held(voice, "Jorge"), ()),
        ):
            assert service._backed(parties, said, times), said.body
            assert "Jorge" not in said.body
        said = wording.nothing_fits(voice, "Jorge", hours if language == "es" else "")
        assert "Jorge" not in said.body
