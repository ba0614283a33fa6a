"""The activity feed: its history (`activity`) and the live `agentActivity`, both fed by stored
events with ids that order them; a reconnecting subscriber passes the last id it saw as `after`."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from datetime import datetime
from typing import Any, ClassVar

import strawberry
from sqlalchemy import Select, select
from strawberry import relay

from app.activity import repository
from app.activity.events import ActivityType, Stream, activity_channel, row_payload
from app.activity.models import ActivityEventRow
from app.conversations.models import Conversation as ConversationRow
from app.core.errors import DomainError
from app.core.events import OVERFLOW
from app.core.runtime import Runtime
from app.core.tenancy import get_scoped
from app.crm_sync.models import SyncRun as SyncRunRow
from app.leads.models import Lead as LeadRow
from app.messaging.models import Message as MessageRow
from app.properties.models import Property as PropertyRow
from graphql_schema.context import Info
from graphql_schema.conversations.types import Conversation, Message
from graphql_schema.crm.types import SyncRun
from graphql_schema.leads.types import Lead
from graphql_schema.live import TOO_SLOW, LiveState, current_state, too_slow
from graphql_schema.loaders import rows_of
from graphql_schema.nodes import ScopedNode
from graphql_schema.properties.types import Property
from graphql_schema.relay import Connection, decode_id, encode_id, paginate

ActivityTypeEnum = strawberry.enum(ActivityType, name="ActivityType")
CATCH_UP_PAGE = 200


@strawberry.type(
    description="Something the AI did or saw. `id` orders events: pass the last one "
    "you saw as `after` to a subscription to catch up on what you missed."
)
class ActivityEvent(ScopedNode, relay.Node):
    model: ClassVar[type[Any]] = ActivityEventRow
    scope: ClassVar[str] = "conversations:read"
    id: relay.NodeID[int]
    type: ActivityTypeEnum  # type: ignore[valid-type]
    at: datetime
    lead_id: strawberry.Private[int | None]
    property_id: strawberry.Private[int | None]
    conversation_id: strawberry.Private[int | None]
    message_id: strawberry.Private[int | None]
    sync_run_id: strawberry.Private[int | None] = None

    @strawberry.field
    async def conversation(self, info: Info) -> Conversation | None:
        row = (
            await rows_of(info, ConversationRow).load(self.conversation_id)
            if self.conversation_id
            else None
        )
        return Conversation.from_row(row) if row else None

    @strawberry.field
    async def lead(self, info: Info) -> Lead | None:
        row = await rows_of(info, LeadRow).load(self.lead_id) if self.lead_id else None
        return Lead.from_row(row) if row else None

    @strawberry.field
    async def property(self, info: Info) -> Property | None:
        row = await rows_of(info, PropertyRow).load(self.property_id) if self.property_id else None
        return Property.from_row(row) if row else None

    @strawberry.field
    async def message(self, info: Info) -> Message | None:
        row = await rows_of(info, MessageRow).load(self.message_id) if self.message_id else None
        return Message.from_row(row) if row else None

    @strawberry.field(
        description="CRM_SYNC_STARTED and CRM_SYNC_FINISHED: the sync and its counts."
    )
    async def sync_run(self, info: Info) -> SyncRun | None:
        row = await rows_of(info, SyncRunRow).load(self.sync_run_id) if self.sync_run_id else None
        return SyncRun.from_row(row) if row else None

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> ActivityEvent:
        return cls(
            id=payload["id"],
            type=ActivityType(payload["type"]),
            at=datetime.fromisoformat(payload["at"]),
            lead_id=payload.get("lead_id"),
            property_id=payload.get("property_id"),
            conversation_id=payload.get("conversation_id"),
            message_id=payload.get("message_id"),
            sync_run_id=(payload.get("data") or {}).get("sync_run_id"),
        )

    @classmethod
    def from_row(cls, row: ActivityEventRow) -> ActivityEvent:
        return cls.from_payload(row_payload(row))


def decode_after(after: strawberry.ID | None) -> int:
    """The database id of an `after:` event id (0: from now on)."""
    return decode_id(after, "ActivityEvent") if after is not None else 0


def event_id(value: int | None) -> strawberry.ID | None:
    return strawberry.ID(encode_id("ActivityEvent", value)) if value else None


async def follow(
    runtime: Runtime,
    brokerage_id: int,
    stmt: Select[Any],
    wanted: Callable[[dict[str, Any]], bool],
    after: int,
) -> AsyncGenerator[dict[str, Any], None]:
    """The event payloads of one stream: those stored after `after` (catch-up), then live ones,
    each once and in id order. Which part runs depends on the runner (graphql_schema/live.py)."""
    state = current_state()
    state.last_id = max(state.last_id, after)
    if state.mode == "catch_up":
        async for payload in _stored_after(runtime, stmt, state):
            yield payload
        return
    async with runtime.events.subscribe(activity_channel(brokerage_id)) as queue:
        state.ready.set()
        if state.mode == "direct" and after:
            async for payload in _stored_after(runtime, stmt, state):
                yield payload
        while True:
            payload = await queue.get()
            if payload is OVERFLOW:
                raise SubscriberTooSlow(state.last_id)
            if payload["id"] <= state.last_id or not wanted(payload):
                continue
            state.last_id = payload["id"]
            yield payload


async def _stored_after(
    runtime: Runtime, stmt: Select[Any], state: LiveState
) -> AsyncGenerator[dict[str, Any], None]:
    while True:
        async with runtime.session() as session:
            rows = await repository.events_after(session, stmt, state.last_id, CATCH_UP_PAGE)
        for row in rows:
            state.last_id = row.id
            yield row_payload(row)
        if len(rows) < CATCH_UP_PAGE:
            return


class SubscriberTooSlow(DomainError):
    """This process fell behind the events (its queue from the bus overflowed): the subscriber
    is told, with the last id it was sent, and catches up from it."""

    code = TOO_SLOW

    def __init__(self, last_id: int) -> None:
        super().__init__(too_slow(last_id).errors[0].message)  # type: ignore[index]
        self.last_id = last_id

    @property
    def extensions(self) -> dict[str, Any]:
        return {"code": self.code, "lastEventId": event_id(self.last_id)}


async def _listing(info: Info, brokerage_id: int, property_id: strawberry.ID | None) -> int | None:
    if property_id is None:
        return None
    wanted = decode_id(property_id, "Property")
    async with info.context.runtime.session() as session:
        await get_scoped(session, PropertyRow, brokerage_id, wanted, what="Property")
    return wanted


@strawberry.type
class ActivityQuery:
    @strawberry.field(
        description="The history behind the live feed, newest first (kept "
        "BRSCALE_ACTIVITY_RETENTION_DAYS days), optionally for one listing."
    )
    async def activity(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        property_id: strawberry.ID | None = None,
    ) -> Connection[ActivityEvent]:
        principal = info.context.require("conversations:read")
        listing = await _listing(info, principal.brokerage_id, property_id)
        stmt = repository.feed(principal.brokerage_id, Stream.ACTIVITY, property_id=listing)
        return await paginate(
            info.context.session,
            stmt,
            order=[ActivityEventRow.id],
            first=first,
            after=after,
            convert=ActivityEvent.from_row,
        )


@strawberry.type
class ActivitySubscription:
    @strawberry.subscription(
        description="What the AI is doing, live, optionally for one listing, from now on. With "
        "`after` (the last `ActivityEvent.id` you saw), the events you missed come first, in "
        "order."
    )
    async def agent_activity(
        self,
        info: Info,
        property_id: strawberry.ID | None = None,
        after: strawberry.ID | None = None,
    ) -> AsyncGenerator[ActivityEvent, None]:
        principal = info.context.require("conversations:read")
        since = decode_after(after)
        listing = await _listing(info, principal.brokerage_id, property_id)
        stmt = repository.feed(principal.brokerage_id, Stream.ACTIVITY, property_id=listing)
        if not since and current_state().mode != "live":
            # Without `after`, from now on: the latest stored event is where it starts (never
            # a replay of the history), and the id a subscriber too slow before its first
            # event is given to catch up from.
            async with info.context.runtime.session() as session:
                latest = await repository.latest(session, stmt)
            since = latest.id if latest is not None else 0

        def wanted(payload: dict[str, Any]) -> bool:
            return payload["stream"] == Stream.ACTIVITY.value and (
                listing is None or payload.get("property_id") == listing
            )

        events = follow(info.context.runtime, principal.brokerage_id, stmt, wanted, since)
        try:
            async for payload in events:
                if principal.agent_id is not None and not await _assigned_to(
                    info, payload.get("lead_id"), principal.agent_id
                ):
                    continue  # an agent hears only about their own leads
                info.context.loaders.clear()  # each event reads fresh rows
                yield ActivityEvent.from_payload(payload)
        finally:
            await events.aclose()


async def _assigned_to(info: Info, lead_id: int | None, agent_id: int) -> bool:
    """Whether the event's lead is the agent's (an event about no lead is about a listing,
    which the whole team shares)."""
    if lead_id is None:
        return True
    async with info.context.runtime.session() as session:
        assignee = await session.scalar(select(LeadRow.assignee_id).where(LeadRow.id == lead_id))
    return assignee == agent_id
