"""Live subscriptions shared per process and audience.

Subscribers of the same subscription document and variables in the same audience (brokerage,
scopes, and the agent for an AGENT) share one execution per process: each event is resolved
(rows read) and serialised once, then handed to every subscriber's small bounded queue. Each
subscriber runs only its own catch-up (the events after the `after:` id it gives, and its
permission checks), then follows the shared results, skipping those it already had by id.

Sending is what remains per subscriber: graphql_schema/sockets.py writes each shared result's
one serialised string to every socket (no execution, no JSON encoding per subscriber).

A subscriber whose queue fills (its socket does not keep up) is never skipped in silence: it gets
a `SUBSCRIBER_TOO_SLOW` error carrying `lastEventId`, its operation completes, and it catches up
by subscribing again with `after: lastEventId`.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import aclosing
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse
from graphql.error import GraphQLSyntaxError
from strawberry.types.execution import ExecutionResult, PreExecutionError

from app.core.services import ServiceKey
from graphql_schema.context import Context
from graphql_schema.relay import encode_id

log = logging.getLogger("brscale.live")

SHARED_FIELDS = frozenset({"agentActivity", "campaignProgress", "importProgress"})
TOO_SLOW = "SUBSCRIBER_TOO_SLOW"
READY_TIMEOUT = 10.0


@dataclass
class LiveState:
    """What a running subscription resolver tells its runner, through `live_state`.

    `catch_up`: send what the subscriber missed (or the current snapshot) and stop.
    `live`: subscribe to the bus, set `ready`, then follow it.
    `direct`: both, for a caller outside a shared runner.
    """

    mode: str = "direct"
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    last_id: int = 0  # the event behind the latest result
    finished: bool = False  # catch-up: the stream has nothing more to send (a finished import)


live_state: ContextVar[LiveState | None] = ContextVar("brscale_live_state", default=None)


def current_state() -> LiveState:
    return live_state.get() or LiveState()


@functools.lru_cache(maxsize=512)
def shared_root(query: str) -> bool:
    """Whether `query` is one subscription to one of the shared fields."""
    try:
        document = parse(query)
    except GraphQLSyntaxError:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1 or operations[0].operation is not OperationType.SUBSCRIPTION:
        return False
    selections = operations[0].selection_set.selections
    return (
        len(selections) == 1
        and getattr(selections[0], "name", None) is not None
        and selections[0].name.value in SHARED_FIELDS  # type: ignore[attr-defined]
    )


class SharedResult(ExecutionResult):
    """One shared result as every subscriber is sent it: its payload serialised once per process,
    then each `next` message only wraps that string with the operation id (see
    graphql_schema/sockets.py), one string per id, so subscribers using the same id (most
    clients start at "1") get the very same string."""

    def __init__(self, result: ExecutionResult, event_id: int) -> None:
        super().__init__(result.data, result.errors, result.extensions)
        self.event_id = event_id
        self.payload = json.dumps(_payload(result), separators=(",", ":"))
        self._messages: dict[tuple[str, str], str] = {}

    def message(self, kind: str, operation_id: str) -> str:
        """The whole message (`next` or legacy `data`) for one operation id."""
        key = (kind, operation_id)
        text = self._messages.get(key)
        if text is None:
            text = f'{{"id":{json.dumps(operation_id)},"type":"{kind}","payload":{self.payload}}}'
            if len(self._messages) < _MESSAGES_KEPT:
                self._messages[key] = text
        return text


_MESSAGES_KEPT = 32
# Runs the subscription's document for a context: the schema's own `stream`.
Source = Callable[[Context], Awaitable[Any]]
_END = object()
_OVERFLOW = object()


class _Member:
    """One subscriber: its bounded backlog of shared results, and nothing else. The group hands
    each result to every member at once; the member's own task wakes only to send it."""

    __slots__ = ("items", "size", "waiter")

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: deque[Any] = deque()
        self.waiter: asyncio.Future[None] | None = None

    def offer(self, item: Any) -> None:
        if item is _END or len(self.items) < self.size:
            self.items.append(item)
        else:
            # Too slow: what is waiting is dropped and it is told so, catching up by id.
            self.items.clear()
            self.items.append(_OVERFLOW)
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    async def take(self) -> Any:
        while not self.items:
            self.waiter = asyncio.get_running_loop().create_future()
            try:
                await self.waiter
            finally:
                self.waiter = None
        return self.items.popleft()


