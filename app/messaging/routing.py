"""Which conversation an inbound text or email belongs to."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.messaging import repository
from app.messaging.config import messaging_config
from app.messaging.links import conversation_for_reply
from app.messaging.models import Channel
from app.threads.models import Conversation
from integrations.email.inbound import InboundEmail


def channel_of(address: str) -> Channel:
    return Channel.WHATSAPP if address.startswith("whatsapp:") else Channel.SMS


async def find_conversation_for_sms(
    session: AsyncSession, from_phone: str, to: str
) -> Conversation | None:
    """The thread we last texted this number from, else the lead's most recent thread."""
    phone = from_phone.removeprefix("whatsapp:")
    last = await repository.latest_outbound_to(session, [phone], [channel_of(from_phone)])
    if last is not None:
        return await session.get(Conversation, last.conversation_id)
    leads = await repository.leads_with_phone(session, phone)
    return await repository.latest_conversation_of(session, [lead.id for lead in leads])


async def find_conversation_for_email(
    session: AsyncSession, inbound: InboundEmail
) -> Conversation | None:
    """By the signed token of our Reply-To address, then In-Reply-To/References."""
    settings = session.info["runtime"].settings
    token = inbound.reply_token(messaging_config(settings).reply_base_address)
    if token is not None:
        conversation_id = conversation_for_reply(settings.signing_keys, token)
        if conversation_id is not None:
            found = await session.get(Conversation, conversation_id)
            if found is not None:
                return found
    message = await repository.message_by_provider_id(session, inbound.thread_ids(), Channel.EMAIL)
    if message is None:
        return None
    return await session.get(Conversation, message.conversation_id)
