"""The lead's own data changed by what they wrote (`lead_updates` reads it): a new address or
number saved on the lead, a new search saved as their preferences, someone they refer saved as
a lead of their own (kept out of campaigns until the broker has their consent). Every change
is in the lead's history with source AI. Takes a session and flushes; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.conversations import repository
from app.conversations.lead_updates import Contact, Criteria, Referral
from app.core.db import utcnow
from app.core.errors import BadUserInput
from app.leads.merge import location_keys
from app.leads.models import Lead, LeadChange, LeadStatus
from app.leads.service import NewLead, create_lead

SOURCE = "AI"
REFERRAL_SOURCE = "REFERRAL"


def _log(session: AsyncSession, lead: Lead, field: str, before: object, after: object) -> None:
    session.add(
        LeadChange(
            brokerage_id=lead.brokerage_id,
            lead_id=lead.id,
            source=SOURCE,
            field=field,
            old_value=None if before is None else str(before),
            new_value=None if after is None else str(after),
            at=utcnow(),
        )
    )


async def save_contact(session: AsyncSession, lead: Lead, contact: Contact) -> tuple[str, ...]:
    """The lead's new e-mail and phone become the ones we write to; the old ones are kept
    among their others. What was saved ("email", "phone"); an address another lead of the
    brokerage has is not taken (the broker sorts that out)."""
    saved = []
    for column, others, value in (
        ("email", "other_emails", contact.email),
        ("phone", "other_phones", contact.phone),
    ):
        if value is None or await repository.address_taken(session, lead, column, value):
            continue
        before = getattr(lead, column)
        if before == value:
            continue
        if before:
            setattr(lead, others, [before, *[v for v in getattr(lead, others) or () if v != value]])
        setattr(lead, column, value)
        _log(session, lead, column, before, value)
        saved.append(column)
    await session.flush()
    return tuple(saved)


async def save_criteria(session: AsyncSession, lead: Lead, criteria: Criteria) -> None:
    """What the lead now looks for replaces what they looked for, field by field."""
    for name, value in criteria.changes().items():
        before = getattr(lead, name)
        shown_before = before.value if hasattr(before, "value") else before
        shown_after = value.value if hasattr(value, "value") else value
        if shown_before == shown_after:
            continue
        setattr(lead, name, value)
        if name == "locations":
            lead.location_keys = location_keys(list(value))  # type: ignore[call-overload]
        _log(session, lead, name, shown_before, shown_after)
    await session.flush()


@dataclass(frozen=True)
class Referred:
    lead: Lead
    new: bool


async def save_referral(
    session: AsyncSession,
    referrer: Lead,
    referral: Referral,
    *,
    region: str | None,
    note: str,
) -> Referred | None:
    """Someone the lead refers, with a way to reach them: a lead of their own (source
    REFERRAL, the referrer and their words in the notes), out of campaigns
    (`LeadStatus.REFERRED`) until the broker has their consent. None when the data is
    incomplete (the broker's task asks for it)."""
    if not referral.complete:
        return None
    try:
        created = await create_lead(
            session,
            referrer.brokerage_id,
            NewLead(
                name=referral.name or "",
                email=referral.contact.email,
                phone=referral.contact.phone,
                operation=referrer.operation,
                language=referrer.language,
                notes=note,
                source=REFERRAL_SOURCE,
                default_region=region,
            ),
        )
    except BadUserInput:  # erased at their request, or unreadable: the broker's task says so
        return None
    if created.lead.id == referrer.id:
        return None
    if not created.merged:
        created.lead.status = LeadStatus.REFERRED
        await session.flush()
    return Referred(created.lead, not created.merged)
