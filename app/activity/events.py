"""The activity stream: every domain publishes what happened here; subscriptions and stats read it."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import utcnow
from app.core.events import publish


class ActivityType(enum.Enum):
    CONVERSATION_STARTED = "CONVERSATION_STARTED"
    MESSAGE_SENT = "MESSAGE_SENT"
    LEAD_REPLIED = "LEAD_REPLIED"
    LEAD_QUALIFIED = "LEAD_QUALIFIED"
    HANDOFF_CREATED = "HANDOFF_CREATED"
    LEAD_OPTED_OUT = "LEAD_OPTED_OUT"
    MATCHES_UPDATED = "MATCHES_UPDATED"


def activity_channel(brokerage_id: int) -> str:
    return f"activity:{brokerage_id}"


def import_channel(import_id: int) -> str:
    return f"import:{import_id}"


def campaign_channel(property_id: int) -> str:
    return f"campaign:{property_id}"


def record_activity(
    session: AsyncSession,
    brokerage_id: int,
    type_: ActivityType,
    *,
    lead_id: int | None = None,
    property_id: int | None = None,
    conversation_id: int | None = None,
    message_id: int | None = None,
) -> None:
    """Publish an activity event once the transaction commits."""
    payload: dict[str, Any] = {
        "type": type_.value,
        "at": utcnow().isoformat(),
        "brokerage_id": brokerage_id,
        "lead_id": lead_id,
        "property_id": property_id,
        "conversation_id": conversation_id,
        "message_id": message_id,
    }
    publish(session, activity_channel(brokerage_id), payload)
