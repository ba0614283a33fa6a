"""The one enqueue facade: arq on Redis, or an in-process runner on the embedded default.

Tasks are plain `async def task(ctx, *args)` coroutines registered with `@task`; `ctx["runtime"]`
gives them the process's resources either way. Jobs are sent only after the commit (`enqueue`)
and de-duplicated by job id while one with the same id is queued or running.

Under arq, deliveries have a queue of their own (`@delivery_task`). `brscale worker` serves both
queues in one process; `--queue` splits them across processes, so that a slow or rate-limiting
provider never holds up conversations and a campaign's graph runs never hold up deliveries.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from arq import Retry
from arq.connections import ArqRedis
from arq.constants import default_queue_name
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.faults import backoff_seconds, is_transient
from app.core.uow import after_commit
from app.core.visibility import visible_to_agent

log = logging.getLogger(__name__)

TaskFn = Callable[..., Awaitable[Any]]
# `hook(ctx, error, *args)`: what to do when a job of the task fails for good (see `when_failed`).
FailedHook = Callable[..., Awaitable[Any]]
TASKS: dict[str, TaskFn] = {}
MAX_TRIES = 5
_TRIES: dict[str, int] = {}  # task name -> its tries, when not MAX_TRIES
_WHEN_FAILED: dict[str, FailedHook] = {}
MAIN_QUEUE = default_queue_name
DELIVERY_QUEUE = "brscale:deliveries"
_QUEUES: dict[str, str] = {}  # task name -> its queue, when not MAIN_QUEUE
# An urgent job (one new lead's first message) is queued as if an hour earlier: arq takes jobs
# in score order, so it runs before the backlog a bulk campaign queued meanwhile, never after.
URGENT_HEAD_START = timedelta(hours=1)


def task(fn: TaskFn) -> TaskFn:
    """Register a job function under its own name; it retries after connection faults."""
    TASKS[fn.__name__] = retried_on_faults(fn)
    return fn


def tries_of(name: str) -> int:
    """How many times a job of `name` is tried (arq's `max_tries`, and the in-process runner's)."""
    return _TRIES.get(name, MAX_TRIES)


def last_try(ctx: dict[str, Any], name: str) -> bool:
    return int(ctx.get("job_try") or 1) >= tries_of(name)


class RetriesExhausted(Exception):
    """The job asked to run again (`Retry`) on its last try."""


def when_failed(name: str, *, tries: int = MAX_TRIES) -> Callable[[FailedHook], FailedHook]:
    """Register `hook(ctx, error, *args)` for jobs of task `name` that fail for good: an error
    that is not a connection fault, or any failure on the job's last try (of `tries`). Without
    a hook such a job just ends failed, and what it left undone waits for a sweep (minutes).
    The hook runs inside the job, so it may raise `Retry` (unless `last_try`) to run the job
    again later, under its own id; what it returns is the job's result."""

    def register(hook: FailedHook) -> FailedHook:
        _WHEN_FAILED[name] = hook
        _TRIES[name] = tries
        return hook

    return register


