"""Conversation benchmarks (issue 4, Speed): campaign first messages beside a bare LangGraph
graph, reply latency across 1,000 threads, and checkpoint storage after 10 turns.

    .venv/bin/python bench/bench_campaign.py [--leads 10000] [--small 80] [--replies 1000]

Uses a fresh PostgreSQL database `brscale_bench_campaign` on 127.0.0.1 and Redis database
BENCH_REDIS_DB (default 13), dropped / flushed before each scenario and after the run.
Prints figures and PASS/MISS against each target (a campaign is done when every first message
is in the outbox and every thread has run to its first wait); `--profile FILE` writes a
cProfile of the big campaign.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import os
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any, TypedDict

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from arq.constants import health_check_key_suffix
from arq.worker import Worker
from langgraph.graph import START, StateGraph
from langgraph.types import interrupt
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool
from redis.asyncio import Redis
from sqlalchemy import event, insert, select, text
from sqlalchemy import func as sql_func

import app.tasks  # noqa: F401  (registers every task)
from app.conversations import engine as engine_module
from app.conversations.engine import get_engine
from app.conversations.inbound import receive_lead_message
from app.conversations.models import Conversation, ConversationStatus
from app.core.config import Settings
from app.core.db import drop_database, recreate_database, utcnow
from app.core.jobs import DELIVERY_QUEUE, MAIN_QUEUE
from app.core.runtime import Runtime, open_runtime
from app.core.uow import commit
from app.leads.models import Lead
from app.messaging.models import Channel, Direction, Message, MessageStatus
from app.properties.service import create_property
from tests.support import factories
from workers.settings import worker_for

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
# BENCH_DB_NAME: another name when someone else runs this bench on the same server.
DB_NAME = os.environ.get("BENCH_DB_NAME", "brscale_bench_campaign")
PG_URL = PG_ADMIN.rsplit("/", 1)[0] + "/" + DB_NAME
REDIS_URL = f"redis://127.0.0.1:6379/{os.environ.get('BENCH_REDIS_DB', '13')}"
SECRET = "bench-secret-key-that-is-long-enough-for-hs256-0123456789"
LISTING = factories.listing_fields()  # a 3-bedroom house in Polanco at 5M MXN
CHECKPOINT_TABLES = ("checkpoints", "checkpoint_blobs", "checkpoint_writes")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


# --- setup ------------------------------------------------------------------------------------


async def fresh_state() -> None:
    await recreate_database(PG_URL)
    redis = Redis.from_url(REDIS_URL)
    await redis.flushdb()
    await redis.aclose()


async def drop_state() -> None:
    await drop_database(PG_URL)
    redis = Redis.from_url(REDIS_URL)
    await redis.flushdb()
    await redis.aclose()


@contextlib.asynccontextmanager
async def bench_runtime(data_dir: Path) -> AsyncIterator[Runtime]:
    await fresh_state()
    settings = Settings(  # type: ignore[call-arg]
        DATABASE_URL=PG_URL,
        REDIS_URL=REDIS_URL,
        BRSCALE_SECRET_KEY=SECRET,
        BRSCALE_DATA_DIR=data_dir,
        # The agent's own latency: without the window that gathers a burst of texts (1 s).
        REPLY_DEBOUNCE_SECONDS=0,
    )
    async with open_runtime(settings) as runtime:
        yield runtime


async def brokerage(runtime: Runtime) -> int:
    async with runtime.session() as session:
        result = await factories.brokerage(session, runtime.tokens)
        await commit(session)
        return result.user.brokerage_id


def lead_token(i: int) -> str:
    return f"Tok{i:05d}x"


async def insert_leads(runtime: Runtime, brokerage_id: int, count: int) -> None:
    """Leads that all match the listing; recency varies so tiers (and channels) vary."""
    now = utcnow()
    rows = [
        {
            "brokerage_id": brokerage_id,
            "name": f"{lead_token(i)} Pérez",
            "email": f"lead{i}@example.com",
            "phone": f"+5255{10000000 + i}",
            "locations": ["Polanco"],
            "location_keys": ["polanco"],
            "min_budget": 4_000_000,
            "max_budget": 6_000_000,
            "bedrooms": 3 if i % 3 else 2,
            "last_contact_at": now - timedelta(days=(i % 5) * 20),
            "qualification_score": i % 60,
            "language": "es",
            "created_at": now,
            "updated_at": now,
        }
        for i in range(count)
    ]
    async with runtime.session() as session:
        for start in range(0, count, 5000):
            await session.execute(insert(Lead), rows[start : start + 5000])
        await commit(session)


async def first_messages(runtime: Runtime) -> int:
    async with runtime.session() as session:
        stmt = select(sql_func.count()).where(Message.idempotency_key.like("%:first:%"))
        return int(await session.scalar(stmt) or 0)


async def threads_waiting(runtime: Runtime) -> int:
    """Threads with a checkpoint: each ran to its first wait (durability=exit writes at the end)."""
    async with runtime.session() as session:
        stmt = text("SELECT count(DISTINCT thread_id) FROM checkpoints")
        return int(await session.scalar(stmt) or 0)


# Messages that will never be sent: the bench counts them as settled (and says how many).
UNSENT = (MessageStatus.FAILED, MessageStatus.SUPPRESSED, MessageStatus.UNKNOWN)
STALLED_AFTER = 120.0  # seconds without a message settling


async def deliveries(runtime: Runtime) -> tuple[int, int, int, int]:
    """Messages sent; sent or due now; queued for later (quiet hours); ended unsent."""
    later = (Message.status == MessageStatus.QUEUED) & (Message.deliver_after > utcnow())
    async with runtime.session() as session:
        row = (
            await session.execute(
                select(
                    sql_func.count().filter(Message.status == MessageStatus.SENT),
                    sql_func.count(),
                    sql_func.count().filter(later),
                    sql_func.count().filter(Message.status.in_(UNSENT)),
                )
            )
        ).one()
    sent, total, waiting, unsent = row
    return sent, total - waiting, waiting, unsent


async def expected_first_messages(runtime: Runtime) -> tuple[int, int]:
    async with runtime.session() as session:
        channels = (await session.execute(select(Conversation.channels))).scalars().all()
    return len(channels), sum(len(c) for c in channels)


def count_statements(runtime: Runtime) -> list[int]:
    """A running count of the statements the app's engine sends (not the checkpointer's)."""
    counter = [0]

    def count(*_: Any) -> None:
        counter[0] += 1

    event.listen(runtime.engine.sync_engine, "before_cursor_execute", count)
    return counter


def product_worker(runtime: Runtime, poll_delay: float | None) -> Worker:
    """The main queue's worker as `brscale worker` runs it (its max_jobs, timeouts, poll delay)."""
    overrides = {} if poll_delay is None else {"poll_delay": poll_delay}
    return worker_for(MAIN_QUEUE, runtime, **overrides)


