"""The morning digest: rendered in Spanish (tú and usted) and English, sent once at 8:00 in the
brokerage's time zone (whatever the number of sweeps, workers or restarts), and never to a user
who turned it off."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select, update

from app.accounts.models import User
from app.conversations.models import (
    BrokerTask,
    Conversation,
    ConversationStatus,
    TaskKind,
    thread_id_for,
)
from app.core.jobs import TASKS
from app.core.runtime import Runtime
from app.core.uow import commit
from app.digest.models import Digest, DigestStatus
from app.leads.models import Lead
from app.messaging.models import Channel, Direction, Message, MessageStatus
from app.plans.rules import Plan
from app.properties.models import ListingOperation, Property
from app.viewings.models import Viewing, ViewingStatus
from tests.conftest import Api
from tests.teams.support import join, on_plan

MX = ZoneInfo("America/Mexico_City")
NY = ZoneInfo("America/New_York")
# Tuesday 8 December 2026: 8:00 in Mexico City is 14:00 UTC.
EIGHT_MX = datetime(2026, 12, 8, 8, 0, tzinfo=MX)
YESTERDAY = datetime(2026, 12, 7, tzinfo=MX)

ME = "{ me { morningDigest } }"
UPDATE_ME = "mutation($i: UpdateProfileInput!) { updateProfile(input: $i) { morningDigest } }"
UPDATE_BROKERAGE = "mutation($i: UpdateBrokerageInput!) { updateBrokerage(input: $i) { id } }"

SPANISH_TU = """Buenos días, Ana.
Este es tu día en Casa Ana, martes 8 de diciembre.

A quién llamar hoy
- Ana Martínez · +525512345678: visita a las 11:00 en Casa en Polanco
- Beto Ruiz · beto@example.com: lead calificado para Casa en Polanco (puntaje 85)
- Carla Soto: coincidencia fuerte con Casa en Polanco

Lo que hizo la IA ayer
- 1 primer mensaje enviado
- 1 respuesta a un prospecto
- 1 prospecto respondió
- 1 prospecto calificado
- 1 visita confirmada

Respuestas que te esperan
- Carla Soto (Casa en Polanco): una pregunta que solo tú puedes responder: "Pregunta de Carla: ¿tiene bodega?"
- Dani López (Casa en Polanco): una respuesta redactada por aprobar: "¿Aceptan mascotas?"

Abre tu panel: http://127.0.0.1:8000/app/

--
Recibes este correo cada mañana a las 8:00. Puedes desactivarlo en Configuración: http://127.0.0.1:8000/app/settings
"""


async def _day_of_work(runtime: Runtime, brokerage_id: int) -> None:
    """Yesterday the agent wrote to Carla for the first time and answered Beto, who replied and
    qualified; Ana confirmed a viewing for 11:00 today. Open: Beto's QUALIFIED task, Carla's
    hot-lead call and her question; Dani's reply has a drafted answer to approve."""
    async with runtime.session() as session:
        listing = Property(
            brokerage_id=brokerage_id,
            title="Casa en Polanco",
            location="Polanco",
            location_key="polanco",
            price=5_000_000,
            currency="MXN",
            operation=ListingOperation.SALE,
        )
        session.add(listing)
        await session.flush()
        leads = {}
        for name, phone, email, status, score, qualified_at in (
            ("Ana Martínez", "+525512345678", None, ConversationStatus.HANDED_OFF, 60, None),
            (
                "Beto Ruiz",
                None,
                "beto@example.com",
                ConversationStatus.QUALIFIED,
                85,
                YESTERDAY + timedelta(hours=12),
            ),
            ("Carla Soto", None, None, ConversationStatus.WAITING, 20, None),
            ("Dani López", None, None, ConversationStatus.AWAITING_APPROVAL, 30, None),
        ):
            lead = Lead(brokerage_id=brokerage_id, name=name, phone=phone, email=email)
            session.add(lead)
            await session.flush()
            conversation = Conversation(
                brokerage_id=brokerage_id,
                lead_id=lead.id,
                property_id=listing.id,
                thread_id=thread_id_for(lead.id, listing.id),
                status=status,
                qualification_score=score,
                qualified_at=qualified_at,
            )
            session.add(conversation)
            await session.flush()
            leads[name.split()[0]] = (lead.id, conversation)

        def message(who: str, direction: Direction, step: str, at: datetime, body: str) -> None:
            lead_id, conversation = leads[who]
            status = (
                MessageStatus.SENT if direction is Direction.OUTBOUND else MessageStatus.RECEIVED
            )
            session.add(
                Message(
                    brokerage_id=brokerage_id,
                    conversation_id=conversation.id,
                    lead_id=lead_id,
                    direction=direction,
                    channel=Channel.SMS,
                    status=status,
                    body=body,
                    idempotency_key=f"{conversation.thread_id}:{step}:SMS",
                    created_at=at,
                    sent_at=at if direction is Direction.OUTBOUND else None,
                )
            )

        two_days_ago = YESTERDAY - timedelta(hours=14)
        message("Beto", Direction.OUTBOUND, "first", two_days_ago, "Hola Beto")
        message("Beto", Direction.INBOUND, "in", YESTERDAY + timedelta(hours=11), "Me interesa")
        message(
            "Beto", Direction.OUTBOUND, "reply:1", YESTERDAY + timedelta(hours=11, minutes=1), "…"
        )
        message("Carla", Direction.OUTBOUND, "first", YESTERDAY + timedelta(hours=10), "Hola")
        message("Dani", Direction.OUTBOUND, "first", two_days_ago, "Hola Dani")
        message(
            "Dani",
            Direction.INBOUND,
            "in",
            two_days_ago + timedelta(hours=2),
            "¿Aceptan\nmascotas?",
        )
        ana_lead, ana = leads["Ana"]
        session.add(
            Viewing(
                brokerage_id=brokerage_id,
                lead_id=ana_lead,
                property_id=listing.id,
                conversation_id=ana.id,
                status=ViewingStatus.CONFIRMED,
                starts_at=EIGHT_MX + timedelta(hours=3),
                ends_at=EIGHT_MX + timedelta(hours=4),
                confirmed_at=YESTERDAY + timedelta(hours=15),
            )
        )
        for who, kind, title, age in (
            ("Beto", TaskKind.QUALIFIED, "Beto calificó", timedelta(hours=20)),
            ("Carla", TaskKind.CALL_HOT_LEAD, "Llama a Carla", timedelta(hours=30)),
            ("Carla", TaskKind.QUESTION, "Pregunta de Carla: ¿tiene bodega?", timedelta(hours=40)),
        ):
            lead_id, conversation = leads[who]
            session.add(
                BrokerTask(
                    brokerage_id=brokerage_id,
                    conversation_id=conversation.id,
                    lead_id=lead_id,
                    property_id=listing.id,
                    kind=kind,
                    title=title,
                    created_at=EIGHT_MX - age,
                )
            )
        leads["Dani"][1].updated_at = EIGHT_MX - timedelta(hours=10)
        await commit(session)


