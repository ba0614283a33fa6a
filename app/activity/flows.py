"""Storing and publishing activity events once the transaction that caused them commits.

One brokerage's events are stored and published one batch at a time (a PostgreSQL advisory lock
across processes), so their ids grow in the order subscribers receive them: a subscriber that
reconnects asking for everything after the last id it saw misses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from app.activity import repository
from app.activity.schemas import WEBHOOK_TYPES, activity_channel, event_payload
from app.core.services import ServiceKey

if TYPE_CHECKING:
    from app.core.runtime import Runtime

PUBLISH_LOCK: ServiceKey[asyncio.Lock] = ServiceKey("activity.publish_lock")


class _Pending:
    """A brokerage's batches waiting in this process to be stored: whoever holds `lock` writes
    every batch queued meanwhile in one go (a group commit)."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.batches: list[tuple[list[dict[str, Any]], asyncio.Future[list[int]]]] = []


PENDING: ServiceKey[dict[int, _Pending]] = ServiceKey("activity.pending")
# The name it has always logged under.
log = logging.getLogger("app.activity.events")


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
    postgres = runtime.settings.is_postgres
    # In one process (SQLite's only writer), a lock; across processes, PostgreSQL's.
    lock = runtime.services.setdefault(PUBLISH_LOCK, asyncio.Lock) if not postgres else None
    async with lock or contextlib.nullcontext(), runtime.engine.connect() as conn:
        if postgres:
            has_webhooks = await repository.lock_brokerage(conn, brokerage_id)
        try:
            ids = await repository.insert_events(conn, batch)
            if not postgres:
                has_webhooks = await repository.has_webhooks(conn, brokerage_id)
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
                await repository.unlock_brokerage(conn, brokerage_id)
    return ids
