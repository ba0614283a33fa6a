"""Lead temperature from days since last contact (DESIGN.md section 3), in Python and as SQL
bounds."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import NamedTuple

HOT_WITHIN = timedelta(days=30)
WARM_WITHIN = timedelta(days=60)


class Temperature(enum.Enum):
    HOT = "HOT"
    WARM = "WARM"
    COLD = "COLD"


class TemperatureBounds(NamedTuple):
    """Cut-offs for SQL filters, consistent with `lead_temperature` to the microsecond.

    HOT:  last_contact_at > hot_after
    WARM: cold_at_or_before < last_contact_at <= hot_after
    COLD: last_contact_at <= cold_at_or_before, or last_contact_at IS NULL
    """

    hot_after: datetime
    cold_at_or_before: datetime


def lead_temperature(last_contact_at: datetime | None, now: datetime) -> Temperature:
    """Hot under 30 days since last contact, warm 30-59 days, cold 60+ days or never contacted."""
    if last_contact_at is None:
        return Temperature.COLD
    elapsed = now - last_contact_at
    if elapsed < HOT_WITHIN:
        return Temperature.HOT
    if elapsed < WARM_WITHIN:
        return Temperature.WARM
    return Temperature.COLD


def temperature_bounds(now: datetime) -> TemperatureBounds:
    return TemperatureBounds(hot_after=now - HOT_WITHIN, cold_at_or_before=now - WARM_WITHIN)
