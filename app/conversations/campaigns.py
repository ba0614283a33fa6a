"""Campaigns: every match of a listing that can be reached gets exactly one conversation.

`run_campaign` creates the missing conversation rows in one set-based INSERT (a unique
(lead, property) pair makes a second run or a racing worker a no-op) and fans the new ones
out as `run_conversations` jobs of `BATCH` each; every worker runs them under its semaphore.

A campaign keeps at most `BATCHES_IN_FLIGHT` batches in the job queue: each batch queues the
next when it is done. Queuing all of them at once put a 10,000-lead campaign's hundred batches
ahead of every other brokerage's campaign, which waited for all of them; now the batches of
campaigns running together take turns in the queue.

A batch that fails for good (an error that is not a connection fault, or its last try) does
not stall its campaign: `batch_failed` queues the next batch at once and holds the failed
batch's leads (`Conversation.start_after`, skipped by `unstarted` until then, with the reason
in the broker's next action); the batch runs again later under its own id, after a wait that
doubles, and after `BATCH_TRIES` the leads still without a first message are closed with the
reason. A lead is never texted twice by this: a retried batch writes only the first messages
still missing.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from arq import Retry
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Brokerage
from app.activity.events import record_campaign_progress
from app.conversations.agent import (
    ENDED,
    FOLLOW_UP_AFTER,
    Loaded,
    draft_first_message,
    load_for_compose,
    open_on_inquiry,
    record_first_messages,
    waiting_for,
)
from app.conversations.broker_text import broker_text
from app.conversations.engine import Start, get_engine
from app.conversations.inbound import answer_waiting_replies
from app.conversations.model import Draft
from app.conversations.models import ConversationStatus, thread_id_for
from app.conversations.repository import (
    brokerage_language,
    campaign_counts,
    campaign_paused,
    hold_for_asked,
    hold_unstarted,
    insert_conversations,
    matches_without_conversation,
    unstarted,
    written_first,
)
from app.core.db import utcnow
from app.core.faults import is_transient
from app.core.jobs import enqueue, last_try, task, when_failed
from app.core.runtime import Runtime
from app.core.uow import commit
from app.matching.outreach import reachable_channels
from app.plans.service import month_used_up
from app.properties.triggers import schedule_campaign
from app.teams.routing import route_new_leads

log = logging.getLogger(__name__)

BATCH = 100
BATCHES_IN_FLIGHT = 2
BUSY_RETRY_SECONDS = 10
# A failed batch's tries, and the waits before its 2nd, 3rd... (its leads held meanwhile).
BATCH_TRIES = 6
HELD_FOR = (60, 120, 240, 480, 900)
# The held leads become the chain's again this long after their batch's own retry was due.
HOLD_MARGIN = 60


@task
async def reach_leads(
    ctx: dict[str, Any], brokerage_id: int, property_id: int, lead_ids: list[int]
) -> int:
    """Matching found a few new leads for this listing (`matching.triggers.new_leads_matched`):
    open and start their conversations now."""
    runtime: Runtime = ctx["runtime"]
    async with runtime.session() as session:
        await reach_new_leads(session, brokerage_id, property_id, lead_ids)
        await commit(session)
    return len(lead_ids)


async def reach_new_leads(
    session: AsyncSession, brokerage_id: int, property_id: int, lead_ids: list[int]
) -> None:
    """A few new leads matched this listing (a form, a portal's e-mail): their conversations
    open now and start in one urgent batch, ahead of any bulk campaign's queued batches, so a
    lead who just asked hears back within the minute."""
    if await campaign_paused(session, brokerage_id, property_id) or await month_used_up(
        session, brokerage_id, utcnow()
    ):
        schedule_campaign(session, brokerage_id, property_id)  # it knows when to hold
        return
    await open_conversations(session, brokerage_id, property_id, lead_ids=lead_ids)
    ids = await unstarted(session, property_id, lead_ids=lead_ids)
    if ids:
        # A lead who asked about another listing hears about that one first: this one
        # waits for the usual follow-up time (the stalled-campaign sweep starts it then).
        brokerage = await session.get(Brokerage, brokerage_id)
        held = await hold_for_asked(
            session,
            ids,
            window=FOLLOW_UP_AFTER,
            language=brokerage.language if brokerage is not None else "es",
        )
        ids = [conversation_id for conversation_id in ids if conversation_id not in held]
    if ids:
        enqueue(
            session,
            "run_conversations",
            brokerage_id,
            property_id,
            ids,
            job_id=f"conversations:{property_id}:{ids[0]}",
            urgent=True,
        )


async def open_conversations(
    session: AsyncSession, brokerage_id: int, property_id: int, *, lead_ids: list[int] | None = None
) -> int:
    """Create a conversation for every match (of `lead_ids`, if given) without one whose tier
    has a reachable channel."""
    now = utcnow()
    rows: list[dict[str, Any]] = []
    found = await matches_without_conversation(session, brokerage_id, property_id, lead_ids)
    for lead_id, tier, email, phone, stopped, language, default_language in found:
        # A channel the lead stopped ("no SMS") is no way to reach them.
        channels = [
            channel
            for channel in reachable_channels(tier, has_email=bool(email), has_phone=bool(phone))
            if channel.value not in (stopped or ())
        ]
        if not channels:
            continue  # the match stays; nobody to write to on this tier's channels
        rows.append(
            {
                "brokerage_id": brokerage_id,
                "lead_id": lead_id,
                "property_id": property_id,
                "thread_id": thread_id_for(lead_id, property_id),
                "status": ConversationStatus.RESPONDING,
                "channels": [c.value for c in channels],
                "language": language or default_language,
                "created_at": now,
                "updated_at": now,
            }
        )
    if rows:
        await insert_conversations(session, rows)
        # Leads nobody works yet get their agent now, before a first message speaks for one.
        await route_new_leads(session, brokerage_id, [r["lead_id"] for r in rows], property_id)
    return len(rows)


async def campaign_progress(session: AsyncSession, property_id: int) -> dict[str, Any]:
    """Matches, conversations by status, and how many have their first message out."""
    matches, by_status, started = await campaign_counts(session, property_id)
    total = sum(by_status.values())
    return {
        "property_id": property_id,
        "matches": matches or 0,
        "conversations": total,
        "started": started or 0,
        "pending": total - (started or 0),
        "by_status": by_status,
        "at": utcnow().isoformat(),
    }


def queue_batches(
    session: AsyncSession, brokerage_id: int, property_id: int, pendingids: list[int]
) -> None:
    """Queue the first `BATCHES_IN_FLIGHT` batches of the campaign's unstarted conversations
    (after the commit). A batch queued or running already keeps its job id (its first
    conversation's): queued again, it is a no-op, so only the batch after it is added."""
    for start in range(0, min(len(pendingids), BATCH * BATCHES_IN_FLIGHT), BATCH):
        batch = pendingids[start : start + BATCH]
        enqueue(
            session,
            "run_conversations",
            brokerage_id,
            property_id,
            batch,
            job_id=f"conversations:{property_id}:{batch[0]}",
        )


@task
async def run_campaign(ctx: dict[str, Any], brokerage_id: int, property_id: int) -> int:
    """Open the missing conversations of a listing and fan them out in batches."""
    runtime: Runtime = ctx["runtime"]
    async with runtime.session() as session:
        if await campaign_paused(session, brokerage_id, property_id):
            return 0
        if await month_used_up(session, brokerage_id, utcnow()):
            # New outreach waits for the plan's next month (the stalled-campaign sweep resumes
            # it); conversations already going keep being answered.
            log.warning("campaign held: monthly messages used up", extra={"property": property_id})
            return 0
        await open_conversations(session, brokerage_id, property_id)
        ids = await unstarted(session, property_id)
        queue_batches(session, brokerage_id, property_id, ids)
        record_campaign_progress(
            session, brokerage_id, property_id, await campaign_progress(session, property_id)
        )
        await commit(session)
    return len(ids)


@task
async def run_conversations(
    ctx: dict[str, Any], brokerage_id: int, property_id: int, conversation_ids: list[int]
) -> int:
    """Start a batch of conversations: first messages written in one transaction, then each
    thread run to its first wait, as many at once as the engine's slots allow."""
    runtime: Runtime = ctx["runtime"]
    engine = await get_engine(runtime)
    async with runtime.session() as session:
        if await campaign_paused(session, brokerage_id, property_id):
            return 0
        batch = await load_for_compose(session, conversation_ids)
        # Not yet composed, and not ended meanwhile (the lead opted out from another thread).
        pending = [
            item
            for item in batch
            if item.conversation.turn == 0 and item.conversation.status not in ENDED
        ]
        # A lead who wrote first (a form's question) is answered, not pitched.
        asked = await written_first(session, [item.conversation.id for item in pending])
        fresh = [item for item in pending if item.conversation.id not in asked]
        for item in pending:
            if item.conversation.id in asked:
                open_on_inquiry(session, item)
        now = utcnow()

        async def draft(item: Loaded) -> Draft:
            async with engine.slots:  # model calls, concurrently (an LLM is slow)
                return await draft_first_message(engine.context.model, item, now)

        drafts = await asyncio.gather(*(draft(item) for item in fresh))
        await record_first_messages(session, list(zip(fresh, drafts, strict=True)), now)
        # A batch retried after a crash finds its messages already queued (or none of them).
        waits = {item.conversation.id: waiting_for(item.conversation) for item in batch}
        threads = {item.conversation.id: item.conversation.thread_id for item in batch}
        await commit(session)
    outcomes = await engine.start_many([(cid, threads[cid], waits[cid]) for cid in threads])
    await answer_waiting_replies(runtime, list(threads))
    async with runtime.session() as session:
        record_campaign_progress(
            session, brokerage_id, property_id, await campaign_progress(session, property_id)
        )
        # The campaign's next batch, behind what other campaigns queued meanwhile.
        queue_batches(session, brokerage_id, property_id, await unstarted(session, property_id))
        await commit(session)
    if (
        Start.BUSY in outcomes
    ):  # threads a dead worker still held: try again once their lease lapses
        raise Retry(defer=BUSY_RETRY_SECONDS)
    return outcomes.count(Start.STARTED)


def _held_for(job_try: int) -> int:
    return HELD_FOR[min(job_try, len(HELD_FOR)) - 1]


@when_failed("run_conversations", tries=BATCH_TRIES)
async def batch_failed(
    ctx: dict[str, Any],
    error: Exception,
    brokerage_id: int,
    property_id: int,
    conversation_ids: list[int],
) -> int:
    """A batch failed this try, for good (`app.core.jobs.when_failed`): the campaign's next
    batch is queued now, behind nothing. The batch's leads still without a first message are
    held (with the reason in their next action) and the batch runs again after `_held_for`;
    on its last try they are closed with the reason, unless it was a connection fault (then
    they stay held for the chain, or the stalled-campaign sweep, to start later)."""
    runtime: Runtime = ctx["runtime"]
    job_try = int(ctx.get("job_try") or 1)
    final = last_try(ctx, "run_conversations")
    wait = _held_for(job_try)
    why = f"{type(error).__name__}: {error}"[:120]
    async with runtime.session() as session:
        language = await brokerage_language(session, brokerage_id)
        if final and not is_transient(error):
            closed = await hold_unstarted(
                session,
                conversation_ids,
                until=None,
                close=True,
                next_action=broker_text(
                    language, "next.start_failed", tries=str(job_try), error=why
                ),
            )
            log.error(
                "campaign batch failed for good: its leads closed with the reason",
                extra={"property": property_id, "conversations": closed, "error": why},
            )
        else:
            await hold_unstarted(
                session,
                conversation_ids,
                until=utcnow() + timedelta(seconds=wait + HOLD_MARGIN),
                next_action=broker_text(language, "next.start_held", error=why),
            )
        queue_batches(session, brokerage_id, property_id, await unstarted(session, property_id))
        record_campaign_progress(
            session, brokerage_id, property_id, await campaign_progress(session, property_id)
        )
        await commit(session)
    if not final:
        raise Retry(defer=wait)
    return 0
