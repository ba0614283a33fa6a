"""The rules of a viewing: offer slots, confirm the one chosen (with its invite, the broker's task
and the reminder), change or cancel it, from the lead's side or the broker's.

Functions take a session, queue the lead's messages in the outbox and flush; they never commit.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.availability import VIEWING_LENGTH, Window, windows_from
from app.accounts.models import Brokerage
from app.activity.events import ActivityType, record_activity
from app.conversations import qualification
from app.conversations.broker_tasks import mark_qualified
from app.conversations.guard import check_reply
from app.conversations.intents import HANDOFF_SCORE
from app.conversations.models import (
    Conversation,
    ConversationStatus,
    TaskKind,
    TaskStatus,
)
from app.conversations.replies import lead_facts, own_voice, property_facts, sender_name, signed
from app.conversations.repository import DUE_IN, Loaded, insert_tasks, last_inbound_channel
from app.core.db import utcnow
from app.core.errors import BadUserInput, Conflict
from app.core.jobs import enqueue
from app.core.tenancy import get_scoped
from app.leads.models import Lead
from app.messaging.config import messaging_config
from app.messaging.models import Channel
from app.messaging.outbox import Outgoing, queue_messages
from app.messaging.stop_line import stop_line
from app.properties.models import Property
from app.teams.notices import notify_assignee
from app.viewings import calendar, repository, wording
from app.viewings.availability import TRAVEL, busy_times, is_free, offer_slots, overlaps
from app.viewings.models import Viewing, ViewingStatus
from app.viewings.reading import (
    ViewingReply,
    Wish,
    asked_time,
    besides_booking,
    read_viewing_reply,
    read_wish,
    together,
)

log = logging.getLogger("brscale.viewings")

# A reminder is due a day ahead; a viewing booked for sooner than this gets none.
REMIND_BEFORE = timedelta(days=1)
REMINDER_MIN_LEAD = timedelta(hours=2)


@dataclass(frozen=True)
class Parties:
    """A viewing's conversation, with the lead, the listing and the brokerage it concerns."""

    conversation: Conversation
    lead: Lead
    listing: Property
    brokerage: Brokerage

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.brokerage.timezone)

    @property
    def address(self) -> str:
        """The street address, said only when the listing has one."""
        return str(getattr(self.listing, "address", None) or "").strip()

    @property
    def place(self) -> str:
        """Where the invite says the viewing is: the address, else the area."""
        if self.address:
            return self.address
        parts = [self.listing.location, self.listing.city]
        return ", ".join(dict.fromkeys(part for part in parts if part))

    def voice(self, language: str | None = None) -> wording.Voice:
        parts = (self.lead.name or "").split()
        first = parts[0].capitalize() if parts and "@" not in parts[0] else None
        formality = str(getattr(self.brokerage, "formality", "TU") or "TU")
        return wording.Voice(
            language="en" if (language or self.conversation.language) == "en" else "es",
            formality="USTED" if formality.upper() == "USTED" else "TU",
            first_name=first,
            own=own_voice(self.sender, self.signature),
        )

    @property
    def signature(self) -> str:
        """How the lead's e-mails are signed, as every other e-mail of the conversation."""
        return sender_name(self.brokerage)

    @property
    def broker_language(self) -> wording.Language:
        return "en" if self.brokerage.language == "en" else "es"

    @property
    def sender(self) -> str:
        return str(getattr(self.brokerage, "agent_name", None) or self.brokerage.name)


async def parties_of(session: AsyncSession, conversation_id: int) -> Parties:
    return Parties(*await repository.parties(session, conversation_id))


@dataclass(frozen=True)
class Handled:
    """A lead's reply answered by the viewing rules: what was said and the viewing after it."""

    reply: wording.Said
    viewing: Viewing | None  # None: nothing was offered, the broker proposes a time
    # KEPT: the lead confirmed the viewing already booked; nothing changes, and what is said
    # goes out with the answer to the rest of their reply (not on its own).
    action: Literal["OFFERED", "CHOSE", "CONFIRMED", "CANCELLED", "ASKED_BROKER", "KEPT"]
    # The lead's calendar changes: the e-mail carries the invite (or its cancellation).
    invite: bool = False
    # What the broker's list says the conversation waits for now.
    next_action: str = ""
    # The times the reply states (the fact guard lets no other date or hour through).
    times: tuple[datetime, ...] = ()

    @property
    def waits_for_broker(self) -> bool:
        """No time suits the lead: the broker's task is to propose one (no nudges meanwhile)."""
        return self.action == "ASKED_BROKER"


