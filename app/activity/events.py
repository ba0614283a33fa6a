"""The activity stream: every domain records what happened here; the feed, its subscriptions and
partners' webhooks read it.

An event is stored, then published, after the transaction that caused it commits. One
brokerage's events are stored and published one batch at a time (a PostgreSQL advisory lock
across processes), so their ids grow in the order subscribers receive them: a subscriber that
reconnects asking for everything after the last id it saw misses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
from collections import defaultdict
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.activity.models import ActivityEventRow
from app.core.db import utcnow
from app.core.services import ServiceKey
from app.core.uow import after_commit_batch

if TYPE_CHECKING:
    from app.core.runtime import Runtime


class ActivityType(enum.Enum):
    CONVERSATION_STARTED = "CONVERSATION_STARTED"
    MESSAGE_SENT = "MESSAGE_SENT"
    LEAD_REPLIED = "LEAD_REPLIED"
    LEAD_QUALIFIED = "LEAD_QUALIFIED"
    HANDOFF_CREATED = "HANDOFF_CREATED"
    LEAD_OPTED_OUT = "LEAD_OPTED_OUT"
    MATCHES_UPDATED = "MATCHES_UPDATED"
    VIEWING_CONFIRMED = "VIEWING_CONFIRMED"
    # A CRM sync: the first import starts and finishes; later passes show when they changed leads
    # or failed (quiet catch-ups every few minutes would drown the feed). `data.sync_run_id`.
    CRM_SYNC_STARTED = "CRM_SYNC_STARTED"
    CRM_SYNC_FINISHED = "CRM_SYNC_FINISHED"


# What partners can subscribe webhooks to (app/webhooks): their events are handed on.
WEBHOOK_TYPES = frozenset(
    {
        "LEAD_QUALIFIED",
        "HANDOFF_CREATED",
        "VIEWING_CONFIRMED",
        "LEAD_OPTED_OUT",
        "MESSAGE_SENT",
        "LEAD_REPLIED",
    }
)


class Stream(enum.StrEnum):
    """Which subscription serves an event."""

    ACTIVITY = "activity"  # agentActivity and the `activity` feed
    CAMPAIGN = "campaign"  # campaignProgress, per listing
    IMPORT = "import"  # importProgress, per import


PUBLISH_LOCK: ServiceKey[asyncio.Lock] = ServiceKey("activity.publish_lock")


class _Pending:
    """A brokerage's batches waiting in this process to be stored: whoever holds `lock` writes
    every batch queued meanwhile in one go (a group commit)."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.batches: list[tuple[list[dict[str, Any]], asyncio.Future[list[int]]]] = []


PENDING: ServiceKey[dict[int, _Pending]] = ServiceKey("activity.pending")
# The advisory lock space of "store and publish a brokerage's events" (any constant of ours).
_LOCK_SPACE = 0x0AC7
log = logging.getLogger(__name__)


def activity_channel(brokerage_id: int) -> str:
    """The one pub/sub channel of a brokerage's events (all streams): a process listens to all
    of them on one Redis connection and each audience filters what it wants."""
    return f"activity:{brokerage_id}"


