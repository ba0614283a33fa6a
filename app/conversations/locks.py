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
_RENEW = """if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
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
    """A lease renewed while its holder runs: a killed worker's locks lapse within `ttl_ms`."""

    def __init__(self, redis: Redis, ttl_ms: int = 20_000) -> None:
        self._redis = redis
        self._ttl_ms = ttl_ms

    @contextlib.asynccontextmanager
    async def hold(self, thread_id: str) -> AsyncIterator[bool]:
        key, token = f"brscale:thread-lock:{thread_id}", secrets.token_hex(8)
        acquired = bool(await self._redis.set(key, token, nx=True, px=self._ttl_ms))
        if not acquired:
            yield False
            return

        async def renew() -> None:
            while True:
                await asyncio.sleep(self._ttl_ms / 4000)
                await self._redis.eval(_RENEW, 1, key, token, self._ttl_ms)  # type: ignore[arg-type,misc]

        renewing = asyncio.create_task(renew())
        try:
            yield True
        finally:
            renewing.cancel()
            await asyncio.shield(self._redis.eval(_RELEASE, 1, key, token))  # type: ignore[arg-type,misc]