def _local(viewing: Viewing, zone: ZoneInfo) -> list[datetime]:
    return [datetime.fromisoformat(at).astimezone(zone) for at in viewing.offered]


# --- the lead's side ------------------------------------------------------------------------


async def offer(
    session: AsyncSession,
    parties: Parties,
    message: str,
    now: datetime,
    *,
    language: str | None = None,
    named: datetime | None = None,
) -> Handled | None:
    """Offer two or three slots (on the day asked for, when it has room; the closest to
    `named`, a time the lead named that cannot be booked, and why) and keep them as the
    conversation's PROPOSED viewing; None when the calendar has no room at all."""
    zone = parties.zone
    viewing = await repository.open_viewing(session, parties.conversation.id)
    busy = await _busy(session, parties, now, viewing.id if viewing else None)
    windows = windows_from(parties.brokerage.availability)
    own_time = asked_time(message, now.astimezone(zone).date()) if named is None else None
    if own_time is not None:
        # One day and hour asked for ("listo martes a las 3"): booked at once when free;
        # otherwise said so, with the free times nearest to it.
        start = own_time.replace(tzinfo=zone)
        if is_free(start, windows, zone, now, busy):
            if viewing is None:
                viewing = _new_viewing(parties, start)
                session.add(viewing)
                await session.flush()
            return await _confirm_if_free(session, parties, viewing, start, message, now, language)
        named = start
    wish = await lead_wish(session, parties, message, now)
    limited = named is None and bool(wish.limits_hours or wish.weekdays)
    found = offer_slots(
        now,
        windows,
        zone,
        busy,
        wish.dates[-1] if wish.dates and named is None else None,
        near=named,
        fits=(lambda slot: wish.allows(slot, VIEWING_LENGTH)) if limited else None,
        around=wish.around if named is None else None,
    )
    if not found.slots and limited:
        # The lead can come only when there are no viewings: said, and the broker proposes.
        asked = await _ask_broker(session, parties, message, now, language, nothing_fits=True)
        return asked if _backed(parties, asked.reply, asked.times) else None
    if not found.slots:
        return None
    unavailable = (
        datetime.combine(found.day_unavailable, datetime.min.time(), tzinfo=zone)
        if found.day_unavailable and named is None
        else None
    )
    taken = named is not None and is_free(named, windows, zone, now, ())
    said = wording.offer(
        parties.voice(language),
        parties.listing.title,
        found.slots,
        unavailable,
        named=named.astimezone(zone) if named is not None else None,
        taken=taken,
        closed=unavailable is not None and all(w.weekday != unavailable.weekday() for w in windows),
    )
    times = (
        *found.slots,
        *([unavailable] if unavailable else []),
        *([named.astimezone(zone)] if named is not None else []),
    )
    if not _backed(parties, said, times):
        return None  # the agent answers without times; the broker is asked to call
    if viewing is None:
        viewing = _new_viewing(parties, found.slots[0])
        session.add(viewing)
    elif viewing.status is ViewingStatus.CONFIRMED:
        viewing.sequence += 1  # the booked time is released: the next invite replaces it
        await _moving_task(session, parties, viewing.starts_at, found.slots, message, now)
    viewing.status = ViewingStatus.PROPOSED
    viewing.offered = [slot.isoformat() for slot in found.slots]
    viewing.starts_at = found.slots[0]
    viewing.ends_at = found.slots[0] + VIEWING_LENGTH
    viewing.remind_at = None
    viewing.reminded_at = None
    await session.flush()
    waiting = wording.next_action(parties.broker_language, "choose")
    parties.conversation.next_action = waiting
    return Handled(said, viewing, "OFFERED", next_action=waiting, times=times)


