"""The arq workers: `brscale worker` serves the main queue (conversations, matching, imports,
CRM sync, the sweeps) and the delivery queue in one process, on one runtime; `--queue main` or
`--queue deliveries` serves one of them, so deliveries can have processes of their own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Sequence
from typing import Any

from arq import cron
from arq.constants import in_progress_key_prefix
from arq.cron import CronJob
from arq.worker import Worker, func
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

import app.tasks  # noqa: F401  (registers every task)
from app.core.config import load_settings
from app.core.jobs import DELIVERY_QUEUE, MAIN_QUEUE, TASKS, tries_of
from app.core.logging import configure_logging
from app.core.runtime import Runtime, open_runtime
from app.core.schedule import PERIODIC, scheduled

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
    fresh connection (redis-py reconnects on the next command) and its running jobs go on.

    Its claim on a running job is a lease (`lease_seconds`), renewed while the worker lives.
    Plain arq claims a job for the longest job timeout plus 10 s, so the timeout had to choose
    between cutting off a slow healthy job and leaving a dead worker's jobs stuck for as long:
    with the lease, a healthy job runs to its timeout (a hang guard) and a dead worker's jobs
    run again on another worker within the lease.
    """

    _faults = 0

    def __init__(self, *args: Any, lease_seconds: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if lease_seconds is not None:
            self.in_progress_timeout_s = lease_seconds

    async def main(self) -> None:
        renewing = asyncio.create_task(self._renew_leases())
        try:
            await super().main()
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing

    async def _renew_leases(self) -> None:
        """Every sixth of the lease, extend the claim of each job this worker runs. `pexpire`
        touches only a claim that exists: a finished job's stays gone."""
        lease_ms = int(self.in_progress_timeout_s * 1000)
        while True:
            await asyncio.sleep(self.in_progress_timeout_s / 6)
            running = [job_id for job_id, job in self.tasks.items() if not job.done()]
            if not running:
                continue
            try:
                async with self.pool.pipeline(transaction=False) as pipe:
                    for job_id in running:
                        pipe.pexpire(in_progress_key_prefix + job_id, lease_ms)
                    await pipe.execute()
            except REDIS_FAULTS as exc:  # the next renewal, on a fresh connection, may pass
                log.warning("could not renew job leases", extra={"error": repr(exc)})

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


def periodic_job(name: str, every_seconds: int, **options: Any) -> CronJob:
    """The cron entry of a periodic task: once per period across all workers (a unique id);
    a run that hits a connection fault is retried as a plain job (`scheduled`)."""
    return cron(
        scheduled(name),  # type: ignore[arg-type]
        name=f"cron:{name}",
        minute=set(range(0, 60, max(1, every_seconds // 60))),
        unique=True,
        **options,
    )


def worker_for(queue: str, runtime: Runtime, **overrides: Any) -> Worker:
    """A worker of `queue` on the runtime's Redis pool, running jobs with its resources. Every
    worker knows every task; the sweeps are started from the main queue once per period across
    all workers (arq's unique cron ids)."""
    job_timeout = runtime.settings.job_timeout_seconds
    kwargs = {
        "functions": [
            func(fn, name=name, max_tries=tries_of(name), timeout=job_timeout)  # type: ignore[arg-type]
            for name, fn in TASKS.items()
        ],
        "cron_jobs": [periodic_job(name, every) for name, every in PERIODIC.items()]
        if queue == MAIN_QUEUE
        else [],
        "queue_name": queue,
        "max_jobs": MAX_JOBS[queue],
        # Matching, campaign and batches are three hops: poll often so 80 leads take seconds.
        "poll_delay": 0.05,
        "job_timeout": job_timeout,
        "lease_seconds": runtime.settings.job_lease_seconds,
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
