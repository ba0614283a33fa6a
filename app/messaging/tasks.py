"""Messaging jobs: deliver one outbox row or a batch, sweep the outbox."""

from __future__ import annotations

import logging
from typing import Any

from arq import Retry
from arq.constants import health_check_key_suffix

from app.core.jobs import DELIVERY_QUEUE, delivery_task, when_failed
from app.core.runtime import Runtime
from app.core.schedule import periodic
from app.messaging import flows
from app.messaging.models import MessageStatus

log = logging.getLogger(__name__)


@delivery_task
async def deliver_message(ctx: dict[str, Any], message_id: int) -> str | None:
    runtime: Runtime = ctx["runtime"]
    done = await flows.deliver(runtime, [message_id])
    if message_id in done.retry:  # transient: arq runs this job again after the backoff
        raise Retry(defer=done.retry[message_id])
    status = done.statuses.get(message_id)
    return status.value if status else None


@delivery_task
async def deliver_messages(ctx: dict[str, Any], message_ids: list[int]) -> int:
    """Deliver a batch of outbox rows; a row that must retry gets a job of its own, and the
    rows a batch past its budget did not reach a batch job of their own (`flows.deliver`)."""
    runtime: Runtime = ctx["runtime"]
    done = await flows.deliver(runtime, message_ids)
    for message_id, backoff in done.retry.items():
        await runtime.jobs.enqueue(
            "deliver_message",
            message_id,
            job_id=f"deliver:{message_id}",
            defer_by=backoff.total_seconds(),
        )
    return sum(status is MessageStatus.SENT for status in done.statuses.values())


@when_failed("deliver_messages")
async def delivery_batch_failed(
    ctx: dict[str, Any], error: Exception, message_ids: list[int]
) -> int:
    """A delivery batch failed for good (`app.core.jobs.when_failed`): each of its rows gets
    a job of its own at once, with `deliver_message`'s retries, rather than waiting for the
    outbox sweep. Claiming a row is atomic: a row the batch sent or is sending is not sent
    again (one left SENDING is settled with its provider by the sweep)."""
    runtime: Runtime = ctx["runtime"]
    for message_id in message_ids:
        await runtime.jobs.enqueue(
            "deliver_message",
            message_id,
            job_id=f"deliver:{message_id}",
        )
    return 0


@periodic(every_seconds=60)
async def sweep_outbox(ctx: dict[str, Any]) -> dict[str, list[int]]:
    """Run every minute (cron): rows stuck in SENDING settled with their provider, lost jobs
    re-sent."""
    runtime: Runtime = ctx["runtime"]
    if runtime.redis is not None and not await runtime.redis.exists(
        DELIVERY_QUEUE + health_check_key_suffix
    ):
        log.warning(
            "no worker serves the delivery queue: messages wait in the outbox until one runs "
            "(`brscale worker` or `brscale worker --queue deliveries`)"
        )
    result = await flows.sweep(runtime)
    return {
        "requeued": result.requeued,
        "found_sent": result.found_sent,
        "resent": result.resent,
        "failed": result.failed,
    }
