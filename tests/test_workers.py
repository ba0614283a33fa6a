"""`brscale worker` outlives Redis dropping its connections: it polls again on a fresh one and
keeps serving jobs, none lost. A slow job on a live worker runs once, to its end; a dead
worker's job runs again elsewhere within the lease; a sweep that hit a fault runs again."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from app.core.config import Settings
from app.core.jobs import MAIN_QUEUE, task
from app.core.runtime import open_runtime
from tests.conftest import make_settings
from tests.support.tcp_proxy import tcp_proxy
from workers.settings import periodic_job, worker_for

RAN: list[int] = []
STARTED: list[tuple[int, int]] = []  # (n, try)
SWEPT: list[int] = []  # the try of each run


@task
async def record_probe(ctx: dict[str, Any], n: int) -> None:
    """A job that only says it ran (for this test)."""
    RAN.append(n)


@task
async def slow_probe(ctx: dict[str, Any], n: int, seconds: float, hang_first: bool) -> None:
    """A job that takes `seconds`; with `hang_first`, its first try never ends (its worker
    died under it, as far as Redis can tell)."""
    STARTED.append((n, ctx["job_try"]))
    if hang_first and ctx["job_try"] == 1:
        await asyncio.Event().wait()
    await asyncio.sleep(seconds)
    RAN.append(n)


@task
async def flaky_sweep(ctx: dict[str, Any]) -> None:
    """A sweep whose first run loses its connection (a Redis blip, a terminated backend)."""
    SWEPT.append(ctx["job_try"])
    if len(SWEPT) == 1:
        raise ConnectionError("Connection closed by server.")


async def _until(condition: Any, within: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_a_worker_keeps_serving_after_redis_drops_its_connections(
    pg_settings: Settings, tmp_path: Path
) -> None:
    RAN.clear()
    assert pg_settings.redis_url is not None
    host_port, db = pg_settings.redis_url.removeprefix("redis://").rsplit("/", 1)
    host, port = host_port.split(":")
    async with tcp_proxy(host, int(port)) as proxy:
        # The worker reaches Redis through a path the test can cut; the test enqueues directly.
        settings = make_settings(
            tmp_path,
            DATABASE_URL=pg_settings.database_url,
            REDIS_URL=f"redis://127.0.0.1:{proxy.port}/{db}",
        )
        async with open_runtime(settings) as runtime:
            worker = worker_for(MAIN_QUEUE, runtime, cron_jobs=[], poll_delay=0.02)
            serving = asyncio.create_task(worker.main())
            try:
                await runtime.jobs.enqueue("record_probe", 1)
                await _until(lambda: RAN == [1])

                for _ in range(2):  # Redis gone for a second (a restart), twice
                    await proxy.cut(for_seconds=1.0)
                    assert not serving.done(), serving.exception()

                for n in (2, 3, 4):
                    await runtime.jobs.enqueue("record_probe", n)
                await _until(lambda: sorted(RAN) == [1, 2, 3, 4])
                assert not serving.done()
                await _until(lambda: worker.job_counter == 0)  # no job slot lost on the way
            finally:
                serving.cancel()
                await asyncio.gather(serving, return_exceptions=True)
                await worker.close()


async def test_an_urgent_job_runs_before_the_backlog_queued_ahead_of_it(
    pg_settings: Settings,
) -> None:
    """A new lead's first message does not wait behind a bulk campaign's queued batches."""
    RAN.clear()
    async with open_runtime(pg_settings) as runtime:
        for n in range(1, 31):  # a campaign's batches, queued first
            await runtime.jobs.enqueue("record_probe", n)
        await runtime.jobs.enqueue("record_probe", 0, urgent=True)  # a form, just now
        worker = worker_for(MAIN_QUEUE, runtime, cron_jobs=[], poll_delay=0.02, max_jobs=1)
        worker.burst = True
        await worker.main()
    assert RAN[0] == 0
    assert sorted(RAN[1:]) == list(range(1, 31))  # then the backlog, every job of it


async def _serving(*workers: Any) -> list[asyncio.Task[None]]:
    return [asyncio.create_task(worker.main()) for worker in workers]


async def _stop(serving: list[asyncio.Task[None]], *workers: Any) -> None:
    for run in serving:
        run.cancel()
    jobs = [job for worker in workers for job in worker.tasks.values()]
    for job in jobs:
        job.cancel()
    await asyncio.gather(*serving, *jobs, return_exceptions=True)
    for worker in workers:
        await worker.close()


async def test_a_job_slower_than_its_lease_runs_once_on_a_live_worker(
    pg_settings: Settings,
) -> None:
    """A reply job that takes half a minute on a loaded machine is neither cut off nor started
    a second time by the other worker while its own worker lives."""
    RAN.clear()
    STARTED.clear()
    async with open_runtime(pg_settings) as runtime:
        workers = [
            worker_for(MAIN_QUEUE, runtime, cron_jobs=[], poll_delay=0.02, lease_seconds=0.6)
            for _ in range(2)
        ]
        serving = await _serving(*workers)
        try:
            await runtime.jobs.enqueue("slow_probe", 1, 2.5, False)  # four leases long
            await _until(lambda: RAN == [1])
            await asyncio.sleep(0.5)
            assert STARTED == [(1, 1)]
        finally:
            await _stop(serving, *workers)


async def test_a_dead_workers_job_runs_again_on_another_within_the_lease(
    pg_settings: Settings,
) -> None:
    """SIGKILL leaves a job claimed in Redis; it runs again once the dead worker's lease lapses,
    not after the job timeout (600 s in production) plus 10 s."""
    RAN.clear()
    STARTED.clear()
    async with open_runtime(pg_settings) as runtime:
        assert runtime.settings.job_timeout_seconds >= 600
        doomed = worker_for(MAIN_QUEUE, runtime, cron_jobs=[], poll_delay=0.02, lease_seconds=1)
        doomed_serving = await _serving(doomed)
        other = worker_for(MAIN_QUEUE, runtime, cron_jobs=[], poll_delay=0.02, lease_seconds=1)
        other_serving: list[asyncio.Task[None]] = []
        try:
            await runtime.jobs.enqueue("slow_probe", 7, 0.0, True)
            await _until(lambda: STARTED == [(7, 1)])
            doomed_serving[0].cancel()  # it polls and renews no more: dead, as Redis sees it
            await asyncio.gather(*doomed_serving, return_exceptions=True)
            died = asyncio.get_running_loop().time()
            other_serving = await _serving(other)
            await _until(lambda: RAN == [7], within=10)
            assert asyncio.get_running_loop().time() - died < 5
            assert STARTED == [(7, 1), (7, 2)]
        finally:
            await _stop([*doomed_serving, *other_serving], doomed, other)


async def test_a_sweep_that_hits_a_fault_runs_again_within_seconds(pg_settings: Settings) -> None:
    """A periodic sweep whose run lost its connection is retried with backoff, not left to its
    next period (an hour here)."""
    SWEPT.clear()
    async with open_runtime(pg_settings) as runtime:
        sweep = periodic_job("flaky_sweep", 3600, run_at_startup=True)
        worker = worker_for(MAIN_QUEUE, runtime, cron_jobs=[sweep], poll_delay=0.02)
        serving = await _serving(worker)
        try:
            await _until(lambda: len(SWEPT) == 2, within=15)
        finally:
            await _stop(serving, worker)


def test_every_long_running_service_in_compose_comes_back_by_itself() -> None:
    """Issue #12, 2: docker-compose.yml restarted nothing, so a worker that exited (Redis
    dropped its connection) stayed down. Every service but the one-shot migration restarts
    unless stopped; the migration runs once."""
    import yaml

    compose = yaml.safe_load(
        (Path(__file__).resolve().parents[1] / "docker-compose.yml").read_text()
    )
    restarts = {name: service.get("restart") for name, service in compose["services"].items()}
    assert restarts.pop("migrate") == "no"
    assert {"api", "worker", "deliveries", "postgres", "redis"} <= set(restarts)
    assert set(restarts.values()) == {"unless-stopped"}, restarts
