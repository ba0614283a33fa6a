"""CRM jobs: sync (import, then catch-up), the periodic catch-up, webhook processing, write-back."""

from __future__ import annotations

from typing import Any

from app.core.jobs import task
from app.core.runtime import Runtime
from app.core.schedule import periodic
from app.crm_sync import flows, repository
from app.crm_sync.service import sync_job_id


@task
async def crm_sync(ctx: dict[str, Any], connection_id: int) -> int:
    """Import a connection's contacts from where the last run stopped; the leads it touched."""
    outcome = await flows.run_sync(ctx["runtime"], connection_id)
    return outcome.leads


@periodic(every_seconds=600)
async def crm_catch_up(ctx: dict[str, Any]) -> int:
    """Periodic: queue a catch-up for every connected CRM, so a missed webhook costs minutes."""
    runtime: Runtime = ctx["runtime"]
    async with runtime.session() as session:
        ids = await repository.connections_to_catch_up(session)
    for connection_id in ids:
        await runtime.jobs.enqueue("crm_sync", connection_id, job_id=sync_job_id(connection_id))
    return len(ids)


@periodic(every_seconds=60)
async def resume_interrupted_syncs(ctx: dict[str, Any]) -> int:
    """Periodic: a sync whose job ended without finishing (cut off by the job timeout while
    it waited out a CRM's `Retry-After`, or lost with its worker) left its connection SYNCING,
    which the catch-up skips: queue it again from its cursor. A sync still running or waiting
    to retry holds the same job id, so it is not queued twice."""
    runtime: Runtime = ctx["runtime"]
    async with runtime.session() as session:
        ids = await repository.interrupted_syncs(session)
    for connection_id in ids:
        await runtime.jobs.enqueue("crm_sync", connection_id, job_id=sync_job_id(connection_id))
    return len(ids)


@periodic(every_seconds=60)
async def crm_timeline_sweep(ctx: dict[str, Any]) -> int:
    """Periodic: log new conversation messages on every connected CRM's timeline."""
    runtime: Runtime = ctx["runtime"]
    async with runtime.session() as session:
        ids = await repository.connections_to_catch_up(session)
    for connection_id in ids:
        await runtime.jobs.enqueue(
            "crm_log_timeline", connection_id, job_id=f"crm-timeline:{connection_id}"
        )
    return len(ids)


@task
async def crm_log_timeline(ctx: dict[str, Any], connection_id: int) -> int:
    return await flows.log_timeline(ctx["runtime"], connection_id)


@task
async def crm_process_webhook(ctx: dict[str, Any], inbox_id: int) -> int:
    return await flows.process_webhook(ctx["runtime"], inbox_id)


@task
async def crm_write_back(
    ctx: dict[str, Any], brokerage_id: int, lead_id: int, conversation_id: int
) -> int:
    """Queued by the conversation engine when a conversation qualifies or hands off."""
    results = await flows.write_back_conversation(
        ctx["runtime"], brokerage_id, lead_id, conversation_id
    )
    return len(results)


@task
async def crm_record_milestone(
    ctx: dict[str, Any], brokerage_id: int, lead_id: int, conversation_id: int, milestone: str
) -> int:
    """A lead reached a milestone (VIEWING: a viewing confirmed): the deal or the agent's task
    in every CRM the lead lives in. QUALIFIED comes with the write-back of that status."""
    return await flows.record_milestone(
        ctx["runtime"], brokerage_id, lead_id, conversation_id, milestone
    )
