"""Match scores with their breakdown, one row per (lead, property)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigId, TimestampMixin, str_enum, utcnow
from app.core.vocabulary import Tier


class Match(TimestampMixin, Base):
    __tablename__ = "matches"
    __table_args__ = (
        UniqueConstraint("lead_id", "property_id", name="uq_matches_lead_property"),
        Index("ix_matches_property_score", "property_id", "score", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    brokerage_id: Mapped[int] = mapped_column(ForeignKey("brokerages.id", ondelete="CASCADE"))
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column()
    tier: Mapped[Tier] = mapped_column(str_enum(Tier))
    breakdown: Mapped[dict] = mapped_column(default=dict)
    # The MatchReason that let the pair through (PLACE, BUDGET, PLACE_AND_BUDGET or RELAXED);
    # beside the breakdown, whose values are all points.
    gate: Mapped[str | None] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