def _new_viewing(parties: Parties, start: datetime) -> Viewing:
    """The conversation's viewing, proposed at `start` until it is confirmed or offered."""
    return Viewing(
        brokerage_id=parties.conversation.brokerage_id,
        lead_id=parties.lead.id,
        property_id=parties.listing.id,
        conversation_id=parties.conversation.id,
        sequence=0,
        status=ViewingStatus.PROPOSED,
        offered=[start.isoformat()],
        starts_at=start,
        ends_at=start + VIEWING_LENGTH,
    )


async def answer_reply(
    session: AsyncSession,
    parties: Parties,
    message: str,
    now: datetime,
    *,
    key: str,
    channel: Channel,
    language: str | None = None,
) -> Handled | None:
    """Act on a reply about the conversation's open viewing: accept a slot, change, cancel.
    The answer is queued on `channel` under `key`. None: the reply is about something else."""
    viewing = await repository.open_viewing(session, parties.conversation.id)
    if viewing is None:
        return None
    zone = parties.zone
    confirmed = (
        viewing.starts_at.astimezone(zone) if viewing.status is ViewingStatus.CONFIRMED else None
    )
    offered = _local(viewing, zone) if confirmed is None else []
    said = read_viewing_reply(message, offered, now.astimezone(zone).date(), confirmed=confirmed)
    if said is None:
        return None
    handled = await _act(session, parties, viewing, said, message, now, language)
    if handled is None:
        return None
    if handled.action != "KEPT":
        await _tell(session, parties, handled, key, [channel], now)
    return handled


async def kept(
    session: AsyncSession, parties: Parties, message: str, *, language: str | None = None
) -> Handled | None:
    """The conversation's booked viewing, said back to a lead who writes about it without
    asking to move it ("confirmo lo del sábado", "¿sigue en pie?"): the booking stands (a
    viewing request is never a reason to release it). None when nothing is booked."""
    viewing = await repository.open_viewing(session, parties.conversation.id)
    if viewing is None or viewing.status is not ViewingStatus.CONFIRMED:
        return None
    local = viewing.starts_at.astimezone(parties.zone)
    voice = parties.voice(language)
    said = wording.see_you(voice, local, together=together(message), asked="?" in message)
    if not _backed(parties, said, (local,)):
        said = wording.held(voice, parties.sender)
    return Handled(said, viewing, "KEPT", next_action=parties.conversation.next_action or "",
                   times=(local,))  # fmt: skip


def besides(message: str, now: datetime) -> str:
    """What a reply that confirms the booked viewing says besides, to be answered too."""
    return besides_booking(message, now.date())


async def tell(
    session: AsyncSession, parties: Parties, handled: Handled, key: str, channel: str
) -> None:
    """Send what a viewing rule said on the lead's `channel` (a calendar change reaches their
    e-mail too, with the invite), keyed like the reply it answers."""
    await _tell(session, parties, handled, key, [Channel(channel)], utcnow())


async def _act(
    session: AsyncSession,
    parties: Parties,
    viewing: Viewing,
    reading: ViewingReply,
    message: str,
    now: datetime,
    language: str | None,
) -> Handled | None:
    voice = parties.voice(language)
    if reading.action == "KEEP":
        return await kept(session, parties, message, language=language)
    if reading.action == "CANCEL":
        was = (
            viewing.starts_at.astimezone(parties.zone)
            if viewing.status is ViewingStatus.CONFIRMED
            else None
        )
        await _cancel(session, parties, viewing)
        said = wording.cancelled_by_lead(voice, was)
        return Handled(
            said, viewing, "CANCELLED", invite=was is not None, times=(was,) if was else ()
        )
    if reading.action == "CHOOSE":
        said = wording.which_time(voice, reading.choices)
        return Handled(said, viewing, "CHOSE", times=tuple(reading.choices))
    if reading.action == "ACCEPT" and reading.slot is not None:
        return await _confirm_if_free(
            session, parties, viewing, reading.slot, message, now, language
        )
    # RESCHEDULE: a named day and hour is booked at once when it is free; otherwise slots
    # are offered again (on the day named, when there is one, inside the hours the lead
    # gave); none suits the lead and they named nothing: they are asked, and the broker too.
    if reading.day is not None and reading.at is not None:
        start = datetime.combine(reading.day, reading.at, tzinfo=parties.zone)
        return await _confirm_if_free(session, parties, viewing, start, message, now, language)
    if reading.day is None and not read_wish(message, now.astimezone(parties.zone).date()).said:
        return await _ask_broker(session, parties, message, now, language, nothing_fits=False)
    return await offer(session, parties, message, now, language=language)


