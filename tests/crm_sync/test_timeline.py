"""The CRM timeline shows the conversation: each lead reply and each message the agent sent is
logged once in every CRM the lead lives in, in the brokerage's language, even when the job runs
twice or crashes between the CRM's answer and our commit."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select

from app.core.db import utcnow
from app.core.runtime import Runtime
from app.core.uow import commit
from app.crm_sync.models import TimelineLog
from app.messaging.models import Channel, Direction, Message, MessageStatus
from tests.conftest import Api
from tests.crm_sync.conftest import connect_fub, connect_hubspot, run_jobs
from tests.support import factories
from tests.support.fub_standin import FubStandIn
from tests.support.hubspot_standin import HubSpotStandIn


async def _conversation_with_messages(runtime: Runtime, email: str) -> int:
    """A conversation of the lead: our e-mail and SMS (sent), the lead's SMS reply, our answer
    still queued (not sent yet: not on the timeline), and an old message from two months ago."""
    async with runtime.session() as session:
        lead = await factories.lead_by_email(session, email)
        lead.phone = "+5215512345678"
        listing = await factories.listing(session)
        conversation = await factories.conversation(session, lead.id, listing)
        now = utcnow()
        rows = [
            (Direction.OUTBOUND, Channel.EMAIL, MessageStatus.SENT, "Hola Ana, soy Jorge...", 0),
            (Direction.OUTBOUND, Channel.SMS, MessageStatus.SENT, "Hola Ana, soy Jorge", 0),
            (Direction.INBOUND, Channel.SMS, MessageStatus.RECEIVED, "¿Acepta mascotas?", 0),
            (Direction.OUTBOUND, Channel.SMS, MessageStatus.QUEUED, "Sí, acepta mascotas.", 0),
            (Direction.INBOUND, Channel.SMS, MessageStatus.RECEIVED, "Hace mucho", 60),
        ]
        for direction, channel, status, body, days_ago in rows:
            await factories.message(
                session,
                conversation,
                body,
                direction=direction,
                channel=channel,
                status=status,
                at=now - timedelta(days=days_ago),
            )
        await commit(session)
        return conversation.id


async def _log_timeline(runtime: Runtime) -> None:
    await runtime.jobs.enqueue("crm_timeline_sweep")
    await run_jobs(runtime)


async def test_replies_and_answers_reach_each_crms_timeline_once(
    api: Api,
    runtime: Runtime,
    fub: tuple[FubStandIn, str],
    hubspot: tuple[HubSpotStandIn, str],
) -> None:
    fub_in, hs_in = fub[0], hubspot[0]
    fub_in.add_person(5, firstName="Ana", lastName="López", emails=[{"value": "ana@lead.mx"}])
    hs_in.add_contact(9, firstname="Ana", lastname="López", email="ana@lead.mx", phone="")
    await api.sign_up()
    await connect_fub(api)
    await run_jobs(runtime)
    await connect_hubspot(api, hs_in)
    await run_jobs(runtime)
    await _conversation_with_messages(runtime, "ana@lead.mx")

    await _log_timeline(runtime)
    await _log_timeline(runtime)  # a second sweep logs nothing again

    texts = [(t["isIncoming"], t["message"], t["externalLabel"]) for t in fub_in.text_messages]
    assert texts == [
        (False, "Hola Ana, soy Jorge", "Mensaje de BR SCALE a Ana López por SMS"),
        (True, "¿Acepta mascotas?", "Respuesta de Ana López por SMS (BR SCALE)"),
    ]
    assert fub_in.text_messages[1]["fromNumber"] == "+5215512345678"
    assert all(t["personId"] == 5 for t in fub_in.text_messages)
    assert "/app/conversations/" in fub_in.text_messages[0]["externalUrl"]
    (email_note,) = fub_in.notes
    assert email_note["subject"] == "Mensaje de BR SCALE a Ana López por correo"
    assert email_note["body"].startswith("Hola Ana, soy Jorge...")
    hs_bodies = sorted(n["hs_note_body"].split("\n\n")[1] for n in hs_in.notes.values())
    assert hs_bodies == ["Hola Ana, soy Jorge", "Hola Ana, soy Jorge...", "¿Acepta mascotas?"]
    assert len(hs_in.note_links[9]) == 3


async def test_a_crash_after_the_crm_took_the_entry_does_not_log_it_twice(
    api: Api, runtime: Runtime, fub: tuple[FubStandIn, str]
) -> None:
    fub_in = fub[0]
    fub_in.add_person(5, emails=[{"value": "ana@lead.mx"}])
    await api.sign_up()
    await connect_fub(api)
    await run_jobs(runtime)
    await _conversation_with_messages(runtime, "ana@lead.mx")
    await _log_timeline(runtime)
    async with runtime.session() as session:  # as if every commit after a CRM call was lost
        await session.execute(delete(TimelineLog))
        await commit(session)

    await _log_timeline(runtime)

    assert len(fub_in.text_messages) == 2
    assert len(fub_in.notes) == 1
    async with runtime.session() as session:
        logged = (await session.execute(select(TimelineLog))).scalars().all()
    assert len(logged) == 3


async def test_an_english_brokerage_gets_english_headings_and_a_queued_answer_waits(
    api: Api, runtime: Runtime, fub: tuple[FubStandIn, str]
) -> None:
    fub_in = fub[0]
    fub_in.add_person(5, firstName="Ann", lastName="Lee", emails=[{"value": "ann@lead.us"}])
    await api.sign_up()
    await api.ok('mutation { updateBrokerage(input: {language: "en"}) { language } }')
    await connect_fub(api)
    await run_jobs(runtime)
    conversation = await _conversation_with_messages(runtime, "ann@lead.us")
    await _log_timeline(runtime)
    async with runtime.session() as session:
        queued = (
            await session.execute(
                select(Message).where(
                    Message.conversation_id == conversation,
                    Message.status == MessageStatus.QUEUED,
                )
            )
        ).scalar_one()
        queued.status = MessageStatus.SENT
        queued.sent_at = utcnow()
        await commit(session)

    await _log_timeline(runtime)

    assert [t["externalLabel"] for t in fub_in.text_messages] == [
        "BR SCALE message to Ann Lee by SMS",
        "Reply from Ann Lee by SMS (BR SCALE)",
        "BR SCALE message to Ann Lee by SMS",
    ]
    assert fub_in.notes[0]["subject"] == "BR SCALE message to Ann Lee by e-mail"