class _Group:
    """The one execution that serves every member of an audience in this process."""

    def __init__(self, hub: LiveHub) -> None:
        self.hub = hub
        self.members: set[_Member] = set()
        self.ready = asyncio.Event()
        self.ended = False
        self.task: asyncio.Task[None] | None = None

    async def run(self, source: Source, context: Context) -> None:
        state = LiveState(mode="live", ready=self.ready)
        live_state.set(state)  # this task's own context
        try:
            stream = await source(context)
            async with aclosing(stream):
                async for result in stream:
                    if isinstance(result, PreExecutionError) or not self.ready.is_set():
                        return  # refused: each member's own execution reports why
                    shared = SharedResult(result, state.last_id)
                    self.hub.serialised += 1
                    for member in self.members:
                        member.offer(shared)
        except Exception:
            log.exception("shared subscription failed")
        finally:
            self.ended = True
            self.ready.set()
            for member in list(self.members):
                member.offer(_END)


def _payload(result: ExecutionResult) -> dict[str, Any]:
    payload: dict[str, Any] = {"data": result.data}
    if result.errors:
        payload["errors"] = [error.formatted for error in result.errors]
    if result.extensions:
        payload["extensions"] = result.extensions
    return payload


def too_slow(last_id: int) -> ExecutionResult:
    last = encode_id("ActivityEvent", last_id) if last_id else None
    return ExecutionResult(
        data=None,
        errors=[
            GraphQLError(
                "You fell behind the live events: subscribe again with `after: lastEventId` "
                "to catch up.",
                extensions={"code": TOO_SLOW, "lastEventId": last},
            )
        ],
    )


def _is_too_slow(result: ExecutionResult) -> bool:
    return any((e.extensions or {}).get("code") == TOO_SLOW for e in result.errors or ())


class LiveHub:
    """The groups of one process (one per schema; keyed by document, variables and audience)."""

    def __init__(self) -> None:
        self.groups: dict[tuple[Any, ...], _Group] = {}
        self.serialised = 0  # shared results serialised: once per event and audience

    @staticmethod
    def key(
        query: str, variables: dict[str, Any] | None, operation_name: str | None, context: Context
    ) -> tuple[Any, ...]:
        principal = context.caller()
        live_variables = {k: v for k, v in (variables or {}).items() if k != "after"}
        return (
            query,
            operation_name,
            json.dumps(live_variables, sort_keys=True, default=str),
            principal.brokerage_id,
            principal.scopes,
            principal.agent_id,  # an AGENT hears only about their own leads
        )

    def subscribers(self) -> int:
        return sum(len(group.members) for group in self.groups.values())

    async def stream(
        self,
        *,
        key: tuple[Any, ...],
        context: Context,
        queue_size: int,
        source: Source,
    ) -> AsyncGenerator[ExecutionResult, None]:
        """One subscriber: join (or start) its group, catch up on its own, then follow."""
        group = self.groups.get(key)
        if group is None or group.ended:
            group = self.groups[key] = _Group(self)
            leader_context = Context(
                runtime=context.runtime, request=context.request, principal=context.principal
            )
            group.task = asyncio.create_task(group.run(source, leader_context))
        member = _Member(queue_size)
        group.members.add(member)
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(group.ready.wait(), READY_TIMEOUT)
            state = LiveState(mode="catch_up")
            token = live_state.set(state)
            try:
                own = await source(context)
                async with aclosing(own):
                    async for result in own:
                        yield result
                        if result.data is None:
                            return  # refused (validation, permission, rate limit)
            finally:
                with contextlib.suppress(ValueError):
                    live_state.reset(token)
            if state.finished:
                return
            last = state.last_id
            while True:
                item = await member.take()
                if item is _END:
                    return
                if item is _OVERFLOW:
                    yield too_slow(last)
                    return
                if item.data is None:  # the shared execution failed or fell behind
                    yield too_slow(last) if _is_too_slow(item) else item
                    return
                if item.event_id <= last:
                    continue  # had it from the catch-up
                last = item.event_id
                yield item
        finally:
            group.members.discard(member)
            if not group.members and self.groups.get(key) is group:
                del self.groups[key]
                if group.task is not None:
                    group.task.cancel()


HUB: ServiceKey[LiveHub] = ServiceKey("graphql.live_hub")


def hub_of(context: Context) -> LiveHub:
    return context.runtime.services.setdefault(HUB, LiveHub)
