"""Partners' webhooks over GraphQL: subscribe a URL to events, list, delete, read the deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

import strawberry
from sqlalchemy import select
from strawberry import relay

from app.webhooks import service
from app.webhooks.models import DeliveryStatus as DeliveryStatusRow
from app.webhooks.models import WebhookDelivery as DeliveryRow
from app.webhooks.models import WebhookEventType as EventTypeRow
from app.webhooks.models import WebhookSubscription as SubscriptionRow
from graphql_schema.context import Info
from graphql_schema.nodes import ScopedNode
from graphql_schema.relay import Connection, decode_id, paginate

SCOPE = "crm:manage"
WebhookEventType = strawberry.enum(EventTypeRow, name="WebhookEventType")
DeliveryStatus = strawberry.enum(DeliveryStatusRow, name="WebhookDeliveryStatus")


@strawberry.type(description="One delivery of one event to a subscription, with its attempts.")
class WebhookDelivery(ScopedNode, relay.Node):
    model: ClassVar[type[Any]] = DeliveryRow
    scope: ClassVar[str] = SCOPE
    id: relay.NodeID[int]
    type: WebhookEventType  # type: ignore[valid-type]
    status: DeliveryStatus  # type: ignore[valid-type]
    attempts: int
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: datetime | None
    created_at: datetime
    delivered_at: datetime | None
    body: str = strawberry.field(description="The exact JSON sent (and signed).")

    @classmethod
    def from_row(cls, row: DeliveryRow) -> WebhookDelivery:
        return cls(
            id=row.id,
            type=EventTypeRow(row.type),
            status=row.status,
            attempts=row.attempts,
            last_status_code=row.last_status_code,
            last_error=row.last_error,
            next_attempt_at=row.next_attempt_at,
            created_at=row.created_at,
            delivered_at=row.delivered_at,
            body=row.body,
        )


@strawberry.type(description="A URL that receives signed POSTs of the events it names.")
class WebhookSubscription(ScopedNode, relay.Node):
    model: ClassVar[type[Any]] = SubscriptionRow
    scope: ClassVar[str] = SCOPE
    id: relay.NodeID[int]
    url: str
    events: list[WebhookEventType]  # type: ignore[valid-type]
    active: bool = strawberry.field(description="False once disabled after repeated failures.")
    disabled_at: datetime | None
    disabled_reason: str | None
    created_at: datetime

    @strawberry.field(description="Deliveries, newest first.")
    async def deliveries(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[WebhookDelivery]:
        principal = info.context.require(SCOPE)
        stmt = select(DeliveryRow).where(
            DeliveryRow.brokerage_id == principal.brokerage_id,
            DeliveryRow.subscription_id == self.id,
        )
        return await paginate(
            info.context.session,
            stmt,
            order=[DeliveryRow.id],
            first=first,
            after=after,
            convert=WebhookDelivery.from_row,
        )

    @classmethod
    def from_row(cls, row: SubscriptionRow) -> WebhookSubscription:
        return cls(
            id=row.id,
            url=row.url,
            events=[EventTypeRow(e) for e in row.events],
            active=row.active,
            disabled_at=row.disabled_at,
            disabled_reason=row.disabled_reason,
            created_at=row.created_at,
        )


@strawberry.type
class CreatedWebhookSubscription:
    secret: str = strawberry.field(
        description="The signing secret: shown once. Verify each delivery's BRScale-Signature "
        "with it (docs/API.md)."
    )
    webhook_subscription: WebhookSubscription


@strawberry.input
class CreateWebhookSubscriptionInput:
    url: str
    events: list[WebhookEventType]  # type: ignore[valid-type]


@strawberry.type
class WebhooksQuery:
    @strawberry.field(description="Your brokerage's webhook subscriptions, oldest first.")
    async def webhook_subscriptions(self, info: Info) -> list[WebhookSubscription]:
        principal = info.context.require(SCOPE)
        rows = await info.context.session.scalars(
            select(SubscriptionRow)
            .where(SubscriptionRow.brokerage_id == principal.brokerage_id)
            .order_by(SubscriptionRow.id)
        )
        return [WebhookSubscription.from_row(row) for row in rows]


@strawberry.type
class WebhooksMutation:
    @strawberry.mutation(
        description="Send these events to `url`, signed; the secret is shown once."
    )
    async def create_webhook_subscription(
        self, info: Info, input: CreateWebhookSubscriptionInput
    ) -> CreatedWebhookSubscription:
        principal = info.context.require(SCOPE)
        created = await service.create_subscription(
            info.context.session,
            info.context.runtime.secrets,
            principal.brokerage_id,
            input.url,
            [EventTypeRow(e).value for e in input.events],
            allow_loopback=info.context.runtime.settings.webhook_allow_loopback,
        )
        await info.context.commit()
        return CreatedWebhookSubscription(
            secret=created.secret,
            webhook_subscription=WebhookSubscription.from_row(created.subscription),
        )

    @strawberry.mutation(description="Stop sending to a subscription (its deliveries go too).")
    async def delete_webhook_subscription(self, info: Info, id: strawberry.ID) -> strawberry.ID:
        principal = info.context.require(SCOPE)
        await service.delete_subscription(
            info.context.session,
            principal.brokerage_id,
            decode_id(id, "WebhookSubscription"),
        )
        await info.context.commit()
        return id
