"""Each brokerage's capture key: the secret part of its public capture URL."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigId, utcnow


def new_capture_key() -> str:
    return secrets.token_urlsafe(18)


class CaptureKey(Base):
    __tablename__ = "capture_keys"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    brokerage_id: Mapped[int] = mapped_column(
        ForeignKey("brokerages.id", ondelete="CASCADE"), unique=True
    )
    key: Mapped[str] = mapped_column(String(64), unique=True, default=new_capture_key)
    rotated_at: Mapped[datetime] = mapped_column(default=utcnow)
