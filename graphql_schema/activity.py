"""Live activity over subscriptions: `agentActivity`, fed by the event bus from any process."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Any

import strawberry

from app.activity.events import ActivityType, activity_channel
from graphql_schema.context import Info
from graphql_schema.relay import decode_id

ActivityTypeEnum = strawberry.enum(ActivityType, name="ActivityType")


@strawberry.type
class ActivityEvent:
    type: ActivityTypeEnum  # type: ignore[valid-type]
    at: datetime
    lead_id: strawberry.Private[int | None]
    property_id: strawberry.Private[int | None]
    conversation_id: strawberry.Private[int | None]
    message_id: strawberry.Private[int | None]

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> ActivityEvent:
        return cls(
            type=ActivityType(payload["type"]),
            at=datetime.fromisoformat(payload["at"]),
            lead_id=payload.get("lead_id"),
            property_id=payload.get("property_id"),
            conversation_id=payload.get("conversation_id"),
            message_id=payload.get("message_id"),
        )


@strawberry.type
class ActivitySubscription:
    @strawberry.subscription(description="What the AI is doing, live, optionally for one property.")
    async def agent_activity(
        self, info: Info, property_id: strawberry.ID | None = None
    ) -> AsyncGenerator[ActivityEvent, None]:
        principal = info.context.require("conversations:read")
        wanted = decode_id(property_id, "Property") if property_id is not None else None
        async with info.context.runtime.events.subscribe(
            activity_channel(principal.brokerage_id)
        ) as queue:
            while True:
                payload = await queue.get()
                if wanted is None or payload.get("property_id") == wanted:
                    yield ActivityEvent.from_payload(payload)
