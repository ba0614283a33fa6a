"""Sends cut off between the claim and the outcome (a killed worker, the job timeout, one bad
row): every claimed text ends SENT exactly once, or FAILED with the reason; none is left in
doubt and none goes twice. Real PostgreSQL and Redis (arq workers), the Twilio stand-in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from sqlalchemy import select, update

from app.conversations.models import Conversation
from app.core.config import Settings
from app.core.runtime import Runtime
from app.core.uow import commit
from app.leads.models import Lead
from app.messaging import flows
from app.messaging.flows import sweep
from app.messaging.models import Channel, Message, MessageStatus
from app.messaging.outbox import Outgoing, queue_messages
from app.messaging.senders import TwilioSender
from app.messaging.tasks import deliver_message, deliver_messages
from tests.messaging.conftest import NOON_IN_MEXICO, OUR_NUMBER, make_world, runtime_with
from tests.support.jobs import drain_jobs
from tests.support.twilio_standin import Answer, running_twilio_standin


class Killed(BaseException):
    """The worker process dying at this point: nothing after it runs."""


async def queue_texts(runtime: Runtime, count: int) -> list[Message]:
    """`count` leads' texts queued in one transaction: one delivery batch job."""
    worlds = [
        await make_world(runtime, phone=f"+5255123400{i:02d}", email=None) for i in range(count)
    ]
    async with runtime.session() as session:
        outgoing = []
        for i, world in enumerate(worlds):
            lead = await session.get(Lead, world.lead.id)
            conversation = await session.get(Conversation, world.conversation.id)
            assert lead is not None and conversation is not None
            outgoing.append(
                Outgoing(
                    conversation=conversation,
                    lead=lead,
                    channel=Channel.SMS,
                    body=f"Hola, texto {i}",
                    subject=None,
                    key=f"cut:{i}:SMS",
                )
            )
        await queue_messages(session, outgoing)
        await commit(session)
        rows = (await session.execute(select(Message).order_by(Message.id))).scalars().all()
    return list(rows)


async def rows(runtime: Runtime) -> list[Message]:
    async with runtime.session() as session:
        return list((await session.execute(select(Message).order_by(Message.id))).scalars())


async def left_sending_an_hour_ago(runtime: Runtime) -> None:
    """The rows a dead worker left SENDING, past the sweep's limit."""
    async with runtime.session() as session:
        await session.execute(
            update(Message)
            .where(Message.status == MessageStatus.SENDING)
            .values(updated_at=datetime.now(UTC) - timedelta(hours=1))
        )
        await session.commit()


async def test_a_text_twilio_took_before_its_worker_died_is_marked_sent_and_not_resent(
    twilio, monkeypatch: pytest.MonkeyPatch
):
    """Killed after Twilio accepted, before the row was marked: the sweep finds the text at
    Twilio (by number and text, since it was queued) and marks it SENT with Twilio's id.
    Before: UNKNOWN for good, though it had gone out."""
    standin, runtime = twilio
    [message] = await queue_texts(runtime, 1)

    async def killed(*args: Any) -> None:
        raise Killed

    with monkeypatch.context() as patch:
        patch.setattr(flows, "_mark_sent", killed)
        with pytest.raises(Killed):
            await deliver_message({"runtime": runtime}, message.id)
    assert [r.status for r in await rows(runtime)] == [MessageStatus.SENDING]
    await left_sending_an_hour_ago(runtime)

    result = await sweep(runtime)
    await drain_jobs(runtime)
    await sweep(runtime)  # a second sweep settles nothing again

    [sent] = standin.messages
    [stored] = await rows(runtime)
    assert (stored.status, stored.provider_id) == (MessageStatus.SENT, sent.sid)
    assert result.found_sent == [message.id] and result.requeued == []


async def test_a_text_claimed_by_a_worker_that_died_before_calling_twilio_goes_once(twilio):
    """Killed between the claim and the call: Twilio has no such text, so the sweep sends it
    again, once. Before: UNKNOWN for good, never sent (a lost message)."""
    standin, runtime = twilio
    [message] = await queue_texts(runtime, 1)
    async with runtime.session() as session:  # a worker claimed it, then died
        await session.execute(
            update(Message)
            .where(Message.id == message.id)
            .values(status=MessageStatus.SENDING, attempts=1)
        )
        await session.commit()
    await left_sending_an_hour_ago(runtime)

    result = await sweep(runtime)
    await drain_jobs(runtime)
    await sweep(runtime)
    await drain_jobs(runtime)

    [sent] = standin.messages
    [stored] = await rows(runtime)
    assert (stored.status, stored.provider_id, stored.attempts) == (
        MessageStatus.SENT,
        sent.sid,
        2,
    )
    assert sent.form["To"] == message.to_address and result.resent == [message.id]


