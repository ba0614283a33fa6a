"""The whole loop over SMS: the first text reaches the Twilio stand-in, the lead's signed reply
comes back through the webhook, and the agent's answer goes out in the same thread."""

from __future__ import annotations

import time

from sqlalchemy import select

from app.conversations.models import Conversation, ConversationStatus
from app.core.jobs import MAIN_QUEUE
from app.core.runtime import Runtime
from app.messaging.models import Direction, Message, MessageStatus
from tests.conftest import Api
from tests.messaging.conftest import app_client
from tests.messaging.test_sms import OUR_NUMBER, SMS_URL
from tests.support.jobs import drain_jobs
from tests.support.twilio_standin import TwilioStandIn

LEAD = {
    "name": "Lucía Ramos",
    "phone": "+52 55 1234 5678",
    "email": "lucia@example.com",
    "locations": ["Roma Norte"],
    "maxBudget": 7_000_000,
    "bedrooms": 2,
}
LISTING = {
    "title": "Loft en Roma Norte",
    "location": "Roma Norte",
    "price": 6_400_000,
    "operation": "SALE",
    "bedrooms": 2,
    "description": "Loft con doble altura y roof garden.",
}


async def test_a_texted_reply_is_answered_by_text_in_its_own_thread(
    twilio: tuple[TwilioStandIn, Runtime],
) -> None:
    standin, runtime = twilio

    async with app_client(runtime) as client:
        api = Api(client)
        await api.sign_up()
        await api.ok("mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }", {"i": LEAD})
        await api.ok(
            "mutation($i: PropertyInput!) { createProperty(input: $i) { id } }", {"i": LISTING}
        )
        await drain_jobs(runtime)
        assert [m.form["To"] for m in standin.messages] == ["+525512345678"]
        assert "Roma Norte" in standin.messages[0].form["Body"]

        form, signature = standin.inbound(
            SMS_URL, "+525512345678", OUR_NUMBER, "¿Tiene roof garden? ¿Cuánto piden?"
        )
        answer = await client.post(SMS_URL, data=form, headers={"X-Twilio-Signature": signature})
        assert answer.status_code == 200
        # Queued ahead of whatever a campaign queued (arq runs jobs in score order).
        assert runtime.redis is not None
        score = await runtime.redis.zscore(MAIN_QUEUE, f"inbound:{form['MessageSid']}")
        assert score is not None and score < (time.time() - 1800) * 1000
        again = await client.post(SMS_URL, data=form, headers={"X-Twilio-Signature": signature})
        assert again.status_code == 200  # Twilio retried: processed once
        await drain_jobs(runtime)

    assert len(standin.messages) == 2
    reply = standin.messages[1].form["Body"]
    assert "roof garden" in reply.lower() or "6,400,000" in reply
    async with runtime.session() as session:
        conversation = (await session.execute(select(Conversation))).scalar_one()
        messages = list((await session.execute(select(Message).order_by(Message.id))).scalars())
    assert conversation.status is ConversationStatus.WAITING
    inbound = [m for m in messages if m.direction is Direction.INBOUND]
    assert len(inbound) == 1 and inbound[0].intent in ("PRICE_OR_OFFER", "PROPERTY_QUESTION")
    sms_out = [
        m for m in messages if m.direction is Direction.OUTBOUND and m.channel.value == "SMS"
    ]
    assert [m.status for m in sms_out] == [MessageStatus.SENT, MessageStatus.SENT]