def retried_on_faults(fn: TaskFn) -> TaskFn:
    """A job that failed because the database or Redis dropped its connection (a failover,
    `pg_terminate_backend`, a restart) runs again after a backoff, instead of failing for good:
    jobs are idempotent, as they must be for a killed worker's re-run anyway. A job that fails
    for good goes to its task's `when_failed` hook, if it has one."""
    name = fn.__name__

    @functools.wraps(fn)
    async def run(ctx: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        job_try = int(ctx.get("job_try") or 1)
        hook = _WHEN_FAILED.get(name)
        error: Exception
        try:
            return await fn(ctx, *args, **kwargs)
        except Retry as retry:
            if hook is None or not last_try(ctx, name):
                raise
            error = RetriesExhausted(f"still asking to run again after {job_try} tries")
            error.__cause__ = retry
        except Exception as exc:
            if is_transient(exc) and (hook is None or not last_try(ctx, name)):
                log.warning(
                    "job %s hit a connection fault; it runs again",
                    name,
                    extra={"job_id": ctx.get("job_id"), "job_try": job_try, "error": repr(exc)},
                )
                raise Retry(defer=backoff_seconds(job_try)) from exc
            if hook is None:
                raise
            error = exc
        log.error(
            "job %s failed for good",
            name,
            exc_info=error,
            extra={"job_id": ctx.get("job_id"), "job_try": job_try},
        )
        try:
            return await hook(ctx, error, *args, **kwargs)
        except Retry:
            raise
        except Exception as hook_error:
            # Nothing more to do here: the sweeps pick up what the job left undone.
            raise hook_error from error

    return run


def delivery_task(fn: TaskFn) -> TaskFn:
    """Register a job function whose jobs go to the delivery queue."""
    _QUEUES[fn.__name__] = DELIVERY_QUEUE
    return task(fn)


def queue_of(name: str) -> str:
    return _QUEUES.get(name, MAIN_QUEUE)


class JobQueue(Protocol):
    async def enqueue(
        self,
        name: str,
        *args: Any,
        job_id: str | None = None,
        defer_by: float | None = None,
        urgent: bool = False,
    ) -> bool:
        """Queue a job; False when one with the same id is already queued or running. An
        urgent job runs before the jobs of its queue that are not."""
        ...


def enqueue(
    session: AsyncSession,
    name: str,
    *args: Any,
    job_id: str | None = None,
    defer_by: float | None = None,
    urgent: bool = False,
) -> None:
    """Queue `name(*args)` once the session's transaction has committed."""
    if name not in TASKS:
        raise KeyError(f"unknown task {name!r}")
    queue: JobQueue = session.info["runtime"].jobs

    async def send() -> None:
        await queue.enqueue(name, *args, job_id=job_id, defer_by=defer_by, urgent=urgent)

    after_commit(session, send)


class ArqJobQueue:
    def __init__(self, redis: ArqRedis) -> None:
        self._redis = redis

    async def enqueue(
        self,
        name: str,
        *args: Any,
        job_id: str | None = None,
        defer_by: float | None = None,
        urgent: bool = False,
    ) -> bool:
        head = datetime.now(UTC) - URGENT_HEAD_START if urgent and not defer_by else None
        job = await self._redis.enqueue_job(
            name,
            *args,
            _job_id=job_id,
            _defer_by=defer_by,
            _defer_until=head,
            _queue_name=queue_of(name),
        )
        return job is not None


class InProcessJobQueue:
    """Runs jobs as asyncio tasks in this process, with arq's retry semantics (`Retry` only)."""

    def __init__(self, context: dict[str, Any]) -> None:
        self._context = context
        self._running: set[asyncio.Task[None]] = set()
        self._deferred: set[asyncio.Task[Any]] = set()  # sleeping until their time comes
        self._active_ids: set[str] = set()

    async def enqueue(
        self,
        name: str,
        *args: Any,
        job_id: str | None = None,
        defer_by: float | None = None,
        urgent: bool = False,  # every job here starts at once: nothing waits in a line
    ) -> bool:
        if job_id is not None:
            if job_id in self._active_ids:
                return False
            self._active_ids.add(job_id)
        job = asyncio.create_task(self._run(name, args, job_id, defer_by or 0.0))
        self._running.add(job)
        job.add_done_callback(self._running.discard)
        return True

    async def _run(
        self, name: str, args: tuple[Any, ...], job_id: str | None, delay: float
    ) -> None:
        # The task inherited its enqueuer's context: a job works for the whole brokerage,
        # never under the filter of the agent whose request queued it.
        visible_to_agent.set(None)
        try:
            for job_try in range(1, tries_of(name) + 1):
                if delay:
                    await self._sleep(delay)
                try:
                    await TASKS[name](
                        {**self._context, "job_try": job_try, "job_id": job_id}, *args
                    )
                    return
                except Retry as retry:
                    delay = (retry.defer_score or 0) / 1000
                except Exception:
                    log.exception("job %s failed", name, extra={"job_id": job_id})
                    return
            log.error("job %s gave up after %d tries", name, tries_of(name))
        finally:
            if job_id is not None:
                self._active_ids.discard(job_id)

    async def _sleep(self, delay: float) -> None:
        current = asyncio.current_task()
        assert current is not None
        self._deferred.add(current)
        try:
            await asyncio.sleep(delay)
        finally:
            self._deferred.discard(current)

    async def drain(self) -> None:
        """Wait until no job is due or running (jobs may enqueue more); deferred jobs stay."""
        while busy := [job for job in self._running if job not in self._deferred]:
            await asyncio.wait(busy)

    async def close(self) -> None:
        for job in list(self._running):
            job.cancel()
        await asyncio.gather(*list(self._running), return_exceptions=True)
