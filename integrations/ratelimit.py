"""Rate limits per CRM account: a token bucket in memory (embedded mode) or in Redis (all workers).

Buckets start from a configured default and then follow what the provider reports (limit,
remaining, window headers) and any `Retry-After`, which blocks the key for every caller.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Quota:
    """What a provider's rate-limit headers said about the current window."""

    limit: int
    remaining: int
    window_seconds: float


class RateLimiter(Protocol):
    async def try_acquire(self, key: str) -> float:
        """Take one token if possible: 0.0 when granted, else the seconds to wait first."""
        ...

    async def acquire(self, key: str) -> None:
        """Wait until one request under `key` is allowed, then take it."""
        ...

    async def observe(self, key: str, quota: Quota) -> None:
        """Adopt the provider's reported limit and never think more is left than it says."""
        ...

    async def pause(self, key: str, seconds: float) -> None:
        """Hold every caller of `key` for `seconds` (a 429's `Retry-After`)."""
        ...


async def wait_for_token(limiter: RateLimiter, key: str, sleep: Sleep) -> None:
    while (wait := await limiter.try_acquire(key)) > 0:
        await sleep(wait)


@dataclass
class _Bucket:
    capacity: float
    window: float
    tokens: float
    updated: float
    blocked_until: float = 0.0

    def refill(self, now: float) -> None:
        rate = self.capacity / self.window
        self.tokens = min(self.capacity, self.tokens + max(0.0, now - self.updated) * rate)
        self.updated = now


class InMemoryTokenBucket:
    """One process's buckets: right for embedded mode and tests, not shared across workers."""

    def __init__(
        self,
        limit: int,
        window_seconds: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._limit = limit
        self._window = window_seconds
        self._clock = clock
        self._sleep = sleep
        self._buckets: dict[str, _Bucket] = {}

    def _bucket(self, key: str) -> _Bucket:
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(self._limit, self._window, self._limit, now)
        bucket.refill(now)
        return bucket

    async def try_acquire(self, key: str) -> float:
        bucket = self._bucket(key)
        now = bucket.updated
        if bucket.blocked_until > now:
            return bucket.blocked_until - now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) * bucket.window / bucket.capacity

    async def acquire(self, key: str) -> None:
        await wait_for_token(self, key, self._sleep)

    async def observe(self, key: str, quota: Quota) -> None:
        bucket = self._bucket(key)
        if quota.limit > 0 and quota.window_seconds > 0:
            bucket.capacity, bucket.window = float(quota.limit), quota.window_seconds
        bucket.tokens = min(bucket.tokens, float(quota.remaining), bucket.capacity)

    async def pause(self, key: str, seconds: float) -> None:
        bucket = self._bucket(key)
        bucket.blocked_until = max(bucket.blocked_until, bucket.updated + seconds)


# One script for the three operations so the refill arithmetic exists once. Redis' own clock
# (TIME) is used so that workers on different machines agree on "now".
_BUCKET_SCRIPT = """
local key = KEYS[1]
local op = ARGV[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local h = redis.call('HMGET', key, 'tokens', 'ts', 'cap', 'window', 'blocked')
local cap = tonumber(h[3]) or tonumber(ARGV[2])
local window = tonumber(h[4]) or tonumber(ARGV[3])
local tokens = tonumber(h[1]) or cap
local ts = tonumber(h[2]) or now
local blocked = tonumber(h[5]) or 0
tokens = math.min(cap, tokens + math.max(0, now - ts) * cap / window)
local wait = 0
if op == 'acquire' then
  if blocked > now then
    wait = blocked - now
  elseif tokens >= 1 then
    tokens = tokens - 1
  else
    wait = (1 - tokens) * window / cap
  end
elseif op == 'observe' then
  local limit = tonumber(ARGV[4])
  local w = tonumber(ARGV[6])
  if limit > 0 and w > 0 then
    cap = limit
    window = w
  end
  tokens = math.min(tokens, tonumber(ARGV[5]), cap)
elseif op == 'pause' then
  blocked = math.max(blocked, now + tonumber(ARGV[4]))
end
redis.call('HSET', key, 'tokens', tostring(tokens), 'ts', tostring(now),
  'cap', tostring(cap), 'window', tostring(window), 'blocked', tostring(blocked))
local ttl = math.max(window * 2, blocked - now) + 1
redis.call('PEXPIRE', key, math.ceil(ttl * 1000))
return tostring(wait)
"""


class RedisTokenBucket:
    """Buckets kept in Redis, so every worker and API process shares one limit per CRM account."""

    def __init__(
        self,
        redis: Redis,
        limit: int,
        window_seconds: float,
        *,
        prefix: str = "brscale:ratelimit:",
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._redis = redis
        self._limit = limit
        self._window = window_seconds
        self._prefix = prefix
        self._sleep = sleep
        self._script = redis.register_script(_BUCKET_SCRIPT)

    async def _run(self, key: str, op: str, *args: float) -> float:
        result = await self._script(
            keys=[self._prefix + key], args=[op, self._limit, self._window, *args]
        )
        return float(result.decode() if isinstance(result, bytes) else result)

    async def try_acquire(self, key: str) -> float:
        return await self._run(key, "acquire")

    async def acquire(self, key: str) -> None:
        await wait_for_token(self, key, self._sleep)

    async def observe(self, key: str, quota: Quota) -> None:
        await self._run(key, "observe", quota.limit, quota.remaining, quota.window_seconds)

    async def pause(self, key: str, seconds: float) -> None:
        await self._run(key, "pause", seconds)
