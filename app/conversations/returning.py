"""A lead who writes to a conversation that ended.

A stop is honoured (whatever ended the conversation). A lead who declined, not one who opted
out, and writes again wanting something ("Perdón, siempre sí me interesa, ¿sigue
disponible?") reopens the conversation: its thread starts afresh (its old checkpoints, if any,
are dropped) and waits, and the reply is answered like any other. A thanks or another "no"
is only recorded. A lead offered other listings when they declined this one ("not this area")
who picks one gets a conversation about it (`offers`).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Brokerage
from app.conversations import offers, opt_in, repository
from app.conversations.broker_text import broker_text
from app.conversations.intents import Intent, OptOutScope, classify_intent
from app.conversations.lead_status import set_lead_status
from app.conversations.models import Conversation, ConversationStatus
from app.conversations.understanding import understand
from app.leads.models import Lead, LeadStatus
from app.messaging.optout import opt_out_lead, stopped_channels

ENDED = (ConversationStatus.OPTED_OUT, ConversationStatus.CLOSED)
# Replies to an ended conversation that do not reopen it.
NOT_REOPENING = frozenset({Intent.ACKNOWLEDGEMENT, Intent.NOT_INTERESTED, Intent.RENT_ONLY})


async def reply_to_ended(session: AsyncSession, conversation_id: int) -> bool:
    """Understand the unanswered replies of an ended conversation and act on them; True when
    the conversation was reopened (its thread must start again and answer them). The caller
    holds the thread's lock and commits."""
    conversation = await session.get(Conversation, conversation_id)
    assert conversation is not None
    lead = await session.get(Lead, conversation.lead_id)
    assert lead is not None
    pending = await repository.unanswered_replies(session, conversation_id)
    if not pending or conversation.status not in ENDED:
        return False  # nothing to do, or reopened meanwhile: the thread answers
    said = "\n".join(m.body for m in pending)
    arrival = pending[-1].channel.value
    understood = understand(said, arrival)
    # "START", "ALTA", "ya puedes escribirme": the messages come back; only a question
    # beside it reopens the conversation.
    loaded = await repository.load(session, conversation_id)
    besides = opt_in.asked(said, loaded)
    if besides is not None:
        await opt_in.opt_back_in(session, loaded, said, arrival, f"optin:{pending[-1].id}")
    reopen = (
        understood.opt_out is OptOutScope.NONE
        and conversation.status is ConversationStatus.CLOSED
        and not lead.opted_out
        and understood.intent not in NOT_REOPENING
        and besides != ""
        and bool(set(conversation.channels or ()) - stopped_channels(lead))
    )
    if understood.opt_out is not OptOutScope.NONE:  # a stop is a stop, thread or not
        stopping = None
        if understood.opt_out is not OptOutScope.ALL:
            stopping = {understood.opt_out.value}
        await opt_out_lead(
            session,
            lead.brokerage_id,
            lead.id,
            source="conversation",
            channel=arrival,
            detail=said[:200],
            channels=stopping,
        )
    chosen = None
    if not lead.opted_out and understood.opt_out is OptOutScope.NONE:
        chosen = await offers.chosen(session, conversation, said)
    if chosen is not None:  # "el de Polanco": a conversation about that listing starts
        reopen = False
        await offers.open_chosen(session, conversation, lead, chosen)
    if not reopen:
        for message in pending:  # understood and kept, not answered
            message.intent = classify_intent(message.body).value
        return False
    # The lead is back: the conversation waits for the agent's answer, and a lead who had
    # left the market is in it again.
    brokerage = await session.get(Brokerage, conversation.brokerage_id)
    conversation.status = ConversationStatus.WAITING
    conversation.offered_property_ids = []
    conversation.follow_ups_sent = 0
    conversation.next_action = broker_text(
        brokerage.language if brokerage else None, "next.waiting"
    )
    if lead.status is not LeadStatus.ACTIVE:
        await set_lead_status(session, lead.brokerage_id, lead.id, LeadStatus.ACTIVE, source="AI")
    return True
