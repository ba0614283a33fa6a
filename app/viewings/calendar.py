"""The viewing's calendar invite (iCalendar, RFC 5545/5546) sent with its confirmation e-mail.

One UID per viewing and a SEQUENCE bumped on every change, so a calendar updates the event it
already holds when the time changes, and removes it on METHOD:CANCEL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from icalendar import Calendar, Event, vCalAddress, vText

CONTENT_TYPE = "text/calendar; charset=utf-8; method={method}"


@dataclass(frozen=True)
class Invite:
    uid: str
    sequence: int
    starts_at: datetime  # aware, in the brokerage's zone: the event carries that zone
    ends_at: datetime
    summary: str
    description: str
    location: str
    organizer_email: str
    organizer_name: str
    attendee_email: str | None
    attendee_name: str
    cancelled: bool = False


def invite_ics(invite: Invite, now: datetime) -> str:
    """The .ics text: a VEVENT with its VTIMEZONE, METHOD:REQUEST (or CANCEL)."""
    calendar = Calendar()
    calendar.add("prodid", "-//BR SCALE//Viewings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if invite.cancelled else "REQUEST")
    event = Event()
    event.add("uid", invite.uid)
    event.add("sequence", invite.sequence)
    event.add("dtstamp", now)
    event.add("dtstart", invite.starts_at)
    event.add("dtend", invite.ends_at)
    event.add("summary", invite.summary)
    event.add("description", invite.description)
    if invite.location:
        event.add("location", invite.location)
    event.add("status", "CANCELLED" if invite.cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{invite.organizer_email}")
    organizer.params["cn"] = vText(invite.organizer_name)
    event.add("organizer", organizer)
    if invite.attendee_email:
        attendee = vCalAddress(f"mailto:{invite.attendee_email}")
        attendee.params["cn"] = vText(invite.attendee_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode("utf-8")


def content_type(cancelled: bool) -> str:
    return CONTENT_TYPE.format(method="CANCEL" if cancelled else "REQUEST")
