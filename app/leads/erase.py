"""Erasing a lead for good (a data-protection request), leaving only a suppression entry.

The lead row goes, and with it (ON DELETE CASCADE) its messages, conversations, matches, tasks,
consents and change history; the caller forgets its conversation threads' checkpoints after the
commit. What stays is a SHA-256 digest of each of its emails and phones, so a later import,
`createLead` or CRM sync cannot bring the person back into outreach (see `suppression`).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.tenancy import get_scoped
from app.leads import repository
from app.leads.models import Lead
from app.leads.suppression import suppress

REASON = "ERASED"


async def erase_lead(session: AsyncSession, brokerage_id: int, lead_id: int) -> None:
    """NOT_FOUND for another brokerage's lead; flushes, the caller commits."""
    lead = await get_scoped(session, Lead, brokerage_id, lead_id, what="Lead")
    contacts = {
        "email": lead.email,
        "phone": lead.phone,
        "other_emails": list(lead.other_emails or []),
        "other_phones": list(lead.other_phones or []),
    }
    await suppress(session, brokerage_id, contacts, REASON)
    session.expunge(lead)
    await repository.delete_lead(session, brokerage_id, lead_id)
    await session.flush()
