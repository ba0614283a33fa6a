"""Webhook jobs: plan the deliveries of stored activity events, send each (signed), retry with
backoff, and a sweep for attempts whose job was lost."""

from __future__ import annotations

import base64
import time
from datetime import timedelta
from typing import Any

import httpx

from app.core.db import utcnow
from app.core.jobs import delivery_task, enqueue, task
from app.core.runtime import Runtime
from app.core.schedule import periodic
from app.core.tenancy import load_scoped
from app.core.uow import commit
from app.leads.models import Lead
from app.properties.models import Property
from app.webhooks import destinations, repository, service
from app.webhooks.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookSubscription,
)

TIMEOUT_SECONDS = 10.0


def global_id(type_name: str, value: int | None) -> str | None:
    """The API's Relay id of a row, as GraphQL clients know it."""
    return base64.b64encode(f"{type_name}:{value}".encode()).decode() if value else None


@task
async def dispatch_webhooks(ctx: dict[str, Any], brokerage_id: int, event_ids: list[int]) -> int:
    """Plan and send the deliveries of these stored events to the subscriptions wanting them."""
    runtime: Runtime = ctx["runtime"]
    async with runtime.session() as session:
        events = await repository.events_to_send(session, brokerage_id, event_ids)
        if not events:
            return 0
        leads = await load_scoped(
            session, Lead, brokerage_id, [e.lead_id for e in events if e.lead_id]
        )
        listings = await load_scoped(
            session, Property, brokerage_id, [e.property_id for e in events if e.property_id]
        )
        bodies = []
        for event in sorted(events, key=lambda e: e.id):
            lead = leads.get(event.lead_id) if event.lead_id else None
            listing = listings.get(event.property_id) if event.property_id else None
            data = {
                "lead": {
                    "id": global_id("Lead", lead.id),
                    "name": lead.name,
                    "email": lead.email,
                    "phone": lead.phone,
                }
                if lead
                else None,
                "property": {"id": global_id("Property", listing.id), "title": listing.title}
                if listing
                else None,
                "conversationId": global_id("Conversation", event.conversation_id),
                "messageId": global_id("Message", event.message_id),
            }
            body = service.delivery_body(
                global_id("ActivityEvent", event.id) or "", event.type, event.at.isoformat(), data
            )
            bodies.append((event.id, event.type, body))
        planned = await service.plan_deliveries(session, brokerage_id, bodies)
        for delivery in planned:
            enqueue(session, "deliver_webhook", delivery.id, job_id=f"webhook:{delivery.id}:0")
        await commit(session)
    return len(planned)


@delivery_task
async def deliver_webhook(ctx: dict[str, Any], delivery_id: int) -> str:
    """One attempt of one delivery; schedules the next one when it fails."""
    runtime: Runtime = ctx["runtime"]
    async with runtime.session() as session:
        delivery = await session.get(WebhookDelivery, delivery_id)
        if delivery is None or delivery.status is not DeliveryStatus.PENDING:
            return "done"
        subscription = await session.get(WebhookSubscription, delivery.subscription_id)
        if subscription is None or not subscription.active:
            delivery.status = DeliveryStatus.FAILED
            delivery.last_error = "subscription disabled"
            delivery.next_attempt_at = None
            await commit(session)
            return "disabled"
        secret = runtime.secrets.decrypt(subscription.secret)
        url, body, event_id = subscription.url, delivery.body, delivery.event_id
    timestamp = int(time.time())
    headers = {
        "content-type": "application/json",
        "user-agent": "BRScale-Webhooks/1",
        "BRScale-Signature": service.sign(secret, timestamp, body),
        "webhook-id": f"evt_{event_id}",
        "webhook-timestamp": str(timestamp),
    }
    status_code: int | None = None
    error: str | None = None
    try:
        response = await destinations.post(
            runtime.http,
            url,
            content=body,
            headers=headers,
            seconds=TIMEOUT_SECONDS,
            allow_loopback=runtime.settings.webhook_allow_loopback,
        )
        status_code = response.status_code
        if status_code >= 300:
            error = f"HTTP {status_code}"
    except destinations.RefusedDestination as exc:
        error = f"refused: {exc}"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"
    async with runtime.session() as session:
        delivery = await session.get(WebhookDelivery, delivery_id)
        subscription = (
            await session.get(WebhookSubscription, delivery.subscription_id) if delivery else None
        )
        if delivery is None or subscription is None:
            return "gone"
        delay = service.record_attempt(
            subscription,
            delivery,
            status_code=status_code,
            error=error,
            now=utcnow(),
            backoff_base=runtime.settings.webhook_retry_base_seconds,
            disable_after=runtime.settings.webhook_disable_after,
        )
        if delay is not None:
            enqueue(
                session,
                "deliver_webhook",
                delivery.id,
                job_id=f"webhook:{delivery.id}:{delivery.attempts}",
                defer_by=delay,
            )
        await commit(session)
        return delivery.status.value


@periodic(every_seconds=300)
async def retry_lost_webhook_attempts(ctx: dict[str, Any]) -> int:
    """Attempts overdue by minutes (their job was lost with a worker) are queued again."""
    runtime: Runtime = ctx["runtime"]
    async with runtime.session() as session:
        due = await repository.overdue_attempts(session, utcnow() - timedelta(minutes=5))
        for delivery_id, attempts in due:
            enqueue(
                session, "deliver_webhook", delivery_id, job_id=f"webhook:{delivery_id}:{attempts}"
            )
        await commit(session)
    return len(due)
