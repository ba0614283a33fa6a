"""The arq workers: `brscale worker` serves the main queue (conversations, matching, imports,
CRM sync, the sweeps) and the delivery queue in one process, on one runtime; `--queue main` or
`--queue deliveries` serves one of them, so deliveries can have processes of their own.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Sequence
from typing import Any

from arq import cron
from arq.worker import Worker, func

import app.tasks  # noqa: F401  (registers every task)
from app.core.config import load_settings
from app.core.jobs import DELIVERY_QUEUE, MAIN_QUEUE, MAX_TRIES, TASKS
from app.core.logging import configure_logging
from app.core.runtime import Runtime, open_runtime
from app.core.schedule import PERIODIC

QUEUES = {"main": MAIN_QUEUE, "deliveries": DELIVERY_QUEUE}
# Jobs at once per queue. A delivery job sends its rows one after another on one connection;
# both queues in one process stay within the database pool (20 + 10 overflow).
MAX_JOBS = {MAIN_QUEUE: 20, DELIVERY_QUEUE: 10}


def worker_for(queue: str, runtime: Runtime, **overrides: Any) -> Worker:
    """A worker of `queue` on the runtime's Redis pool, running jobs with its resources. Every
    worker knows every task; the sweeps are started from the main queue once per period across
    all workers (arq's unique cron ids)."""
    job_timeout = runtime.settings.job_timeout_seconds
    kwargs = {
        "functions": [
            func(fn, name=name, max_tries=MAX_TRIES, timeout=job_timeout)  # type: ignore[arg-type]
            for name, fn in TASKS.items()
        ],
        "cron_jobs": [
            cron(
                TASKS[name],  # type: ignore[arg-type]
                name=f"cron:{name}",
                minute=set(range(0, 60, max(1, every // 60))),
                unique=True,
            )
            for name, every in PERIODIC.items()
        ]
        if queue == MAIN_QUEUE
        else [],
        "queue_name": queue,
        "max_jobs": MAX_JOBS[queue],
        # Matching, campaign and batches are three hops: poll often so 80 leads take seconds.
        "poll_delay": 0.05,
        "job_timeout": job_timeout,
        # A finished job frees its id at once: ids de-duplicate queued and running jobs only.
        "keep_result": 0,
        # `{queue}:health-check` lives a minute past each worker's last poll: `sweep_outbox`
        # warns when no worker serves the delivery queue.
        "health_check_interval": 60,
        "redis_pool": runtime.redis,
        "ctx": {"runtime": runtime},
        "handle_signals": False,
        **overrides,
    }
    return Worker(**kwargs)


async def serve(queues: Sequence[str]) -> None:
    """Run one worker per queue in this process until SIGINT or SIGTERM; the jobs they were
    running are cancelled and run again later (arq's retries), as in a plain arq worker."""
    configure_logging()
    settings = load_settings()
    if not settings.redis_url:
        raise SystemExit(
            "brscale worker needs REDIS_URL (without it, `brscale serve` runs jobs itself)."
        )
    async with open_runtime(settings, create_schema=False) as runtime:
        workers = [worker_for(queue, runtime) for queue in queues]
        received: list[signal.Signals] = []
        stopping = asyncio.Event()

        def on_signal(signum: signal.Signals) -> None:
            received.append(signum)
            stopping.set()

        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, on_signal, signum)
        runs = [asyncio.create_task(worker.async_run()) for worker in workers]
        stop = asyncio.create_task(stopping.wait())
        await asyncio.wait([*runs, stop], return_when=asyncio.FIRST_COMPLETED)
        for worker in workers:  # a signal, or one worker failed: stop them all
            worker.handle_sig(received[0] if received else signal.SIGTERM)
        jobs = [job for worker in workers for job in worker.tasks.values()]
        await asyncio.gather(*runs, *jobs, return_exceptions=True)
        stop.cancel()
        for run in runs:
            if not run.cancelled() and run.exception() is not None:
                raise run.exception()  # type: ignore[misc]
