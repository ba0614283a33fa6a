"""The activity stream: every domain records what happened here; the feed, its subscriptions and
partners' webhooks read it.

An event is stored, then published, after the transaction that caused it commits
(`flows.store_and_publish`). The types live in `schemas.py` and are named here too, where the
domains that record events have always found them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.activity.flows import store_and_publish
from app.activity.schemas import FIELDS
from app.activity.schemas import WEBHOOK_TYPES as WEBHOOK_TYPES
from app.activity.schemas import ActivityType as ActivityType
from app.activity.schemas import Stream as Stream
from app.activity.schemas import activity_channel as activity_channel
from app.activity.schemas import event_payload as event_payload
from app.activity.schemas import row_payload as row_payload
from app.core.db import utcnow
from app.core.uow import after_commit_batch

if TYPE_CHECKING:
    from app.core.runtime import Runtime


def record_activity(
    session: AsyncSession,
    brokerage_id: int,
    type_: ActivityType,
    *,
    lead_id: int | None = None,
    property_id: int | None = None,
    conversation_id: int | None = None,
    message_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Store and publish an activity event once the transaction commits."""
    _record(
        session,
        {
            "brokerage_id": brokerage_id,
            "stream": Stream.ACTIVITY.value,
            "type": type_.value,
            "lead_id": lead_id,
            "property_id": property_id,
            "conversation_id": conversation_id,
            "message_id": message_id,
            "data": data,
        },
    )


def record_campaign_progress(
    session: AsyncSession, brokerage_id: int, property_id: int, figures: dict[str, Any]
) -> None:
    _record(
        session,
        {
            "brokerage_id": brokerage_id,
            "stream": Stream.CAMPAIGN.value,
            "type": "CAMPAIGN_PROGRESS",
            "property_id": property_id,
            "data": figures,
        },
    )


def record_import_progress(
    session: AsyncSession, brokerage_id: int, import_id: int, progress: dict[str, Any]
) -> None:
    _record(
        session,
        {
            "brokerage_id": brokerage_id,
            "stream": Stream.IMPORT.value,
            "type": "IMPORT_PROGRESS",
            "import_id": import_id,
            "data": progress,
        },
    )


def _record(session: AsyncSession, event: dict[str, Any]) -> None:
    event = {**{name: None for name in FIELDS}, **event, "at": utcnow()}
    runtime: Runtime = session.info["runtime"]
    after_commit_batch(
        session, "activity", event, lambda events: store_and_publish(runtime, events)
    )
