"""The team: invitations to join a brokerage, the audit of who did what, and the notices
(email, SMS) that go to team members rather than to leads."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.accounts.models import Role
from app.core.db import Base, BigId, TimestampMixin, str_enum


class Invitation(TimestampMixin, Base):
    """One invitation; its token carries `nonce`, and accepting it once sets `accepted_at`."""

    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("nonce", name="uq_invitations_nonce"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    brokerage_id: Mapped[int] = mapped_column(
        ForeignKey("brokerages.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    nonce: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column()
    accepted_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()


class AuditAction(enum.Enum):
    USER_INVITED = "USER_INVITED"
    USER_JOINED = "USER_JOINED"
    USER_REMOVED = "USER_REMOVED"
    ROLE_CHANGED = "ROLE_CHANGED"
    LEAD_ASSIGNED = "LEAD_ASSIGNED"
    MESSAGE_APPROVED = "MESSAGE_APPROVED"
    MESSAGE_REJECTED = "MESSAGE_REJECTED"
    CONVERSATION_TAKEN_OVER = "CONVERSATION_TAKEN_OVER"
    CONVERSATION_HANDED_BACK = "CONVERSATION_HANDED_BACK"
    ROUTING_CHANGED = "ROUTING_CHANGED"


class AuditEntry(Base):
    """Who did what: kept when the actor is removed (their name is copied)."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_brokerage", "brokerage_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    brokerage_id: Mapped[int] = mapped_column(ForeignKey("brokerages.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column()
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # "Ana Gómez" for a user, "API key 'Zapier'" for a key, "routing" for the product itself.
    actor_name: Mapped[str] = mapped_column(String(300))
    action: Mapped[AuditAction] = mapped_column(str_enum(AuditAction, length=40))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(BigId)
    detail: Mapped[dict] = mapped_column(default=dict)


class NoticeChannel(enum.Enum):
    EMAIL = "EMAIL"
    SMS = "SMS"


class NoticeStatus(enum.Enum):
    QUEUED = "QUEUED"
    SENT = "SENT"
    FAILED = "FAILED"


class StaffNotice(TimestampMixin, Base):
    """The team's outbox: an invitation or a task notice to a person of the brokerage, a row
    first (one per key), then delivered by a job after the commit."""

    __tablename__ = "staff_notices"
    __table_args__ = (UniqueConstraint("key", name="uq_staff_notices_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    brokerage_id: Mapped[int] = mapped_column(
        ForeignKey("brokerages.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    channel: Mapped[NoticeChannel] = mapped_column(str_enum(NoticeChannel))
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(String(200))
    status: Mapped[NoticeStatus] = mapped_column(
        str_enum(NoticeStatus), default=NoticeStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column()