def _digests(runtime: Runtime) -> list[dict[str, Any]]:
    path = runtime.settings.data_dir / "outbox.jsonl"
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [r for r in map(json.loads, lines) if r.get("kind") == "digest"]


async def _sweep(runtime: Runtime, at: datetime) -> int:
    with time_machine.travel(at, tick=False):
        sent: int = await TASKS["send_morning_digests"]({"runtime": runtime, "job_try": 1})
    return sent


async def test_the_digest_is_sent_once_at_eight_local_time(
    api: Api, runtime: Runtime, backend: str
) -> None:
    with time_machine.travel(EIGHT_MX - timedelta(days=1), tick=False):
        await api.sign_up("ana@example.com", "Casa Ana")
        assert await api.ok(ME) == {"me": {"morningDigest": True}}
    await _day_of_work(runtime, brokerage_id=1)

    assert await _sweep(runtime, EIGHT_MX - timedelta(minutes=1)) == 0
    assert _digests(runtime) == []

    assert await _sweep(runtime, EIGHT_MX) == 1
    # Sweeps overlapping (two workers), a later one, one after a restart: nothing more.
    with time_machine.travel(EIGHT_MX + timedelta(minutes=1), tick=False):
        again = await asyncio.gather(
            TASKS["send_morning_digests"]({"runtime": runtime, "job_try": 1}),
            TASKS["send_morning_digests"]({"runtime": runtime, "job_try": 1}),
        )
    assert again == [0, 0]
    assert await _sweep(runtime, EIGHT_MX + timedelta(hours=2)) == 0

    [digest] = _digests(runtime)
    assert digest["to"] == "ana@example.com"
    assert digest["subject"] == "Tu día: 3 por llamar, 2 respuestas esperándote"
    assert digest["body"] == SPANISH_TU
    assert '<strong>Ana Martínez</strong> · <a href="tel:+525512345678">' in digest["html"]
    async with runtime.session() as session:
        row = await session.get(Digest, 1)
        assert row is not None
        assert (row.status, row.day.isoformat(), row.attempts) == (
            DigestStatus.SENT,
            "2026-12-08",
            1,
        )
        assert row.sent_at == EIGHT_MX.astimezone(UTC)

    # The next morning brings the next one.
    assert await _sweep(runtime, EIGHT_MX + timedelta(days=1)) == 1
    assert len(_digests(runtime)) == 2


