"""SMS through the Twilio stand-in, its signed webhooks, STOP keywords, crash recovery, pause."""

from __future__ import annotations

from sqlalchemy import func, select, update

from app.accounts.models import Brokerage
from app.conversations.models import Conversation, ConversationStatus
from app.core.runtime import Runtime
from app.core.uow import commit
from app.inbox.models import WebhookEvent
from app.leads.models import Lead
from app.messaging.flows import sweep
from app.messaging.models import Channel, Consent, Message, MessageStatus
from app.messaging.routing import find_conversation_for_sms
from app.messaging.tasks import deliver_message, deliver_messages
from tests.messaging.conftest import (
    OUR_NUMBER,
    PUBLIC_URL,
    World,
    app_client,
    make_world,
    queue_message,
)
from tests.support.twilio_standin import Answer

SMS_URL = f"{PUBLIC_URL}/webhooks/twilio/sms"


async def queue_sms(runtime: Runtime, world: World, key: str) -> Message:
    async with runtime.session() as session:
        lead = await session.get(Lead, world.lead.id)
        conversation = await session.get(Conversation, world.conversation.id)
        message = await queue_message(
            session,
            conversation=conversation,
            lead=lead,
            channel=Channel.SMS,
            body="Hola Lucía, ¿le interesa verlo?",
            subject=None,
            key=key,
        )
        await commit(session)
        return message


async def row(runtime: Runtime, model, id_):
    async with runtime.session() as session:
        return await session.get(model, id_)


async def test_send_then_signed_status_callbacks_only_move_forward(twilio):
    standin, runtime = twilio
    world = await make_world(runtime)
    message = await queue_sms(runtime, world, "s1")

    assert await deliver_message({"runtime": runtime}, message.id) == "SENT"
    [sent] = standin.messages
    assert sent.form["To"] == "+525512345678" and sent.form["From"] == OUR_NUMBER
    assert sent.form["StatusCallback"] == f"{PUBLIC_URL}/webhooks/twilio/status"
    assert (await row(runtime, Message, message.id)).provider_id == sent.sid

    async with app_client(runtime) as client:
        for status in ("delivered", "sent"):  # out of order: "sent" arrives last
            url, params, signature = standin.status_callback(sent, status)
            answer = await client.post(url, data=params, headers={"X-Twilio-Signature": signature})
            assert answer.status_code == 200
        url, params, signature = standin.status_callback(sent, "failed")
        params["MessageSid"] = "SM" + "f" * 32
        forged = await client.post(url, data=params, headers={"X-Twilio-Signature": signature})

    assert forged.status_code == 403
    assert (await row(runtime, Message, message.id)).status is MessageStatus.DELIVERED


async def test_a_21610_answer_opts_the_lead_out_and_suppresses_the_message(twilio):
    standin, runtime = twilio
    world = await make_world(runtime)
    message = await queue_sms(runtime, world, "s1")
    standin.answer("opted_out")

    assert await deliver_message({"runtime": runtime}, message.id) == "SUPPRESSED"

    assert standin.messages == []
    assert (await row(runtime, Message, message.id)).status is MessageStatus.SUPPRESSED
    # The number is blocked: texts stop; the lead's e-mail is another consent.
    lead = await row(runtime, Lead, world.lead.id)
    assert (lead.opted_out, lead.opted_out_channels) == (False, ["SMS", "WHATSAPP"])
    conversation = await row(runtime, Conversation, world.conversation.id)
    assert conversation.status is ConversationStatus.WAITING
    again = await queue_sms(runtime, world, "s2")
    assert again.status is MessageStatus.SUPPRESSED


async def test_a_429_with_retry_after_is_waited_out_and_sent_once(twilio):
    standin, runtime = twilio
    world = await make_world(runtime)
    message = await queue_sms(runtime, world, "s1")
    standin.answer(Answer("rate_limited", retry_after=1))

    assert await deliver_message({"runtime": runtime}, message.id) == "SENT"

    assert len(standin.messages) == 1
    (first, _), (second, _) = standin.attempts
    assert second - first >= 0.95


async def test_inbound_signatures_are_checked_against_the_public_url(twilio):
    standin, runtime = twilio
    await make_world(runtime)
    # The stand-in signs with the `twilio` package's own RequestValidator.
    form, signature = standin.inbound(SMS_URL, "+525512345678", OUR_NUMBER, "Me interesa")
    wrong_url_form, wrong_url_sig = standin.inbound(
        "https://other.example.com/webhooks/twilio/sms", "+525512345678", OUR_NUMBER, "Hola"
    )
    async with app_client(runtime) as client:
        tampered = await client.post(
            SMS_URL, data={**form, "Body": "BAJA"}, headers={"X-Twilio-Signature": signature}
        )
        wrong_url = await client.post(
            SMS_URL, data=wrong_url_form, headers={"X-Twilio-Signature": wrong_url_sig}
        )
        unsigned = await client.post(SMS_URL, data=form)
        genuine = await client.post(SMS_URL, data=form, headers={"X-Twilio-Signature": signature})

    assert [r.status_code for r in (tampered, wrong_url, unsigned)] == [403, 403, 403]
    assert genuine.status_code == 200
    assert genuine.text == '<?xml version="1.0" encoding="UTF-8"?><Response/>'


