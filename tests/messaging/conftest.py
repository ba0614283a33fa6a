"""Messaging fixtures: a brokerage with leads and conversations, runtimes wired to the stand-ins."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest_asyncio
import time_machine
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Brokerage
from app.conversations.models import Conversation, ConversationStatus, thread_id_for
from app.core.config import Settings
from app.core.runtime import Runtime, open_runtime
from app.leads.models import Lead
from app.messaging.models import Message
from app.messaging.outbox import Outgoing, queue_messages
from app.messaging.repository import message_by_key
from app.properties.models import ListingOperation, Property
from graphql_schema.asgi import create_app
from tests.support.twilio_standin import TwilioStandIn, running_twilio_standin

PUBLIC_URL = "https://brscale.example.com"


@dataclass
class World:
    brokerage: Brokerage
    lead: Lead
    conversation: Conversation
    property: Property


async def make_world(
    runtime: Runtime,
    *,
    phone: str | None = "+525512345678",
    email: str | None = "lucia@example.com",
    language: str = "es",
    brokerage: Brokerage | None = None,
    lead: Lead | None = None,
) -> World:
    async with runtime.session() as session:
        if brokerage is None:
            brokerage = Brokerage(
                name="Casa Sol Realty",
                postal_address="Av. Reforma 222, CDMX 06600",
                signature="María López\nCasa Sol Realty",
                timezone="America/Mexico_City",
            )
            session.add(brokerage)
            await session.flush()
        if lead is None:
            lead = Lead(brokerage_id=brokerage.id, name="Lucía", email=email, phone=phone)
            session.add(lead)
            await session.flush()
        prop = Property(
            brokerage_id=brokerage.id,
            title="Depto en Roma Norte",
            location="Roma Norte",
            location_key="roma norte",
            price=4_500_000,
            operation=ListingOperation.SALE,
        )
        session.add(prop)
        await session.flush()
        conversation = Conversation(
            brokerage_id=brokerage.id,
            lead_id=lead.id,
            property_id=prop.id,
            thread_id=thread_id_for(lead.id, prop.id),
            status=ConversationStatus.WAITING,
            channels=["EMAIL", "SMS"],
            language=language,
        )
        session.add(conversation)
        await session.commit()
        return World(brokerage, lead, conversation, prop)


@contextlib.asynccontextmanager
async def runtime_with(settings: Settings, **env: Any) -> AsyncIterator[Runtime]:
    """A runtime whose settings also hold `env` (SMTP_URL, TWILIO_*...)."""
    merged = Settings(
        **{
            **{
                name: getattr(settings, name)
                for name in (
                    "data_dir",
                    "database_url",
                    "redis_url",
                    "secret_key",
                    "text_after_email_minutes",
                )
            },
            "public_url": PUBLIC_URL,
            **env,
        }
    )
    async with open_runtime(merged) as runtime:
        yield runtime


@contextlib.asynccontextmanager
async def app_client(runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(runtime=runtime))
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as client:
        yield client


@pytest_asyncio.fixture
async def world(runtime: Runtime) -> World:
    return await make_world(runtime)


NOON_IN_MEXICO = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)
OUR_NUMBER = "+15550001111"


@pytest_asyncio.fixture
async def twilio(settings: Settings) -> AsyncIterator[tuple[TwilioStandIn, Runtime]]:
    with running_twilio_standin() as standin:
        async with runtime_with(
            settings,
            TWILIO_API_URL=standin.base_url,
            TWILIO_ACCOUNT_SID=standin.account_sid,
            TWILIO_AUTH_TOKEN=standin.auth_token,
            TWILIO_FROM_NUMBER=OUR_NUMBER,
        ) as runtime:
            with time_machine.travel(NOON_IN_MEXICO, tick=True):
                yield standin, runtime


async def queue_message(session: AsyncSession, **fields: Any) -> Message:
    """Queue one message (`Outgoing`'s fields) and return its outbox row, new or not."""
    await queue_messages(session, [Outgoing(**fields)])
    row = await message_by_key(session, fields["key"])
    assert row is not None
    return row
