"""What a process holds while it runs: database, jobs, events, HTTP client and keys.

The API server, the arq worker, the CLI and the tests all open the same `Runtime`, so a job runs
the same code in a worker as in the embedded in-process runner.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
from arq.connections import ArqRedis, RedisSettings, create_pool
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.core.config import Settings
from app.core.db import SharedSession, create_engine, migrate
from app.core.events import EventBus, InProcessEventBus, RedisEventBus
from app.core.jobs import ArqJobQueue, InProcessJobQueue, JobQueue
from app.core.ratelimit import CallerSlots, LoginThrottle, RequestLimiter
from app.core.security import SecretBox, TokenSigner
from app.core.services import Services
from integrations.http import new_http_client


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    events: EventBus
    redis: ArqRedis | None
    http: httpx.AsyncClient
    limiter: RequestLimiter
    tokens: TokenSigner
    secrets: SecretBox
    # Long-lived per-process services opened lazily by domains (the conversation engine...).
    services: Services = field(default_factory=Services)
    closers: list[Any] = field(default_factory=list)
    sessions: async_sessionmaker[AsyncSession] = field(init=False)
    shared_sessions: async_sessionmaker[AsyncSession] = field(init=False)
    read_sessions: async_sessionmaker[AsyncSession] = field(init=False)
    shared_read_sessions: async_sessionmaker[AsyncSession] = field(init=False)
    operation_slots: CallerSlots = field(init=False)
    logins: LoginThrottle = field(init=False)
    jobs: JobQueue = field(init=False)

    def __post_init__(self) -> None:
        # Sessions carry the runtime, so services can queue jobs and events after the commit.
        self.sessions = async_sessionmaker(
            self.engine, expire_on_commit=False, info={"runtime": self}
        )
        self.shared_sessions = async_sessionmaker(
            self.engine, class_=SharedSession, expire_on_commit=False, info={"runtime": self}
        )
        # Reads outside any transaction: no BEGIN and ROLLBACK round trips around a query's
        # statements (GraphQL queries and their loaders, which never write).
        reads = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self.read_sessions = async_sessionmaker(
            reads, expire_on_commit=False, info={"runtime": self}
        )
        self.shared_read_sessions = async_sessionmaker(
            reads, class_=SharedSession, expire_on_commit=False, info={"runtime": self}
        )
        self.operation_slots = CallerSlots(
            self.settings.operations_per_caller,
            wait=self.settings.database_pool_timeout,
            per_tenant=self.settings.operations_per_brokerage,
        )
        self.logins = LoginThrottle(
            self.redis,
            per_account=self.settings.login_failures_per_account,
            per_address=self.settings.login_failures_per_address,
            window_seconds=self.settings.login_window_seconds,
        )

    def session(self) -> AsyncSession:
        return self.sessions()

    def shared_session(self, *, read_only: bool = False) -> AsyncSession:
        """A session concurrent tasks may share (a GraphQL operation's resolvers)."""
        return self.shared_read_sessions() if read_only else self.shared_sessions()

    def read_session(self) -> AsyncSession:
        """A session that only reads: each statement on its own, no transaction around them."""
        return self.read_sessions()

    async def drain_jobs(self) -> None:
        """Embedded mode: wait for in-process jobs (the CLI demo and tests use it)."""
        if isinstance(self.jobs, InProcessJobQueue):
            await self.jobs.drain()


@contextlib.asynccontextmanager
async def open_runtime(
    settings: Settings, *, create_schema: bool | None = None
) -> AsyncIterator[Runtime]:
    """Open every resource; `create_schema` migrates the database (default: embedded SQLite)."""
    import app.tasks  # noqa: F401  (every process that runs jobs knows every task)

    # Everything imported so far lives as long as the process: keep the garbage collector from
    # walking it on every full pass (about 5 s of a 100k-row import went there).
    gc.freeze()

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        settings.async_database_url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
        pool_timeout=settings.database_pool_timeout,
    )
    if create_schema if create_schema is not None else not settings.is_postgres:
        await migrate(engine)
    redis: ArqRedis | None = None
    if settings.redis_url:
        redis = await create_pool(RedisSettings.from_dsn(settings.redis_url))
    events: EventBus = RedisEventBus(redis) if redis is not None else InProcessEventBus()
    runtime = Runtime(
        settings=settings,
        engine=engine,
        events=events,
        redis=redis,
        http=new_http_client(),
        limiter=RequestLimiter(settings.rate_limit_per_minute, redis),
        tokens=TokenSigner(settings.signing_keys, timedelta(hours=settings.token_ttl_hours)),
        secrets=SecretBox(settings.signing_keys),
    )
    in_process = InProcessJobQueue({"runtime": runtime}) if redis is None else None
    runtime.jobs = ArqJobQueue(redis) if redis is not None else in_process  # type: ignore[assignment]
    try:
        yield runtime
    finally:
        if in_process is not None:
            await in_process.close()
        for close in reversed(runtime.closers):
            await close()
        if isinstance(events, RedisEventBus):
            await events.stop()
        await runtime.http.aclose()
        if redis is not None:
            await redis.aclose()
        await engine.dispose()
