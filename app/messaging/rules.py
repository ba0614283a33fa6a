"""When a message may go out: quiet hours in the lead's time zone and per-lead caps (pure logic)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from phonenumbers import timezone as phone_timezones

DAY = timedelta(days=1)
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class QuietHours:
    """Sending is allowed from `start` (inclusive) to `end` (exclusive), local time."""

    start: time = time(8, 0)
    end: time = time(21, 0)


@dataclass(frozen=True)
class Caps:
    per_day: int = 3
    per_week: int = 6


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def lead_time_zones(phone: str | None, fallback: str) -> tuple[ZoneInfo, ...]:
    """The zones the phone's number range may be in, else the brokerage's zone.

    A range spanning several zones (Spain: Madrid and the Canaries) yields all of them, and the
    sender then respects quiet hours in every one: when unsure, be conservative.
    """
    zones: list[ZoneInfo] = []
    if phone:
        try:
            number = phonenumbers.parse(phone.removeprefix("whatsapp:"), None)
            names = phone_timezones.time_zones_for_number(number)
        except phonenumbers.NumberParseException:
            names = ()
        zones = [z for name in names if (z := _zone(name)) is not None]
    if not zones:
        zones = [_zone(fallback) or ZoneInfo("UTC")]
    return tuple(zones)


def _allowed_in(when: datetime, zone: ZoneInfo, hours: QuietHours) -> datetime:
    """`when` if it is inside the sending window in `zone`, else the window's next opening."""
    local = when.astimezone(zone)
    if hours.start <= local.time() < hours.end:
        return when
    day = local.date() if local.time() < hours.start else local.date() + DAY
    opening = datetime.combine(day, hours.start, tzinfo=zone)
    return opening.astimezone(when.tzinfo)


def next_sending_time(
    now: datetime, zones: Sequence[ZoneInfo], hours: QuietHours = QuietHours()
) -> datetime:
    """The first instant at or after `now` that is inside the window in every zone."""
    when = now
    for _ in range(8):  # zones a few hours apart settle in one or two rounds
        later = max(_allowed_in(when, zone, hours) for zone in zones)
        if later == when:
            return when
        when = later
    return when


def next_time_under_caps(
    earliest: datetime, scheduled: Sequence[datetime], caps: Caps = Caps()
) -> datetime:
    """The first instant at or after `earliest` when fewer than the cap were sent in the rolling
    day and week before it (`scheduled`: when the lead's other messages go or went out)."""
    when = earliest
    times = sorted(scheduled)
    for _ in range(len(times) + 2):
        moved = False
        for window, cap in ((DAY, caps.per_day), (WEEK, caps.per_week)):
            inside = [t for t in times if when - window < t <= when]
            if len(inside) >= cap:
                # Wait until enough of the oldest ones have left the window.
                when = inside[len(inside) - cap] + window
                moved = True
        if not moved:
            return when
    return when
