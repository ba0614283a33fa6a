"""The broker's dashboard figures: time windows, the lead sources, the funnel and the ROI."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import repository as accounts
from app.dashboard import repository
from app.dashboard.repository import ConversationCounts, SourceCounts

__all__ = ["ConversationCounts", "StatsWindow", "conversation_counts", "rate", "start_of"]

conversation_counts = repository.conversation_counts


class StatsWindow(enum.Enum):
    TODAY = "TODAY"
    LAST_7_DAYS = "LAST_7_DAYS"
    LAST_30_DAYS = "LAST_30_DAYS"
    ALL_TIME = "ALL_TIME"


def window_start(window: StatsWindow, now: datetime, zone: ZoneInfo) -> datetime | None:
    """Where a window begins: TODAY at the brokerage's local midnight, the others a whole
    number of days back from now, ALL_TIME nowhere."""
    if window is StatsWindow.TODAY:
        local = now.astimezone(zone)
        return local.replace(hour=0, minute=0, second=0, microsecond=0)
    if window is StatsWindow.LAST_7_DAYS:
        return now - timedelta(days=7)
    if window is StatsWindow.LAST_30_DAYS:
        return now - timedelta(days=30)
    return None


def rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def sources_connected(sources: list[SourceCounts]) -> bool:
    return any(s.connected for s in sources)


def main_provider(sources: list[SourceCounts]) -> str | None:
    """The connected CRM; else the source leads last came from (a CRM or CSV files)."""
    for source in sources:
        if source.connected:
            return source.provider
    dated = [s for s in sources if s.last_sync_at is not None]
    if dated:
        return max(dated, key=lambda s: s.last_sync_at or datetime.min).provider
    return sources[0].provider if sources else None


async def start_of(
    session: AsyncSession, brokerage_id: int, window: StatsWindow, now: datetime
) -> datetime | None:
    """Where `window` begins for this brokerage (TODAY depends on its time zone)."""
    if window is not StatsWindow.TODAY:
        return window_start(window, now, ZoneInfo("UTC"))
    zone = await accounts.brokerage_timezone(session, brokerage_id)
    return window_start(window, now, ZoneInfo(zone))