async def lead_wish(session: AsyncSession, parties: Parties, message: str, now: datetime) -> Wish:
    """When the lead can come: what this message says, with the hours and days they gave
    earlier in the conversation when it gives none ("solo puedo después de las 7", then
    "¿y el jueves?": Thursday after 7). The latest hours said win; a day or a time named
    ("el jueves", "como a las 5") counts for its own message only."""
    today = now.astimezone(parties.zone).date()
    wish = read_wish(message, today)
    if wish.limits_hours or wish.weekdays:
        return wish
    for earlier in await repository.lead_said(session, parties.conversation.id):
        said = read_wish(earlier, today)
        if said.limits_hours or said.weekdays:
            return replace(
                wish,
                weekdays=said.weekdays,
                after=said.after,
                until=said.until,
                ends_by=said.ends_by,
            )
    return wish


def window_times(windows: Sequence[Window], today: date, zone: ZoneInfo) -> tuple[datetime, ...]:
    """The showing hours as times a message may state (the fact guard's backing): each
    window's start and end on its next day."""
    return tuple(
        datetime.combine(today + timedelta(days=(w.weekday - today.weekday()) % 7), at,
                         tzinfo=zone)
        for w in windows
        for at in (w.start, w.end)
    )  # fmt: skip


async def _ask_broker(
    session: AsyncSession,
    parties: Parties,
    message: str,
    now: datetime,
    language: str | None,
    *,
    nothing_fits: bool,
) -> Handled:
    """No time offered suits the lead (`nothing_fits`: the hours they can come have no
    viewings): the lead is told so plainly, and the broker's VIEWING task (created or brought
    up to date) asks them to propose a time. An offered or booked viewing is left as it is."""
    voice = parties.voice(language)
    windows = windows_from(parties.brokerage.availability)
    spans = [(w.weekday, w.start, w.end) for w in windows]
    times = window_times(windows, now.astimezone(parties.zone).date(), parties.zone)
    if nothing_fits:
        hours = wording.hours_phrase(spans, voice.language)
        said = wording.nothing_fits(voice, parties.sender, hours)
    else:
        said = wording.none_suit(voice, parties.sender)
        times = ()
    lead = parties.lead
    contact = " · ".join(part for part in (lead.name, lead.email, lead.phone) if part)
    title, summary = wording.propose_task_text(
        parties.broker_language,
        lead.name or lead.email or lead.phone or "Lead",
        contact,
        parties.listing.title,
        message.strip()[:500],
        wording.hours_phrase(spans, parties.broker_language),
    )
    digest = hashlib.sha256(message.encode()).hexdigest()[:12]
    await _upsert_task(session, parties, title, summary, now + DUE_IN[TaskKind.VIEWING], digest)
    conversation = parties.conversation
    waiting = wording.next_action(parties.broker_language, "propose")
    conversation.next_action = waiting
    if conversation.status not in (ConversationStatus.OPTED_OUT, ConversationStatus.CLOSED):
        conversation.status = ConversationStatus.HANDED_OFF
    conversation.follow_up_at = None  # the broker writes next: no nudges
    viewing = await repository.open_viewing(session, conversation.id)
    return Handled(said, viewing, "ASKED_BROKER", next_action=waiting, times=times)


