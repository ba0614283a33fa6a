"""The morning digest: one row per user and local day, written before anything is sent, so a
digest goes out at most once per user and day, across sweeps, workers and restarts."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigId, TimestampMixin, str_enum


class DigestStatus(enum.Enum):
    PENDING = "PENDING"  # claimed for the day, not sent yet (retried while the morning lasts)
    SENDING = "SENDING"  # handed to the mail server: never sent again, whatever happens next
    SENT = "SENT"
    SKIPPED = "SKIPPED"  # nothing to tell the broker that day
    FAILED = "FAILED"


class Digest(TimestampMixin, Base):
    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_digests_user_day"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    brokerage_id: Mapped[int] = mapped_column(
        ForeignKey("brokerages.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)  # the user's local date
    status: Mapped[DigestStatus] = mapped_column(str_enum(DigestStatus))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")  # the plain-text version sent
    error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column()