async def test_a_signed_post_missing_from_or_status_is_a_client_error(twilio):
    standin, runtime = twilio
    form, _ = standin.inbound(SMS_URL, "+525512345678", OUR_NUMBER, "Hola")
    del form["From"]
    status_url = f"{PUBLIC_URL}/webhooks/twilio/status"
    status_form = {"MessageSid": "SM1"}  # no MessageStatus
    async with app_client(runtime) as client:
        no_from = await client.post(
            SMS_URL, data=form, headers={"X-Twilio-Signature": standin.signed(SMS_URL, form)}
        )
        no_status = await client.post(
            status_url,
            data=status_form,
            headers={"X-Twilio-Signature": standin.signed(status_url, status_form)},
        )
    assert [no_from.status_code, no_status.status_code] == [400, 400]


async def test_baja_stops_everything_on_every_thread_once_with_one_confirmation(twilio):
    standin, runtime = twilio
    first = await make_world(runtime)
    second = await make_world(runtime, brokerage=first.brokerage, lead=first.lead)
    queued = [await queue_sms(runtime, w, f"k{i}") for i, w in enumerate((first, second))]
    form, signature = standin.inbound(SMS_URL, "+525512345678", OUR_NUMBER, "Baja.")

    async with app_client(runtime) as client:
        answers = [
            await client.post(SMS_URL, data=form, headers={"X-Twilio-Signature": signature})
            for _ in range(2)  # Twilio delivers the same webhook twice
        ]

    assert answers[0].text.count("<Message>") == 1
    assert "no recibirá más mensajes nuestros" in answers[0].text
    assert answers[1].text == '<?xml version="1.0" encoding="UTF-8"?><Response/>'
    async with runtime.session() as session:
        statuses = (await session.execute(select(Conversation.status))).scalars().all()
        messages = (await session.execute(select(Message.status))).scalars().all()
        consents = await session.scalar(select(func.count()).select_from(Consent))
        events = await session.scalar(select(func.count()).select_from(WebhookEvent))
    # BAJA stops everything (CONVERSATION.md section 5): every thread ends, e-mail too.
    assert statuses == [ConversationStatus.OPTED_OUT] * 2
    assert messages == [MessageStatus.SUPPRESSED] * 2
    assert (consents, events) == (1, 1)  # one consent: every channel
    assert len(queued) == 2 and standin.messages == []


async def test_english_stop_is_confirmed_by_twilio_alone(twilio):
    standin, runtime = twilio
    world = await make_world(runtime)
    form, signature = standin.inbound(SMS_URL, "+525512345678", OUR_NUMBER, "STOP")
    async with app_client(runtime) as client:
        answer = await client.post(SMS_URL, data=form, headers={"X-Twilio-Signature": signature})

    # Twilio answers STOP itself on long codes; a reply of ours would be a second confirmation.
    assert answer.text == '<?xml version="1.0" encoding="UTF-8"?><Response/>'
    lead = await row(runtime, Lead, world.lead.id)
    assert lead.opted_out_channels == ["EMAIL", "SMS", "WHATSAPP"] and lead.opted_out


async def test_a_reply_is_routed_to_the_thread_last_texted(twilio):
    _, runtime = twilio
    older = await make_world(runtime)
    newer = await make_world(runtime, brokerage=older.brokerage, lead=older.lead)
    sent = await queue_sms(runtime, older, "k-old")  # our last text went from the older thread
    async with runtime.session() as session:
        (await session.get(Message, sent.id)).status = MessageStatus.SENT
        await session.commit()
    # The newer thread's text waits for the lead's morning: unread, so not what they answer.
    waiting = await queue_sms(runtime, newer, "k-new")
    async with runtime.session() as session:
        found = await find_conversation_for_sms(session, "+525512345678", OUR_NUMBER)
        unknown = await find_conversation_for_sms(session, "+525500000000", OUR_NUMBER)
    assert waiting.id > sent.id
    assert (found.id, unknown) == (older.conversation.id, None)
    assert newer.conversation.id != older.conversation.id


async def test_nothing_goes_out_while_the_brokerage_is_paused(twilio):
    standin, runtime = twilio
    world = await make_world(runtime)
    async with runtime.session() as session:
        await session.execute(update(Brokerage).values(paused=True))
        await session.commit()
    message = await queue_sms(runtime, world, "s1")

    assert await deliver_message({"runtime": runtime}, message.id) is None
    assert (await sweep(runtime)).requeued == []
    assert (await row(runtime, Message, message.id)).status is MessageStatus.QUEUED

    async with runtime.session() as session:
        await session.execute(update(Brokerage).values(paused=False))
        await session.commit()
    assert (await sweep(runtime)).requeued == [message.id]
    assert await deliver_message({"runtime": runtime}, message.id) == "SENT"
    assert len(standin.messages) == 1


async def test_a_batch_sends_each_row_once_and_settles_each_on_its_own(twilio):
    standin, runtime = twilio
    messages = [await queue_sms(runtime, await make_world(runtime), f"b{i}") for i in range(3)]
    standin.answer("ok", "invalid_number", "ok")
    ids = [m.id for m in messages]

    assert await deliver_messages({"runtime": runtime}, ids) == 2
    assert await deliver_messages({"runtime": runtime}, ids) == 0  # nothing goes twice

    rows = [await row(runtime, Message, i) for i in ids]
    assert [r.status for r in rows] == [
        MessageStatus.SENT,
        MessageStatus.FAILED,
        MessageStatus.SENT,
    ]
    assert [r.provider_id for r in rows[::2]] == [m.sid for m in standin.messages]
    assert rows[1].error and rows[1].attempts == 1 and rows[1].sent_at is None