def record_activity(
    session: AsyncSession,
    brokerage_id: int,
    type_: ActivityType,
    *,
    lead_id: int | None = None,
    property_id: int | None = None,
    conversation_id: int | None = None,
    message_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Store and publish an activity event once the transaction commits."""
    _record(
        session,
        {
            "brokerage_id": brokerage_id,
            "stream": Stream.ACTIVITY.value,
            "type": type_.value,
            "lead_id": lead_id,
            "property_id": property_id,
            "conversation_id": conversation_id,
            "message_id": message_id,
            "data": data,
        },
    )


def record_campaign_progress(
    session: AsyncSession, brokerage_id: int, property_id: int, figures: dict[str, Any]
) -> None:
    _record(
        session,
        {
            "brokerage_id": brokerage_id,
            "stream": Stream.CAMPAIGN.value,
            "type": "CAMPAIGN_PROGRESS",
            "property_id": property_id,
            "data": figures,
        },
    )


def record_import_progress(
    session: AsyncSession, brokerage_id: int, import_id: int, progress: dict[str, Any]
) -> None:
    _record(
        session,
        {
            "brokerage_id": brokerage_id,
            "stream": Stream.IMPORT.value,
            "type": "IMPORT_PROGRESS",
            "import_id": import_id,
            "data": progress,
        },
    )


_FIELDS = ("lead_id", "property_id", "conversation_id", "message_id", "import_id", "data")


def _record(session: AsyncSession, event: dict[str, Any]) -> None:
    event = {**{name: None for name in _FIELDS}, **event, "at": utcnow()}
    runtime: Runtime = session.info["runtime"]
    after_commit_batch(
        session, "activity", event, lambda events: store_and_publish(runtime, events)
    )


async def store_and_publish(runtime: Runtime, events: list[dict[str, Any]]) -> list[int]:
    """Store `events` (in order) and publish them with their ids; returns the ids."""
    by_brokerage: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for event in events:
        by_brokerage[event["brokerage_id"]].append(event)
    ids: list[int] = []
    for brokerage_id, batch in by_brokerage.items():
        try:
            ids.extend(await _store_and_publish_batch(runtime, brokerage_id, batch))
        except Exception:  # what caused them is committed: report, never undo it
            log.exception("activity events of brokerage %s not stored", brokerage_id)
    return ids


async def _store_and_publish_batch(
    runtime: Runtime, brokerage_id: int, batch: list[dict[str, Any]]
) -> list[int]:
    """Queue `batch` and write it with whatever else this process queued for the brokerage
    meanwhile. A process holds at most one connection per brokerage for this (waiting on the
    cross-process lock), however many transactions commit events at once: a campaign's or a
    burst of replies' commits used to park every pooled connection on the advisory lock."""
    pending = runtime.services.setdefault(PENDING, dict).setdefault(brokerage_id, _Pending())
    done: asyncio.Future[list[int]] = asyncio.get_running_loop().create_future()
    pending.batches.append((batch, done))
    async with pending.lock:
        if not done.done():
            taken, pending.batches = pending.batches, []
            try:
                ids = await _write_batch(
                    runtime, brokerage_id, [event for events, _ in taken for event in events]
                )
            except BaseException as exc:
                # Every waiter hears of it (a cancelled writer must not cancel the others).
                failure = exc if isinstance(exc, Exception) else RuntimeError("write cancelled")
                for _, waiting in taken:
                    if waiting is not done:
                        waiting.set_exception(failure)
                raise
            else:
                start = 0
                for events, waiting in taken:
                    waiting.set_result(ids[start : start + len(events)])
                    start += len(events)
    return await done


async def _write_batch(
    runtime: Runtime, brokerage_id: int, batch: list[dict[str, Any]]
) -> list[int]:
    table = cast(Table, ActivityEventRow.__table__)
    postgres = runtime.settings.is_postgres
    # In one process (SQLite's only writer), a lock; across processes, PostgreSQL's.
    lock = runtime.services.setdefault(PUBLISH_LOCK, asyncio.Lock) if not postgres else None
    async with lock or contextlib.nullcontext(), runtime.engine.connect() as conn:
        if postgres:
            # The lock and whether partners listen, in one round trip (a reply's events were
            # three transactions: ten round trips before its answer could start).
            locked = await conn.execute(
                text(
                    "SELECT pg_advisory_lock(:space, :key), EXISTS (SELECT 1 FROM "
                    "webhook_subscriptions WHERE brokerage_id = :key AND active)"
                ),
                {"space": _LOCK_SPACE, "key": brokerage_id},
            )
            has_webhooks = bool(locked.one()[1])
        try:
            rows = await conn.execute(
                table.insert().returning(table.c.id, sort_by_parameter_order=True), batch
            )
            ids = [row[0] for row in rows]
            if not postgres:
                has_webhooks = await _has_webhooks(conn, brokerage_id)
            await conn.commit()
            channel = activity_channel(brokerage_id)
            await runtime.events.publish(
                [
                    (channel, event_payload({**event, "id": event_id}))
                    for event, event_id in zip(batch, ids, strict=True)
                ]
            )
            hooked = [i for e, i in zip(batch, ids, strict=True) if e["type"] in WEBHOOK_TYPES]
            if hooked and has_webhooks:
                await runtime.jobs.enqueue(
                    "dispatch_webhooks", brokerage_id, hooked, job_id=f"webhooks:{hooked[0]}"
                )
        except BaseException:
            await conn.rollback()
            raise
        finally:
            if postgres:
                # Outside any transaction: one round trip, no BEGIN and COMMIT around it.
                await conn.execution_options(isolation_level="AUTOCOMMIT")
                await conn.execute(
                    text("SELECT pg_advisory_unlock(:space, :key)"),
                    {"space": _LOCK_SPACE, "key": brokerage_id},
                )
    return ids


async def _has_webhooks(conn: AsyncConnection, brokerage_id: int) -> bool:
    """Whether the brokerage has an active webhook subscription (app/webhooks' table)."""
    found = await conn.scalar(
        text("SELECT 1 FROM webhook_subscriptions WHERE brokerage_id = :b AND active LIMIT 1"),
        {"b": brokerage_id},
    )
    return found is not None


def event_payload(event: dict[str, Any]) -> dict[str, Any]:
    """An event as it travels (JSON) and as subscribers read it, stored or live alike."""
    at = event["at"]
    return {
        "id": event["id"],
        "brokerage_id": event["brokerage_id"],
        "stream": event["stream"],
        "type": event["type"],
        "at": at.isoformat() if hasattr(at, "isoformat") else at,
        **{name: event.get(name) for name in _FIELDS},
    }


def row_payload(row: ActivityEventRow) -> dict[str, Any]:
    return event_payload({c.key: getattr(row, c.key) for c in ActivityEventRow.__table__.c})
