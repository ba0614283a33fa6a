"""The agent as a process-wide service: the compiled graph, its checkpointer, per-thread locks
and the bounds on concurrency. Opened once per process (`get_engine`) and shared by every run.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import select
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from psycopg import AsyncConnection
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from app.conversations.agent import AgentContext, ThreadState, build_graph
from app.conversations.locks import InProcessThreadLocks, RedisThreadLocks, ThreadLocks
from app.conversations.model import (
    ConversationModel,
    Draft,
    FirstMessageContext,
    ReplyContext,
    ReplyDecision,
    build_model,
)
from app.core.runtime import Runtime
from app.core.services import ServiceKey
from integrations.ratelimit import InMemoryTokenBucket, RateLimiter, RedisTokenBucket

if TYPE_CHECKING:
    # LangGraph loads when the engine opens (`_open`): a process that imports the task registry
    # but runs no conversation (an import from the CLI) never pays its ~70 MB.
    from langchain_core.runnables import RunnableConfig
    from langgraph.checkpoint.base import BaseCheckpointSaver
    from langgraph.graph.state import CompiledStateGraph
    from langgraph.types import Command

log = logging.getLogger(__name__)
POOL_SIZE = 10
_OPENING = asyncio.Lock()


class Start(enum.Enum):
    STARTED = "STARTED"
    ALREADY = "ALREADY"
    # Another process holds the thread (or held it when it died: the lease lapses soon).
    BUSY = "BUSY"


@dataclass
class Engine:
    graph: CompiledStateGraph[ThreadState, AgentContext, ThreadState, ThreadState]
    saver: BaseCheckpointSaver[Any]
    context: AgentContext
    locks: ThreadLocks
    # At most this many conversation runs at once in this process (MAX_CONCURRENT_CONVERSATIONS).
    slots: asyncio.Semaphore
    # Done when the reply classifier is trained: in a thread, from the engine's opening.
    reader: asyncio.Future[Any]

    async def ready_to_read(self) -> None:
        """Wait until replies can be read (at once, but in a process's first seconds).

        The classifier that reads every reply (`classify_intent`) used to be trained on first
        use: seconds of importing scikit-learn and SciPy and ~0.4 s of fitting inside the first
        reply's turn, holding the event loop. Every reply arriving meanwhile waited behind it
        (the reply benchmark's p95 of 3 s at 25 replies a second, with a p50 of 31 ms), and so
        did everything else the process runs. Now a reply that comes that early waits here
        while the loop goes on with other work."""
        if not self.reader.done():
            await asyncio.shield(self.reader)  # one waiter cancelled stops nobody's training
        self.reader.result()  # a failed training fails the turn (and the job is retried)

    @staticmethod
    def config(thread_id: str) -> RunnableConfig:
        return {"configurable": {"thread_id": thread_id}}

    def turn(self) -> contextlib.AbstractContextManager[None]:
        """A turn of a thread whose lock the caller holds: its checkpoint is read once, by
        `waiting_on`, and handed to the run that follows (see `checkpointer`)."""
        from app.conversations.checkpointer import TurnPostgresSaver, one_read_per_turn

        if isinstance(self.saver, TurnPostgresSaver):
            return one_read_per_turn()
        return contextlib.nullcontext()

    async def waiting_on(self, thread_id: str) -> str | None:
        """Which interrupt the thread waits at ('wait', 'approval'), 'new' if it has no
        checkpoint (never run, or ended and forgotten), None if it ended just now (the caller
        holds its lock).

        A run cut short before it reached an interrupt (a crash, a cancelled job) left the
        thread with work to do and nothing to wait for: it is finished here first, from its
        last checkpoint (nodes are idempotent), so the thread never stays stuck.
        """
        snapshot = await self.graph.aget_state(self.config(thread_id))
        if not snapshot.values:
            return "new"
        if snapshot.next and not snapshot.interrupts:
            if not await self.run(thread_id, None):
                return None
            snapshot = await self.graph.aget_state(self.config(thread_id))
        return snapshot.next[0] if snapshot.next else None

    async def run(self, thread_id: str, value: ThreadState | Command[Any] | None) -> bool:
        """One run of the thread (the caller holds its lock): start it, resume it with `value`,
        or (None) carry on from its last checkpoint. True if the thread now waits at an
        interrupt; a thread that ran to its end is forgotten (its checkpoints deleted: its
        story is in the conversation's messages), so closed threads take no storage."""
        async with self.slots:
            out = await self.graph.ainvoke(
                value,
                self.config(thread_id),
                context=self.context,
                durability="exit",
            )
        if "__interrupt__" in out:
            return True
        await self.forget(thread_id)
        return False

    async def start(
        self, conversation_id: int, thread_id: str, prepared: str | None = None
    ) -> Start:
        """Run a new conversation up to its first wait, unless it has started or is busy.

        `prepared` says the first message is already composed and where the thread waits.
        """
        [outcome] = await self.start_many([(conversation_id, thread_id, prepared)])
        return outcome

    async def start_many(self, starts: Sequence[tuple[int, str, str | None]]) -> list[Start]:
        """`start` for a campaign batch of (conversation id, thread id, prepared): the threads'
        locks are taken, and their checkpoints looked for, in one round trip each.

        The locks are released once every run has ended; replies that came meanwhile were left
        to this holder (see `inbound.answer_waiting_replies`)."""
        threads = [thread for _, thread, _ in starts]
        begun = await self.started(threads)  # nothing to do for these: no lock needed
        async with self.locks.hold_many([t for t in threads if t not in begun]) as held:
            begun |= await self.started(held)  # started by another worker meanwhile

            async def one(conversation_id: int, thread_id: str, prepared: str | None) -> Start:
                if thread_id in begun:
                    return Start.ALREADY
                if thread_id not in held:
                    return Start.BUSY
                start: ThreadState = {"conversation_id": conversation_id}
                if prepared is not None:
                    start["prepared"] = prepared  # type: ignore[typeddict-item]
                await self.run(thread_id, start)
                return Start.STARTED

            # Every run ends before the locks go, even when one of them fails.
            outcomes = await asyncio.gather(
                *(one(*item) for item in starts), return_exceptions=True
            )
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        return [outcome for outcome in outcomes if isinstance(outcome, Start)]

    async def started(self, thread_ids: Collection[str]) -> set[str]:
        """Those of `thread_ids` with a checkpoint: they have run before."""
        if not thread_ids:
            return set()
        # One query over the checkpointer's own table (LangGraph's documented schema, the same
        # for both savers) instead of a checkpoint read per thread.
        from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver

        saver: Any = self.saver
        if isinstance(self.saver, AsyncPostgresSaver):
            async with saver.conn.connection() as conn:
                cursor = await conn.execute(
                    "SELECT DISTINCT thread_id FROM checkpoints"
                    " WHERE checkpoint_ns = '' AND thread_id = ANY(%s)",
                    (list(thread_ids),),
                )
                return {row["thread_id"] for row in await cursor.fetchall()}
        # The embedded default: AsyncSqliteSaver on its own file.
        await saver.setup()
        ids = list(thread_ids)
        async with saver.lock:
            cursor = await saver.conn.execute(
                "SELECT DISTINCT thread_id FROM checkpoints WHERE checkpoint_ns = ''"
                f" AND thread_id IN ({', '.join('?' * len(ids))})",
                ids,
            )
            return {row[0] for row in await cursor.fetchall()}

    async def resume(self, thread_id: str, at: str, value: dict[str, Any]) -> bool:
        """Resume a thread paused at `at` (the caller holds its lock); False if it is elsewhere."""
        with self.turn():
            if await self.waiting_on(thread_id) != at:
                return False
            await self.resume_now(thread_id, value)
            return True

    async def resume_now(self, thread_id: str, value: dict[str, Any]) -> bool:
        """Resume a thread known to wait at an interrupt (the caller holds its lock); True if
        it waits at one again."""
        from langgraph.types import Command

        return await self.run(thread_id, Command(resume=value))

    async def forget(self, thread_id: str) -> None:
        """Drop a thread's checkpoints; it starts anew if it is ever run again."""
        await self.saver.adelete_thread(thread_id)


async def check_if_dropped(conn: AsyncConnection[Any]) -> None:
    """The pool's check on each connection it hands out: raise if the server dropped it, so
    the pool replaces it (failover, pg_terminate_backend) instead of giving it to a graph run.

    `AsyncConnectionPool.check_connection` sends an empty query every time: a round trip per
    checkout, six per thread started, which cost a campaign a third of its run time. An idle
    connection has nothing to read; a dropped one has its FATAL message or end of file
    waiting on the socket. So only a connection that is closed or has something to read pays
    for the round trip (which raises if it is dead)."""
    if conn.closed:
        raise ConnectionError("connection closed")
    readable, _, _ = select.select([conn.fileno()], [], [], 0)
    if readable:
        await AsyncConnectionPool.check_connection(conn)


class RateLimitedModel:
    """A chat model whose calls per minute are capped across every worker (shared in Redis)."""

    def __init__(self, model: ConversationModel, limiter: RateLimiter) -> None:
        self.name = model.name
        self._model = model
        self._limiter = limiter

    async def compose_first_message(self, ctx: FirstMessageContext) -> Draft:
        await self._limiter.acquire("llm")
        return await self._model.compose_first_message(ctx)

    async def understand_and_reply(self, ctx: ReplyContext) -> ReplyDecision:
        await self._limiter.acquire("llm")
        return await self._model.understand_and_reply(ctx)


ENGINE: ServiceKey[Engine] = ServiceKey("conversations.engine")


async def get_engine(runtime: Runtime) -> Engine:
    engine = runtime.services.get(ENGINE)
    if engine is not None:
        return engine
    async with _OPENING:
        engine = runtime.services.get(ENGINE)
        if engine is None:
            engine = runtime.services.set(ENGINE, await _open(runtime))
    return engine


async def _open(runtime: Runtime) -> Engine:
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

    from app.conversations.checkpointer import TurnPostgresSaver

    settings = runtime.settings
    stack = contextlib.AsyncExitStack()
    saver: BaseCheckpointSaver[Any]
    if settings.is_postgres:
        pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
            settings.checkpoint_dsn,
            min_size=2,
            max_size=POOL_SIZE,
            open=False,
            max_idle=300,
            max_lifetime=1800,
            # A connection the server dropped (failover, pg_terminate_backend) is replaced
            # when next taken, not handed to a graph run.
            check=check_if_dropped,
            kwargs={"autocommit": True, "row_factory": dict_row, "prepare_threshold": None},
        )
        await pool.open()
        stack.push_async_callback(pool.close)
        postgres_saver = TurnPostgresSaver(pool)  # type: ignore[arg-type]
        await postgres_saver.setup()
        # The saver serialises every query behind one asyncio.Lock even with a pool
        # (langgraph#7259); with a pool a semaphore of its size is safe (stack-notes 1.7).
        postgres_saver.lock = asyncio.Semaphore(POOL_SIZE)  # type: ignore[assignment]
        saver = postgres_saver
    else:
        saver = await stack.enter_async_context(
            AsyncSqliteSaver.from_conn_string(settings.checkpoint_dsn)
        )
    runtime.closers.append(stack.aclose)
    model: ConversationModel = build_model(
        settings.openai_api_key, settings.openai_base_url, settings.openai_model
    )
    if settings.openai_api_key:
        limiter: RateLimiter = (
            RedisTokenBucket(runtime.redis, settings.llm_calls_per_minute, 60)
            if runtime.redis is not None
            else InMemoryTokenBucket(settings.llm_calls_per_minute, 60)
        )
        model = RateLimitedModel(model, limiter)
    from app.conversations.classifier import trained_classifier

    reader = asyncio.ensure_future(asyncio.to_thread(trained_classifier))
    locks: ThreadLocks = (
        RedisThreadLocks(runtime.redis) if runtime.redis is not None else InProcessThreadLocks()
    )
    return Engine(
        graph=build_graph().compile(checkpointer=saver),
        saver=saver,
        context=AgentContext(runtime=runtime, model=model),
        locks=locks,
        slots=asyncio.Semaphore(settings.max_concurrent_conversations),
        reader=reader,
    )