async def _confirm_if_free(
    session: AsyncSession,
    parties: Parties,
    viewing: Viewing,
    start: datetime,
    message: str,
    now: datetime,
    language: str | None,
) -> Handled | None:
    await repository.lock_calendar(session, parties.conversation.brokerage_id)
    busy = await _busy(session, parties, now, viewing.id)
    windows = windows_from(parties.brokerage.availability)
    if not is_free(start, windows, parties.zone, now, busy):
        # The agent has a viewing then (or on the way to or from one), it is outside the
        # hours, or too soon: the lead is told, and offered the closest free times.
        return await offer(session, parties, message, now, language=language, named=start)
    await _confirm(session, parties, viewing, start, now)
    local = start.astimezone(parties.zone)
    said = wording.confirmation(
        parties.voice(language),
        parties.listing.title,
        local,
        parties.address,
        invite_by_email=_email_channel(parties) is not None,
        agent=parties.sender,
    )
    return Handled(said, viewing, "CONFIRMED", invite=True, times=(local,))


async def end_with_conversation(session: AsyncSession, parties: Parties) -> None:
    """The lead opted out or declined: their offered or booked viewing is cancelled and the
    broker's VIEWING task closed (the lead is not written to again)."""
    viewing = await repository.open_viewing(session, parties.conversation.id)
    if viewing is not None:
        await _cancel(session, parties, viewing)


# --- the broker's side -----------------------------------------------------------------------


async def cancel_viewing(session: AsyncSession, brokerage_id: int, viewing_id: int) -> Viewing:
    """The broker cancels: a booked viewing's lead is told (with the invite withdrawn)."""
    viewing = await get_scoped(session, Viewing, brokerage_id, viewing_id, what="Viewing")
    if viewing.status not in repository.OPEN:
        raise Conflict(f"This viewing is already {viewing.status.value.lower()}.")
    parties = await parties_of(session, viewing.conversation_id)
    was_booked = viewing.status is ViewingStatus.CONFIRMED
    await _cancel(session, parties, viewing)
    if was_booked:
        was = viewing.starts_at.astimezone(parties.zone)
        said = wording.cancelled_by_broker(parties.voice(), parties.listing.title, was)
        handled = Handled(said, viewing, "CANCELLED", invite=True, times=(was,))
        key = f"viewing:{viewing.id}:cancelled:{viewing.sequence}"
        await _tell(session, parties, handled, key, await _lead_channel(session, parties), utcnow())
    await session.flush()
    return viewing


async def reschedule_viewing(
    session: AsyncSession, brokerage_id: int, viewing_id: int, starts_at: datetime
) -> Viewing:
    """The broker moves a viewing (or books one of the slots offered): confirmed at the new
    time, the lead told with an updated invite."""
    viewing = await get_scoped(session, Viewing, brokerage_id, viewing_id, what="Viewing")
    if viewing.status not in repository.OPEN:
        raise Conflict(f"This viewing is {viewing.status.value.lower()}; it cannot be moved.")
    parties = await parties_of(session, viewing.conversation_id)
    if starts_at.tzinfo is None:  # a time without offset is the brokerage's local time
        starts_at = starts_at.replace(tzinfo=parties.zone)
    now = utcnow()
    if starts_at <= now:
        raise BadUserInput("A viewing cannot be moved into the past.")
    await repository.lock_calendar(session, brokerage_id)
    busy = await _busy(session, parties, now, viewing.id)
    if overlaps(starts_at, starts_at + VIEWING_LENGTH, busy):
        raise Conflict(
            "The agent who shows this listing has another viewing then (or is on the way: "
            f"{TRAVEL.seconds // 60} minutes are kept between viewings at different listings)."
        )
    await _confirm(session, parties, viewing, starts_at, now)
    local = starts_at.astimezone(parties.zone)
    said = wording.moved_by_broker(parties.voice(), parties.listing.title, local, parties.address)
    handled = Handled(said, viewing, "CONFIRMED", invite=True, times=(local,))
    key = f"viewing:{viewing.id}:moved:{viewing.sequence}"
    await _tell(session, parties, handled, key, await _lead_channel(session, parties), now)
    await session.flush()
    return viewing


# --- the reminder ----------------------------------------------------------------------------