@contextlib.asynccontextmanager
async def delivery_worker(data_dir: Path) -> AsyncIterator[None]:
    """`brscale worker --queue deliveries` in a process of its own, on this machine's cores."""
    env = {
        **os.environ,
        "DATABASE_URL": PG_URL,
        "REDIS_URL": REDIS_URL,
        "BRSCALE_SECRET_KEY": SECRET,
        "BRSCALE_DATA_DIR": str(data_dir),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "app.cli", "worker", "--queue", "deliveries", env=env, cwd=ROOT
    )
    try:
        async with Redis.from_url(REDIS_URL) as redis:
            while not await redis.exists(DELIVERY_QUEUE + health_check_key_suffix):  # polling
                if process.returncode is not None:
                    raise RuntimeError("the delivery worker did not start")
                await asyncio.sleep(0.1)
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        await process.wait()


async def stop_worker(worker: Worker, running: asyncio.Task[None]) -> None:
    """Stop polling and cancel what still runs (deliveries); the runtime keeps its Redis pool."""
    running.cancel()
    jobs = [*worker.tasks.values(), *worker.job_tasks.values()]
    for job in jobs:
        job.cancel()
    await asyncio.gather(running, *jobs, return_exceptions=True)


# --- 1. campaign -----------------------------------------------------------------------------


