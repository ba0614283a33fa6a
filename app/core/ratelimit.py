"""Per-caller request limits: a fixed one-minute window in Redis, or in memory when embedded."""

from __future__ import annotations

import time
from collections import OrderedDict

from redis.asyncio import Redis


class RequestLimiter:
    def __init__(self, per_minute: int, redis: Redis | None = None) -> None:
        self.per_minute = per_minute
        self._redis = redis
        self._windows: OrderedDict[str, int] = OrderedDict()

    async def allow(self, caller: str) -> bool:
        window = f"brscale:rl:{caller}:{int(time.time() // 60)}"
        if self._redis is not None:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.incr(window)
                pipe.expire(window, 120)
                count, _ = await pipe.execute()
        else:
            count = self._windows.get(window, 0) + 1
            self._windows[window] = count
            self._windows.move_to_end(window)
            while len(self._windows) > 10_000:
                self._windows.popitem(last=False)
        return int(count) <= self.per_minute
