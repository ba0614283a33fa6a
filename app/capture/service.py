"""A captured lead: created or merged like any new lead, tied to the listing it asked about,
and matched at once (takes a session, flushes; the caller commits)."""

from __future__ import annotations

import base64
import binascii

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Brokerage
from app.capture.submission import Submission
from app.core.errors import BadUserInput
from app.leads.models import Lead, Operation
from app.leads.service import NewLead, create_lead
from app.matching.triggers import leads_changed
from app.properties.models import ListingOperation, Property

CAPTURE_SOURCE = "WEBSITE"
_ASKED_ABOUT = {"es": "Preguntó por: {title}", "en": "Asked about: {title}"}


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
    stmt = select(Property).where(Property.brokerage_id == brokerage_id, Property.id == property_id)
    row: Property | None = (await session.execute(stmt)).scalar_one_or_none()
    return row


async def capture_lead(session: AsyncSession, brokerage_id: int, submission: Submission) -> Lead:
    """Create or merge the lead and queue its matching (a first message follows for a match).

    A post that names one of the brokerage's listings makes that listing's place the lead's
    preference (and its operation the lead's), so the listing matches on place, and the notes
    say what the lead asked about.
    """
    brokerage = await session.get(Brokerage, brokerage_id)
    language = brokerage.language if brokerage is not None else "es"
    listing = await _listing(session, brokerage_id, submission.listing or "")
    if submission.listing and listing is None:
        raise BadUserInput("The listing this form names is not one of this brokerage's.")
    notes = [submission.message] if submission.message else []
    if listing is not None:
        notes.append(_ASKED_ABOUT.get(language, _ASKED_ABOUT["en"]).format(title=listing.title))
    operation = Operation.ANY
    if listing is not None:
        operation = Operation.BUY if listing.operation is ListingOperation.SALE else Operation.RENT
    lead = await create_lead(
        session,
        brokerage_id,
        NewLead(
            name=submission.name,
            email=submission.email,
            phone=submission.phone,
            locations=(listing.location,) if listing is not None and listing.location else (),
            operation=operation,
            language=submission.language,
            notes="\n".join(notes),
            source=(submission.source or CAPTURE_SOURCE)[:40],
            default_region=brokerage.default_region if brokerage is not None else None,
        ),
    )
    leads_changed(session, brokerage_id, [lead.id])
    return lead
