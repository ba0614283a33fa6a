"""A lead reached by e-mail and text: the first e-mail goes at once, the first text hours later
inside the lead's waking hours, and not at all once the lead answered the e-mail.

Before, both went out in the same second."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from sqlalchemy import select

from app.core.config import Settings
from app.core.runtime import Runtime
from app.messaging.flows import sweep
from app.messaging.models import Channel, Direction, Message, MessageStatus
from app.messaging.outbox import ANSWERED_BEFORE_TEXT
from tests.conftest import Api
from tests.support.jobs import drain_jobs

CREATE_LEAD = "mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }"
CREATE_PROPERTY = "mutation($i: PropertyInput!) { createProperty(input: $i) { id } }"
CONVERSATIONS = "{ conversations(first: 10) { edges { node { id lead { name } } } } }"
RECEIVE = """mutation($i: ReceiveLeadMessageInput!) { receiveLeadMessage(input: $i) {
  messages { direction channel body } } }"""
LISTING = {
    "title": "Departamento en Polanco",
    "location": "Polanco",
    "city": "Ciudad de México",
    "price": 5_200_000,
    "currency": "MXN",
    "bedrooms": 3,
    "bathrooms": 2.5,
    "operation": "SALE",
}
# 11:00 in Mexico City.
MORNING = datetime(2026, 3, 3, 17, 0, tzinfo=UTC)


@pytest.fixture
def settings(pg_settings: Settings) -> Settings:
    return pg_settings.model_copy(update={"text_after_email_minutes": 180})


async def _first_messages(runtime: Runtime) -> dict[tuple[str, Channel], Message]:
    async with runtime.session() as session:
        rows = (
            await session.execute(
                select(Message).where(Message.direction == Direction.OUTBOUND).order_by(Message.id)
            )
        ).scalars()
        return {(m.to_address or "", m.channel): m for m in rows if ":first:" in m.idempotency_key}


async def _start(api: Api, runtime: Runtime, leads: list[dict[str, Any]]) -> None:
    await api.sign_up()
    for lead in leads:
        await api.ok(CREATE_LEAD, {"i": {**lead, "maxBudget": 6_000_000, "bedrooms": 3,
                                           "locations": ["Polanco"]}})  # fmt: skip
    await api.ok(CREATE_PROPERTY, {"i": LISTING})
    await drain_jobs(runtime)


async def test_the_first_text_follows_the_email_hours_later_unless_the_lead_answered(
    api: Api, runtime: Runtime
) -> None:
    ana = {"name": "Ana Martínez", "email": "ana.m@example.com", "phone": "+52 55 1234 5678"}
    beto = {"name": "Beto Ruiz", "email": "beto@example.com", "phone": "+52 55 8765 4321"}
    with time_machine.travel(MORNING, tick=True):
        await _start(api, runtime, [ana, beto])
        first = await _first_messages(runtime)
        for who in ("ana.m@example.com", "beto@example.com"):
            assert first[(who, Channel.EMAIL)].status is MessageStatus.SENT
        for phone in ("+525512345678", "+525587654321"):
            text = first[(phone, Channel.SMS)]
            assert text.status is MessageStatus.QUEUED  # not in the same second as the e-mail
            assert text.deliver_after is not None
            assert text.deliver_after - MORNING >= timedelta(hours=3)
            assert text.deliver_after - MORNING < timedelta(hours=3, minutes=5)

        # Beto answers the e-mail within the hour.
        edges = (await api.ok(CONVERSATIONS))["conversations"]["edges"]
        beto_id = next(e["node"]["id"] for e in edges if e["node"]["lead"]["name"] == "Beto Ruiz")
        answered = await api.ok(
            RECEIVE,
            {"i": {"conversationId": beto_id, "channel": "EMAIL", "body": "¿Cuántos baños tiene?"}},
        )
        assert answered["receiveLeadMessage"]["messages"][-1]["channel"] == "EMAIL"

    # Three hours later (14:00 in Mexico City), whichever job or sweep comes first.
    with time_machine.travel(MORNING + timedelta(hours=3, minutes=10), tick=True):
        await sweep(runtime)
        await drain_jobs(runtime)
        await sweep(runtime)  # a sweep after it changes nothing: never twice
        await drain_jobs(runtime)
    first = await _first_messages(runtime)
    ana_text, beto_text = (
        first[("+525512345678", Channel.SMS)],
        first[("+525587654321", Channel.SMS)],
    )
    assert ana_text.status is MessageStatus.SENT
    assert ana_text.body.endswith("Responde BAJA para no recibir más mensajes")
    assert beto_text.status is MessageStatus.SUPPRESSED and beto_text.error == ANSWERED_BEFORE_TEXT
    async with runtime.session() as session:
        texts_to_ana = (
            (
                await session.execute(
                    select(Message).where(
                        Message.to_address == "+525512345678", Message.status == MessageStatus.SENT
                    )
                )
            )
            .scalars()
            .all()
        )
    assert len(texts_to_ana) == 1


async def test_a_text_that_would_fall_in_the_night_waits_for_the_morning(
    api: Api, runtime: Runtime
) -> None:
    # 19:30 in Mexico City: three hours later is 22:30, so the text goes at 8:00 the next day.
    evening = datetime(2026, 3, 4, 1, 30, tzinfo=UTC)
    with time_machine.travel(evening, tick=True):
        await _start(
            api, runtime, [{"name": "Ana", "email": "ana.m@example.com", "phone": "+525512345678"}]
        )
    first = await _first_messages(runtime)
    assert first[("ana.m@example.com", Channel.EMAIL)].status is MessageStatus.SENT
    text = first[("+525512345678", Channel.SMS)]
    assert text.status is MessageStatus.QUEUED
    assert text.deliver_after == datetime(2026, 3, 4, 14, 0, tzinfo=UTC)  # 8:00 in CDMX
