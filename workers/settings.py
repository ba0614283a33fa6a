"""The arq workers: `brscale worker` serves the main queue (conversations, matching, imports,
CRM sync, the sweeps) and the delivery queue in one process, on one runtime; `--queue main` or
`--queue deliveries` serves one of them, so deliveries can have processes of their own.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Sequence
from typing import Any

from arq import cron
from arq.worker import Worker, func
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

import app.tasks  # noqa: F401  (registers every task)
from app.core.config import load_settings
from app.core.jobs import DELIVERY_QUEUE, MAIN_QUEUE, MAX_TRIES, TASKS
from app.core.logging import configure_logging
from app.core.runtime import Runtime, open_runtime
from app.core.schedule import PERIODIC

log = logging.getLogger(__name__)
QUEUES = {"main": MAIN_QUEUE, "deliveries": DELIVERY_QUEUE}
REDIS_FAULTS = (RedisConnectionError, RedisTimeoutError, OSError)
# Waits between polls while Redis is unreachable: 0.5 s doubling up to this.
MAX_RECONNECT_WAIT = 10.0
# Jobs at once per queue. A delivery job sends its rows one after another on one connection;
# both queues in one process stay within the database pool (20 + 10 overflow).
MAX_JOBS = {MAIN_QUEUE: 20, DELIVERY_QUEUE: 10}


class ReconnectingWorker(Worker):
    """An arq worker that outlives Redis dropping its connections (a restart, a failover, an
    idle timeout). Plain arq re-raises the `ConnectionError` of a poll and the process exits,
    leaving its jobs "in progress" until their keys expire; this one waits, polls again on a
    fresh connection (redis-py reconnects on the next command) and its running jobs go on."""

    _faults = 0

    async def _poll_iteration(self) -> None:
        try:
            await super()._poll_iteration()
        except REDIS_FAULTS as exc:
            self._faults += 1
            wait = min(MAX_RECONNECT_WAIT, 0.5 * 2 ** (self._faults - 1))
            log.warning(
                "Redis connection lost; polling again",
                extra={"queue": self.queue_name, "wait_seconds": wait, "error": repr(exc)},
            )
            await asyncio.sleep(wait)
        else:
            if self._faults:
                log.info("Redis connection back", extra={"queue": self.queue_name})
            self._faults = 0

    async def start_jobs(self, job_ids: list[bytes]) -> None:
        try:
            await super().start_jobs(job_ids)
        except REDIS_FAULTS:
            # arq took a job slot for the job it was claiming when Redis dropped, and only
            # gives it back when the job runs: give it back, or the worker would fill up.
            self.job_counter -= 1
            self.sem.release()
            raise


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
    return ReconnectingWorker(**kwargs)


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