async def run_campaign_bench(
    leads: int,
    data_dir: Path,
    poll_delay: float | None,
    profile: str | None,
    alongside: bool = False,
) -> float:
    """Seconds from createProperty to every first message in the outbox, one worker of the main
    queue. Then the deliveries of those messages, by one delivery worker process (`alongside`:
    that process runs during the campaign too, competing for the same cores)."""
    async with bench_runtime(data_dir) as runtime, contextlib.AsyncExitStack() as stack:
        if alongside:
            await stack.enter_async_context(delivery_worker(data_dir / "alongside"))
        brokerage_id = await brokerage(runtime)
        await insert_leads(runtime, brokerage_id, leads)
        await get_engine(runtime)  # opened once per process, before the clock as in a worker
        worker = product_worker(runtime, poll_delay)
        profiler = cProfile.Profile() if profile else None
        running = asyncio.create_task(worker.main())
        await asyncio.sleep(0.2)  # the worker is up and polling
        if profiler:
            profiler.enable()
        statements = count_statements(runtime)
        start, cpu = time.perf_counter(), time.process_time()
        async with runtime.session() as session:
            await create_property(session, brokerage_id, LISTING)
            await commit(session)
        expected: int | None = None
        conversations = 0
        outbox_at: float | None = None
        deadline = start + max(600.0, leads * 0.1)
        while True:
            await asyncio.sleep(0.02 if leads <= 1000 else 0.25)
            if time.perf_counter() > deadline:
                raise TimeoutError("campaign did not finish")
            if running.done():
                running.result()
            if expected is None:
                conversations, total = await expected_first_messages(runtime)
                if conversations < leads:
                    continue
                expected = total
            if outbox_at is None and await first_messages(runtime) >= expected:
                outbox_at = time.perf_counter() - start
            # The messages are queued before the threads run: done when every thread waits.
            if outbox_at is not None and await threads_waiting(runtime) >= conversations:
                break
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile)  # type: ignore[arg-type]
        await stop_worker(worker, running)
        assert await first_messages(runtime) == expected, "duplicate first messages"
        print(
            f"  product: {leads:,} leads, {conversations:,} conversations, {expected:,} first "
            f"messages in the outbox in {outbox_at:.2f} s, every thread at its first wait in "
            f"{elapsed:.2f} s = {conversations / elapsed:.1f} conversations/s; "
            f"worker CPU {cpu:.1f} s = {cpu / max(conversations, 1) * 1000:.2f} ms a "
            f"conversation; {statements[0] / max(conversations, 1):.1f} SQL statements "
            "per conversation"
        )
        if alongside:
            print(f"  the delivery worker sent {(await deliveries(runtime))[0]:,} meanwhile")
            await stack.aclose()
        await run_deliveries(runtime, data_dir / "deliveries")
        return elapsed


async def run_deliveries(runtime: Runtime, data_dir: Path) -> None:
    """How long one delivery worker takes to send what the campaign queued (local outbox)."""
    sent, due, later, unsent = await deliveries(runtime)
    if sent + unsent == due:
        return  # sent meanwhile, by a delivery worker running alongside
    async with delivery_worker(data_dir):
        start = progress = time.perf_counter()
        settled = sent + unsent
        while settled < due:
            await asyncio.sleep(0.1)
            sent, due, later, unsent = await deliveries(runtime)
            if sent + unsent > settled:
                settled, progress = sent + unsent, time.perf_counter()
            elif time.perf_counter() - progress > STALLED_AFTER:
                raise SystemExit(
                    f"deliveries stalled: {sent:,} sent, {unsent:,} ended unsent, "
                    f"{due - settled:,} still due after {STALLED_AFTER:.0f} s without progress"
                )
        elapsed = time.perf_counter() - start
    failed = f", {unsent:,} ended unsent (failed, suppressed or unknown)" if unsent else ""
    print(
        f"  deliveries: one `brscale worker --queue deliveries` sent {sent:,} of the {due:,} due "
        f"in {elapsed:.2f} s = {due / elapsed:.0f}/s ({later:,} texts wait for the leads' "
        f"waking hours{failed})"
    )


class BareState(TypedDict, total=False):
    conversation_id: int
    draft: str
    awaiting: str
    event: dict[str, Any]


async def bare_compose(state: BareState) -> BareState:
    body = (
        f"Hola, lead {state['conversation_id']}: tenemos una casa en Polanco de 3 recámaras "
        "y 2.5 baños, por $5,000,000 MXN, que encaja con lo que buscabas: está en la zona que "
        "querías y dentro de tu presupuesto. ¿Te gustaría verla esta semana? Saludos, Casa Bench"
    )
    return {"draft": body, "awaiting": "reply"}


