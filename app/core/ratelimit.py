"""Per-caller request limits: a fixed one-minute window in Redis, or in memory when embedded.

When Redis is unreachable (a restart, a failover, a network blip), the limits fail open to a
count in the process's memory rather than closed: refusing every request for the length of a
Redis blip is an outage of its own. Each API process then enforces the whole budget itself
(so a caller may get one budget per process for that minute), and tries Redis again a second
later (`REDIS_RETRY_SECONDS`), not on every request.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator

from redis.asyncio import Redis

from app.core.faults import is_transient

log = logging.getLogger(__name__)
REDIS_RETRY_SECONDS = 1.0


class RedisOutage:
    """Whether to skip Redis for now: after a fault, for `REDIS_RETRY_SECONDS`."""

    def __init__(self, what: str) -> None:
        self._what = what
        self._until = 0.0

    def skip(self) -> bool:
        return time.monotonic() < self._until

    def started(self, exc: Exception) -> None:
        if not self.skip():
            log.warning(
                "Redis unreachable: %s counted in this process",
                self._what,
                extra={"error": repr(exc)},
            )
        self._until = time.monotonic() + REDIS_RETRY_SECONDS


class RequestLimiter:
    """At most `per_minute` requests per caller and minute, across processes with Redis.

    With Redis, a process takes a small lease of the window's budget at a time (a 60th of it, at
    most 20) and spends it locally: one round trip per lease, not per request, which was a
    tenth of a short read's time. A lease is granted only within the budget, so the limit is
    never exceeded; processes may together hold up to a lease each unspent, refused early.
    """

    def __init__(self, per_minute: int, redis: Redis | None = None) -> None:
        self.per_minute = per_minute
        self._redis = redis
        self._windows: OrderedDict[str, int] = OrderedDict()  # leases from Redis left unspent
        self._counts: OrderedDict[str, int] = OrderedDict()  # embedded, or Redis unreachable
        self._lease = max(1, min(20, per_minute // 60))
        self._outage = RedisOutage("request limits")

    async def allow(self, caller: str) -> bool:
        window = f"brscale:rl:{caller}:{int(time.time() // 60)}"
        if self._redis is not None and not self._outage.skip():
            left = self._windows.get(window, 0)
            if left > 0:
                self._windows[window] = left - 1
                return True
            try:
                async with self._redis.pipeline(transaction=True) as pipe:
                    pipe.incrby(window, self._lease)
                    pipe.expire(window, 120)
                    count, _ = await pipe.execute()
            except Exception as exc:
                if not is_transient(exc):
                    raise
                self._outage.started(exc)
            else:
                granted = max(0, min(self._lease, self.per_minute - (int(count) - self._lease)))
                self._remember(self._windows, window, max(0, granted - 1))
                return granted > 0
        count = self._counts.get(window, 0) + 1
        self._remember(self._counts, window, count)
        return count <= self.per_minute

    @staticmethod
    def _remember(windows: OrderedDict[str, int], window: str, value: int) -> None:
        windows[window] = value
        windows.move_to_end(window)
        while len(windows) > 10_000:
            windows.popitem(last=False)


class CallerSlots:
    """How many operations each caller runs at once in this process (each holds a pooled
    connection): a fair share of the pool, so one caller's flood waits on its own slots. A
    brokerage's callers together (its users and API keys) run at most `per_tenant` at once,
    so a brokerage with many callers floods only its own line, never the other brokerages'."""

    def __init__(self, per_caller: int, wait: float, per_tenant: int | None = None) -> None:
        self.per_caller = per_caller
        self.per_tenant = per_tenant if per_tenant is not None else per_caller
        self.wait = wait
        # caller or tenant -> (its slots, operations holding or waiting for one)
        self._shares: dict[str, tuple[asyncio.Semaphore, list[int]]] = {}

    @contextlib.asynccontextmanager
    async def hold(self, caller: str, tenant: str | None = None) -> AsyncIterator[bool]:
        """Yields False when no slot freed within `wait` seconds (the caller is told to slow
        down). With `tenant`, a slot of the tenant's share is held too (taken second: every
        operation takes them in the same order)."""
        deadline = asyncio.get_running_loop().time() + self.wait
        async with contextlib.AsyncExitStack() as stack:
            shares = [(f"caller:{caller}", self.per_caller)]
            if tenant is not None:
                shares.append((f"tenant:{tenant}", self.per_tenant))
            for key, size in shares:
                if not await stack.enter_async_context(self._slot(key, size, deadline)):
                    yield False
                    return
            yield True

    @contextlib.asynccontextmanager
    async def _slot(self, key: str, size: int, deadline: float) -> AsyncIterator[bool]:
        slots, users = self._shares.setdefault(key, (asyncio.Semaphore(size), [0]))
        users[0] += 1
        try:
            if slots.locked():
                left = deadline - asyncio.get_running_loop().time()
                try:  # a deadline on this task: no task of its own per wait (as wait_for made)
                    async with asyncio.timeout(max(left, 0.0)):
                        await slots.acquire()
                except TimeoutError:
                    yield False
                    return
            else:  # a free slot is taken at once: no timer and task for the wait
                await slots.acquire()
            try:
                yield True
            finally:
                slots.release()
        finally:
            users[0] -= 1
            if not users[0]:  # idle: forget the caller
                self._shares.pop(key, None)


