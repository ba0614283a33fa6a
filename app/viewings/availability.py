"""When viewings can be offered: the concrete slots picked for one lead from the brokerage's
weekly windows (app/accounts/availability.py); pure: no I/O, the caller passes the viewings
already booked.

Windows are local times in the brokerage's zone; slots are returned as aware datetimes in that
zone, so a slot at 10:00 stays at 10:00 across a change of daylight saving time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.accounts.availability import VIEWING_LENGTH, Window

# The agent who shows a viewing goes on to the next one: between viewings at two different
# listings this much is kept free either side (an hour's viewing then takes the agent 1 h 30 of
# the calendar on each side's reckoning: a viewing at 16:00 in Roma Norte leaves Del Valle free
# until 14:30 and from 17:30). Back to back at the same listing needs no travel.
TRAVEL = timedelta(minutes=30)
# Slots in one window start on the hour or half hour, never sooner than this from now.
STEP = timedelta(minutes=30)
MIN_NOTICE = timedelta(hours=3)
SEARCH_DAYS = 21
SLOTS_OFFERED = 3
# Two slots of one day are this far apart when the window allows it ("a las 10:00 o a las 13:00").
SPREAD = timedelta(hours=3)


def busy_times(
    viewings: Iterable[tuple[datetime, datetime, int]], property_id: int
) -> list[tuple[datetime, datetime]]:
    """The agent's confirmed viewings (start, end, listing) as the times a viewing of
    `property_id` may not overlap: with `TRAVEL` either side of those at other listings."""
    return [
        (start, end) if listing == property_id else (start - TRAVEL, end + TRAVEL)
        for start, end, listing in viewings
    ]


def overlaps(start: datetime, end: datetime, booked: Sequence[tuple[datetime, datetime]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in booked)


def free_slots_on(
    day: date,
    windows: Sequence[Window],
    zone: ZoneInfo,
    earliest: datetime,
    booked: Sequence[tuple[datetime, datetime]],
) -> list[datetime]:
    """Every start time on `day` inside a window, not before `earliest`, clear of `booked`."""
    slots: list[datetime] = []
    for window in sorted((w for w in windows if w.weekday == day.weekday()), key=lambda w: w.start):
        start = datetime.combine(day, window.start, tzinfo=zone)
        end = datetime.combine(day, window.end, tzinfo=zone)
        while start + VIEWING_LENGTH <= end:
            if start >= earliest and not overlaps(start, start + VIEWING_LENGTH, booked):
                slots.append(start)
            start += STEP
    return slots


def _spread(slots: list[datetime], count: int) -> list[datetime]:
    """Up to `count` of a day's free slots, the first one and then about `SPREAD` apart."""
    chosen: list[datetime] = []
    for slot in slots:
        if len(chosen) == count:
            break
        if not chosen or slot - chosen[-1] >= SPREAD:
            chosen.append(slot)
    while len(chosen) < count and len(chosen) < len(slots):
        # A short window: the free slot farthest from those chosen.
        chosen.append(
            max(
                (slot for slot in slots if slot not in chosen),
                key=lambda slot: min(abs(slot - other) for other in chosen),
            )
        )
    return sorted(chosen)


def _nearest(slots: list[datetime], target: datetime, count: int) -> list[datetime]:
    """Up to `count` free slots closest to the time the lead named, an hour apart at least."""
    chosen: list[datetime] = []
    for slot in sorted(slots, key=lambda slot: (abs(slot - target), slot)):
        if len(chosen) == count:
            break
        if all(abs(slot - other) >= timedelta(hours=1) for other in chosen):
            chosen.append(slot)
    return sorted(chosen)


@dataclass(frozen=True)
class Offer:
    slots: tuple[datetime, ...]
    # The lead asked for a day that has no free slot: the offer is on other days.
    day_unavailable: date | None = None


def offer_slots(
    now: datetime,
    windows: Sequence[Window],
    zone: ZoneInfo,
    booked: Sequence[tuple[datetime, datetime]] = (),
    requested: date | None = None,
    count: int = SLOTS_OFFERED,
    near: datetime | None = None,
    fits: Callable[[datetime], bool] | None = None,
    around: time | None = None,
) -> Offer:
    """Two or three slots to offer: on the requested day when it has room (the two closest to
    `near`, a time the lead named that cannot be booked); otherwise two on the first day with
    room and one on the next, at least `MIN_NOTICE` ahead and never today unless asked for.
    Only slots the lead `fits` into (the hours and days they said), the closest to `around`
    (the hour they wished for) first. No slot: nothing in the calendar fits."""
    local_now = now.astimezone(zone)
    earliest = local_now + MIN_NOTICE

    def free_on(day: date) -> list[datetime]:
        free = free_slots_on(day, windows, zone, earliest, booked)
        return [slot for slot in free if fits(slot)] if fits is not None else free

    def pick(free: list[datetime], count: int) -> list[datetime]:
        if around is None:
            return _spread(free, count)
        return _nearest(free, datetime.combine(free[0].date(), around, tzinfo=zone), count)

    if near is not None:
        requested = near.astimezone(zone).date()
    if requested is not None and requested >= local_now.date():
        on_day = free_on(requested)
        if on_day and near is not None:
            return Offer(tuple(_nearest(on_day, near.astimezone(zone), 2)))
        if on_day:
            return Offer(tuple(pick(on_day, count)))
        unavailable: date | None = requested
    else:
        unavailable = None
    slots: list[datetime] = []
    day = local_now.date()
    for _ in range(SEARCH_DAYS):
        day += timedelta(days=1)
        free = free_on(day)
        # Another day at another hour, so that "a las 10" names one slot of the offer.
        hours = {slot.hour for slot in slots}
        free = [slot for slot in free if slot.hour not in hours] or free
        if free:
            slots.extend(pick(free, min(2, count - len(slots))))
        if len(slots) >= count:
            break
    return Offer(tuple(slots), unavailable)


def is_free(
    start: datetime,
    windows: Sequence[Window],
    zone: ZoneInfo,
    now: datetime,
    booked: Sequence[tuple[datetime, datetime]],
) -> bool:
    """Whether a time the lead named can be booked as it is."""
    local = start.astimezone(zone)
    return local in free_slots_on(local.date(), windows, zone, now + MIN_NOTICE, booked)