async def bare_wait(state: BareState) -> BareState:
    return {"event": interrupt({"kind": "reply"})}


async def run_bare_bench(threads: int, concurrency: int) -> float:
    """Runs/s of compose -> wait(interrupt) with the engine's checkpointer settings."""
    from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver

    await fresh_state()
    pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
        PG_URL,
        min_size=2,
        max_size=engine_module.POOL_SIZE,
        open=False,
        max_idle=300,
        max_lifetime=1800,
        kwargs={"autocommit": True, "row_factory": dict_row, "prepare_threshold": None},
    )
    await pool.open()
    try:
        saver = AsyncPostgresSaver(pool)  # type: ignore[arg-type]
        await saver.setup()
        saver.lock = asyncio.Semaphore(engine_module.POOL_SIZE)  # type: ignore[assignment]
        builder = StateGraph(BareState)
        builder.add_node("compose", bare_compose)
        builder.add_node("wait", bare_wait)
        builder.add_edge(START, "compose")
        builder.add_edge("compose", "wait")
        graph = builder.compile(checkpointer=saver)
        slots = asyncio.Semaphore(concurrency)

        async def one(i: int) -> None:
            async with slots:
                out = await graph.ainvoke(
                    {"conversation_id": i},
                    {"configurable": {"thread_id": f"lead_{i}_property_1"}},
                    durability="exit",
                )
                assert "__interrupt__" in out

        start, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(one(i) for i in range(threads)))
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        await pool.close()
    rate = threads / elapsed
    print(
        f"  bare graph: {threads:,} runs to the interrupt in {elapsed:.2f} s = {rate:.1f} runs/s "
        f"(LangGraph's stock AsyncPostgresSaver, pool {engine_module.POOL_SIZE}, Semaphore lock, "
        "durability=exit, "
        f"concurrency {concurrency}); CPU {cpu:.1f} s = {cpu / threads * 1000:.2f} ms a run"
    )
    return rate


# --- 2. replies ------------------------------------------------------------------------------


async def start_conversations(runtime: Runtime, leads: int, data_dir: Path) -> int:
    brokerage_id = await brokerage(runtime)
    await insert_leads(runtime, brokerage_id, leads)
    worker = product_worker(runtime, 0.05)
    running = asyncio.create_task(worker.main())
    async with runtime.session() as session:
        await create_property(session, brokerage_id, LISTING)
        await commit(session)
    while True:
        await asyncio.sleep(0.2)
        conversations, total = await expected_first_messages(runtime)
        if (
            conversations == leads
            and await first_messages(runtime) >= total
            and await threads_waiting(runtime) >= conversations
        ):
            break
    await stop_worker(worker, running)
    await runtime.redis.flushdb()  # type: ignore[union-attr]  # queued deliveries: not measured
    return brokerage_id


async def conversation_tokens(runtime: Runtime) -> dict[int, str]:
    async with runtime.session() as session:
        rows = await session.execute(
            select(Conversation.id, Lead.name).join(Lead, Lead.id == Conversation.lead_id)
        )
        return {cid: name.split()[0] for cid, name in rows}


REPLY = "Sí me interesa mucho, {token} aquí. ¿Qué más me puedes contar de la casa?"
SECOND_REPLY = "{token} otra vez: ¿tiene estacionamiento?"


def percentiles(seconds: list[float]) -> tuple[float, float]:
    """p50 and p95, in milliseconds."""
    values = sorted(seconds)
    return statistics.median(values) * 1000, values[int(len(values) * 0.95) - 1] * 1000


