"""The brokerage's weekly viewing windows (a setting kept with the brokerage): local times in its
zone, checked when the broker sets them; viewings picks concrete slots from them
(app/viewings/availability.py).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


class Weekday(enum.Enum):
    MONDAY = "MONDAY"
    TUESDAY = "TUESDAY"
    WEDNESDAY = "WEDNESDAY"
    THURSDAY = "THURSDAY"
    FRIDAY = "FRIDAY"
    SATURDAY = "SATURDAY"
    SUNDAY = "SUNDAY"


VIEWING_LENGTH = timedelta(hours=1)
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class InvalidAvailability(ValueError):
    """A window the broker gave cannot be used (bad time, end before start)."""


@dataclass(frozen=True)
class Window:
    weekday: int  # Monday is 0
    start: time
    end: time

    def as_dict(self) -> dict[str, str]:
        return {
            "weekday": WEEKDAYS[self.weekday],
            "start": f"{self.start:%H:%M}",
            "end": f"{self.end:%H:%M}",
        }


# Until the broker sets their own: weekdays 10:00-18:00 and Saturday mornings.
DEFAULT_WINDOWS = (
    *(Window(day, time(10), time(18)) for day in range(5)),
    Window(5, time(10), time(14)),
)


def parse_time(value: str) -> time:
    found = _HHMM.match(value.strip())
    if found is None:
        raise InvalidAvailability(f"'{value}' is not a time like 09:30.")
    return time(int(found[1]), int(found[2]))


def make_window(weekday: str, start: str, end: str) -> Window:
    """A window from the API's names and "HH:MM" strings, checked."""
    if weekday not in WEEKDAYS:
        raise InvalidAvailability(f"'{weekday}' is not a weekday.")
    window = Window(WEEKDAYS.index(weekday), parse_time(start), parse_time(end))
    if datetime.combine(date.min, window.end) - datetime.combine(date.min, window.start) < (
        VIEWING_LENGTH
    ):
        raise InvalidAvailability(
            f"The window {start}-{end} is shorter than a viewing ({VIEWING_LENGTH})."
        )
    return window


def windows_from(stored: Iterable[dict[str, str]] | None) -> tuple[Window, ...]:
    """The brokerage's stored windows, or the default hours when it set none."""
    windows = tuple(make_window(w["weekday"], w["start"], w["end"]) for w in stored or ())
    return windows or DEFAULT_WINDOWS
