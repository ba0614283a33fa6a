"""Queries of the webhooks domain: subscriptions, their deliveries, and the events to send."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.activity.events import WEBHOOK_TYPES
from app.activity.models import ActivityEventRow
from app.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription


async def subscription_count(session: AsyncSession, brokerage_id: int) -> int:
    stmt = select(func.count()).where(WebhookSubscription.brokerage_id == brokerage_id)
    return int(await session.scalar(stmt) or 0)


async def subscription(
    session: AsyncSession, brokerage_id: int, subscription_id: int
) -> WebhookSubscription | None:
    return await session.scalar(
        select(WebhookSubscription).where(
            WebhookSubscription.id == subscription_id,
            WebhookSubscription.brokerage_id == brokerage_id,
        )
    )


async def active_subscriptions(
    session: AsyncSession, brokerage_id: int
) -> Sequence[WebhookSubscription]:
    return (
        await session.scalars(
            select(WebhookSubscription).where(
                WebhookSubscription.brokerage_id == brokerage_id,
                WebhookSubscription.active.is_(True),
            )
        )
    ).all()


async def planned(
    session: AsyncSession, brokerage_id: int, event_ids: Sequence[int]
) -> set[tuple[int, int]]:
    """The (subscription, event) pairs that already have a delivery."""
    rows = await session.execute(
        select(WebhookDelivery.subscription_id, WebhookDelivery.event_id).where(
            WebhookDelivery.brokerage_id == brokerage_id,
            WebhookDelivery.event_id.in_(event_ids),
        )
    )
    return {(subscription_id, event_id) for subscription_id, event_id in rows}


async def events_to_send(
    session: AsyncSession, brokerage_id: int, event_ids: Sequence[int]
) -> Sequence[ActivityEventRow]:
    """These stored events of the brokerage, of the types partners can subscribe to."""
    return (
        await session.scalars(
            select(ActivityEventRow).where(
                ActivityEventRow.brokerage_id == brokerage_id,
                ActivityEventRow.id.in_(event_ids),
                ActivityEventRow.type.in_(WEBHOOK_TYPES),
            )
        )
    ).all()


async def overdue_attempts(
    session: AsyncSession, before: datetime, limit: int = 500
) -> list[tuple[int, int]]:
    """(delivery id, attempts) of pending deliveries whose next attempt is before `before`."""
    rows = await session.execute(
        select(WebhookDelivery.id, WebhookDelivery.attempts)
        .where(
            WebhookDelivery.status == DeliveryStatus.PENDING,
            WebhookDelivery.next_attempt_at < before,
        )
        .limit(limit)
    )
    return [(delivery_id, attempts) for delivery_id, attempts in rows]
