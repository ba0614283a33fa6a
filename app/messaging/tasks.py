"""Messaging jobs: deliver one outbox row, sweep the outbox, hand an inbound reply to its thread."""

from __future__ import annotations

from typing import Any

from arq import Retry

from app.core.jobs import task
from app.core.runtime import Runtime
from app.core.schedule import periodic
from app.messaging import delivery
from app.messaging.models import Channel, MessageStatus


@task
async def deliver_message(ctx: dict[str, Any], message_id: int) -> str | None:
    runtime: Runtime = ctx["runtime"]
    status = await delivery.deliver(runtime, message_id)
    return status.value if status else None


@task
async def deliver_messages(ctx: dict[str, Any], message_ids: list[int]) -> int:
    """Deliver outbox rows one after another; a row that must retry gets a job of its own."""
    runtime: Runtime = ctx["runtime"]
    sent = 0
    for message_id in message_ids:
        try:
            sent += await delivery.deliver(runtime, message_id) is MessageStatus.SENT
        except Retry as retry:  # transient: this row alone tries again after its backoff
            await runtime.jobs.enqueue(
                "deliver_message",
                message_id,
                job_id=f"deliver:{message_id}",
                defer_by=(retry.defer_score or 0) / 1000,
            )
    return sent


@periodic(every_seconds=60)
async def sweep_outbox(ctx: dict[str, Any]) -> dict[str, list[int]]:
    """Run every minute (cron): lost jobs re-sent, rows stuck in SENDING marked UNKNOWN."""
    result = await delivery.sweep(ctx["runtime"])
    return {"requeued": result.requeued, "unknown": result.unknown}


@task
async def receive_inbound_message(
    ctx: dict[str, Any], conversation_id: int, channel: str, body: str, provider_id: str | None
) -> None:
    """A reply matched to its conversation by a webhook: the conversation engine takes it."""
    from app.conversations.inbound import receive_lead_message

    await receive_lead_message(
        ctx["runtime"], conversation_id, Channel(channel), body, provider_id=provider_id
    )