async def send_reminder(session: AsyncSession, viewing_id: int, now: datetime) -> bool:
    """The day-before reminder, once: claimed on the row, keyed in the outbox."""
    if not await repository.claim_reminder(session, viewing_id, now):
        return False
    viewing = await session.get(Viewing, viewing_id)
    assert viewing is not None
    parties = await parties_of(session, viewing.conversation_id)
    local = viewing.starts_at.astimezone(parties.zone)
    said = wording.reminder(parties.voice(), parties.listing.title, local, parties.address)
    # One channel is enough for a reminder: a text when the lead has one, else the e-mail.
    channels = _channels(parties)
    texts = [c for c in channels if c is not Channel.EMAIL]
    handled = Handled(said, viewing, "CONFIRMED", times=(local,))
    key = f"viewing:{viewing.id}:reminder:{viewing.sequence}"
    await _tell(session, parties, handled, key, texts[:1] or channels[:1], now)
    return True


# --- shared ----------------------------------------------------------------------------------


async def _busy(
    session: AsyncSession, parties: Parties, now: datetime, except_id: int | None
) -> list[tuple[datetime, datetime]]:
    """When the agent who shows this lead's viewing is taken, on any listing of the brokerage,
    with the travel between listings around it (availability.TRAVEL)."""
    viewings = await repository.agent_viewings(
        session,
        parties.conversation.brokerage_id,
        parties.lead.assignee_id,
        now,
        except_id=except_id,
    )
    return busy_times(viewings, parties.listing.id)


async def _confirm(
    session: AsyncSession, parties: Parties, viewing: Viewing, start: datetime, now: datetime
) -> None:
    if viewing.status is ViewingStatus.CONFIRMED or viewing.sequence:
        viewing.sequence += 1
    viewing.status = ViewingStatus.CONFIRMED
    viewing.confirmed_at = viewing.confirmed_at or now
    viewing.starts_at = start
    viewing.ends_at = start + VIEWING_LENGTH
    viewing.offered = [start.isoformat()]
    remind_at = start - REMIND_BEFORE
    viewing.remind_at = remind_at if start - now > REMIND_BEFORE + REMINDER_MIN_LEAD else None
    viewing.reminded_at = None
    conversation = parties.conversation
    if conversation.status not in (ConversationStatus.OPTED_OUT, ConversationStatus.CLOSED):
        conversation.status = ConversationStatus.HANDED_OFF
    await _count_confirmed(session, parties, now)
    conversation.follow_up_at = None  # the lead is coming: no nudges
    local = start.astimezone(parties.zone)
    conversation.next_action = wording.next_action(parties.broker_language, "booked", local)
    await _viewing_task(session, parties, local)
    record_activity(
        session,
        conversation.brokerage_id,
        ActivityType.VIEWING_CONFIRMED,
        lead_id=conversation.lead_id,
        property_id=conversation.property_id,
        conversation_id=conversation.id,
    )
    # The CRM's pipeline moves too: a HubSpot deal to the viewing stage, a FUB task for the agent.
    enqueue(
        session,
        "crm_record_milestone",
        conversation.brokerage_id,
        conversation.lead_id,
        conversation.id,
        "VIEWING",
        job_id=f"crm-milestone:viewing:{viewing.id}:{viewing.sequence}",
    )
    await session.flush()


async def _count_confirmed(session: AsyncSession, parties: Parties, now: datetime) -> None:
    """A confirmed viewing is a qualification signal (DESIGN.md, qualification): its points
    join the conversation's breakdown, the score follows, and a lead it lifts above 75 is
    qualified from now, with the broker's QUALIFIED task, as when a reply does it."""
    conversation, lead = parties.conversation, parties.lead
    conversation.qualification = qualification.with_signal(
        conversation.qualification or {}, "viewing_confirmed"
    )
    score = qualification.score(conversation.qualification)
    lifted = score > HANDOFF_SCORE >= conversation.qualification_score
    conversation.qualification_score = score
    lead.qualification_score = max(lead.qualification_score or 0, score)
    if lifted:
        conversation.qualified_at = conversation.qualified_at or now
        loaded = Loaded(conversation, lead, parties.listing, parties.brokerage)
        await mark_qualified(session, loaded)


async def _cancel(session: AsyncSession, parties: Parties, viewing: Viewing) -> None:
    viewing.status = ViewingStatus.CANCELLED
    viewing.sequence += 1
    viewing.remind_at = None
    await repository.cancel_viewing_task(session, parties.conversation.id, utcnow())
    parties.conversation.next_action = wording.next_action(parties.broker_language, "cancelled")
    await session.flush()


