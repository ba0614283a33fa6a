"""Rows a test needs as its starting point, with the defaults a Mexico City brokerage would have.

Tests that exercise a flow go through the API; these are for the state a flow starts from (a
listing, a conversation at some status, its messages), written once here instead of in each test.
Each takes the session and flushes, so ids are known and the caller commits.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.service import Session, sign_up
from app.conversations.models import Conversation, ConversationStatus
from app.core.db import utcnow
from app.core.security import TokenSigner
from app.leads.models import Lead
from app.messaging.models import Channel, Direction, Message, MessageStatus
from app.properties.models import ListingOperation, Property
from app.properties.service import PropertyFields

_keys = itertools.count(1)


async def brokerage(
    session: AsyncSession,
    tokens: TokenSigner,
    *,
    email: str = "bench@example.com",
    password: str = "long bench password",
    name: str = "Bench",
    brokerage_name: str = "Casa Bench",
) -> Session:
    """A brokerage with its owner, signed up through the product's own sign-up; the owner's
    session (`.user.brokerage_id`, `.token`)."""
    return await sign_up(
        session, tokens, email=email, password=password, name=name, brokerage_name=brokerage_name
    )


def listing_fields(**fields: Any) -> PropertyFields:
    """What a broker types for a new sale listing (for `create_property`, which starts matching
    and outreach): a 3-bedroom house in Polanco at 5M MXN unless told otherwise."""
    values: dict[str, Any] = {
        "title": "Casa en Polanco",
        "location": "Polanco",
        "city": "Ciudad de México",
        "price": 5_000_000,
        "operation": ListingOperation.SALE,
        "bedrooms": 3,
        "bathrooms": 2.5,
        "description": "Casa luminosa con jardín, dos estacionamientos y cocina equipada.",
        **fields,
    }
    return PropertyFields(**values)


async def lead_by_email(session: AsyncSession, email: str) -> Lead:
    lead: Lead = (await session.execute(select(Lead).where(Lead.email == email))).scalar_one()
    return lead


async def listing(session: AsyncSession, brokerage_id: int = 1, **fields: Any) -> Property:
    """An active sale listing in Polanco at 5.2M MXN unless told otherwise."""
    values: dict[str, Any] = {
        "title": "Departamento en Polanco",
        "location": "Polanco",
        "location_key": "polanco",
        "price": 5_200_000,
        "operation": ListingOperation.SALE,
        **fields,
    }
    row = Property(brokerage_id=brokerage_id, **values)
    session.add(row)
    await session.flush()
    return row


async def conversation(
    session: AsyncSession,
    lead_id: int,
    listing: Property,
    status: ConversationStatus = ConversationStatus.RESPONDING,
    **fields: Any,
) -> Conversation:
    """The lead's conversation about the listing, on its own thread."""
    row = Conversation(
        brokerage_id=listing.brokerage_id,
        lead_id=lead_id,
        property_id=listing.id,
        thread_id=f"lead_{lead_id}_property_{listing.id}",
        status=status,
        **fields,
    )
    session.add(row)
    await session.flush()
    return row


async def message(
    session: AsyncSession,
    conversation: Conversation,
    body: str,
    *,
    direction: Direction = Direction.INBOUND,
    channel: Channel = Channel.SMS,
    status: MessageStatus | None = None,
    at: datetime | None = None,
) -> Message:
    """A reply from the lead (received) unless `direction` says it is ours (sent)."""
    inbound = direction is Direction.INBOUND
    status = status or (MessageStatus.RECEIVED if inbound else MessageStatus.SENT)
    at = at or utcnow()
    row = Message(
        brokerage_id=conversation.brokerage_id,
        conversation_id=conversation.id,
        lead_id=conversation.lead_id,
        direction=direction,
        channel=channel,
        status=status,
        idempotency_key=f"factory-{next(_keys)}",
        body=body,
        created_at=at,
        sent_at=at if status is MessageStatus.SENT else None,
    )
    session.add(row)
    await session.flush()
    return row
