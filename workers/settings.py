"""The arq worker: `brscale worker` runs `WorkerSettings` against `REDIS_URL`."""

from __future__ import annotations

import contextlib
from typing import Any, ClassVar

from arq import cron
from arq.connections import RedisSettings
from arq.worker import func

import app.tasks  # noqa: F401  (registers every task)
from app.core.config import load_settings
from app.core.jobs import MAX_TRIES, TASKS
from app.core.logging import configure_logging
from app.core.runtime import open_runtime
from app.core.schedule import PERIODIC


async def startup(ctx: dict[str, Any]) -> None:
    configure_logging()
    stack = contextlib.AsyncExitStack()
    ctx["runtime"] = await stack.enter_async_context(
        open_runtime(load_settings(), create_schema=False)
    )
    ctx["exit_stack"] = stack


async def shutdown(ctx: dict[str, Any]) -> None:
    await ctx["exit_stack"].aclose()


def redis_settings() -> RedisSettings:
    url = load_settings().redis_url
    if not url:
        raise SystemExit(
            "brscale worker needs REDIS_URL (without it, `brscale serve` runs jobs itself)."
        )
    return RedisSettings.from_dsn(url)


_JOB_TIMEOUT = load_settings().job_timeout_seconds


class WorkerSettings:
    functions: ClassVar[list[Any]] = [
        func(fn, name=name, max_tries=MAX_TRIES, timeout=_JOB_TIMEOUT)  # type: ignore[arg-type]
        for name, fn in TASKS.items()
    ]
    # Sweeps run once per period across all workers (arq derives a unique job id per slot).
    cron_jobs: ClassVar[list[Any]] = [
        cron(
            TASKS[name],  # type: ignore[arg-type]
            name=f"cron:{name}",
            minute=set(range(0, 60, max(1, every // 60))),
            unique=True,
        )
        for name, every in PERIODIC.items()
    ]
    on_startup = startup
    on_shutdown = shutdown
    max_jobs = 20
    # Matching, campaign and batches are three hops: poll often so 80 leads take seconds.
    poll_delay = 0.05
    job_timeout = _JOB_TIMEOUT
    # A finished job frees its id at once: ids de-duplicate queued and running jobs only.
    keep_result = 0
    handle_signals = True
