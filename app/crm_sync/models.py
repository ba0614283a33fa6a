"""CRM connections (credentials encrypted at rest), and the inbox of inbound webhook deliveries."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigId, TimestampMixin, str_enum, utcnow


class CrmProviderName(enum.Enum):
    FOLLOWUPBOSS = "FOLLOWUPBOSS"
    HUBSPOT = "HUBSPOT"


class ConnectionStatus(enum.Enum):
    CONNECTED = "CONNECTED"
    SYNCING = "SYNCING"
    ERROR = "ERROR"
    DISCONNECTED = "DISCONNECTED"


class CrmConnection(TimestampMixin, Base):
    __tablename__ = "crm_connections"
    __table_args__ = (
        UniqueConstraint("brokerage_id", "provider", name="uq_crm_brokerage_provider"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    brokerage_id: Mapped[int] = mapped_column(ForeignKey("brokerages.id", ondelete="CASCADE"))
    provider: Mapped[CrmProviderName] = mapped_column(str_enum(CrmProviderName))
    status: Mapped[ConnectionStatus] = mapped_column(str_enum(ConnectionStatus))
    account_id: Mapped[str | None] = mapped_column(String(200), index=True)
    # Fernet ciphertext of the API key or OAuth token set; never leaves the server.
    credentials: Mapped[str | None] = mapped_column(Text)
    sync_cursor: Mapped[dict] = mapped_column(default=dict)
    last_sync_at: Mapped[datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)
    leads_imported: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class WebhookEvent(Base):
    """Inbound webhook deliveries, unique per source and event id: a replay is processed once."""

    __tablename__ = "webhook_events"
    __table_args__ = (UniqueConstraint("source", "event_id", name="uq_webhook_source_event"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source: Mapped[str] = mapped_column(String(40))
    event_id: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict] = mapped_column(default=dict)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(Text)
