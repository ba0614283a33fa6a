"""Outgoing webhooks: subscriptions, the signed body of each delivery, and what an attempt's
outcome does (retry with backoff, give up, disable a subscription that keeps failing).

A delivery is a POST of `{"id", "type", "at", "data"}` with
`BRScale-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>`,
plus Standard Webhooks' `webhook-id` and `webhook-timestamp` headers.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import utcnow
from app.core.errors import BadUserInput, NotFound
from app.core.security import SecretBox
from app.webhooks import repository
from app.webhooks.destinations import check_url
from app.webhooks.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEventType,
    WebhookSubscription,
)

# Attempts of one delivery: the first, then retries after 30 s, 2 min, 8 min, 32 min, ~2 h, ~8.5 h.
MAX_ATTEMPTS = 7
BACKOFF_BASE_SECONDS = 30.0
# Failed attempts in a row (across deliveries) after which a subscription is disabled.
DISABLE_AFTER = 15
MAX_SUBSCRIPTIONS = 25


def sign(secret: str, timestamp: int, body: str) -> str:
    """The `BRScale-Signature` header value for `body` sent at `timestamp`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def backoff(attempts: int, base: float = BACKOFF_BASE_SECONDS) -> float:
    """Seconds before the next attempt, after `attempts` failed ones."""
    return base * 4 ** (attempts - 1)


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def check_events(events: list[str]) -> list[str]:
    known = {e.value for e in WebhookEventType}
    unknown = [e for e in events if e not in known]
    if not events or unknown:
        raise BadUserInput(
            f"`events` must name at least one of {', '.join(sorted(known))}"
            + (f" (unknown: {', '.join(unknown)})." if unknown else ".")
        )
    return list(dict.fromkeys(events))


@dataclass
class Created:
    subscription: WebhookSubscription
    secret: str  # shown once


async def create_subscription(
    session: AsyncSession,
    box: SecretBox,
    brokerage_id: int,
    url: str,
    events: list[str],
    *,
    allow_loopback: bool,
    source: str = "graphql",
) -> Created:
    if await repository.subscription_count(session, brokerage_id) >= MAX_SUBSCRIPTIONS:
        raise BadUserInput(f"At most {MAX_SUBSCRIPTIONS} webhook subscriptions per brokerage.")
    secret = new_secret()
    row = WebhookSubscription(
        brokerage_id=brokerage_id,
        url=check_url(url, allow_loopback=allow_loopback),
        events=check_events(events),
        secret=box.encrypt(secret),
        source=source,
        active=True,
        consecutive_failures=0,
    )
    session.add(row)
    await session.flush()
    return Created(row, secret)


async def get_subscription(
    session: AsyncSession, brokerage_id: int, subscription_id: int
) -> WebhookSubscription:
    row = await repository.subscription(session, brokerage_id, subscription_id)
    if row is None:
        raise NotFound(f"No webhook subscription with id {subscription_id}.")
    return row


async def delete_subscription(
    session: AsyncSession, brokerage_id: int, subscription_id: int
) -> WebhookSubscription:
    row = await get_subscription(session, brokerage_id, subscription_id)
    await session.delete(row)
    await session.flush()
    return row


def delivery_body(event_id: str, type_: str, at: str, data: dict[str, Any]) -> str:
    return json.dumps({"id": event_id, "type": type_, "at": at, "data": data}, default=str)


async def plan_deliveries(
    session: AsyncSession, brokerage_id: int, events: list[tuple[int, str, str]]
) -> list[WebhookDelivery]:
    """One pending delivery per active subscription wanting each event (id, type, body)."""
    subscriptions = await repository.active_subscriptions(session, brokerage_id)
    existing = await repository.planned(session, brokerage_id, [e[0] for e in events])
    planned = []
    now = utcnow()
    for event_id, type_, body in events:
        for subscription in subscriptions:
            if type_ in subscription.events and (subscription.id, event_id) not in existing:
                delivery = WebhookDelivery(
                    brokerage_id=brokerage_id,
                    subscription_id=subscription.id,
                    event_id=event_id,
                    type=type_,
                    body=body,
                    status=DeliveryStatus.PENDING,
                    attempts=0,
                    next_attempt_at=now,
                )
                session.add(delivery)
                planned.append(delivery)
    await session.flush()
    return planned


def record_attempt(
    subscription: WebhookSubscription,
    delivery: WebhookDelivery,
    *,
    status_code: int | None,
    error: str | None,
    now: datetime,
    backoff_base: float = BACKOFF_BASE_SECONDS,
    disable_after: int = DISABLE_AFTER,
) -> float | None:
    """Apply an attempt's outcome; the seconds until the next attempt, or None if none."""
    delivery.attempts += 1
    delivery.last_status_code = status_code
    delivery.last_error = error[:500] if error else None
    if status_code is not None and 200 <= status_code < 300:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        subscription.consecutive_failures = 0
        return None
    subscription.consecutive_failures += 1
    if subscription.consecutive_failures >= disable_after:
        subscription.active = False
        subscription.disabled_at = now
        subscription.disabled_reason = (
            f"{subscription.consecutive_failures} failed attempts in a row; last: "
            f"{status_code or error}"
        )[:300]
    if not subscription.active or delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
        return None
    delay = backoff(delivery.attempts, backoff_base)
    delivery.next_attempt_at = now + timedelta(seconds=delay)
    return delay
