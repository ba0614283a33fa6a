"""Token buckets: one process in memory, and shared by every worker through Redis."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from redis.asyncio import Redis

from integrations.ratelimit import InMemoryTokenBucket, Quota, RedisTokenBucket


@pytest_asyncio.fixture
async def redis_prefix() -> AsyncIterator[tuple[Redis, str]]:
    redis = Redis(host="127.0.0.1", port=6379)
    prefix = f"test:crm-ratelimit:{uuid.uuid4().hex}:"
    try:
        yield redis, prefix
    finally:
        keys = [key async for key in redis.scan_iter(match=f"{prefix}*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()


async def test_redis_limit_holds_across_two_limiter_instances(redis_prefix):
    redis, prefix = redis_prefix
    worker_a = RedisTokenBucket(redis, limit=5, window_seconds=60, prefix=prefix)
    worker_b = RedisTokenBucket(redis, limit=5, window_seconds=60, prefix=prefix)
    key = "hubspot:portal-1"

    waits = [await (worker_a if i % 2 else worker_b).try_acquire(key) for i in range(5)]
    sixth_a = await worker_a.try_acquire(key)
    sixth_b = await worker_b.try_acquire(key)

    assert waits == [0.0] * 5
    assert 11.0 < sixth_a <= 12.0  # one token per 12 s at 5 per minute
    assert 11.0 < sixth_b <= 12.0
    assert await worker_a.try_acquire("hubspot:portal-2") == 0.0  # accounts are separate


async def test_redis_retry_after_pause_blocks_the_other_worker(redis_prefix):
    redis, prefix = redis_prefix
    worker_a = RedisTokenBucket(redis, limit=100, window_seconds=10, prefix=prefix)
    worker_b = RedisTokenBucket(redis, limit=100, window_seconds=10, prefix=prefix)

    await worker_a.pause("followupboss:acct:global", 30)

    assert 29.0 < await worker_b.try_acquire("followupboss:acct:global") <= 30.0


async def test_redis_observed_headers_override_the_default(redis_prefix):
    redis, prefix = redis_prefix
    worker_a = RedisTokenBucket(redis, limit=250, window_seconds=10, prefix=prefix)
    worker_b = RedisTokenBucket(redis, limit=250, window_seconds=10, prefix=prefix)
    key = "followupboss:acct:global"

    await worker_a.observe(key, Quota(limit=20, remaining=1, window_seconds=10))

    assert await worker_b.try_acquire(key) == 0.0
    assert await worker_b.try_acquire(key) == pytest.approx(0.5, abs=0.05)  # 20 per 10 s


async def test_in_memory_bucket_refills_on_its_clock():
    now = [0.0]
    limiter = InMemoryTokenBucket(3, 1.0, clock=lambda: now[0])

    granted = [await limiter.try_acquire("k") for _ in range(3)]
    fourth = await limiter.try_acquire("k")
    now[0] += 1 / 3
    after_refill = await limiter.try_acquire("k")

    assert granted == [0.0, 0.0, 0.0]
    assert fourth == pytest.approx(1 / 3)
    assert after_refill == 0.0


async def test_in_memory_pause_and_observe():
    now = [0.0]
    limiter = InMemoryTokenBucket(100, 10.0, clock=lambda: now[0])

    await limiter.pause("k", 2.0)
    assert await limiter.try_acquire("k") == 2.0
    now[0] += 2.0
    await limiter.observe("k", Quota(limit=10, remaining=0, window_seconds=10))
    assert await limiter.try_acquire("k") == pytest.approx(1.0)
