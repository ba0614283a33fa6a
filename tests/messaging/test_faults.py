"""A database fault does not lose a reply: the job cut short by terminated PostgreSQL
connections runs again and answers it (once), and a reply whose job is gone for good is
answered by the sweep."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import asyncpg
import psycopg
import pytest
import sqlalchemy.exc
from sqlalchemy import event, make_url, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from app.conversations.inbound import receive_lead_message
from app.conversations.models import Conversation
from app.conversations.tasks import answer_unanswered_replies
from app.core.db import utcnow
from app.core.faults import is_transient
from app.core.runtime import Runtime
from app.core.uow import commit
from app.messaging.models import Channel, Direction, Message, MessageStatus
from tests.conftest import PG_ADMIN, Api
from tests.messaging.conftest import OUR_NUMBER, app_client
from tests.messaging.test_sms import SMS_URL
from tests.messaging.test_sms_conversation import LEAD, LISTING
from tests.support.jobs import drain_jobs
from tests.support.twilio_standin import TwilioStandIn

LEAD_PHONE = "+525512345678"
# The statement that looks for a thread's unanswered replies: it runs after the reply was
# recorded and committed, before it is answered.
UNANSWERED_QUERY = "messages.intent IS NULL"


@contextlib.contextmanager
def connections_terminated_at(
    engine: AsyncEngine, marker: str, times: int = 1
) -> Iterator[list[int]]:
    """Before the first `times` statements containing `marker`, terminate every connection to
    the database (the app's pool and the checkpointer's): the statement meets a dead one."""
    kills: list[int] = []
    url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)

    def before(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if marker in statement and len(kills) < times:
            with psycopg.connect(url, autocommit=True) as admin:
                row = admin.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                ).fetchone()
            kills.append(int(row[0]) if row else 0)

    event.listen(engine.sync_engine, "before_cursor_execute", before)
    try:
        yield kills
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", before)


async def _first_message_sent(runtime: Runtime, api: Api, standin: TwilioStandIn) -> None:
    await api.sign_up()
    await api.ok("mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }", {"i": LEAD})
    await api.ok(
        "mutation($i: PropertyInput!) { createProperty(input: $i) { id } }", {"i": LISTING}
    )
    await drain_jobs(runtime)
    assert [m.form["To"] for m in standin.messages] == [LEAD_PHONE]


async def _inbound(runtime: Runtime) -> list[Message]:
    async with runtime.session() as session:
        stmt = select(Message).where(Message.direction == Direction.INBOUND)
        return list((await session.execute(stmt)).scalars())


async def test_a_reply_whose_job_loses_its_database_connections_is_answered_once(
    twilio: tuple[TwilioStandIn, Runtime],
) -> None:
    standin, runtime = twilio
    async with app_client(runtime) as client:
        api = Api(client)
        await _first_message_sent(runtime, api, standin)
        form, signature = standin.inbound(SMS_URL, LEAD_PHONE, OUR_NUMBER, "¿Cuánto piden?")
        answer = await client.post(SMS_URL, data=form, headers={"X-Twilio-Signature": signature})
        assert answer.status_code == 200

        with connections_terminated_at(runtime.engine, UNANSWERED_QUERY) as kills:
            for _ in range(60):  # the retry waits out its backoff (2 s)
                await drain_jobs(runtime)
                if len(standin.messages) == 2:
                    break
                await asyncio.sleep(0.2)
        await drain_jobs(runtime)

    assert len(kills) == 1 and kills[0] >= 1  # the fault happened, mid-job
    assert len(standin.messages) == 2  # answered, once
    assert [m.intent is not None for m in await _inbound(runtime)] == [True]


async def test_the_sweep_answers_a_reply_whose_job_failed_for_good(
    twilio: tuple[TwilioStandIn, Runtime],
) -> None:
    standin, runtime = twilio
    async with app_client(runtime) as client:
        await _first_message_sent(runtime, Api(client), standin)
    async with runtime.session() as session:
        conversation = (await session.execute(select(Conversation))).scalar_one()

    # The reply is recorded, then the database drops the job's connections: it fails.
    with (
        connections_terminated_at(runtime.engine, UNANSWERED_QUERY) as kills,
        pytest.raises(Exception) as failed,
    ):
        await receive_lead_message(
            runtime, conversation.id, Channel.SMS, "¿Sigue disponible?", provider_id="SMlost"
        )
    assert kills and is_transient(failed.value)
    assert [m.intent for m in await _inbound(runtime)] == [None]

    # Too recent: its own job (or a retry) may still be answering it.
    assert await answer_unanswered_replies({"runtime": runtime}) == 0
    async with runtime.session() as session:
        await session.execute(
            update(Message)
            .where(Message.direction == Direction.INBOUND)
            .values(created_at=utcnow().replace(microsecond=0) - timedelta(minutes=3))
        )
        await commit(session)
    assert await answer_unanswered_replies({"runtime": runtime}) == 1
    for _ in range(100):  # the answer's delivery may be paced a few seconds behind the first
        await drain_jobs(runtime)
        if len(standin.messages) == 2:
            break
        await asyncio.sleep(0.2)
    assert await answer_unanswered_replies({"runtime": runtime}) == 0  # answered: once

    assert len(standin.messages) == 2
    assert [m.intent is not None for m in await _inbound(runtime)] == [True]
    async with runtime.session() as session:
        statuses = (
            await session.execute(
                select(Message.status).where(
                    Message.direction == Direction.OUTBOUND, Message.channel == Channel.SMS
                )
            )
        ).scalars()
        assert list(statuses) == [MessageStatus.SENT, MessageStatus.SENT]


async def test_a_server_with_no_connection_left_is_a_fault_worth_retrying(pg_url: str) -> None:
    """PostgreSQL refusing a new connection because its limit is reached ("sorry, too many
    clients already", SQLSTATE 53300) is as passing as a dropped one: a job failing on it is
    retried, not failed for good (a 10,000-lead drill on a shared server lost delivery and
    conversation batches to it). Reproduced with a role whose connection limit is 0."""
    role = f"brscale_full_{os.getpid()}"
    admin = await asyncpg.connect(PG_ADMIN)
    try:
        await admin.execute(f"DROP ROLE IF EXISTS {role}")
        await admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'full' CONNECTION LIMIT 0")
        url = make_url(pg_url).set(drivername="postgresql+asyncpg", username=role, password="full")
        engine = create_async_engine(url)
        try:
            with pytest.raises(sqlalchemy.exc.DBAPIError) as refused:
                async with engine.connect() as connection:
                    await connection.execute(text("SELECT 1"))
        finally:
            await engine.dispose()
        assert "too many connections" in str(refused.value)
        assert is_transient(refused.value)
    finally:
        await admin.execute(f"DROP ROLE IF EXISTS {role}")
        await admin.close()
