"""Periodic jobs (sweeps that make the system self-healing): arq cron in workers, a loop
embedded."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

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
                        await TASKS[name]({**context, "job_try": 1, "job_id": None})
                    except Exception:
                        log.exception("periodic task %s failed", name)

    task = asyncio.create_task(loop())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
