"""Campaign and thread guarantees: one conversation per (lead, property) however often or
concurrently the jobs run, a killed worker neither skips nor repeats a first message, a burst
of replies is answered once, STOP silences every thread, the broker approves drafts."""

from __future__ import annotations

import asyncio
import base64
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text, update

from app.accounts.models import Brokerage
from app.accounts.service import sign_up
from app.conversations import campaigns, repository
from app.conversations.campaigns import open_conversations, run_campaign, run_conversations
from app.conversations.engine import Start, get_engine
from app.conversations.inbound import (
    answer_waiting_replies,
    process_replies,
    receive_lead_message,
)
from app.conversations.models import BrokerTask, Conversation, ConversationStatus
from app.conversations.tasks import forget_ended_threads, send_due_follow_ups
from app.core.config import Settings
from app.core.db import utcnow
from app.core.jobs import MAIN_QUEUE
from app.core.runtime import Runtime
from app.core.uow import commit
from app.leads.models import Lead
from app.leads.service import NewLead, create_lead
from app.matching.models import Match
from app.matching.tasks import match_property
from app.messaging.models import Channel, Direction, Message, MessageStatus
from app.messaging.optout import opt_out_lead
from app.properties.models import ListingOperation
from app.properties.service import PropertyFields, create_property
from tests.conftest import Api
from tests.support.jobs import drain_jobs
from workers.settings import worker_for

ROOT = Path(__file__).resolve().parents[2]
POLANCO = PropertyFields(
    title="Casa en Polanco",
    location="Polanco",
    price=5_000_000,
    operation=ListingOperation.SALE,
    bedrooms=3,
)
LOMAS = PropertyFields(
    title="Depa en Lomas",
    location="Lomas",
    city="Polanco",
    price=5_500_000,
    operation=ListingOperation.SALE,
    bedrooms=3,
)


async def _brokerage(runtime: Runtime, *, approval: bool = False) -> int:
    async with runtime.session() as session:
        result = await sign_up(
            session,
            runtime.tokens,
            email="b@example.com",
            password="long password",
            name="B",
            brokerage_name="B",
        )
        brokerage = await session.get(Brokerage, result.user.brokerage_id)
        assert brokerage is not None
        brokerage.requires_approval = approval
        await commit(session)
        return brokerage.id


async def _leads(runtime: Runtime, brokerage_id: int, count: int) -> None:
    async with runtime.session() as session:
        for i in range(count):
            await create_lead(
                session,
                brokerage_id,
                NewLead(
                    name=f"Lead {i}",
                    email=f"lead{i}@example.com",
                    phone=f"+5255{10000000 + i}",
                    locations=("Polanco",),
                    min_budget=4_000_000,
                    max_budget=6_000_000,
                    bedrooms=3,
                ),
            )
        await commit(session)


async def _listing(runtime: Runtime, brokerage_id: int, fields: PropertyFields = POLANCO) -> int:
    async with runtime.session() as session:
        listing = await create_property(session, brokerage_id, fields)
        await commit(session)
        return listing.id


async def _count(runtime: Runtime, stmt: Any) -> int:
    async with runtime.session() as session:
        return int(await session.scalar(stmt) or 0)


LEADS = 150


async def _started_threads(runtime: Runtime) -> int:
    """Threads with a checkpoint: run to their first wait."""
    async with runtime.session() as session:
        exists = await session.scalar(text("SELECT to_regclass('checkpoints') IS NOT NULL"))
        if not exists:
            return 0
        return int(
            await session.scalar(text("SELECT count(DISTINCT thread_id) FROM checkpoints")) or 0
        )


def _first_messages(property_id: int) -> Any:
    return select(func.count()).where(
        Message.idempotency_key.like(f"%property_{property_id}:first:%")
    )


