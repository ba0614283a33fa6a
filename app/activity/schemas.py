"""The activity stream's plain types: what an event is, which stream serves it, how it travels."""

from __future__ import annotations

import enum
from typing import Any

from app.activity.models import ActivityEventRow


class ActivityType(enum.Enum):
    CONVERSATION_STARTED = "CONVERSATION_STARTED"
    MESSAGE_SENT = "MESSAGE_SENT"
    LEAD_REPLIED = "LEAD_REPLIED"
    LEAD_QUALIFIED = "LEAD_QUALIFIED"
    HANDOFF_CREATED = "HANDOFF_CREATED"
    LEAD_OPTED_OUT = "LEAD_OPTED_OUT"
    MATCHES_UPDATED = "MATCHES_UPDATED"
    VIEWING_CONFIRMED = "VIEWING_CONFIRMED"
    # A CRM sync: the first import starts and finishes; later passes show when they changed leads
    # or failed (quiet catch-ups every few minutes would drown the feed). `data.sync_run_id`.
    CRM_SYNC_STARTED = "CRM_SYNC_STARTED"
    CRM_SYNC_FINISHED = "CRM_SYNC_FINISHED"


# What partners can subscribe webhooks to (app/webhooks): their events are handed on.
WEBHOOK_TYPES = frozenset(
    {
        "LEAD_QUALIFIED",
        "HANDOFF_CREATED",
        "VIEWING_CONFIRMED",
        "LEAD_OPTED_OUT",
        "MESSAGE_SENT",
        "LEAD_REPLIED",
    }
)


class Stream(enum.StrEnum):
    """Which subscription serves an event."""

    ACTIVITY = "activity"  # agentActivity and the `activity` feed
    CAMPAIGN = "campaign"  # campaignProgress, per listing
    IMPORT = "import"  # importProgress, per import


def activity_channel(brokerage_id: int) -> str:
    """The one pub/sub channel of a brokerage's events (all streams): a process listens to all
    of them on one Redis connection and each audience filters what it wants."""
    return f"activity:{brokerage_id}"


# An event's optional fields, None unless its recording names them.
FIELDS = ("lead_id", "property_id", "conversation_id", "message_id", "import_id", "data")


def event_payload(event: dict[str, Any]) -> dict[str, Any]:
    """An event as it travels (JSON) and as subscribers read it, stored or live alike."""
    at = event["at"]
    return {
        "id": event["id"],
        "brokerage_id": event["brokerage_id"],
        "stream": event["stream"],
        "type": event["type"],
        "at": at.isoformat() if hasattr(at, "isoformat") else at,
        **{name: event.get(name) for name in FIELDS},
    }


def row_payload(row: ActivityEventRow) -> dict[str, Any]:
    return event_payload({c.key: getattr(row, c.key) for c in ActivityEventRow.__table__.c})
