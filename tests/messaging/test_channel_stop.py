"""A channel stop removes that channel only: a conversation left with none of its channels goes
on on another the lead can be reached on, and ends only when none is left."""

from __future__ import annotations

from app.conversations.models import Conversation, ConversationStatus
from app.core.runtime import Runtime
from app.core.uow import commit
from app.messaging.optout import opt_out_lead
from tests.messaging.conftest import make_world


async def _stop_email(runtime: Runtime, phone: str | None) -> Conversation:
    world = await make_world(runtime, phone=phone)
    async with runtime.session() as session:
        conversation = await session.get(Conversation, world.conversation.id)
        assert conversation is not None
        conversation.channels = ["EMAIL"]  # written by e-mail only
        await opt_out_lead(
            session,
            world.lead.brokerage_id,
            world.lead.id,
            source="conversation",
            channel="EMAIL",
            channels={"EMAIL"},
        )
        await commit(session)
    async with runtime.session() as session:
        again = await session.get(Conversation, world.conversation.id)
        assert again is not None
        return again


async def test_no_more_emails_from_a_lead_with_a_phone_goes_on_by_text(runtime: Runtime):
    conversation = await _stop_email(runtime, "+525512345678")
    assert conversation.status is not ConversationStatus.OPTED_OUT
    assert conversation.channels == ["SMS"]


async def test_no_more_emails_from_a_lead_with_no_phone_ends_the_conversation(runtime: Runtime):
    conversation = await _stop_email(runtime, None)
    assert conversation.status is ConversationStatus.OPTED_OUT