@pytest.mark.usefixtures("backend")
async def test_a_campaign_run_twice_and_racing_creates_no_duplicates(runtime: Runtime) -> None:
    brokerage_id = await _brokerage(runtime)
    await _leads(runtime, brokerage_id, 12)
    property_id = await _listing(runtime, brokerage_id)
    await drain_jobs(runtime)

    async def open_concurrently() -> None:
        async with runtime.session() as session:
            await open_conversations(session, brokerage_id, property_id)
            await commit(session)

    await asyncio.gather(open_concurrently(), open_concurrently())
    for _ in range(2):
        await run_campaign({"runtime": runtime}, brokerage_id, property_id)
    await drain_jobs(runtime)

    assert await _count(runtime, select(func.count()).select_from(Match)) == 12
    assert await _count(runtime, select(func.count()).select_from(Conversation)) == 12
    assert await _count(runtime, _first_messages(property_id)) == 24  # email + SMS each, once


# Two worker processes start (each imports the app) and the second waits out the killed worker's
# job lease: its own deadlines allow 5 minutes on a busy machine, the suite's 120 s does not.
@pytest.mark.timeout(330)
async def test_a_killed_worker_leaves_every_lead_with_exactly_one_first_message(
    pg_settings: Settings, runtime: Runtime, tmp_path: Path
) -> None:
    brokerage_id = await _brokerage(runtime)
    await _leads(runtime, brokerage_id, LEADS)  # two campaign batches
    property_id = await _listing(runtime, brokerage_id)  # enqueues matching + the campaign in Redis
    expected = 2 * LEADS  # email + SMS each

    env = {
        **os.environ,
        "DATABASE_URL": pg_settings.database_url or "",
        "REDIS_URL": pg_settings.redis_url or "",
        "BRSCALE_SECRET_KEY": pg_settings.signing_key,
        "BRSCALE_DATA_DIR": str(tmp_path / "worker"),
        "JOB_LEASE_SECONDS": "6",  # the killed worker's claims lapse within it
        "MAX_CONCURRENT_CONVERSATIONS": "4",
    }
    worker = [sys.executable, "-m", "app.cli", "worker"]

    first = await asyncio.create_subprocess_exec(
        *worker, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 120
        while await _count(runtime, _first_messages(property_id)) == 0:  # a batch committed
            assert time.monotonic() < deadline, "the worker never started the campaign"
            await asyncio.sleep(0.02)
    finally:  # threads of that batch are starting, the next batch composing (or it failed:
        # no worker outlives the test either way)
        first.send_signal(signal.SIGKILL)
        await first.wait()
    assert await _started_threads(runtime) < LEADS, "the campaign finished before the kill"

    second = await asyncio.create_subprocess_exec(
        *worker, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 180
        while (
            await _count(runtime, _first_messages(property_id)) < expected
            or await _started_threads(runtime) < LEADS
        ):
            assert time.monotonic() < deadline, "the restarted worker did not finish the campaign"
            await asyncio.sleep(0.2)
        await asyncio.sleep(1)  # anything still running would show up as a duplicate now
    finally:
        second.send_signal(signal.SIGTERM)
        await asyncio.wait_for(second.wait(), 30)

    async with runtime.session() as session:
        per_lead = (
            await session.execute(
                select(Message.lead_id, Message.channel, func.count())
                .where(Message.idempotency_key.like("%:first:%"))
                .group_by(Message.lead_id, Message.channel)
            )
        ).all()
        statuses = set((await session.execute(select(Conversation.status))).scalars())
    assert len(per_lead) == expected
    assert {count for _, _, count in per_lead} == {1}
    assert statuses == {ConversationStatus.WAITING}  # every thread reached its wait, once


async def _conversation_of(runtime: Runtime, property_id: int) -> Conversation:
    async with runtime.session() as session:
        conversation = await session.scalar(
            select(Conversation).where(Conversation.property_id == property_id).limit(1)
        )
        assert conversation is not None
        return conversation


async def _one_waiting_conversation(runtime: Runtime) -> Conversation:
    """One lead, one listing, the campaign run: a conversation waiting for the lead's reply."""
    brokerage_id = await _brokerage(runtime)
    await _leads(runtime, brokerage_id, 1)
    property_id = await _listing(runtime, brokerage_id)
    await drain_jobs(runtime)
    return await _conversation_of(runtime, property_id)


async def _messages(runtime: Runtime, conversation_id: int) -> list[Message]:
    async with runtime.session() as session:
        rows = await session.execute(
            select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id)
        )
        return list(rows.scalars())


@pytest.mark.usefixtures("backend")
async def test_a_burst_of_replies_while_the_thread_runs_gets_one_answer(runtime: Runtime) -> None:
    conversation = await _one_waiting_conversation(runtime)
    engine = await get_engine(runtime)

    burst = ("Hola!", "¿Cuántas recámaras tiene?", "¿Y aceptan mascotas?")
    async with engine.locks.hold(conversation.thread_id) as held:  # a turn is running
        assert held
        for text in burst:
            await receive_lead_message(runtime, conversation.id, Channel.SMS, text)
        assert [
            m.intent
            for m in await _messages(runtime, conversation.id)
            if m.direction is Direction.INBOUND
        ] == [None] * 3
    await process_replies(runtime, conversation.id, conversation.thread_id)

    messages = await _messages(runtime, conversation.id)
    inbound = [m for m in messages if m.direction is Direction.INBOUND]
    answers = [
        m for m in messages if m.direction is Direction.OUTBOUND and ":reply:" in m.idempotency_key
    ]
    assert all(m.intent for m in inbound)
    assert [m.channel for m in answers] == [Channel.SMS]  # one answer, where the lead wrote
    assert "3 recámaras" in answers[0].body or "mascota" in answers[0].body.lower()


@pytest.mark.usefixtures("backend")
async def test_concurrent_replies_to_one_thread_are_each_answered_once(runtime: Runtime) -> None:
    conversation = await _one_waiting_conversation(runtime)

    texts = ("¿Cuánto cuesta?", "¿Tiene estacionamiento?", "¿La puedo ver mañana?", "Gracias")
    await asyncio.gather(
        *(receive_lead_message(runtime, conversation.id, Channel.SMS, t) for t in texts)
    )

    messages = await _messages(runtime, conversation.id)
    inbound = [m for m in messages if m.direction is Direction.INBOUND]
    assert len(inbound) == 4 and all(m.intent for m in inbound)
    replies = [m.idempotency_key for m in messages if ":reply:" in m.idempotency_key]
    assert len(replies) == len(set(replies)) and 1 <= len(replies) <= 4  # one per turn, SMS only
    # every answer replied to a message of this thread
    inbound_ids = {m.id for m in inbound}
    assert {int(key.split(":reply:")[1].split(":")[0]) for key in replies} <= inbound_ids


@pytest.mark.usefixtures("backend")
async def test_stop_in_one_thread_silences_every_thread_of_the_lead(runtime: Runtime) -> None:
    brokerage_id = await _brokerage(runtime)
    await _leads(runtime, brokerage_id, 1)
    first = await _listing(runtime, brokerage_id, POLANCO)
    second = await _listing(runtime, brokerage_id, LOMAS)
    await drain_jobs(runtime)
    one, other = await _conversation_of(runtime, first), await _conversation_of(runtime, second)
    assert one.lead_id == other.lead_id

    await receive_lead_message(runtime, one.id, Channel.SMS, "Ya no me escriban, gracias")
    async with runtime.session() as session:
        statuses = set((await session.execute(select(Conversation.status))).scalars())
        lead = await session.get(Lead, one.lead_id)
    assert statuses == {ConversationStatus.OPTED_OUT}
    assert lead is not None and lead.opted_out

    engine = await get_engine(runtime)
    assert await engine.started([one.thread_id]) == set()  # ran to its end: forgotten

    for conversation in (other, one, one):  # ended threads, live or forgotten: no answer
        before = len(await _messages(runtime, conversation.id))
        await receive_lead_message(runtime, conversation.id, Channel.SMS, "Bueno, ¿cuánto cuesta?")
        after = await _messages(runtime, conversation.id)
        assert len(after) == before + 1 and after[-1].direction is Direction.INBOUND
        assert after[-1].intent is not None  # understood and kept all the same
        assert not [
            m
            for m in after
            if m.direction is Direction.OUTBOUND and m.status is MessageStatus.QUEUED
        ]
    assert await engine.started([one.thread_id, other.thread_id]) == set()


async def test_a_lead_who_opts_out_before_their_batch_runs_gets_no_first_message(
    runtime: Runtime,
) -> None:
    brokerage_id = await _brokerage(runtime)
    await _leads(runtime, brokerage_id, 2)
    property_id = await _listing(runtime, brokerage_id)  # its jobs wait in Redis: run by hand
    await match_property({"runtime": runtime}, brokerage_id, property_id)
    async with runtime.session() as session:
        await open_conversations(session, brokerage_id, property_id)
        await commit(session)
        conversations = list(
            (await session.execute(select(Conversation).order_by(Conversation.id))).scalars()
        )
        quitter, keen = conversations
        await opt_out_lead(session, brokerage_id, quitter.lead_id, source="link", channel="EMAIL")
        await commit(session)

    ids = [quitter.id, keen.id]
    await run_conversations({"runtime": runtime}, brokerage_id, property_id, ids)

    async with runtime.session() as session:
        after = {c.id: c for c in (await session.execute(select(Conversation))).scalars()}
    assert after[quitter.id].status is ConversationStatus.OPTED_OUT and after[quitter.id].turn == 0
    assert after[keen.id].status is ConversationStatus.WAITING
    assert not await _messages(runtime, quitter.id)
    assert len(await _messages(runtime, keen.id)) == 2  # e-mail and text
    engine = await get_engine(runtime)
    assert await engine.started([quitter.thread_id, keen.thread_id]) == {keen.thread_id}


async def test_threads_of_a_lead_opted_out_elsewhere_are_forgotten_by_the_sweep(
    runtime: Runtime,
) -> None:
    brokerage_id = await _brokerage(runtime)
    await _leads(runtime, brokerage_id, 1)
    first = await _listing(runtime, brokerage_id, POLANCO)
    second = await _listing(runtime, brokerage_id, LOMAS)
    await drain_jobs(runtime)
    threads = [(await _conversation_of(runtime, p)).thread_id for p in (first, second)]
    engine = await get_engine(runtime)
    assert await engine.started(threads) == set(threads)

    async with runtime.session() as session:  # an unsubscribe link: no thread runs
        lead_id = (await _conversation_of(runtime, first)).lead_id
        await opt_out_lead(session, brokerage_id, lead_id, source="link", channel="EMAIL")
        await commit(session)
    assert await engine.started(threads) == set(threads)

    assert await forget_ended_threads({"runtime": runtime}) == 2
    assert await engine.started(threads) == set()
    assert await forget_ended_threads({"runtime": runtime}) == 0


APPROVE = """mutation($id: ID!, $body: String) { approveMessage(id: $id, body: $body) {
  status messages { channel status body } } }"""
REJECT = "mutation($id: ID!) { rejectMessage(id: $id) { status messages { channel status } } }"
SENDING = ("QUEUED", "SENDING", "SENT")  # approved: on its way, or gone already
DRAFTS = """{ conversations(first: 10) { edges { node { id status
  messages { id channel status body segments } } } } }"""


@pytest.mark.usefixtures("backend")
async def test_each_channels_draft_is_edited_and_approved_on_its_own(
    api: Api, runtime: Runtime
) -> None:
    await api.sign_up()
    async with runtime.session() as session:
        await session.execute(update(Brokerage).values(requires_approval=True))
        await commit(session)
    brokerage_id = 1
    await _leads(runtime, brokerage_id, 2)
    await _listing(runtime, brokerage_id)
    await drain_jobs(runtime)

    conversations = [e["node"] for e in (await api.ok(DRAFTS))["conversations"]["edges"]]
    assert [c["status"] for c in conversations] == ["AWAITING_APPROVAL"] * 2
    assert {m["status"] for c in conversations for m in c["messages"]} == {"DRAFT"}
    email, text = conversations[0]["messages"]
    assert (email["channel"], text["channel"]) == ("EMAIL", "SMS")

    # Editing the e-mail sends it as edited and leaves the text's draft as it was.
    approved = await api.ok(APPROVE, {"id": email["id"], "body": "Hola, soy Ana: ¿te interesa?"})
    assert approved["approveMessage"]["status"] == "AWAITING_APPROVAL"
    sent, draft = approved["approveMessage"]["messages"]
    assert (sent["status"] in SENDING, sent["body"]) == (True, "Hola, soy Ana: ¿te interesa?")
    assert draft == {"channel": "SMS", "status": "DRAFT", "body": text["body"]}

    # The text is edited on its own; its stop line stays even when the edit leaves it out.
    approved = await api.ok(APPROVE, {"id": text["id"], "body": "Ana de Casa Ana: ¿le llamo?"})
    assert approved["approveMessage"]["status"] == "WAITING"
    assert [
        (m["status"] in SENDING, m["body"]) for m in approved["approveMessage"]["messages"]
    ] == [
        (True, "Hola, soy Ana: ¿te interesa?"),
        (True, "Ana de Casa Ana: ¿le llamo?\nResponde BAJA para no recibir más mensajes"),
    ]

    email, text = conversations[1]["messages"]
    rejected = await api.ok(REJECT, {"id": text["id"]})
    assert rejected["rejectMessage"]["status"] == "AWAITING_APPROVAL"
    rejected = await api.ok(REJECT, {"id": email["id"]})
    assert rejected["rejectMessage"]["status"] == "CLOSED"
    assert {m["status"] for m in rejected["rejectMessage"]["messages"]} == {"SUPPRESSED"}

    again = await api(REJECT, {"id": email["id"]})
    assert again["errors"][0]["extensions"]["code"] == "CONFLICT"


@pytest.mark.usefixtures("backend")
async def test_two_gentle_follow_ups_then_cold(runtime: Runtime) -> None:
    conversation = await _one_waiting_conversation(runtime)

    for _ in range(3):
        async with runtime.session() as session:
            await session.execute(
                update(Conversation).values(follow_up_at=utcnow() - timedelta(minutes=1))
            )
            await commit(session)
        await send_due_follow_ups({"runtime": runtime})

    messages = await _messages(runtime, conversation.id)
    follow_ups = [
        m.idempotency_key.split(":")[-2] for m in messages if ":followup:" in m.idempotency_key
    ]
    assert follow_ups == ["1", "1", "2", "2"]  # email + SMS, twice
    async with runtime.session() as session:
        final = await session.get(Conversation, conversation.id)
        tasks = await session.scalar(select(func.count()).select_from(BrokerTask))
    assert final is not None and final.status is ConversationStatus.COLD
    assert tasks == 1  # the hot-lead call task, nothing more


@pytest.mark.usefixtures("backend")
async def test_texts_sent_in_a_burst_get_one_answer(runtime: Runtime) -> None:
    runtime.settings.reply_debounce_seconds = 0.5
    conversation = await _one_waiting_conversation(runtime)

    burst = ("hola", "¿tiene balcón?", "¿y se puede ver mañana?")
    await asyncio.gather(
        *(receive_lead_message(runtime, conversation.id, Channel.SMS, t) for t in burst)
    )

    messages = await _messages(runtime, conversation.id)
    answers = [m for m in messages if ":reply:" in m.idempotency_key]
    assert [m.channel for m in answers] == [Channel.SMS]  # one answer, where the lead wrote
    assert all(m.intent for m in messages if m.direction is Direction.INBOUND)


@pytest.mark.usefixtures("backend")
async def test_replies_while_the_broker_has_taken_over_are_answered_on_hand_back(
    api: Api, runtime: Runtime
) -> None:
    await api.sign_up()
    await _leads(runtime, 1, 1)
    await _listing(runtime, 1)
    await drain_jobs(runtime)
    conversation = await _conversation_of(runtime, 1)
    gid = base64.b64encode(f"Conversation:{conversation.id}".encode()).decode()

    await api.ok("mutation($id: ID!) { takeOverConversation(id: $id) { takenOver } }", {"id": gid})
    await receive_lead_message(runtime, conversation.id, Channel.SMS, "¿Tiene elevador?")
    assert not [
        m for m in await _messages(runtime, conversation.id) if ":reply:" in m.idempotency_key
    ]

    back = await api.ok(
        "mutation($id: ID!) { handBackConversation(id: $id) { takenOver nextAction messages { direction intent } } }",
        {"id": gid},
    )
    assert back["handBackConversation"]["takenOver"] is False
    assert [m["direction"] for m in back["handBackConversation"]["messages"]][-2:] == [
        "INBOUND",
        "OUTBOUND",
    ]
    assert back["handBackConversation"]["messages"][-2]["intent"] == "PROPERTY_QUESTION"


@pytest.mark.usefixtures("backend")
async def test_a_batch_start_skips_started_and_busy_threads_and_leases_all_at_once(
    runtime: Runtime,
) -> None:
    waiting = await _one_waiting_conversation(runtime)
    engine = await get_engine(runtime)
    busy, fresh = "lead_900001_property_1", "lead_900002_property_1"
    assert await engine.started([waiting.thread_id, busy, fresh]) == {waiting.thread_id}

    async with engine.locks.hold(busy) as held:  # another worker runs this one
        assert held
        outcomes = await engine.start_many(
            [(waiting.id, waiting.thread_id, "reply"), (999, busy, "reply"), (999, fresh, "reply")]
        )
    assert outcomes == [Start.ALREADY, Start.BUSY, Start.STARTED]
    assert await engine.waiting_on(fresh) == "wait"
    assert await engine.waiting_on(busy) == "new"
    # Every lease of the batch was released with it.
    async with engine.locks.hold_many([waiting.thread_id, busy, fresh]) as held_now:
        assert held_now == {waiting.thread_id, busy, fresh}


@pytest.mark.usefixtures("backend")
async def test_a_reply_left_to_a_batch_holding_its_thread_is_answered_after_it(
    runtime: Runtime,
) -> None:
    conversation = await _one_waiting_conversation(runtime)
    engine = await get_engine(runtime)
    async with engine.locks.hold(conversation.thread_id):  # a campaign batch holds the thread
        await receive_lead_message(runtime, conversation.id, Channel.SMS, "¿Cuánto cuesta?")
    answers = [
        m for m in await _messages(runtime, conversation.id) if ":reply:" in m.idempotency_key
    ]
    assert answers == []  # the sender found the lock taken and left the reply to the holder

    await answer_waiting_replies(runtime, [conversation.id])

    answers = [
        m for m in await _messages(runtime, conversation.id) if ":reply:" in m.idempotency_key
    ]
    assert len(answers) == 1 and "5,000,000" in answers[0].body.replace(".", ",")


@pytest.mark.usefixtures("backend")
async def test_a_thread_cut_short_before_its_first_wait_still_answers_its_lead(
    runtime: Runtime,
) -> None:
    waiting = await _one_waiting_conversation(runtime)
    engine = await get_engine(runtime)
    await engine.forget(waiting.thread_id)
    # What a cancelled start leaves behind: the input checkpoint, next to run "compose".
    await engine.graph.aupdate_state(
        engine.config(waiting.thread_id),
        {"conversation_id": waiting.id, "prepared": "reply"},
        as_node="__start__",
    )
    snapshot = await engine.graph.aget_state(engine.config(waiting.thread_id))
    assert snapshot.next == ("compose",) and not snapshot.interrupts

    await receive_lead_message(runtime, waiting.id, Channel.SMS, "¿Cuánto cuesta?")

    answers = [m for m in await _messages(runtime, waiting.id) if ":reply:" in m.idempotency_key]
    assert len(answers) == 1
    assert await engine.waiting_on(waiting.thread_id) == "wait"


APPROVE_ALL = """mutation($ids: [ID!]!) { approveMessages(ids: $ids) {
  conversations { id status messages { status } } refused { messageId code message } } }"""


@pytest.mark.usefixtures("backend")
async def test_the_board_approves_every_draft_in_one_call_and_the_audit_says_who(
    api: Api, runtime: Runtime
) -> None:
    """The board's "approve all": every draft of three conversations in one call; a draft
    already decided and an unknown id are refused with their reason and the others go out.
    Each approval is in the audit, written with the approval itself."""
    await api.sign_up()
    async with runtime.session() as session:
        await session.execute(update(Brokerage).values(requires_approval=True))
        await commit(session)
    await _leads(runtime, 1, 3)
    await _listing(runtime, 1)
    await drain_jobs(runtime)
    conversations = [e["node"] for e in (await api.ok(DRAFTS))["conversations"]["edges"]]
    drafts = [m["id"] for c in conversations for m in c["messages"]]
    assert len(drafts) == 6
    await api.ok(REJECT, {"id": drafts[0]})  # decided before: not a draft any more

    approved = (await api.ok(APPROVE_ALL, {"ids": [*drafts, "TWVzc2FnZTo5OTk5"]}))[
        "approveMessages"
    ]
    assert [c["id"] for c in approved["conversations"]] == [c["id"] for c in conversations]
    assert [c["status"] for c in approved["conversations"]] == ["WAITING"] * 3
    went = [{m["status"] in SENDING for m in c["messages"]} for c in approved["conversations"]]
    assert went == [{True, False}, {True}, {True}]  # the first lost its rejected e-mail only
    assert [(r["messageId"], r["code"]) for r in approved["refused"]] == [
        (drafts[0], "CONFLICT"),
        ("TWVzc2FnZTo5OTk5", "NOT_FOUND"),
    ]
    audit = await api.ok("{ auditLog { edges { node { action subjectId actorName } } } }")
    actions = [e["node"]["action"] for e in audit["auditLog"]["edges"]]
    assert actions.count("MESSAGE_APPROVED") == 5 and actions.count("MESSAGE_REJECTED") == 1

    too_many = await api(APPROVE_ALL, {"ids": [drafts[1]] * 501})
    assert too_many["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_big_campaign_takes_turns_in_the_queue_with_another_brokerages(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Brokerage A's campaign of three batches is queued first, B's one batch after it: B's
    first texts are written before A's last batch, not after all of A's (one job at a time)."""
    monkeypatch.setattr(campaigns, "BATCH", 2)  # three batches from six leads
    listings: dict[str, int] = {}
    for name, count in (("A", 6), ("B", 2)):
        async with runtime.session() as session:
            result = await sign_up(
                session,
                runtime.tokens,
                email=f"{name.lower()}@example.com",
                password="long password",
                name=name,
                brokerage_name=name,
            )
            await commit(session)
        brokerage_id = result.user.brokerage_id
        await _leads(runtime, brokerage_id, count)
        listings[name] = await _listing(runtime, brokerage_id)
    worker = worker_for(MAIN_QUEUE, runtime, cron_jobs=[], poll_delay=0.01, max_jobs=1)
    worker.burst = True
    await worker.main()
    async with runtime.session() as session:
        firsts = (
            await session.execute(
                select(Conversation.property_id)
                .join(Message, Message.conversation_id == Conversation.id)
                .where(Message.idempotency_key.like("%:first:%"), Message.channel == Channel.SMS)
                .order_by(Message.id)
            )
        ).scalars()
        order = ["A" if property_id == listings["A"] else "B" for property_id in firsts]
    assert sorted(order) == ["A"] * 6 + ["B"] * 2  # every lead texted once
    assert order.index("B") <= 4, order  # B's batch came before A's third (after 2 of 3)


async def test_a_batch_that_fails_for_good_neither_stalls_its_campaign_nor_loses_its_leads(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Eight leads in four batches of two, one job at a time (a real arq worker on Redis). The
    first two batches, the two queued at the start, fail for good: the 1st with an error of the
    work every try, the 2nd with a connection fault every try. The campaign goes on at once (the
    3rd and 4th batches are texted without any sweep; before, nothing queued them). The 3rd
    fails once and is texted when it runs again. The 1st batch's leads end closed with the
    reason the broker reads; the 2nd's are held (not closed: a connection fault is the
    infrastructure's) with the reason, for the chain or the sweep to start later. Nobody is
    texted twice and nobody is left without a word on why."""
    from app.core import jobs

    monkeypatch.setattr(campaigns, "BATCH", 2)
    monkeypatch.setattr(campaigns, "HELD_FOR", (0.05,))
    monkeypatch.setattr(campaigns, "HOLD_MARGIN", 3600)  # held leads: only their own retries
    monkeypatch.setattr(jobs, "backoff_seconds", lambda attempt: 0.05)
    brokerage_id = await _brokerage(runtime)
    await _leads(runtime, brokerage_id, 8)
    drafted = campaigns.draft_first_message
    tries: dict[int, int] = {}
    order: list[int] = []

    async def draft(model: Any, item: Any, now: Any) -> Any:
        lead = int(item.lead.email.removeprefix("lead").split("@")[0])
        batch = lead // 2 + 1
        tries[batch] = tries.get(batch, 0) + (lead % 2 == 0)
        if batch == 1:
            raise ValueError("the model refused the listing")
        if batch == 2:
            raise ConnectionResetError("connection reset by peer")
        if batch == 3 and tries[batch] == 1:
            raise ValueError("a passing error")
        order.append(batch)
        return await drafted(model, item, now)

    monkeypatch.setattr(campaigns, "draft_first_message", draft)
    property_id = await _listing(runtime, brokerage_id)
    worker = worker_for(MAIN_QUEUE, runtime, cron_jobs=[], poll_delay=0.01, max_jobs=1)
    worker.burst = True
    await asyncio.wait_for(worker.main(), 120)

    async with runtime.session() as session:
        rows = (
            await session.execute(
                select(
                    Lead.email,
                    Conversation.status,
                    Conversation.turn,
                    Conversation.next_action,
                    Conversation.start_after,
                )
                .join(Lead, Lead.id == Conversation.lead_id)
                .where(Conversation.property_id == property_id)
            )
        ).all()
        firsts = (
            await session.execute(
                select(Message.conversation_id, Message.channel, func.count())
                .where(Message.idempotency_key.like(f"%property_{property_id}:first:%"))
                .group_by(Message.conversation_id, Message.channel)
            )
        ).all()
    by_batch: dict[int, list[Any]] = {}
    for row in rows:
        by_batch.setdefault(int(row.email.removeprefix("lead").split("@")[0]) // 2 + 1, []).append(
            row
        )
    assert {count for *_, count in firsts} == {1}  # nobody texted twice
    assert [row.turn > 0 for row in by_batch[3] + by_batch[4]] == [True] * 4
    assert order.index(4) < order.index(3)  # the 4th did not wait for the 3rd's retry
    assert tries[1] == campaigns.BATCH_TRIES and tries[3] == 2
    for row in by_batch[1]:
        assert (row.status, row.turn) == (ConversationStatus.CLOSED, 0)
        assert row.next_action.startswith("Primer mensaje no enviado: falló 6 veces (ValueError")
    for row in by_batch[2]:
        assert (row.status, row.turn) == (ConversationStatus.RESPONDING, 0)
        assert "ConnectionResetError" in row.next_action
        assert row.start_after > utcnow()
    async with runtime.session() as session:  # the chain and the sweep leave them until then
        assert await repository.unstarted(session, property_id) == []


async def test_a_delivery_batch_that_fails_for_good_hands_its_rows_on_at_once(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The campaign's first delivery batch fails with an error that is not a connection fault:
    its texts go out at once, one job each, not when the outbox sweep (every minute) finds them
    still QUEUED; none twice."""
    from app.messaging import flows

    brokerage_id = await _brokerage(runtime)
    await _leads(runtime, brokerage_id, 3)
    sent = flows.deliver
    failed: list[list[int]] = []

    async def deliver(runtime: Runtime, message_ids: Any) -> Any:
        if len(message_ids) > 1 and not failed:
            failed.append(list(message_ids))
            raise RuntimeError("a bug in the batch")
        return await sent(runtime, message_ids)

    monkeypatch.setattr(flows, "deliver", deliver)
    property_id = await _listing(runtime, brokerage_id)
    await drain_jobs(runtime)
    async with runtime.session() as session:
        statuses = (
            await session.execute(
                select(Message.status, func.count())
                .where(Message.idempotency_key.like(f"%property_{property_id}:first:%"))
                .group_by(Message.status)
            )
        ).all()
    assert failed and len(failed[0]) > 1
    assert dict(statuses) == {MessageStatus.SENT: sum(count for _, count in statuses)}