async def _viewing_task(session: AsyncSession, parties: Parties, local_start: datetime) -> None:
    """The broker's VIEWING task for this conversation, created or brought up to date."""
    lead = parties.lead
    name = lead.name or lead.email or lead.phone or "Lead"
    contact = " · ".join(part for part in (lead.name, lead.email, lead.phone) if part)
    title, summary = wording.task_text(
        parties.broker_language, name, contact, parties.listing.title, local_start, parties.address
    )
    await _upsert_task(session, parties, title, summary, local_start, local_start.isoformat())


async def _moving_task(
    session: AsyncSession,
    parties: Parties,
    was: datetime,
    offered: Sequence[datetime],
    message: str,
    now: datetime,
) -> None:
    """The booked time the lead asked to move is released: the broker's VIEWING task says so
    (instead of sending them to the listing at a time nobody comes) and what was offered."""
    lead = parties.lead
    contact = " · ".join(part for part in (lead.name, lead.email, lead.phone) if part)
    was_local = was.astimezone(parties.zone)
    title, summary = wording.moving_task_text(
        parties.broker_language,
        lead.name or lead.email or lead.phone or "Lead",
        contact,
        parties.listing.title,
        was_local,
        offered,
        message.strip()[:500],
    )
    notice = f"moved:{was_local.isoformat()}"
    await _upsert_task(session, parties, title, summary, now + DUE_IN[TaskKind.VIEWING], notice)


async def _upsert_task(
    session: AsyncSession,
    parties: Parties,
    title: str,
    summary: str,
    due_at: datetime,
    notice: str,
) -> None:
    """The lead's open VIEWING task, created or brought up to date; the lead's agent hears of
    it once per `notice` (a viewing's time, a request for a time)."""
    lead = parties.lead
    row: dict[str, Any] = {
        "brokerage_id": parties.conversation.brokerage_id,
        "conversation_id": parties.conversation.id,
        "lead_id": lead.id,
        "property_id": parties.listing.id,
        "kind": TaskKind.VIEWING,
        "title": title[:300],
        "summary": summary,
        "status": TaskStatus.OPEN,
        "due_at": due_at,
        "created_at": utcnow(),
        "assignee_id": lead.assignee_id,  # the lead's agent shows the listing
    }
    # One open task per lead and kind (the partial unique index): a moved viewing updates it.
    task_id = await repository.upsert_viewing_task(session, row)
    # The lead's agent hears of it, and again when the viewing moves (the key has its time).
    await notify_assignee(session, task_id, lead, title, summary, key=f"{task_id}:{notice}")


def _channels(parties: Parties) -> list[Channel]:
    return [Channel(channel) for channel in parties.conversation.channels]


async def _lead_channel(session: AsyncSession, parties: Parties) -> list[Channel]:
    """Where the broker's change reaches the lead: the channel they last wrote on (a lead who
    booked by e-mail gets no text besides), else the conversation's first; the e-mail with
    the invite goes too when the lead has one (`_tell`)."""
    channels = _channels(parties)
    last = await last_inbound_channel(session, parties.conversation.id)
    if last is not None and Channel(last) in channels:
        return [Channel(last)]
    return channels[:1]


def _email_channel(parties: Parties) -> Channel | None:
    if parties.lead.email and Channel.EMAIL.value in parties.conversation.channels:
        return Channel.EMAIL
    return None


def _invite(parties: Parties, viewing: Viewing, organizer: str, now: datetime) -> dict[str, str]:
    """The viewing's .ics as an outbox attachment (METHOD:CANCEL once it is cancelled)."""
    cancelled = viewing.status is ViewingStatus.CANCELLED
    es = parties.voice().language == "es"
    title = parties.listing.title
    invite = calendar.Invite(
        uid=f"viewing-{viewing.id}@brscale",
        sequence=viewing.sequence,
        starts_at=viewing.starts_at.astimezone(parties.zone),
        ends_at=viewing.ends_at.astimezone(parties.zone),
        summary=f"Visita: {title}" if es else f"Viewing: {title}",
        description=(
            f"{title}, con {parties.sender} ({parties.brokerage.name})."
            if es
            else f"{title}, with {parties.sender} ({parties.brokerage.name})."
        ),
        location=parties.place,
        organizer_email=organizer,
        organizer_name=parties.sender,
        attendee_email=parties.lead.email,
        attendee_name=parties.lead.name or parties.lead.email or "",
        cancelled=cancelled,
    )
    return {
        "filename": "cancel.ics" if cancelled else "invite.ics",
        "content_type": calendar.content_type(cancelled),
        "content": calendar.invite_ics(invite, now),
    }


