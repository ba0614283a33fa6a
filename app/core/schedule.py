"""Periodic jobs (sweeps that make the system self-healing): arq cron in workers, a loop
embedded."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator
from typing import Any

from arq import Retry

from app.core.faults import retrying
from app.core.jobs import TASKS, TaskFn, retried_on_faults

log = logging.getLogger(__name__)

# task name -> interval in seconds
PERIODIC: dict[str, int] = {}


def periodic(every_seconds: int) -> Any:
    """Register a task to run every `every_seconds` (whole minutes under arq's cron)."""

    def register(fn: TaskFn) -> TaskFn:
        TASKS[fn.__name__] = retried_on_faults(fn)
        PERIODIC[fn.__name__] = every_seconds
        return fn

    return register


def scheduled(name: str) -> TaskFn:
    """What a scheduler starts for the periodic task `name`. A run that hits a connection fault
    (a terminated database connection, a Redis blip) is handed to the job queue as a plain job,
    which runs it again with the jobs' backoff (2, 4, 8... s, five tries): a scheduler's run
    gets one try (arq keeps a cron run's id busy for a minute), and a sweep left to its next
    period leaves a lost reply unanswered a minute longer, a catch-up ten."""

    async def run(ctx: dict[str, Any]) -> Any:
        try:
            return await TASKS[name](ctx)
        except Retry as retry:
            wait = (retry.defer_score or 0) / 1000
            log.warning("periodic task %s hit a fault; it runs again in %.0f s", name, wait)
            enqueue = functools.partial(
                ctx["runtime"].jobs.enqueue, name, job_id=f"retry:{name}", defer_by=wait
            )
            await retrying(enqueue)
            return None

    run.__name__ = run.__qualname__ = name
    return run


@contextlib.asynccontextmanager
async def run_periodic_in_process(
    context: dict[str, Any], tick: float = 60.0
) -> AsyncIterator[None]:
    """The embedded default's scheduler: every periodic task, in this process."""

    async def loop() -> None:
        elapsed = 0.0
        while True:
            await asyncio.sleep(tick)
            elapsed += tick
            for name, every in PERIODIC.items():
                if elapsed % every < tick:
                    try:
                        await scheduled(name)({**context, "job_try": 1, "job_id": None})
                    except Exception:
                        log.exception("periodic task %s failed", name)

    task = asyncio.create_task(loop())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
