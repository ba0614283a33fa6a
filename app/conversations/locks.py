"""Per-thread locks: one conversation turn at a time, across every process that can run one.

Redis when present (SET NX PX with a token, released by compare-and-delete), an in-process
lock otherwise. Acquisition never waits: the caller that fails to get the lock leaves its work
to the holder, which re-checks for new work after releasing (see `inbound.process_replies`).
"""

from __future__ import annotations

import abc
import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator, Sequence

from redis.asyncio import Redis

# Compare-and-delete / compare-and-extend over every key a holder leased with its token.
_RELEASE = """local n = 0
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then n = n + redis.call('DEL', key) end
end
return n"""
_RENEW = """for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('PEXPIRE', key, ARGV[2]) end
end
return 0"""


class ThreadLocks(abc.ABC):
    @abc.abstractmethod
    def hold_many(
        self, thread_ids: Sequence[str]
    ) -> contextlib.AbstractAsyncContextManager[set[str]]:
        """The locks of `thread_ids` that nobody holds, held by this caller until the block ends."""

    @contextlib.asynccontextmanager
    async def hold(self, thread_id: str) -> AsyncIterator[bool]:
        """One thread's lock: True when this caller holds it."""
        async with self.hold_many([thread_id]) as held:
            yield thread_id in held


class InProcessThreadLocks(ThreadLocks):
    def __init__(self) -> None:
        self._held: set[str] = set()

    @contextlib.asynccontextmanager
    async def hold_many(self, thread_ids: Sequence[str]) -> AsyncIterator[set[str]]:
        taken = set(thread_ids) - self._held
        self._held |= taken
        try:
            yield taken
        finally:
            self._held -= taken


class RedisThreadLocks(ThreadLocks):
    """A lease renewed while its holder runs: a killed worker's locks lapse within `ttl_ms`."""

    def __init__(self, redis: Redis, ttl_ms: int = 20_000) -> None:
        self._redis = redis
        self._ttl_ms = ttl_ms

    @contextlib.asynccontextmanager
    async def hold_many(self, thread_ids: Sequence[str]) -> AsyncIterator[set[str]]:
        """The locks of `thread_ids` that nobody holds, leased in one round trip under one
        token, renewed together while the block runs and released together after it."""
        token = secrets.token_hex(8)
        keys = {thread_id: f"brscale:thread-lock:{thread_id}" for thread_id in thread_ids}
        async with self._redis.pipeline(transaction=False) as pipe:
            for key in keys.values():
                pipe.set(key, token, nx=True, px=self._ttl_ms)
            leased = await pipe.execute()
        held = {thread_id for thread_id, ok in zip(keys, leased, strict=True) if ok}
        if not held:
            yield held
            return
        held_keys = [keys[thread_id] for thread_id in held]

        async def renew() -> None:
            while True:
                await asyncio.sleep(self._ttl_ms / 4000)
                await self._redis.eval(_RENEW, len(held_keys), *held_keys, token, self._ttl_ms)  # type: ignore[arg-type,misc]

        renewing = asyncio.create_task(renew())
        try:
            yield held
        finally:
            renewing.cancel()
            await asyncio.shield(self._redis.eval(_RELEASE, len(held_keys), *held_keys, token))  # type: ignore[arg-type,misc]
