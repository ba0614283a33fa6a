"""A captured lead: created or merged like any new lead, tied to the listing it asked about,
and matched at once (takes a session, flushes; the caller commits)."""

from __future__ import annotations

import base64
import binascii
import hashlib

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Brokerage
from app.capture.submission import Submission
from app.conversations import repository as conversations
from app.core.errors import BadUserInput
from app.core.jobs import enqueue
from app.core.text import fold
from app.leads.models import Lead, Operation
from app.leads.service import NewLead, create_lead
from app.leads.triggers import leads_changed
from app.leads.values import InvalidValueError, normalize_phone
from app.messaging.models import Channel
from app.properties import repository as properties
from app.properties.models import ListingOperation, Property
from app.teams.routing import route_lead

CAPTURE_SOURCE = "WEBSITE"
_ASKED_ABOUT = {"es": "Preguntó por: {title}", "en": "Asked about: {title}"}
_UNREAD_PHONE = {"es": "Teléfono (sin validar): {phone}", "en": "Phone (not validated): {phone}"}


def _property_id(reference: str) -> int | None:
    """A listing named by its GraphQL id (`UHJvcGVydHk6MTI=`) or its plain number."""
    if reference.isdigit():
        return int(reference)
    try:
        kind, _, number = base64.b64decode(reference, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return int(number) if kind == "Property" and number.isdigit() else None


async def _listing(session: AsyncSession, brokerage_id: int, reference: str) -> Property | None:
    """The brokerage's listing a post names by its id."""
    property_id = _property_id(reference)
    if property_id is None:
        return None
    return await properties.listing(session, brokerage_id, property_id)


async def listing_named_in(session: AsyncSession, brokerage_id: int, text: str) -> Property | None:
    """The brokerage's listing whose title the text contains (the longest title wins), as a
    portal's inquiry names it: "Nuevo contacto para: Depa en Polanco con terraza"."""
    folded = fold(text)
    listings = await properties.active_listings(session, brokerage_id)
    found = [p for p in listings if p.title and fold(p.title) in folded]
    return max(found, key=lambda p: len(p.title), default=None)


async def capture_lead(
    session: AsyncSession,
    brokerage_id: int,
    submission: Submission,
    listing: Property | None = None,
    phone_region: str | None = None,
) -> Lead:
    """Create or merge the lead and queue its matching (a first message follows for a match).

    A post that names one of the brokerage's listings (by id, or `listing` found by the caller)
    makes that listing's place the lead's preference (and its operation the lead's), so the
    listing matches on place, and the notes say what the lead asked about. `phone_region`
    reads national numbers (a US portal's leads) instead of the brokerage's region.
    """
    brokerage = await session.get(Brokerage, brokerage_id)
    language = brokerage.language if brokerage is not None else "es"
    if listing is None and submission.listing:
        listing = await _listing(session, brokerage_id, submission.listing)
        if listing is None:
            raise BadUserInput("The listing this form names is not one of this brokerage's.")
    notes = [submission.message] if submission.message else []
    phone = submission.phone
    region = phone_region or (brokerage.default_region if brokerage is not None else None)
    if phone and submission.email:
        # A portal's lead from abroad (a US number at a Mexican brokerage) keeps its e-mail:
        # an unreadable phone goes to the notes instead of losing the lead.
        try:
            normalize_phone(phone, region)
        except InvalidValueError:
            notes.append(_UNREAD_PHONE.get(language, _UNREAD_PHONE["en"]).format(phone=phone))
            phone = None
    if listing is not None:
        notes.append(_ASKED_ABOUT.get(language, _ASKED_ABOUT["en"]).format(title=listing.title))
    operation = Operation.ANY
    if listing is not None:
        operation = Operation.BUY if listing.operation is ListingOperation.SALE else Operation.RENT
    created = await create_lead(
        session,
        brokerage_id,
        NewLead(
            name=submission.name,
            email=submission.email,
            phone=phone,
            locations=(listing.location,) if listing is not None and listing.location else (),
            operation=operation,
            language=submission.language,
            notes="\n".join(notes),
            source=(submission.source or CAPTURE_SOURCE)[:40],
            default_region=region,
        ),
    )
    # Its agent at once: the next in turn, or the agent of the listing it asked about.
    await route_lead(session, created.lead, property_id=listing.id if listing else None)
    leads_changed(session, brokerage_id, [created.lead.id])
    if listing is not None and not created.lead.opted_out:
        if submission.message:
            await _answer_inquiry(session, created.lead, listing, submission.message, language)
        else:
            await _open_asked(session, created.lead, listing, language)
    return created.lead


async def _open_asked(session: AsyncSession, lead: Lead, listing: Property, language: str) -> None:
    """The listing a form names, asked nothing about: its conversation opens now and starts at
    once, before matching opens the lead's other matches (they wait: `hold_for_asked`)."""
    channel = Channel.EMAIL if lead.email else Channel.SMS
    await conversations.open_asked(session, lead, listing, language, channel)
    enqueue(session, "reach_leads", lead.brokerage_id, listing.id, [lead.id], urgent=True)


async def _answer_inquiry(
    session: AsyncSession, lead: Lead, listing: Property, question: str, language: str
) -> None:
    """A question about a listing ("¿aceptan perros chicos?") opens that listing's
    conversation with the question as the lead's message, so the agent's first words answer
    it (on the e-mail the lead gave, else by text) instead of a generic first message."""
    channel = Channel.EMAIL if lead.email else Channel.SMS
    key = (
        "capture:" + hashlib.sha256(f"{lead.id}:{listing.id}:{question}".encode()).hexdigest()[:24]
    )
    conversation_id = await conversations.open_inquiry(
        session, lead, listing, language, channel, question, key
    )
    enqueue(
        session,
        "receive_inbound_message",
        conversation_id,
        channel.value,
        question,
        key,
        job_id=f"inquiry:{key}",
        urgent=True,
    )