async def _tell(
    session: AsyncSession,
    parties: Parties,
    handled: Handled,
    key: str,
    channels: Sequence[Channel],
    now: datetime,
) -> None:
    """Queue what was said on `channels`; when the lead's calendar changes (a confirmation, a
    new time, a cancellation of a booked viewing) the lead's e-mail gets it too, with the
    invite attached. A text says it in its own short words (`Said.text`): the e-mail is the
    full message."""
    targets = list(channels)
    email = _email_channel(parties) if handled.invite else None
    attachment = None
    if email is not None and handled.viewing is not None:
        if email not in targets:
            targets.append(email)
        config = messaging_config(session.info["runtime"].settings)
        organizer = config.email_from.rpartition("<")[2].rstrip(">").strip()
        attachment = _invite(parties, handled.viewing, organizer, now)
    said = handled.reply
    if not _backed(parties, said, handled.times):
        said = wording.held(parties.voice(), parties.sender)
        await _held_task(session, parties, handled.reply)
    stop = stop_line(parties.conversation.language, parties.voice().formality)
    await queue_messages(
        session,
        [
            Outgoing(
                conversation=parties.conversation,
                lead=parties.lead,
                channel=channel,
                # An e-mail closes with the sign-off and signature, as every e-mail to the lead.
                body=signed(
                    said.email_body or said.body, parties.signature, parties.voice().language
                )
                if channel is Channel.EMAIL
                else said.text or said.body,
                subject=(said.subject or None) if channel is Channel.EMAIL else None,
                key=f"{parties.conversation.thread_id}:{key}:{channel.value}",
                attachment=attachment if channel is Channel.EMAIL else None,
                stop_line=None if channel is Channel.EMAIL else stop,
            )
            for channel in targets
        ],
    )


# --- the fact guard --------------------------------------------------------------------------


def _backed(parties: Parties, said: wording.Said, times: Sequence[datetime]) -> bool:
    """Whether everything the message states is backed by the listing, the lead's data and the
    viewing's own `times` (the guard the agent's replies pass; CONVERSATION.md section 1).
    The templates never invent, but they are filled from data: this is the last check."""
    verdict = check_reply(
        "\n".join(dict.fromkeys(part for part in (said.body, said.text) if part)),
        property_facts(parties.listing),
        lead_facts(parties.lead, parties.brokerage),
        slots=times,
        names=(parties.sender, parties.brokerage.name, parties.address, parties.place),
    )
    if not verdict.ok:
        log.warning(
            "fact guard: a viewing message held",
            extra={"reason": verdict.reason, "conversation_id": parties.conversation.id},
        )
    return verdict.ok


async def _held_task(session: AsyncSession, parties: Parties, held: wording.Said) -> None:
    """The broker writes to the lead instead: a HANDOFF task with the message that was held."""
    lead = parties.lead
    title, summary = wording.held_task_text(
        parties.broker_language,
        lead.name or lead.email or lead.phone or "Lead",
        parties.listing.title,
        held.body,
    )
    now = utcnow()
    await insert_tasks(
        session,
        [
            {
                "brokerage_id": parties.conversation.brokerage_id,
                "conversation_id": parties.conversation.id,
                "lead_id": lead.id,
                "property_id": parties.listing.id,
                "kind": TaskKind.HANDOFF,
                "title": title[:300],
                "summary": summary,
                "status": TaskStatus.OPEN,
                "due_at": now + DUE_IN[TaskKind.HANDOFF],
                "created_at": now,
                "assignee_id": lead.assignee_id,
            }
        ],
    )
