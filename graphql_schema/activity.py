"""Live activity over subscriptions: `agentActivity`, fed by the event bus from any process."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Any

import strawberry

from app.activity.events import ActivityType, activity_channel
from app.conversations.models import Conversation as ConversationRow
from app.core.tenancy import get_scoped
from app.leads.models import Lead as LeadRow
from app.messaging.models import Message as MessageRow
from app.properties.models import Property as PropertyRow
from graphql_schema.context import Info
from graphql_schema.conversations.types import Conversation, Message
from graphql_schema.leads.types import Lead
from graphql_schema.loaders import rows_of
from graphql_schema.properties.types import Property
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

    @strawberry.field
    async def conversation(self, info: Info) -> Conversation | None:
        row = (
            await rows_of(info, ConversationRow).load(self.conversation_id)
            if self.conversation_id
            else None
        )
        return Conversation.from_row(row) if row else None

    @strawberry.field
    async def lead(self, info: Info) -> Lead | None:
        row = await rows_of(info, LeadRow).load(self.lead_id) if self.lead_id else None
        return Lead.from_row(row) if row else None

    @strawberry.field
    async def property(self, info: Info) -> Property | None:
        row = await rows_of(info, PropertyRow).load(self.property_id) if self.property_id else None
        return Property.from_row(row) if row else None

    @strawberry.field
    async def message(self, info: Info) -> Message | None:
        row = await rows_of(info, MessageRow).load(self.message_id) if self.message_id else None
        return Message.from_row(row) if row else None

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
        if wanted is not None:
            async with info.context.runtime.session() as session:
                await get_scoped(
                    session, PropertyRow, principal.brokerage_id, wanted, what="Property"
                )
        channel = activity_channel(principal.brokerage_id)
        async with info.context.runtime.events.subscribe(channel) as queue:
            while True:
                payload = await queue.get()
                if wanted is None or payload.get("property_id") == wanted:
                    info.context.loaders.clear()  # each event reads fresh rows
                    yield ActivityEvent.from_payload(payload)
