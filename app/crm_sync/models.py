"""CRM connections (credentials encrypted at rest) and their sync runs."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
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
    # The secret part of this connection's own webhook URL (`/webhooks/followupboss/{token}`):
    # FUB's deliveries name no account, so the URL tells brokerages apart.
    webhook_token: Mapped[str] = mapped_column(
        String(64), unique=True, default=lambda: secrets.token_urlsafe(24)
    )
    # The CRM's ids of the webhooks registered for this connection (deleted on disconnect).
    webhook_ids: Mapped[list] = mapped_column(default=list)
    webhooks_checked_at: Mapped[datetime | None] = mapped_column()
    webhook_error: Mapped[str | None] = mapped_column(Text)
    # The broker's choices for this CRM: the deal pipeline and the stage of each milestone.
    settings: Mapped[dict] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CrmLink(Base):
    """A lead's record in one CRM: a lead merged from two CRMs has a link in each, so write-back
    and the timeline reach every CRM the lead lives in."""

    __tablename__ = "crm_links"
    __table_args__ = (
        UniqueConstraint("brokerage_id", "provider", "external_id", name="uq_crm_links_record"),
        Index("ix_crm_links_lead", "lead_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    brokerage_id: Mapped[int] = mapped_column(ForeignKey("brokerages.id", ondelete="CASCADE"))
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    provider: Mapped[CrmProviderName] = mapped_column(str_enum(CrmProviderName))
    external_id: Mapped[str] = mapped_column(String(200))
    # What this CRM last said of the fields it owns (`conflicts.baseline`): tells a field changed
    # on both sides from one changed on one side. None until the record is read once.
    synced: Mapped[dict | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TimelineLog(Base):
    """A message of a conversation already on a connection's CRM timeline (the CRM's record id):
    the sweep logs each message once per CRM."""

    __tablename__ = "crm_timeline_log"
    __table_args__ = (
        UniqueConstraint("connection_id", "message_id", name="uq_crm_timeline_message"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    brokerage_id: Mapped[int] = mapped_column(ForeignKey("brokerages.id", ondelete="CASCADE"))
    connection_id: Mapped[int] = mapped_column(ForeignKey("crm_connections.id", ondelete="CASCADE"))
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    record_id: Mapped[str] = mapped_column(String(200))
    logged_at: Mapped[datetime] = mapped_column(default=utcnow)


class SyncKind(enum.Enum):
    IMPORT = "IMPORT"
    CATCH_UP = "CATCH_UP"
    WEBHOOK = "WEBHOOK"


class SyncRun(Base):
    """One pass of a connection's sync (the import, a catch-up, or one webhook delivery), with
    what it changed: the record a broker reads to see that sync works."""

    __tablename__ = "crm_sync_runs"
    __table_args__ = (Index("ix_crm_sync_runs_connection", "connection_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    brokerage_id: Mapped[int] = mapped_column(ForeignKey("brokerages.id", ondelete="CASCADE"))
    connection_id: Mapped[int] = mapped_column(ForeignKey("crm_connections.id", ondelete="CASCADE"))
    kind: Mapped[SyncKind] = mapped_column(str_enum(SyncKind))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()
    imported: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    # Fields changed both here and in the CRM, settled by the rule (`conflicts.py`).
    conflicts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    # Webhook runs: seconds from the CRM's event to its processing here.
    lag_seconds: Mapped[float | None] = mapped_column()
