"""Inbound email: matched by reply token or Message-ID; Mailgun signatures and replays."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from app.core.config import Settings
from app.core.security import sign_value
from app.leads.models import Lead
from app.messaging.links import reply_token_for
from app.messaging.models import Message
from app.messaging.routing import find_conversation_for_email
from integrations.email.inbound import parse_sendgrid
from tests.messaging.conftest import PUBLIC_URL, app_client, make_world, runtime_with

URL = f"{PUBLIC_URL}/webhooks/email/inbound"
KEY = "mailgun-signing-key"


def mailgun_form(recipient: str, token: str, *, key: str = KEY) -> dict[str, str]:
    timestamp = str(int(time.time()))
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return {
        "recipient": recipient,
        "sender": "lucia@example.com",
        "from": "Lucía <lucia@example.com>",
        "subject": "Re: Depto en Roma Norte",
        "body-plain": "Sí, me interesa.\n\nEl lun, 2 mar 2026 a las 10:00, Casa Sol escribió:\n> Hola",
        "message-headers": json.dumps([["Message-Id", "<r1@mail.example.com>"]]),
        "timestamp": timestamp,
        "token": token,
        "signature": signature,
    }


async def test_replies_find_their_thread_by_token_then_by_message_id(settings: Settings):
    async with runtime_with(settings) as runtime:
        world = await make_world(runtime)
        other = await make_world(runtime, brokerage=world.brokerage, lead=world.lead)
        token = reply_token_for(runtime.settings.signing_key, other.conversation.id)
        by_token = parse_sendgrid(
            {"to": f"replies+{token.lower()}@brscale.example.com", "text": "Sí", "headers": ""}
        )
        async with runtime.session() as session:
            session.add(
                Message(
                    brokerage_id=world.brokerage.id,
                    conversation_id=world.conversation.id,
                    lead_id=world.lead.id,
                    direction="OUTBOUND",
                    channel="EMAIL",
                    status="SENT",
                    idempotency_key="k1",
                    body="Hola",
                    provider_id="<abc@brscale.example.com>",
                )
            )
            await session.flush()
            by_thread = parse_sendgrid(
                {
                    "to": "replies@brscale.example.com",
                    "text": "Sí",
                    "headers": "In-Reply-To: <abc@brscale.example.com>\n",
                }
            )
            forged = parse_sendgrid(
                {
                    "to": f"replies+{other.conversation.id}.{sign_value('x', 'y')}@brscale.example.com"
                }
            )
            assert (
                await find_conversation_for_email(session, by_token)
            ).id == other.conversation.id
            assert (
                await find_conversation_for_email(session, by_thread)
            ).id == world.conversation.id
            assert await find_conversation_for_email(session, forged) is None


async def test_mailgun_posts_are_verified_and_a_replay_is_refused(settings: Settings):
    async with runtime_with(settings, MAILGUN_SIGNING_KEY=KEY) as runtime:
        world = await make_world(runtime)
        token = reply_token_for(runtime.settings.signing_key, world.conversation.id)
        form = mailgun_form(f"replies+{token}@brscale.example.com", "t" * 50)
        async with app_client(runtime) as client:
            first = await client.post(URL, data=form)
            replay = await client.post(URL, data=form)
            forged = await client.post(URL, data={**form, "token": "u" * 50})

    assert [first.status_code, replay.status_code, forged.status_code] == [200, 406, 403]


async def test_baja_or_unsubscribe_by_email_reply_stops_everything(settings: Settings):
    """The stop keywords stop every channel, by e-mail too (CONVERSATION.md section 5)."""
    async with runtime_with(settings, MAILGUN_SIGNING_KEY=KEY) as runtime:
        for body in ("Baja\n\n> Hola", "Unsubscribe\n\n> Hola"):
            world = await make_world(runtime, email=f"{body[:4].lower()}@example.com")
            token = reply_token_for(runtime.settings.signing_key, world.conversation.id)
            form = {**mailgun_form(f"replies+{token}@brscale.example.com", body[0] * 50)}
            form["body-plain"] = body
            async with app_client(runtime) as client:
                assert (await client.post(URL, data=form)).status_code == 200
            async with runtime.session() as session:
                lead = await session.get(Lead, world.lead.id)
                assert lead is not None and lead.opted_out, body


async def test_an_unsigned_post_is_refused_whatever_its_shape_while_a_key_is_set(
    settings: Settings,
):
    async with runtime_with(settings, MAILGUN_SIGNING_KEY=KEY) as runtime:
        world = await make_world(runtime)
        token = reply_token_for(runtime.settings.signing_key, world.conversation.id)
        sendgrid_shaped = {
            "to": f"replies+{token.lower()}@brscale.example.com",
            "from": "lucia@example.com",
            "text": "Baja",
            "headers": "",
        }
        async with app_client(runtime) as client:
            forged = await client.post(URL, data=sendgrid_shaped)
        async with runtime.session() as session:
            lead = await session.get(Lead, world.lead.id)
            assert lead is not None and not lead.opted_out  # nothing was acted on
    assert forged.status_code == 403
