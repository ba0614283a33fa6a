"""Opt-outs and opt-ins: at once, with a consent record; of every channel, or of some.

A lead may stop one channel ("no SMS, email me") and keep the others: `Lead.opted_out_channels`
lists what is stopped, and `Lead.opted_out` is true when every channel is. Nothing else clears
either: imports and CRM syncs never write them.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.ext.asyncio import AsyncSession

from app.activity.events import ActivityType, record_activity
from app.core.db import utcnow
from app.core.tenancy import get_scoped
from app.leads.models import Lead
from app.messaging import repository
from app.messaging.models import Channel, Consent, ConsentKind
from app.threads.models import ConversationStatus

OPTED_OUT_ERROR = "the lead opted out"
ALL_CHANNELS = frozenset(channel.value for channel in Channel)
# A keyword (STOP, BAJA) or a carrier block on a number stops what is sent to that number:
# Twilio's opt-outs cover SMS, MMS and RCS from the sender, and its Advanced Opt-Out the
# WhatsApp senders of the same service (external-apis.md 3.5). E-mail is a consent of its own.
PHONE_CHANNELS = frozenset({Channel.SMS.value, Channel.WHATSAPP.value})


def channel_stopped_error(channel: str) -> str:
    return f"{OPTED_OUT_ERROR} of {channel}"


def stopped_channels(lead: Lead) -> frozenset[str]:
    """The channels the lead may not be written on."""
    if lead.opted_out:
        return ALL_CHANNELS
    return frozenset(lead.opted_out_channels or ())


async def opt_out_lead(
    session: AsyncSession,
    brokerage_id: int,
    lead_id: int,
    *,
    source: str,
    channel: str | None,
    detail: str = "",
    channels: Collection[str] | None = None,
) -> bool:
    """Stop messages to the lead: on `channels` only, or (None) on every channel. `channel` is
    the one the request came by. True when something was not stopped before."""
    lead = await get_scoped(session, Lead, brokerage_id, lead_id, what="Lead")
    before = stopped_channels(lead)
    stopping = ALL_CHANNELS if channels is None else frozenset(channels) & ALL_CHANNELS
    after = before | stopping
    newly = after != before
    if newly:
        lead.opted_out_channels = sorted(after)
        for stopped in sorted(stopping - before) if channels is not None else [None]:
            session.add(
                Consent(
                    brokerage_id=brokerage_id,
                    lead_id=lead_id,
                    kind=ConsentKind.OPT_OUT,
                    channel=stopped or channel,
                    source=source,
                    detail=detail,
                )
            )
    if after == ALL_CHANNELS:
        if not lead.opted_out:
            lead.opted_out = True
            lead.opted_out_at = utcnow()
            record_activity(session, brokerage_id, ActivityType.LEAD_OPTED_OUT, lead_id=lead_id)
        await _stop_everything(session, brokerage_id, lead_id)
    else:
        await _stop_channels(session, brokerage_id, lead_id, after)
    await session.flush()
    return newly


async def _stop_everything(session: AsyncSession, brokerage_id: int, lead_id: int) -> None:
    # Also on a repeat: anything queued since (a race with the agent) is suppressed too.
    await repository.end_conversations_of(session, brokerage_id, lead_id)
    # Nothing is left to do for a lead who stopped everything: the broker's tasks close.
    await repository.cancel_open_tasks(session, lead_id=lead_id, now=utcnow())
    await repository.suppress_unsent(session, brokerage_id, lead_id, OPTED_OUT_ERROR)


async def _stop_channels(
    session: AsyncSession, brokerage_id: int, lead_id: int, stopped: frozenset[str]
) -> None:
    """Some channels stopped: what was queued on them is suppressed; a conversation left with
    none of its channels goes on on another the lead can be reached on (SMS, e-mail: "no más
    correos" from a lead with a phone), and only with none left ends (OPTED_OUT), tasks closed."""
    for name in sorted(stopped):
        await repository.suppress_unsent(
            session, brokerage_id, lead_id, channel_stopped_error(name), channel=Channel(name)
        )
    lead = await get_scoped(session, Lead, brokerage_id, lead_id, what="Lead")
    reachable = [
        name
        for name, address in ((Channel.SMS.value, lead.phone), (Channel.EMAIL.value, lead.email))
        if address and name not in stopped
    ]
    for conversation in await repository.open_conversations_of(session, brokerage_id, lead_id):
        if set(conversation.channels or ()) <= stopped and reachable:
            conversation.channels = reachable[:1]
        elif set(conversation.channels or ()) <= stopped:
            conversation.status = ConversationStatus.OPTED_OUT
            conversation.next_action = None
            conversation.follow_up_at = None
            await repository.cancel_open_tasks(
                session, conversation_id=conversation.id, now=utcnow()
            )


async def opt_in_lead(
    session: AsyncSession,
    brokerage_id: int,
    lead_id: int,
    *,
    source: str,
    channel: str | None,
    detail: str = "",
    channels: Collection[str] | None = None,
) -> bool:
    """The lead agreed again (START) on `channels` (None: every channel); True when it
    changed anything.

    Ended threads stay OPTED_OUT: outreach starts again only from a new conversation step.
    """
    lead = await get_scoped(session, Lead, brokerage_id, lead_id, what="Lead")
    before = stopped_channels(lead)
    after = before - (ALL_CHANNELS if channels is None else frozenset(channels))
    if after == before:
        return False
    lead.opted_out_channels = sorted(after)
    if after != ALL_CHANNELS:
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