async def run_replies_bench(data_dir: Path, count: int, rate: float, burst: int) -> float:
    """Open loop: `count` replies arrive at `rate` a second, interleaved across the threads;
    each latency runs from its arrival to its answer in the outbox. Then a second reply on
    every thread, `burst` in flight at once: how many replies a second one process answers."""
    async with bench_runtime(data_dir) as runtime:
        await start_conversations(runtime, count, data_dir)
        tokens = await conversation_tokens(runtime)
        ids = sorted(tokens)
        # Interleaved: the order of arrival is shuffled across the threads.
        order = ids[::2] + ids[1::2]

        async def reply(cid: int, text: str, latencies: list[float], at: float) -> None:
            await receive_lead_message(runtime, cid, Channel.SMS, text.format(token=tokens[cid]))
            latencies.append(time.perf_counter() - at)

        async def arrive(i: int, cid: int, latencies: list[float], began: float) -> None:
            at = began + i / rate
            await asyncio.sleep(max(0.0, at - time.perf_counter()))
            await reply(cid, REPLY, latencies, at)

        steady: list[float] = []
        began = time.perf_counter()
        await asyncio.gather(*(arrive(i, cid, steady, began) for i, cid in enumerate(order)))
        p50, p95 = percentiles(steady)
        print(
            f"  {count:,} replies arriving at {rate:g}/s over {len(ids):,} threads: "
            f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {max(steady) * 1000:.0f} ms"
        )

        slots = asyncio.Semaphore(burst)
        bursting: list[float] = []

        async def in_burst(cid: int) -> None:
            async with slots:
                await reply(cid, SECOND_REPLY, bursting, time.perf_counter())

        began = time.perf_counter()
        await asyncio.gather(*(in_burst(cid) for cid in order))
        wall = time.perf_counter() - began
        b50, b95 = percentiles(bursting)
        print(
            f"  a second reply on every thread, {burst} in flight: {count / wall:.1f} replies/s"
            f" (one process's capacity), p50 {b50:.0f} ms, p95 {b95:.0f} ms"
        )

        async with runtime.session() as session:
            inbound = {
                m.id: m
                for m in (
                    await session.execute(
                        select(Message).where(Message.direction == Direction.INBOUND)
                    )
                ).scalars()
            }
            answers = (
                (
                    await session.execute(
                        select(Message).where(Message.idempotency_key.like("%:reply:%"))
                    )
                )
                .scalars()
                .all()
            )
        wrong, answered = 0, set()
        for answer in answers:
            replied_to = inbound.get(int(answer.idempotency_key.split(":reply:")[1].split(":")[0]))
            own = tokens[answer.conversation_id]
            others = answer.body.count("Tok") > 1  # another lead's name leaked in
            greeting = replied_to is not None and replied_to.body.startswith("Sí me interesa")
            if (
                replied_to is None
                or replied_to.conversation_id != answer.conversation_id
                or own not in replied_to.body
                or (greeting and own not in answer.body)  # the first answer greets by name
                or others
            ):
                wrong += 1
            answered.add(answer.conversation_id)
        missing = len(set(ids) - answered)
        print(
            f"  answers: {len(answers):,} rows, {len(answered):,} threads answered, "
            f"{missing} unanswered, {wrong} in the wrong thread or without the lead's name"
            f"  {verdict(missing == 0 and wrong == 0 and len(answers) == 2 * count)}"
        )
        print(f"  target p95 < 300 ms at {rate:g} replies/s: {verdict(p95 < 300)}")
        return p95


# --- 3. storage ------------------------------------------------------------------------------


async def checkpoint_bytes(runtime: Runtime) -> dict[str, int]:
    async with runtime.session() as session:
        return {
            table: int(await session.scalar(text(f"SELECT pg_total_relation_size('{table}')")) or 0)
            for table in CHECKPOINT_TABLES
        }


