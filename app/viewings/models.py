"""A viewing of a listing with a lead, from the slots offered to the visit itself."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigId, TimestampMixin, str_enum, utcnow


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
