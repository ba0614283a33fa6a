"""Email out through a real SMTP server, and the unsubscribe link it carries."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import time_machine
from sqlalchemy import select

from app.core.config import Settings
from app.core.uow import commit
from app.leads.models import Lead
from app.messaging.models import Channel, Consent, ConsentKind, Message, MessageStatus
from app.messaging.routing import find_conversation_for_email
from app.messaging.tasks import deliver_message
from integrations.email.inbound import parse_sendgrid
from tests.messaging.conftest import (
    PUBLIC_URL,
    app_client,
    make_world,
    queue_message,
    runtime_with,
)
from tests.support.smtp_server import running_smtp_server


async def test_queued_email_arrives_with_both_parts_headers_and_a_working_unsubscribe(
    settings: Settings,
):
    with running_smtp_server() as (smtp, smtp_url):
        async with runtime_with(settings, SMTP_URL=smtp_url) as runtime:
            world = await make_world(runtime, language="es")
            async with runtime.session() as session:
                message = await queue_message(
                    session,
                    conversation=world.conversation,
                    lead=world.lead,
                    channel=Channel.EMAIL,
                    body="Hola Lucía,\n\nTengo un depto en Roma Norte para usted.",
                    subject="Depto en Roma Norte",
                    key="c1:s1:EMAIL",
                )
                await commit(session)

            assert await deliver_message({"runtime": runtime}, message.id) == "SENT"
            assert await deliver_message({"runtime": runtime}, message.id) is None  # once

            [received] = smtp.received
            email = received.message
            assert received.rcpt_tos == ["lucia@example.com"]
            assert email["Subject"] == "Depto en Roma Norte"
            plain = email.get_body(preferencelist=("plain",)).get_content()
            html = email.get_body(preferencelist=("html",)).get_content()
            assert "Tengo un depto en Roma Norte para usted." in plain
            assert "Tengo un depto en Roma Norte para usted." in html
            assert "Av. Reforma 222, CDMX 06600" in plain and "Darse de baja" in plain
            assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            [link] = re.findall(r"<([^>]+)>", email["List-Unsubscribe"])
            assert link.startswith(f"{PUBLIC_URL}/unsubscribe/")
            assert link in plain
            reply_to = email["Reply-To"]
            assert re.fullmatch(r"replies\+\S+@brscale\.example\.com", reply_to)

            async with runtime.session() as session:
                stored = await session.get(Message, message.id)
                assert stored.status is MessageStatus.SENT
                assert stored.provider_id == email["Message-ID"]

            async with app_client(runtime) as client:
                page = await client.get(link)
                assert page.status_code == 200 and 'method="post"' in page.text
                async with runtime.session() as session:
                    assert not (await session.get(Lead, world.lead.id)).opted_out
                # RFC 8058: what a mail client's one-click button posts.
                done = await client.post(link, data={"List-Unsubscribe": "One-Click"})
                forged = await client.post(link[:-3] + "xyz")

            assert done.status_code == 200 and "no le enviará más mensajes" in done.text
            assert forged.status_code == 404
            async with runtime.session() as session:
                lead = await session.get(Lead, world.lead.id)
                consents = (await session.execute(select(Consent))).scalars().all()
            assert lead.opted_out and lead.opted_out_at is not None
            assert [(c.kind, c.source) for c in consents] == [
                (ConsentKind.OPT_OUT, "email:unsubscribe")
            ]


async def test_without_smtp_or_twilio_messages_go_to_the_local_outbox(sqlite_settings: Settings):
    # Noon in Mexico City: the SMS is not held for quiet hours.
    with time_machine.travel(datetime(2026, 3, 3, 18, 0, tzinfo=UTC), tick=True):
        rows, lines = await queue_and_drain_locally(sqlite_settings)

    email, text = (json.loads(line) for line in lines)
    # The e-mail's id is its Message-ID, as with SMTP; a text keeps its local id.
    assert [(r.channel, r.status, r.provider_id) for r in rows] == [
        (Channel.EMAIL, MessageStatus.SENT, email["message_id"]),
        (Channel.SMS, MessageStatus.SENT, "local:2"),
    ]
    assert [email["to"], text["to"]] == ["lucia@example.com", "+525512345678"]
    assert email["body"] == "Hola Lucía"
    assert "reply_to" not in text and "message_id" not in text


async def test_a_reply_to_a_local_outbox_email_finds_its_conversation(sqlite_settings: Settings):
    """Before, the local outbox's e-mails had no Reply-To and no Message-ID: the lead's reply
    to one matched no conversation (a demo broker never saw it)."""
    async with runtime_with(sqlite_settings) as runtime:
        world = await make_world(runtime)
        async with runtime.session() as session:
            await queue_message(
                session,
                conversation=world.conversation,
                lead=world.lead,
                channel=Channel.EMAIL,
                body="Hola Lucía",
                subject="Depto en Roma Norte",
                key="local:EMAIL",
            )
            await commit(session)
        await runtime.drain_jobs()
        [line] = (runtime.settings.data_dir / "outbox.jsonl").read_text().splitlines()
        mail = json.loads(line)
        assert re.fullmatch(r"replies\+\S+@brscale\.example\.com", mail["reply_to"])
        assert re.fullmatch(r"<[0-9a-f]{32}@brscale\.example\.com>", mail["message_id"])
        to_reply_address = parse_sendgrid({"to": mail["reply_to"], "text": "Sí", "headers": ""})
        in_reply_to = parse_sendgrid(
            {
                "to": "replies@brscale.example.com",
                "text": "Sí",
                "headers": f"In-Reply-To: {mail['message_id']}\n",
            }
        )
        async with runtime.session() as session:
            for inbound in (to_reply_address, in_reply_to):
                found = await find_conversation_for_email(session, inbound)
                assert found is not None and found.id == world.conversation.id


async def queue_and_drain_locally(settings: Settings) -> tuple[list[Message], list[str]]:
    async with runtime_with(settings) as runtime:
        world = await make_world(runtime)
        async with runtime.session() as session:
            for channel in (Channel.EMAIL, Channel.SMS):
                await queue_message(
                    session,
                    conversation=world.conversation,
                    lead=world.lead,
                    channel=channel,
                    body="Hola Lucía",
                    subject=None,
                    key=f"local:{channel.value}",
                )
            await commit(session)
        await runtime.drain_jobs()  # the embedded in-process runner delivers them
        async with runtime.session() as session:
            rows = (await session.execute(select(Message).order_by(Message.id))).scalars().all()
        lines = (runtime.settings.data_dir / "outbox.jsonl").read_text().splitlines()
    return list(rows), lines
