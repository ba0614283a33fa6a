"""Opt-outs and opt-ins: at once, for every thread and channel of the lead, with a consent record.

Nothing else clears `Lead.opted_out`: imports and CRM syncs never write it.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.activity.events import ActivityType, record_activity
from app.conversations.models import BrokerTask, Conversation, ConversationStatus, TaskStatus
from app.core.db import utcnow
from app.core.tenancy import get_scoped
from app.leads.models import Lead
from app.messaging.models import Consent, ConsentKind, Message, MessageStatus

OPTED_OUT_ERROR = "the lead opted out"


async def opt_out_lead(
    session: AsyncSession,
    brokerage_id: int,
    lead_id: int,
    *,
    source: str,
    channel: str | None,
    detail: str = "",
) -> bool:
    """Stop every message to the lead; True when the lead was not opted out before."""
    lead = await get_scoped(session, Lead, brokerage_id, lead_id, what="Lead")
    newly = not lead.opted_out
    if newly:
        lead.opted_out = True
        lead.opted_out_at = utcnow()
        session.add(
            Consent(
                brokerage_id=brokerage_id,
                lead_id=lead_id,
                kind=ConsentKind.OPT_OUT,
                channel=channel,
                source=source,
                detail=detail,
            )
        )
        record_activity(session, brokerage_id, ActivityType.LEAD_OPTED_OUT, lead_id=lead_id)
    # Also on a repeat: anything queued since (a race with the agent) is suppressed too.
    await session.execute(
        update(Conversation)
        .where(Conversation.brokerage_id == brokerage_id, Conversation.lead_id == lead_id)
        .values(status=ConversationStatus.OPTED_OUT, next_action=None, follow_up_at=None)
        .execution_options(synchronize_session="fetch")
    )
    # Nothing is left to do for a lead who stopped everything: the broker's tasks close.
    await session.execute(
        update(BrokerTask)
        .where(BrokerTask.lead_id == lead_id, BrokerTask.status == TaskStatus.OPEN)
        .values(status=TaskStatus.CANCELLED, closed_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    await session.execute(
        update(Message)
        .where(
            Message.brokerage_id == brokerage_id,
            Message.lead_id == lead_id,
            Message.status.in_([MessageStatus.QUEUED, MessageStatus.DRAFT]),
        )
        .values(status=MessageStatus.SUPPRESSED, error=OPTED_OUT_ERROR)
        .execution_options(synchronize_session="fetch")
    )
    await session.flush()
    return newly


async def opt_in_lead(
    session: AsyncSession,
    brokerage_id: int,
    lead_id: int,
    *,
    source: str,
    channel: str | None,
    detail: str = "",
) -> bool:
    """The lead agreed again (START): new messages may go out; True when it changed anything.

    Ended threads stay OPTED_OUT: outreach starts again only from a new conversation step.
    """
    lead = await get_scoped(session, Lead, brokerage_id, lead_id, what="Lead")
    if not lead.opted_out:
        return False
    lead.opted_out = False
    lead.opted_out_at = None
    session.add(
        Consent(
            brokerage_id=brokerage_id,
            lead_id=lead_id,
            kind=ConsentKind.OPT_IN,
            channel=channel,
            source=source,
            detail=detail,
        )
    )
    await session.flush()
    return True
