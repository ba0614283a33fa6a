"""Per-thread locks: one conversation turn at a time, across every process that can run one.

Redis when present (SET NX PX with a token, released by compare-and-delete), an in-process
lock otherwise. Acquisition never waits: the caller that fails to get the lock leaves its work
to the holder, which re-checks for new work after releasing (see `inbound.process_replies`).
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator
from typing import Protocol

from redis.asyncio import Redis

_RELEASE = """if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0"""


class ThreadLocks(Protocol):
    def hold(self, thread_id: str) -> contextlib.AbstractAsyncContextManager[bool]: ...


class InProcessThreadLocks:
    def __init__(self) -> None:
        self._held: set[str] = set()

    @contextlib.asynccontextmanager
    async def hold(self, thread_id: str) -> AsyncIterator[bool]:
        if thread_id in self._held:
            yield False
            return
        self._held.add(thread_id)
        try:
            yield True
        finally:
            self._held.discard(thread_id)


class RedisThreadLocks:
    def __init__(self, redis: Redis, ttl_ms: int = 300_000) -> None:
        self._redis = redis
        self._ttl_ms = ttl_ms

    @contextlib.asynccontextmanager
    async def hold(self, thread_id: str) -> AsyncIterator[bool]:
        key, token = f"brscale:thread-lock:{thread_id}", secrets.token_hex(8)
        acquired = bool(await self._redis.set(key, token, nx=True, px=self._ttl_ms))
        try:
            yield acquired
        finally:
            if acquired:
                await asyncio.shield(self._redis.eval(_RELEASE, 1, key, token))  # type: ignore[arg-type,misc]