async def run_storage_bench(data_dir: Path, threads: int, turns: int) -> None:
    async with bench_runtime(data_dir) as runtime:
        await start_conversations(runtime, threads, data_dir)
        tokens = await conversation_tokens(runtime)
        texts = [
            "¿Cuánto cuesta?",
            "¿Tiene estacionamiento?",
            "¿Aceptan mascotas?",
            "¿Cuántos baños tiene?",
            "¿Está cerca del metro?",
            "¿Tiene jardín?",
            "¿La cocina está equipada?",
            "¿Cuántas recámaras?",
            "Gracias, lo pienso",
            "¿Y el mantenimiento?",
        ]

        async def talk(cid: int) -> None:
            for turn in range(turns):
                await receive_lead_message(runtime, cid, Channel.EMAIL, texts[turn % len(texts)])

        await asyncio.gather(*(talk(cid) for cid in tokens))
        sizes = await checkpoint_bytes(runtime)
        rows = {}
        async with runtime.session() as session:
            for table in CHECKPOINT_TABLES:
                rows[table] = int(await session.scalar(text(f"SELECT count(*) FROM {table}")) or 0)
        total = sum(sizes.values())
        print(f"  {threads} threads x {turns} replies each (durability=exit):")
        for table in CHECKPOINT_TABLES:
            print(
                f"    {table:<18} {rows[table] / threads:5.1f} rows/thread "
                f"{sizes[table] / threads:9,.0f} B/thread"
            )
        print(f"    total              {total / threads:9,.0f} B/thread (relation sizes)")
        engine = await get_engine(runtime)
        async with runtime.session() as session:
            thread_ids = list((await session.execute(select(Conversation.thread_id))).scalars())
        saver: Any = engine.saver
        await saver.aprune(thread_ids, strategy="keep_latest")
        kept = {}
        async with runtime.session() as session:
            for table in CHECKPOINT_TABLES:
                kept[table] = int(await session.scalar(text(f"SELECT count(*) FROM {table}")) or 0)
            live = int(
                await session.scalar(text("SELECT sum(pg_column_size(c.*)) FROM checkpoints c"))
                or 0
            )
        print(
            "    after aprune(keep_latest): rows/thread "
            + ", ".join(f"{t} {kept[t] / threads:.1f}" for t in CHECKPOINT_TABLES)
            + f"; live checkpoint rows {live / threads:,.0f} B/thread (space reused after VACUUM)"
        )
        closing = "Ya no me interesa, gracias"  # each thread runs to its end: forgotten
        await asyncio.gather(
            *(receive_lead_message(runtime, cid, Channel.EMAIL, closing) for cid in tokens)
        )
        async with runtime.session() as session:
            left = sum(
                [
                    int(await session.scalar(text(f"SELECT count(*) FROM {t}")) or 0)
                    for t in CHECKPOINT_TABLES
                ]
            )
            closed = await session.scalar(
                select(sql_func.count()).where(Conversation.status == ConversationStatus.CLOSED)
            )
        print(
            f"    then every lead says they are no longer interested: {closed} of {threads} "
            f"conversations closed, {left} checkpoint rows left (a thread that ends is forgotten)"
        )


# --- main ------------------------------------------------------------------------------------


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="brscale-bench-") as tmp:
        data_dir = Path(tmp)
        concurrency = Settings(  # type: ignore[call-arg]
            BRSCALE_SECRET_KEY=SECRET, BRSCALE_DATA_DIR=data_dir
        ).max_concurrent_conversations
        try:
            if "campaign" in args.only:
                print("1. Campaign: createProperty -> every first message in the outbox")
                small = await run_campaign_bench(args.small, data_dir / "s", args.poll_delay, None)
                print(f"  target {args.small} leads < 2 s: {verdict(small < 2)}")
                big = await run_campaign_bench(
                    args.leads,
                    data_dir / "b",
                    args.poll_delay,
                    args.profile,
                    args.deliveries_alongside,
                )
                bare = await run_bare_bench(args.leads, concurrency)
                rate = args.leads / big
                print(
                    f"  ratio product/bare: {rate:.1f} / {bare:.1f} = {rate / bare:.2f}x  "
                    f"target >= 0.6x: {verdict(rate / bare >= 0.6)}"
                )
                if args.leads >= 10_000:
                    print(f"  target 10,000 leads < 150 s: {verdict(big < 150)} ({big:.1f} s)")
            if "replies" in args.only:
                print("2. Replies: receive_lead_message -> the agent's answer in the outbox")
                await run_replies_bench(data_dir / "r", args.replies, args.reply_rate, 50)
            if "storage" in args.only:
                print("3. Checkpoint storage per conversation after 10 turns")
                await run_storage_bench(data_dir / "st", args.storage_threads, 10)
        finally:
            await drop_state()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=80)
    parser.add_argument("--replies", type=int, default=1000)
    parser.add_argument("--reply-rate", type=float, default=25.0, help="replies arriving a second")
    parser.add_argument("--storage-threads", type=int, default=200)
    parser.add_argument("--poll-delay", type=float, default=None, help="worker poll delay (s)")
    parser.add_argument("--profile", help="write a cProfile of the big campaign here")
    parser.add_argument(
        "--deliveries-alongside",
        action="store_true",
        help="run the delivery worker during the big campaign too, on the same cores",
    )
    parser.add_argument(
        "--only", nargs="+", default=["campaign", "replies", "storage"], help="scenarios"
    )
    asyncio.run(main(parser.parse_args()))
