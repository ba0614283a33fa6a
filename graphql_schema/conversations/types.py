"""GraphQL types of conversations, their messages and the broker's tasks."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from strawberry import relay

from app.conversations import models
from app.conversations.intents import Intent as IntentValue
from app.leads.models import Lead as LeadRow
from app.messaging import models as messaging
from app.messaging.repository import latest_messages
from app.messaging.segments import sms_segments
from app.properties.models import Property as PropertyRow
from app.viewings.models import Viewing as ViewingRow
from graphql_schema.accounts.types import User
from graphql_schema.context import Info
from graphql_schema.leads.types import Channel, Lead
from graphql_schema.loaders import batched, children_of, rows_of
from graphql_schema.nodes import ScopedNode

if TYPE_CHECKING:
    from graphql_schema.properties.types import Property
    from graphql_schema.viewings import Viewing

ConversationStatus = strawberry.enum(models.ConversationStatus, name="ConversationStatus")
Direction = strawberry.enum(messaging.Direction, name="Direction")
MessageStatus = strawberry.enum(messaging.MessageStatus, name="MessageStatus")
Intent = strawberry.enum(
    IntentValue, name="Intent", description="What the agent understood from a lead's message."
)
TaskKind = strawberry.enum(models.TaskKind, name="TaskKind")
TaskStatus = strawberry.enum(models.TaskStatus, name="TaskStatus")


@strawberry.type
class Message(ScopedNode, relay.Node):
    model: ClassVar[type[Any]] = messaging.Message
    scope: ClassVar[str] = "conversations:read"
    id: relay.NodeID[int]
    direction: Direction  # type: ignore[valid-type]
    channel: Channel  # type: ignore[valid-type]
    subject: str | None
    body: str
    status: MessageStatus  # type: ignore[valid-type]
    intent: Intent | None  # type: ignore[valid-type]
    to_address: str | None
    error: str | None
    sent_at: datetime | None
    deliver_after: datetime | None
    created_at: datetime

    @strawberry.field(
        description="SMS: the segments it costs, GSM-7 or UCS-2 counted as carriers do; null "
        "for other channels."
    )
    def segments(self) -> int | None:
        return sms_segments(self.body) if self.channel is messaging.Channel.SMS else None

    @classmethod
    def from_row(cls, row: messaging.Message) -> Message:
        return cls(
            id=row.id,
            direction=row.direction,
            channel=row.channel,
            subject=row.subject,
            body=row.body,
            status=row.status,
            intent=IntentValue(row.intent) if row.intent else None,
            to_address=row.to_address,
            error=row.error,
            sent_at=row.sent_at,
            deliver_after=row.deliver_after,
            created_at=row.created_at,
        )


def _no_message() -> messaging.Message | None:
    return None


@strawberry.type(description="Something the agent promised the lead the broker would do.")
class BrokerTask(ScopedNode, relay.Node):
    model: ClassVar[type[Any]] = models.BrokerTask
    scope: ClassVar[str] = "conversations:read"
    id: relay.NodeID[int]
    kind: TaskKind  # type: ignore[valid-type]
    title: str = strawberry.field(description="In the brokerage's language.")
    summary: str
    status: TaskStatus  # type: ignore[valid-type]
    due_at: datetime | None
    created_at: datetime
    closed_at: datetime | None
    lead_id: strawberry.Private[int]
    conversation_id: strawberry.Private[int]
    property_id: strawberry.Private[int | None]
    assignee_id: strawberry.Private[int | None]

    @strawberry.field(deprecation_reason="Use status: DONE (or CANCELLED) is not OPEN.")
    def done(self) -> bool:
        return self.status is not models.TaskStatus.OPEN

    @strawberry.field
    async def lead(self, info: Info) -> Lead:
        return Lead.from_row(await rows_of(info, LeadRow).load(self.lead_id))

    @strawberry.field
    async def conversation(self, info: Info) -> Conversation:
        return Conversation.from_row(
            await rows_of(info, models.Conversation).load(self.conversation_id)
        )

    @strawberry.field
    async def property(
        self, info: Info
    ) -> Annotated[Property, strawberry.lazy("graphql_schema.properties.types")] | None:
        from graphql_schema.properties.types import Property

        if self.property_id is None:
            return None
        return Property.from_row(await rows_of(info, PropertyRow).load(self.property_id))

    @strawberry.field(description="The user who should act on it; null: whoever picks it up.")
    async def assignee(self, info: Info) -> User | None:
        return await User.by_id(info, self.assignee_id)

    @classmethod
    def from_row(cls, row: models.BrokerTask) -> BrokerTask:
        return cls(
            id=row.id,
            kind=row.kind,
            title=row.title,
            summary=row.summary,
            status=row.status,
            due_at=row.due_at,
            created_at=row.created_at,
            closed_at=row.closed_at,
            lead_id=row.lead_id,
            conversation_id=row.conversation_id,
            property_id=row.property_id,
            assignee_id=row.assignee_id,
        )


@strawberry.type(description="One signal that moved the qualification score, with its points.")
class QualificationSignal:
    signal: str
    points: int


@strawberry.type
class Conversation(ScopedNode, relay.Node):
    model: ClassVar[type[Any]] = models.Conversation
    scope: ClassVar[str] = "conversations:read"
    id: relay.NodeID[int]
    thread_id: str = strawberry.field(
        description="lead_{leadId}_property_{propertyId}, with database ids."
    )
    status: ConversationStatus  # type: ignore[valid-type]
    qualification_score: int
    next_action: str | None
    taken_over: bool = strawberry.field(
        description="The broker is handling it: the AI stays silent."
    )
    channels: list[Channel]  # type: ignore[valid-type]
    language: str
    variant: str | None = strawberry.field(
        description="The first-message template this lead got (reply rates per variant)."
    )
    qualification: list[QualificationSignal] = strawberry.field(
        description="Why the score is what it is: the signals seen, with their points."
    )
    created_at: datetime
    updated_at: datetime
    lead_id: strawberry.Private[int]
    property_id: strawberry.Private[int]

    @strawberry.field
    async def lead(self, info: Info) -> Lead:
        return Lead.from_row(await rows_of(info, LeadRow).load(self.lead_id))

    @strawberry.field
    async def property(
        self, info: Info
    ) -> Annotated[Property, strawberry.lazy("graphql_schema.properties.types")]:
        from graphql_schema.properties.types import Property

        return Property.from_row(await rows_of(info, PropertyRow).load(self.property_id))

    @strawberry.field(description="Oldest first, both directions.")
    async def messages(self, info: Info) -> list[Message]:
        rows = await children_of(info, messaging.Message, "conversation_id").load(self.id)
        return [Message.from_row(row) for row in rows]

    @strawberry.field(
        description="The newest message, either direction (what a list shows under each row)."
    )
    async def last_message(self, info: Info) -> Message | None:
        loader = batched(info, "last_message", latest_messages, _no_message)
        row = await loader.load(self.id)
        return Message.from_row(row) if row is not None else None

    @strawberry.field(description="The latest viewing offered or booked in this conversation.")
    async def viewing(
        self, info: Info
    ) -> Annotated[Viewing, strawberry.lazy("graphql_schema.viewings")] | None:
        from graphql_schema.viewings import Viewing

        rows = await children_of(info, ViewingRow, "conversation_id").load(self.id)
        return Viewing.from_row(rows[-1]) if rows else None

    @strawberry.field(description="Hand-offs and calls the agent asked the broker for.")
    async def tasks(self, info: Info) -> list[BrokerTask]:
        rows = await children_of(info, models.BrokerTask, "conversation_id").load(self.id)
        return [BrokerTask.from_row(row) for row in rows]

    @classmethod
    def from_row(cls, row: models.Conversation) -> Conversation:
        return cls(
            id=row.id,
            thread_id=row.thread_id,
            status=row.status,
            qualification_score=row.qualification_score,
            next_action=row.next_action,
            taken_over=row.taken_over,
            channels=[messaging.Channel(c) for c in row.channels],
            language=row.language,
            variant=row.variant,
            qualification=[
                QualificationSignal(signal=name, points=int(points))
                for name, points in (row.qualification or {}).items()
            ],
            created_at=row.created_at,
            updated_at=row.updated_at,
            lead_id=row.lead_id,
            property_id=row.property_id,
        )


@strawberry.input
class ReceiveLeadMessageInput:
    conversation_id: strawberry.ID
    channel: Channel  # type: ignore[valid-type]
    body: str
