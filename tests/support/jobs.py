"""Run queued jobs to completion in a test, whichever queue the runtime uses."""

from __future__ import annotations

import asyncio
import time

from arq.worker import Worker, func

import app.tasks  # noqa: F401  (registers every task)
from app.core.jobs import TASKS
from app.core.runtime import Runtime


async def drain_jobs(runtime: Runtime, *, within: float = 60.0) -> None:
    """Run every job that is ready, and the jobs those enqueue, until none is left running.

    Embedded: wait for the in-process runner. With Redis: a real arq worker on the runtime's
    pool, stopped once no job is ready or running (deferred jobs stay queued).
    """
    if runtime.redis is None:
        await asyncio.wait_for(runtime.drain_jobs(), within)
        return
    worker = Worker(
        functions=[func(fn, name=name, max_tries=5) for name, fn in TASKS.items()],  # type: ignore[arg-type]
        redis_pool=runtime.redis,
        poll_delay=0.02,
        handle_signals=False,
        max_jobs=50,
        keep_result=0,
        ctx={"runtime": runtime},
    )
    running = asyncio.create_task(worker.main())
    deadline = time.monotonic() + within
    idle = 0
    try:
        while idle < 4:
            if time.monotonic() > deadline:
                raise TimeoutError("jobs still running after the timeout")
            await asyncio.sleep(0.05)
            if running.done():
                running.result()
            ready = await runtime.redis.zcount(worker.queue_name, "-inf", int(time.time() * 1000))
            busy = any(not task.done() for task in worker.tasks.values())
            idle = idle + 1 if not ready and not busy else 0
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