async def test_a_batch_cut_off_by_its_job_timeout_finishes_its_send_and_hands_on_the_rest(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
):
    """The job timeout (2 s here, 600 s in production) strikes while Twilio takes its time over
    the batch's second text: that text is still recorded SENT, and the two texts the batch did
    not reach go at once in a job of their own, not when the sweep finds them. Before: the
    second stayed SENDING (then UNKNOWN) and the others waited for the sweep."""
    monkeypatch.setattr(flows, "BATCH_BUDGET", timedelta(minutes=10), raising=False)
    monkeypatch.setattr(flows, "BATCH_BUDGET_SHARE", 10, raising=False)
    with running_twilio_standin() as standin:
        async with runtime_with(
            settings,
            TWILIO_API_URL=standin.base_url,
            TWILIO_ACCOUNT_SID=standin.account_sid,
            TWILIO_AUTH_TOKEN=standin.auth_token,
            TWILIO_FROM_NUMBER=OUR_NUMBER,
            JOB_TIMEOUT_SECONDS=2,
        ) as runtime:
            with time_machine.travel(NOON_IN_MEXICO, tick=True):
                queued = await queue_texts(runtime, 4)
                standin.answer("ok", Answer("hang", hang_seconds=4))
                await drain_jobs(runtime)  # no sweep

                stored = await rows(runtime)
    assert [r.status for r in stored] == [MessageStatus.SENT] * 4
    assert sorted(m.form["To"] for m in standin.messages) == sorted(m.to_address for m in queued)
    assert {r.provider_id for r in stored} == {m.sid for m in standin.messages}


async def test_a_batch_past_its_budget_hands_the_rows_it_did_not_reach_to_a_new_job(
    twilio, monkeypatch: pytest.MonkeyPatch
):
    """A batch stops claiming once its time is spent, well before the job timeout, and the
    rest goes in a job of its own at once."""
    standin, runtime = twilio
    monkeypatch.setattr(flows, "BATCH_BUDGET", timedelta(0), raising=False)
    queued = await queue_texts(runtime, 3)

    first = await deliver_messages({"runtime": runtime}, [m.id for m in queued])
    assert first == 1 and len(standin.messages) == 1
    await drain_jobs(runtime)  # the handed-on job, no sweep

    assert [r.status for r in await rows(runtime)] == [MessageStatus.SENT] * 3
    assert len(standin.messages) == 3


async def test_one_bad_row_does_not_hold_its_batch(twilio, monkeypatch: pytest.MonkeyPatch):
    """A defect of ours sending one row (here: an error that is no provider answer) leaves
    that row for the sweep to settle with Twilio; the batch goes on with the others. Before:
    the batch failed there, its other rows waiting for another job."""
    standin, runtime = twilio
    queued = await queue_texts(runtime, 3)
    send = TwilioSender.send

    async def send_but_the_second(self: TwilioSender, outgoing: Any) -> str:
        if outgoing.message.id == queued[1].id:
            raise ValueError("a bad lead")
        return await send(self, outgoing)

    monkeypatch.setattr(TwilioSender, "send", send_but_the_second)
    assert await deliver_messages({"runtime": runtime}, [m.id for m in queued]) == 2
    stored = await rows(runtime)
    assert [r.status for r in stored] == [
        MessageStatus.SENT,
        MessageStatus.SENDING,
        MessageStatus.SENT,
    ]
    assert "a bad lead" in (stored[1].error or "")

    monkeypatch.setattr(TwilioSender, "send", send)  # fixed; the sweep settles the row
    await left_sending_an_hour_ago(runtime)
    assert (await sweep(runtime)).resent == [queued[1].id]
    await drain_jobs(runtime)
    assert [r.status for r in await rows(runtime)] == [MessageStatus.SENT] * 3
    assert len(standin.messages) == 3


async def test_an_email_left_sending_is_failed_with_the_reason_as_smtp_cannot_be_asked(
    settings: Settings,
):
    """SMTP cannot be asked what it accepted: an e-mail left SENDING is not sent again (it may
    have gone) but FAILED with the reason, for the broker to see. Before: UNKNOWN."""
    async with runtime_with(settings, SMTP_URL="smtp://127.0.0.1:9") as runtime:
        world = await make_world(runtime)
        async with runtime.session() as session:
            lead = await session.get(Lead, world.lead.id)
            conversation = await session.get(Conversation, world.conversation.id)
            assert lead is not None and conversation is not None
            await queue_messages(
                session,
                [Outgoing(conversation, lead, Channel.EMAIL, "Hola", "Asunto", "mail:1:EMAIL")],
            )
            await session.execute(update(Message).values(status=MessageStatus.SENDING))
            await commit(session)
        await left_sending_an_hour_ago(runtime)

        result = await sweep(runtime)
        [stored] = await rows(runtime)
    assert stored.status is MessageStatus.FAILED and result.failed == [stored.id]
    assert "cannot be asked" in (stored.error or "") and result.requeued == []


async def test_a_text_written_to_the_local_outbox_before_its_worker_died_is_marked_sent(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
):
    """Without Twilio configured texts go to the local outbox file: the sweep finds the row's
    line there and marks it SENT, once (the file keeps one line)."""
    with time_machine.travel(NOON_IN_MEXICO, tick=True):
        [message] = await queue_texts(runtime, 1)

        async def killed(*args: Any) -> None:
            raise Killed

        with monkeypatch.context() as patch:
            patch.setattr(flows, "_mark_sent", killed)
            with pytest.raises(Killed):
                await deliver_message({"runtime": runtime}, message.id)
        await left_sending_an_hour_ago(runtime)
        result = await sweep(runtime)
        await drain_jobs(runtime)
        [stored] = await rows(runtime)

    lines = (runtime.settings.data_dir / "outbox.jsonl").read_text().splitlines()
    assert (stored.status, stored.provider_id) == (MessageStatus.SENT, f"local:{message.id}")
    assert len(lines) == 1 and result.found_sent == [message.id]
