"""Run queued jobs to completion in a test, whichever queue the runtime uses."""

from __future__ import annotations

import asyncio
import time

from app.core.runtime import Runtime
from workers.settings import QUEUES, worker_for


async def drain_jobs(runtime: Runtime, *, within: float = 60.0) -> None:
    """Run every job that is ready, and the jobs those enqueue, until none is left running.

    Embedded: wait for the in-process runner. With Redis: real arq workers of both queues on
    the runtime's pool, stopped once no job is ready or running (deferred jobs stay queued).
    """
    if runtime.redis is None:
        await asyncio.wait_for(runtime.drain_jobs(), within)
        return
    # Both queues, as `brscale worker` serves them.
    workers = [
        worker_for(queue, runtime, cron_jobs=[], poll_delay=0.02, max_jobs=50)
        for queue in QUEUES.values()
    ]
    running = [asyncio.create_task(worker.main()) for worker in workers]
    deadline = time.monotonic() + within
    idle = 0
    try:
        while idle < 4:
            if time.monotonic() > deadline:
                raise TimeoutError("jobs still running after the timeout")
            await asyncio.sleep(0.05)
            for run in running:
                if run.done():
                    run.result()
            now = int(time.time() * 1000)
            ready = [await runtime.redis.zcount(w.queue_name, "-inf", now) for w in workers]
            busy = any(not job.done() for w in workers for job in w.tasks.values())
            idle = idle + 1 if not any(ready) and not busy else 0
    finally:
        for run in running:
            run.cancel()
        await asyncio.gather(*running, return_exceptions=True)
