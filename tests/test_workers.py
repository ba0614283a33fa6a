"""`brscale worker` outlives Redis dropping its connections: it polls again on a fresh one and
keeps serving jobs, none lost."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from app.core.config import Settings
from app.core.jobs import MAIN_QUEUE, task
from app.core.runtime import open_runtime
from tests.conftest import make_settings
from tests.support.tcp_proxy import tcp_proxy
from workers.settings import worker_for

RAN: list[int] = []


@task
async def record_probe(ctx: dict[str, Any], n: int) -> None:
    """A job that only says it ran (for this test)."""
    RAN.append(n)


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