async def test_the_digest_speaks_the_brokerage_language_and_time(
    api: Api, runtime: Runtime, backend: str
) -> None:
    with time_machine.travel(EIGHT_MX - timedelta(days=1), tick=False):
        await api.sign_up("ana@example.com", "Casa Ana")
        await api.ok(UPDATE_BROKERAGE, {"i": {"formality": "USTED"}})
        await api.sign_up("bob@example.com", "Bob Homes")
        await api.ok(UPDATE_BROKERAGE, {"i": {"language": "en", "timezone": "America/New_York"}})
    await _day_of_work(runtime, brokerage_id=1)
    await _day_of_work(runtime, brokerage_id=2)

    # 8:00 in Mexico City is 9:00 in New York: Ana's is due, Bob's was due an hour ago.
    assert await _sweep(runtime, EIGHT_MX - timedelta(hours=1, minutes=1)) == 0
    assert await _sweep(runtime, EIGHT_MX - timedelta(hours=1)) == 1  # 8:00 in New York
    assert await _sweep(runtime, EIGHT_MX) == 1
    bob, ana = _digests(runtime)

    assert bob["to"] == "bob@example.com"
    assert bob["subject"] == "Your day: 3 to call, 2 replies waiting"
    assert bob["body"].startswith(
        "Good morning, Ana.\nHere is your day at Bob Homes, Tuesday, December 8.\n\n"
        "Whom to call today\n"
        "- Ana Martínez · +525512345678: viewing at 12:00 PM at Casa en Polanco\n"
        "- Beto Ruiz · beto@example.com: qualified for Casa en Polanco (score 85)\n"
        "- Carla Soto: hot match for Casa en Polanco\n\n"
        "What the AI did yesterday\n- 1 first message sent\n- 1 answer to a lead\n"
    )
    assert (
        '- Dani López (Casa en Polanco): a drafted answer to approve: "¿Aceptan mascotas?"'
        in bob["body"]
    )

    assert ana["subject"] == "Su día: 3 por llamar, 2 respuestas esperándole"
    assert ana["body"].startswith(
        "Buenos días, Ana.\nEste es su día en Casa Ana, martes 8 de diciembre."
    )
    assert "una pregunta que solo usted puede responder" in ana["body"]
    assert "Abra su panel:" in ana["body"]
    assert " tú " not in ana["body"] and "Recibe este correo" in ana["body"]


async def test_a_user_who_turned_the_digest_off_gets_none(
    api: Api, runtime: Runtime, backend: str
) -> None:
    with time_machine.travel(EIGHT_MX - timedelta(days=1), tick=False):
        await api.sign_up("ana@example.com", "Casa Ana")
        assert await api.ok(UPDATE_ME, {"i": {"morningDigest": False}}) == {
            "updateProfile": {"morningDigest": False}
        }
        assert await api.ok(ME) == {"me": {"morningDigest": False}}
    await _day_of_work(runtime, brokerage_id=1)

    assert await _sweep(runtime, EIGHT_MX) == 0
    assert _digests(runtime) == []
    async with runtime.session() as session:
        assert await session.get(Digest, 1) is None

    with time_machine.travel(EIGHT_MX + timedelta(minutes=5), tick=False):
        await api.ok(UPDATE_ME, {"i": {"morningDigest": True}})
    assert await _sweep(runtime, EIGHT_MX + timedelta(minutes=6)) == 1


async def test_an_agent_gets_the_digest_of_their_own_leads(
    api: Api, runtime: Runtime, backend: str
) -> None:
    """The owner reads the whole brokerage; an agent only the leads given to them."""
    with time_machine.travel(EIGHT_MX - timedelta(days=1), tick=False):
        await api.sign_up("ana@example.com", "Casa Ana")
        await on_plan(runtime, Plan.ENTERPRISE)
        await join(api, runtime, "luis@example.com", "Luis")
    await _day_of_work(runtime, brokerage_id=1)
    async with runtime.session() as session:
        luis = (
            await session.execute(select(User.id).where(User.email == "luis@example.com"))
        ).scalar_one()
        await session.execute(
            update(Lead).where(Lead.name.in_(["Beto Ruiz", "Carla Soto"])).values(assignee_id=luis)
        )
        await commit(session)

    assert await _sweep(runtime, EIGHT_MX) == 2
    sent = {d["to"]: d for d in _digests(runtime)}
    assert sent["ana@example.com"]["body"] == SPANISH_TU
    theirs = sent["luis@example.com"]
    assert theirs["subject"] == "Tu día: 2 por llamar, 1 respuesta esperándote"
    assert theirs["body"].startswith(
        "Buenos días, Luis.\nEste es tu día en Casa Ana, martes 8 de diciembre.\n\n"
        "A quién llamar hoy\n"
        "- Beto Ruiz · beto@example.com: lead calificado para Casa en Polanco (puntaje 85)\n"
        "- Carla Soto: coincidencia fuerte con Casa en Polanco\n\n"
    )
    assert "Carla Soto (Casa en Polanco): una pregunta" in theirs["body"]
    assert "Ana Martínez" not in theirs["body"] and "Dani López" not in theirs["body"]
