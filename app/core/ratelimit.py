"""Per-caller request limits: a fixed one-minute window in Redis, or in memory when embedded."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import OrderedDict
from collections.abc import AsyncIterator

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


class CallerSlots:
    """How many operations each caller runs at once in this process (each holds a pooled
    connection): a fair share of the pool, so one caller's flood waits on its own slots."""

    def __init__(self, per_caller: int, wait: float) -> None:
        self.per_caller = per_caller
        self.wait = wait
        # caller -> (its slots, operations holding or waiting for one)
        self._shares: dict[str, tuple[asyncio.Semaphore, list[int]]] = {}

    @contextlib.asynccontextmanager
    async def hold(self, caller: str) -> AsyncIterator[bool]:
        """Yields False when no slot freed within `wait` seconds (the caller is told to slow down)."""
        slots, users = self._shares.setdefault(caller, (asyncio.Semaphore(self.per_caller), [0]))
        users[0] += 1
        try:
            try:
                await asyncio.wait_for(slots.acquire(), self.wait)
            except TimeoutError:
                yield False
                return
            try:
                yield True
            finally:
                slots.release()
        finally:
            users[0] -= 1
            if not users[0]:  # idle: forget the caller
                self._shares.pop(caller, None)