class LoginThrottle:
    """Failed log-ins counted per account and per address over a window: in Redis, so every API
    process shares the count; in memory on the embedded default. Past either limit, attempts
    are refused before any password is checked (guessing costs us no hashing either)."""

    def __init__(
        self, redis: Redis | None, per_account: int, per_address: int, window_seconds: int
    ) -> None:
        self.per_account = per_account
        self.per_address = per_address
        self.window = window_seconds
        self._redis = redis
        self._memory: OrderedDict[str, tuple[int, float]] = OrderedDict()
        self._outage = RedisOutage("log-in throttling")

    @staticmethod
    def _keys(account: str, address: str) -> tuple[str, str]:
        # A hash, not the address itself: no email sits in Redis in clear.
        digest = hashlib.sha256(account.strip().lower().encode()).hexdigest()[:32]
        return f"brscale:login:account:{digest}", f"brscale:login:address:{address}"

    async def attempt(self, account: str, address: str) -> bool:
        """Count an attempt; False when the account or the address is over its limit."""
        account_key, address_key = self._keys(account, address)
        account_count = await self._incr(account_key)
        address_count = await self._incr(address_key)
        return account_count <= self.per_account and address_count <= self.per_address

    async def succeeded(self, account: str, address: str) -> None:
        """A right password: the account's count starts over, the address's attempt is undone."""
        account_key, address_key = self._keys(account, address)
        await self._forget(account_key)
        await self._incr(address_key, -1)

    async def _incr(self, key: str, by: int = 1) -> int:
        if self._redis is not None and not self._outage.skip():
            try:
                async with self._redis.pipeline(transaction=True) as pipe:
                    pipe.set(key, 0, ex=self.window, nx=True)  # the window starts at the first
                    pipe.incrby(key, by)
                    _, count = await pipe.execute()
                return int(count)
            except Exception as exc:
                if not is_transient(exc):
                    raise
                self._outage.started(exc)
        now = time.monotonic()
        count, until = self._memory.get(key, (0, now + self.window))
        if until <= now:
            count, until = 0, now + self.window
        self._memory[key] = (count + by, until)
        self._memory.move_to_end(key)
        while len(self._memory) > 100_000:
            self._memory.popitem(last=False)
        return count + by

    async def _forget(self, key: str) -> None:
        self._memory.pop(key, None)
        if self._redis is not None and not self._outage.skip():
            try:
                await self._redis.delete(key)
            except Exception as exc:
                if not is_transient(exc):
                    raise
                self._outage.started(exc)
