"""The one publish facade behind subscriptions: Redis pub/sub across processes, or in-process.

Each process with subscribers keeps a single Redis subscriber connection and fans messages out
to bounded queues (one per channel and audience, see graphql_schema/live.py); a queue that
overflows is emptied and given `OVERFLOW`, so its reader knows it missed events and catches up
from its last id rather than skip them in silence. It never blocks the others. Every queue is
given `OVERFLOW` too when the Redis connection comes back after it was lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any, Protocol

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

log = logging.getLogger(__name__)
QUEUE_SIZE = 10_000
# Put in a queue that overflowed, in place of what it held.
OVERFLOW: Any = object()
PREFIX = "brscale:events:"


Event = tuple[str, dict[str, Any]]


class EventBus(Protocol):
    async def publish(self, events: list[Event]) -> None:
        """Send (channel, payload) events, in order."""
        ...

    def subscribe(
        self, channel: str
    ) -> contextlib.AbstractAsyncContextManager[asyncio.Queue[Any]]: ...


class _FanOut:
    def __init__(self) -> None:
        self._subscribers: dict[str, set[asyncio.Queue[Any]]] = defaultdict(set)

    def deliver(self, channel: str, payload: Any) -> None:
        for queue in list(self._subscribers.get(channel, ())):
            if queue.full():
                while not queue.empty():
                    queue.get_nowait()
                queue.put_nowait(OVERFLOW)
                continue
            queue.put_nowait(payload)

    def interrupt(self) -> None:
        """Every subscriber may have missed events: each queue is emptied and given OVERFLOW."""
        for queues in self._subscribers.values():
            for queue in queues:
                while not queue.empty():
                    queue.get_nowait()
                queue.put_nowait(OVERFLOW)

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[asyncio.Queue[Any]]:
        queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=QUEUE_SIZE)
        self._subscribers[channel].add(queue)
        try:
            yield queue
        finally:
            self._subscribers[channel].discard(queue)
            if not self._subscribers[channel]:
                del self._subscribers[channel]


class InProcessEventBus(_FanOut):
    async def publish(self, events: list[Event]) -> None:
        for channel, payload in events:
            self.deliver(channel, payload)


class RedisEventBus(_FanOut):
    def __init__(self, redis: Redis) -> None:
        super().__init__()
        self._redis = redis
        # Pub/sub ignores Redis database numbers: name the database in the channel, so that
        # deployments (or test runs) sharing one Redis server never hear each other.
        self._prefix = f"{PREFIX}{redis.connection_pool.connection_kwargs.get('db', 0)}:"
        self._listener: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[asyncio.Queue[Any]]:
        # The process listens from its first subscriber on: a worker that only publishes never
        # spends time reading back every event it sends.
        if self._listener is None:
            self._listener = asyncio.create_task(self._listen())
        await asyncio.wait_for(self._ready.wait(), timeout=10)
        async with super().subscribe(channel) as queue:
            yield queue

    async def stop(self) -> None:
        if self._listener:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener

    async def publish(self, events: list[Event]) -> None:
        async with self._redis.pipeline(transaction=False) as pipe:
            for channel, payload in events:
                pipe.publish(self._prefix + channel, json.dumps(payload, default=str))
            await pipe.execute()

    async def _listen(self) -> None:
        lost = False
        while True:  # reconnect loop: pub/sub is at-most-once, clients re-query after a gap
            try:
                async with self._redis.pubsub() as pubsub:
                    await pubsub.psubscribe(self._prefix + "*")
                    self._ready.set()
                    if lost:
                        # What was published while it was away is gone from pub/sub (it is
                        # stored): every subscriber is told, and catches up from its last id.
                        self.interrupt()
                        lost = False
                    async for message in pubsub.listen():
                        if message["type"] == "pmessage":
                            channel = _text(message["channel"]).removeprefix(self._prefix)
                            self.deliver(channel, json.loads(message["data"]))
            except (RedisConnectionError, OSError):
                lost = True
                log.warning("event bus lost Redis; reconnecting")
                await asyncio.sleep(1)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
