"""Conversations (one LangGraph thread per lead and property), the broker's hand-off tasks and
the viewings they arrange: the rows and their statuses, nothing else."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigId, TimestampMixin, str_enum, utcnow


class ConversationStatus(enum.Enum):
    AWAITING_APPROVAL = "AWAITING_APPROVAL"
    WAITING = "WAITING"
    RESPONDING = "RESPONDING"
    QUALIFIED = "QUALIFIED"
    HANDED_OFF = "HANDED_OFF"
    COLD = "COLD"
    CLOSED = "CLOSED"
    OPTED_OUT = "OPTED_OUT"


def thread_id_for(lead_id: int, property_id: int) -> str:
    return f"lead_{lead_id}_property_{property_id}"


class Conversation(TimestampMixin, Base):
    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("lead_id", "property_id", name="uq_conversations_lead_property"),
        Index("ix_conversations_brokerage_status", "brokerage_id", "status"),
        Index("ix_conversations_follow_up", "follow_up_at"),
        # the lists' keyset orders: the brokerage's, a status of it, a listing's
        Index("ix_conversations_keyset", "brokerage_id", "id"),
        Index("ix_conversations_status_keyset", "brokerage_id", "status", "id"),
        Index("ix_conversations_property_keyset", "property_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    brokerage_id: Mapped[int] = mapped_column(ForeignKey("brokerages.id", ondelete="CASCADE"))
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    property_id: Mapped[int] = mapped_column(
        ForeignKey("properties.id", ondelete="CASCADE"), index=True
    )
    thread_id: Mapped[str] = mapped_column(String(80), unique=True)
    status: Mapped[ConversationStatus] = mapped_column(str_enum(ConversationStatus))
    channels: Mapped[list] = mapped_column(default=list)
    language: Mapped[str] = mapped_column(String(2), default="es")
    qualification_score: Mapped[int] = mapped_column(Integer, default=0)
    next_action: Mapped[str | None] = mapped_column(String(300))
    # A broker took the conversation over: the AI stays silent until it is handed back.
    taken_over: Mapped[bool] = mapped_column(Boolean, default=False)
    follow_ups_sent: Mapped[int] = mapped_column(Integer, default=0)
    follow_up_at: Mapped[datetime | None] = mapped_column()
    turn: Mapped[int] = mapped_column(Integer, default=0)
    # Which first-message template the lead got (reply rates are compared per variant).
    variant: Mapped[str | None] = mapped_column(String(40))
    # The qualification signals seen so far: {signal: points}; the score is their sum.
    qualification: Mapped[dict] = mapped_column(default=dict)
    # When the qualification score first went above 75 (the dashboard counts it per window).
    qualified_at: Mapped[datetime | None] = mapped_column()
    # Other listings offered when the lead declined this one ("not this area"), best first:
    # the lead's choice among them opens a conversation there.
    offered_property_ids: Mapped[list] = mapped_column(default=list)
    # Not started before this time: its campaign batch failed and is tried again then
    # (`conversations.campaigns.batch_failed`); the campaign's other batches go on meanwhile.
    start_after: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class TaskKind(enum.Enum):
    CALL_HOT_LEAD = "CALL_HOT_LEAD"
    VIEWING = "VIEWING"
    HANDOFF = "HANDOFF"
    QUESTION = "QUESTION"
    QUALIFIED = "QUALIFIED"
    # Someone the lead referred: a lead to contact with their permission, or details to ask.
    REFERRAL = "REFERRAL"


class TaskStatus(enum.Enum):
    OPEN = "OPEN"
    DONE = "DONE"
    CANCELLED = "CANCELLED"


class BrokerTask(TimestampMixin, Base):
    """Something the agent promised the lead the broker would do; one open task per lead and
    kind (a second promise of the same kind updates it)."""

    __tablename__ = "broker_tasks"
    __table_args__ = (
        Index("ix_broker_tasks_conversation", "conversation_id"),
        Index("ix_broker_tasks_status_keyset", "brokerage_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    brokerage_id: Mapped[int] = mapped_column(
        ForeignKey("brokerages.id", ondelete="CASCADE"), index=True
    )
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    property_id: Mapped[int | None] = mapped_column(ForeignKey("properties.id", ondelete="CASCADE"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[TaskKind] = mapped_column(str_enum(TaskKind))
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[TaskStatus] = mapped_column(str_enum(TaskStatus), default=TaskStatus.OPEN)
    due_at: Mapped[datetime | None] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column()


# One open task per lead and kind. The predicate is written on the columns, after them: the
# same DDL as a text predicate (`WHERE status = 'OPEN'`, PostgreSQL and SQLite alike).
Index(
    "uq_tasks_open_lead_kind",
    BrokerTask.lead_id,
    BrokerTask.kind,
    unique=True,
    postgresql_where=BrokerTask.status == TaskStatus.OPEN,
    sqlite_where=BrokerTask.status == TaskStatus.OPEN,
)


class ViewingStatus(enum.Enum):
    PROPOSED = "PROPOSED"  # slots offered, the lead has not chosen yet
    CONFIRMED = "CONFIRMED"
    CANCELLED = "CANCELLED"
    DONE = "DONE"


class Viewing(TimestampMixin, Base):
    __tablename__ = "viewings"
    __table_args__ = (
        Index("ix_viewings_brokerage_status", "brokerage_id", "status"),
        Index("ix_viewings_property_starts", "property_id", "starts_at"),
        Index("ix_viewings_reminder", "status", "remind_at"),
        Index("ix_viewings_keyset", "brokerage_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    brokerage_id: Mapped[int] = mapped_column(ForeignKey("brokerages.id", ondelete="CASCADE"))
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id", ondelete="CASCADE"))
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[ViewingStatus] = mapped_column(str_enum(ViewingStatus))
    # The chosen time once CONFIRMED; while PROPOSED, the first of the slots offered.
    starts_at: Mapped[datetime] = mapped_column()
    ends_at: Mapped[datetime] = mapped_column()
    # The slots offered to the lead (ISO instants, in the order they were written).
    offered: Mapped[list] = mapped_column(default=list)
    # Bumped on every change the lead is told about: the invite's SEQUENCE, and part of the
    # outbox keys, so each confirmation, change and reminder is sent once.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    # The day-before reminder: due at `remind_at` (None when confirmed too late to need one).
    remind_at: Mapped[datetime | None] = mapped_column()
    reminded_at: Mapped[datetime | None] = mapped_column()
    # When the lead first confirmed a time: a meeting scheduled (kept when it is moved).
    confirmed_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
