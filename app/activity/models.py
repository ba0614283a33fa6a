"""The activity feed's history: every event a subscriber can be sent, kept so it can catch up."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigId, utcnow


class ActivityEventRow(Base):
    """One event of a brokerage's live streams. Ids grow in the order subscribers are sent the
    events (one brokerage's events are stored and published one batch at a time), so "everything
    after id N" is exactly what a subscriber that last saw N missed."""

    __tablename__ = "activity_events"
    __table_args__ = (
        Index("ix_activity_events_brokerage_stream", "brokerage_id", "stream", "id"),
        Index("ix_activity_events_property", "brokerage_id", "property_id", "id"),
        Index("ix_activity_events_at", "at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    brokerage_id: Mapped[int] = mapped_column(ForeignKey("brokerages.id", ondelete="CASCADE"))
    # Which subscription serves it: "activity" (agentActivity), "campaign", "import".
    stream: Mapped[str] = mapped_column(String(16))
    type: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # Plain ids, not foreign keys: an erased lead leaves its events behind, resolving to null.
    lead_id: Mapped[int | None] = mapped_column(BigId)
    property_id: Mapped[int | None] = mapped_column(BigId)
    conversation_id: Mapped[int | None] = mapped_column(BigId)
    message_id: Mapped[int | None] = mapped_column(BigId)
    import_id: Mapped[int | None] = mapped_column(BigId)
    # A progress stream's snapshot (campaign figures, an import's counts).
    data: Mapped[dict | None] = mapped_column()  # type: ignore[type-arg]
