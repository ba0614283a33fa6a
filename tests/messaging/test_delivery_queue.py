"""Deliveries have a queue of their own: the main queue's workers (conversations, imports,
matching) never pick them up, and `brscale worker --queue deliveries` sends them."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select

from app.core.config import Settings
from app.core.jobs import DELIVERY_QUEUE, MAIN_QUEUE
from app.core.runtime import Runtime
from app.core.uow import commit
from app.messaging.models import Channel, Message, MessageStatus
from app.messaging.outbox import DELIVER_BATCH_TASK, Outgoing, queue_messages
from app.messaging.tasks import sweep_outbox
from tests.messaging.conftest import World, make_world, queue_message
from workers.settings import worker_for

ROOT = Path(__file__).resolve().parents[2]


async def _status(runtime: Runtime, message_id: int) -> MessageStatus:
    async with runtime.session() as session:
        message = await session.get(Message, message_id)
        assert message is not None
        return message.status


async def test_a_delivery_waits_on_its_own_queue_for_a_delivery_worker(
    runtime: Runtime, world: World, pg_settings: Settings, tmp_path: Path
) -> None:
    assert runtime.redis is not None
    async with runtime.session() as session:
        message = await queue_message(
            session,
            conversation=world.conversation,
            lead=world.lead,
            channel=Channel.EMAIL,
            body="Hola Lucía, ¿te gustaría ver el depto en Roma Norte?",
            subject="Depto en Roma Norte",
            key=f"{world.conversation.thread_id}:first:EMAIL",
        )
        await commit(session)
    assert await runtime.redis.zcard(DELIVERY_QUEUE) == 1
    assert await runtime.redis.zcard(MAIN_QUEUE) == 0

    # A worker of the main queue alone runs what is there and leaves the delivery be.
    await worker_for(MAIN_QUEUE, runtime, burst=True, poll_delay=0.01, cron_jobs=[]).main()
    assert await _status(runtime, message.id) is MessageStatus.QUEUED

    env = {
        **os.environ,
        "DATABASE_URL": pg_settings.database_url or "",
        "REDIS_URL": pg_settings.redis_url or "",
        "BRSCALE_SECRET_KEY": pg_settings.signing_key,
        "BRSCALE_DATA_DIR": str(tmp_path / "deliveries"),
    }
    worker = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "app.cli", "worker", "--queue", "deliveries"),
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        # A worker process imports the whole app first: slow on a busy machine.
        deadline = time.monotonic() + 100
        while await _status(runtime, message.id) is not MessageStatus.SENT:
            assert time.monotonic() < deadline, "the delivery worker never sent the message"
            await asyncio.sleep(0.1)
    finally:
        worker.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(worker.wait(), 30)
    assert code == 0  # a clean stop on SIGTERM
    outbox = (tmp_path / "deliveries").rglob("*")
    assert any("Roma Norte" in path.read_text() for path in outbox if path.is_file())


async def test_texts_queued_at_night_share_one_job_that_sends_them_in_the_morning(
    runtime: Runtime,
) -> None:
    assert runtime.redis is not None
    worlds = [await make_world(runtime, phone=f"+52551234567{i}") for i in range(3)]
    night, morning = (
        datetime(2026, 3, 3, 4, 30, tzinfo=UTC),
        datetime(2026, 3, 3, 14, 0, tzinfo=UTC),
    )
    with time_machine.travel(night, tick=True):
        async with runtime.session() as session:
            steps = [
                Outgoing(w.conversation, w.lead, channel, "Hola, ¿seguimos?", None, key)
                for w in worlds
                for channel, key in (
                    (Channel.SMS, f"{w.conversation.thread_id}:first:SMS"),
                    (Channel.EMAIL, f"{w.conversation.thread_id}:first:EMAIL"),
                )
            ]
            assert await queue_messages(session, steps) == 6
            await commit(session)
        jobs = await runtime.redis.queued_jobs(queue_name=DELIVERY_QUEUE)

    # One job for the emails, due now; one for the texts, due at 8:00 in Mexico City.
    assert sorted((job.function, len(job.args[0])) for job in jobs) == [
        (DELIVER_BATCH_TASK, 3),
        (DELIVER_BATCH_TASK, 3),
    ]
    scores = sorted(job.score for job in jobs)
    assert scores[0] < night.timestamp() * 1000 + 2000
    assert scores[1] >= morning.timestamp() * 1000

    with time_machine.travel(morning, tick=True):
        await worker_for(DELIVERY_QUEUE, runtime, burst=True, poll_delay=0.01, cron_jobs=[]).main()
    async with runtime.session() as session:
        statuses = (await session.execute(select(Message.status))).scalars().all()
    assert statuses == [MessageStatus.SENT] * 6


async def test_the_outbox_sweep_warns_while_no_worker_serves_the_delivery_queue(
    runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="app.messaging.tasks"):
        await sweep_outbox({"runtime": runtime})
    assert "no worker serves the delivery queue" in caplog.text

    caplog.clear()
    await worker_for(DELIVERY_QUEUE, runtime, burst=True, poll_delay=0.01).main()  # one poll
    with caplog.at_level(logging.WARNING, logger="app.messaging.tasks"):
        await sweep_outbox({"runtime": runtime})
    assert "no worker serves the delivery queue" not in caplog.text


async def test_a_text_that_reaches_its_worker_at_night_waits_for_the_morning(
    runtime: Runtime, world: World
) -> None:
    assert runtime.redis is not None
    evening = datetime(2026, 3, 4, 0, 30, tzinfo=UTC)  # 18:30 in Mexico City: may go
    with time_machine.travel(evening, tick=True):
        async with runtime.session() as session:
            message = await queue_message(
                session,
                conversation=world.conversation,
                lead=world.lead,
                channel=Channel.SMS,
                body="Hola Lucía, ¿seguimos?",
                subject=None,
                key=f"{world.conversation.thread_id}:first:SMS",
            )
            await commit(session)
    night = datetime(2026, 3, 4, 4, 0, tzinfo=UTC)  # 22:00: the workers were busy until now
    with time_machine.travel(night, tick=True):
        # The one due job, then stop (a burst worker waits for deferred jobs too).
        await worker_for(DELIVERY_QUEUE, runtime, burst=True, max_burst_jobs=1).main()
        [deferred] = await runtime.redis.queued_jobs(queue_name=DELIVERY_QUEUE)

    assert await _status(runtime, message.id) is MessageStatus.QUEUED
    morning = datetime(2026, 3, 4, 14, 0, tzinfo=UTC)  # 8:00 in Mexico City
    assert deferred.function == DELIVER_BATCH_TASK and deferred.args == ([message.id],)
    assert deferred.score >= morning.timestamp() * 1000
