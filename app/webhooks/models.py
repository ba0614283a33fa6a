"""Partners' webhooks: who wants which events where, and every delivery tried."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigId, TimestampMixin, str_enum, utcnow


class WebhookEventType(enum.Enum):
    LEAD_QUALIFIED = "LEAD_QUALIFIED"
    HANDOFF_CREATED = "HANDOFF_CREATED"
    VIEWING_CONFIRMED = "VIEWING_CONFIRMED"
    LEAD_OPTED_OUT = "LEAD_OPTED_OUT"
    MESSAGE_SENT = "MESSAGE_SENT"
    LEAD_REPLIED = "LEAD_REPLIED"


class DeliveryStatus(enum.Enum):
    PENDING = "PENDING"  # waiting for its (next) attempt
    DELIVERED = "DELIVERED"
    FAILED = "FAILED"  # out of attempts, or its subscription was disabled


class WebhookSubscription(TimestampMixin, Base):
    __tablename__ = "webhook_subscriptions"
    __table_args__ = (Index("ix_webhook_subscriptions_brokerage", "brokerage_id", "active"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    brokerage_id: Mapped[int] = mapped_column(ForeignKey("brokerages.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list] = mapped_column(default=list)  # type: ignore[type-arg]
    # The signing secret, encrypted at rest (shown once, when created).
    secret: Mapped[str] = mapped_column(Text)
    # "graphql" (createWebhookSubscription) or "zapier" (a REST hook).
    source: Mapped[str] = mapped_column(String(16), default="graphql")
    active: Mapped[bool] = mapped_column(default=True)
    # Failed attempts in a row (any delivery); a success resets it.
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    disabled_at: Mapped[datetime | None] = mapped_column()
    disabled_reason: Mapped[str | None] = mapped_column(String(300))


class WebhookDelivery(Base):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_subscription", "subscription_id", "id"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        UniqueConstraint("subscription_id", "event_id", name="uq_webhook_deliveries_event"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    brokerage_id: Mapped[int] = mapped_column(ForeignKey("brokerages.id", ondelete="CASCADE"))
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE")
    )
    # The activity event delivered (one delivery per subscription and event).
    event_id: Mapped[int] = mapped_column(BigId)
    type: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)  # the exact JSON sent (and signed)
    status: Mapped[DeliveryStatus] = mapped_column(str_enum(DeliveryStatus))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(500))
    next_attempt_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column()
