"""A reply a messaging webhook matched to its conversation, and the conversation sweeps:
follow-ups that are due, campaigns a lost job left unfinished, replies whose job failed for
good, and the checkpoints of threads that ended outside a run."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from app.conversations import (
    campaigns,  # noqa: F401  (registers run_campaign, run_conversations)
    repository,
)
from app.conversations.agent import ENDED
from app.conversations.campaigns import schedule_campaign
from app.conversations.engine import get_engine
from app.conversations.inbound import answer_waiting_replies, receive_lead_message
from app.core.db import utcnow
from app.core.jobs import task
from app.core.runtime import Runtime
from app.core.schedule import periodic
from app.core.uow import commit
from app.messaging.models import Channel

STALLED_AFTER = timedelta(minutes=5)
# A reply's own job answers within seconds; past a minute it was lost (its worker killed: the
# job runs again once the dead worker's lease lapses, `JOB_LEASE_SECONDS`) or is failing
# through retries.
# Answering it meanwhile is safe: the thread's lock and the unanswered check keep it to one
# answer. With the sweep every minute, a reply is answered within two minutes of any crash.
UNANSWERED_AFTER = timedelta(minutes=1)
SWEEP_LIMIT = 500
# Hourly, over the conversations that ended in the last week: an outage of days loses nothing.
ENDED_WITHIN = timedelta(days=7)


@task
async def receive_inbound_message(
    ctx: dict[str, Any], conversation_id: int, channel: str, body: str, provider_id: str | None
) -> None:
    """A reply matched to its conversation by a messaging webhook (queued by name after the
    webhook's commit): the conversation engine takes it."""
    await receive_lead_message(
        ctx["runtime"], conversation_id, Channel(channel), body, provider_id=provider_id
    )


@periodic(every_seconds=60)
async def send_due_follow_ups(ctx: dict[str, Any]) -> int:
    """Nudge leads who went quiet (two follow-ups, then cold), one thread turn each."""
    runtime: Runtime = ctx["runtime"]
    async with runtime.session() as session:
        due = await repository.due_follow_ups(session, SWEEP_LIMIT)
    engine = await get_engine(runtime)
    sent = 0
    for conversation_id, thread_id, follow_ups_sent in due:
        async with engine.locks.hold(thread_id) as held:
            if not held:
                continue
            if await engine.waiting_on(thread_id) == "new":  # composed, but its thread was lost
                await engine.run(thread_id, {"conversation_id": conversation_id})
            event = {"kind": "follow_up", "number": follow_ups_sent + 1}
            sent += await engine.resume(thread_id, "wait", event)
    return sent


@periodic(every_seconds=120)
async def restart_stalled_campaigns(ctx: dict[str, Any]) -> int:
    """Conversations opened but never started (their job was lost with a worker): start them."""
    runtime: Runtime = ctx["runtime"]
    async with runtime.session() as session:
        stalled = await repository.stalled_campaigns(session, utcnow() - STALLED_AFTER)
        for property_id, brokerage_id in stalled:
            schedule_campaign(session, brokerage_id, property_id)
        await commit(session)
    return len(stalled)


@periodic(every_seconds=60)
async def answer_unanswered_replies(ctx: dict[str, Any]) -> int:
    """Replies left unanswered because their job was lost or failed past its retries (a
    database outage longer than the backoff): answered now, once (only unanswered ones are)."""
    runtime: Runtime = ctx["runtime"]
    now = utcnow()
    async with runtime.session() as session:
        conversation_ids = await repository.with_unanswered_replies(
            session, now - UNANSWERED_AFTER, now - ENDED_WITHIN, SWEEP_LIMIT
        )
    await answer_waiting_replies(runtime, conversation_ids)
    return len(conversation_ids)


@periodic(every_seconds=3600)
async def forget_ended_threads(ctx: dict[str, Any]) -> int:
    """Delete the checkpoints of threads whose conversation ended without running them (an
    opt-out from another thread or a webhook). A thread that runs to its end is forgotten at
    once (`Engine.run`); a later reply to either is recorded, never answered."""
    runtime: Runtime = ctx["runtime"]
    async with runtime.session() as session:
        ended = await repository.threads_ended_since(session, ENDED, utcnow() - ENDED_WITHIN)
    engine = await get_engine(runtime)
    threads = list(ended)
    forgotten: list[int] = []
    for start in range(0, len(threads), SWEEP_LIMIT):
        for thread_id in await engine.started(threads[start : start + SWEEP_LIMIT]):
            async with engine.locks.hold(thread_id) as held:
                if held:
                    await engine.forget(thread_id)
                    forgotten.append(ended[thread_id])
    # A reply that came while the lease was held was left to this holder: record it.
    await answer_waiting_replies(runtime, forgotten)
    return len(forgotten)
