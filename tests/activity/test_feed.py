"""The feed with a past: stored events, catch-up with `after:` across API processes, slow
subscribers told they fell behind, retention."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import websockets
from sqlalchemy import func, select, update

from app.accounts.principal import SCOPES, Principal
from app.activity.events import ActivityType, record_activity
from app.activity.models import ActivityEventRow
from app.activity.tasks import prune_activity
from app.core.config import Settings
from app.core.db import utcnow
from app.core.runtime import Runtime, open_runtime
from app.core.uow import commit
from graphql_schema.asgi import create_app
from graphql_schema.context import Context
from graphql_schema.live import HUB, hub_of
from graphql_schema.relay import decode_id, encode_id
from graphql_schema.schema import schema
from tests.conftest import Api
from tests.support.servers import serve

FEED = "subscription($after: ID) { agentActivity(after: $after) { id type } }"


async def record(runtime: Runtime, brokerage_id: int, *types: ActivityType) -> None:
    """What a worker does: events committed in one transaction, published from its process."""
    async with runtime.session() as session:
        for type_ in types:
            record_activity(session, brokerage_id, type_, lead_id=7)
        await commit(session)


async def stored_ids(runtime: Runtime) -> list[str]:
    async with runtime.session() as session:
        ids = await session.scalars(select(ActivityEventRow.id).order_by(ActivityEventRow.id))
        return [encode_id("ActivityEvent", i) for i in ids]


@contextlib.asynccontextmanager
async def subscriber(url: str, token: str, after: str | None) -> AsyncIterator[Any]:
    async with websockets.connect(
        url.replace("http", "ws") + "/graphql",
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
    ) as ws:
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
        )
        assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "connection_ack"
        payload = {"query": FEED, "variables": {"after": after}}
        await ws.send(json.dumps({"id": "feed", "type": "subscribe", "payload": payload}))
        yield ws


async def next_events(ws: Any, count: int) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    while len(events) < count:
        message = json.loads(await asyncio.wait_for(ws.recv(), 15))
        if message["type"] == "next":
            assert "errors" not in message["payload"], message
            events.append(message["payload"]["data"]["agentActivity"])
    return events


async def test_a_subscriber_that_reconnects_to_another_api_process_misses_nothing(
    pg_settings: Settings,
) -> None:
    async with (
        open_runtime(pg_settings) as api_a,
        open_runtime(pg_settings) as api_b,
        open_runtime(pg_settings) as worker,
        serve(create_app(runtime=api_a)) as url_a,
        serve(create_app(runtime=api_b)) as url_b,
    ):
        async with httpx.AsyncClient(base_url=url_a) as client:
            token = await Api(client).sign_up()
        await record(worker, 1, ActivityType.CONVERSATION_STARTED)
        (start,) = await stored_ids(worker)

        # Connected to process A: three events as they happen.
        async with subscriber(url_a, token, start) as ws:
            await record(worker, 1, ActivityType.MESSAGE_SENT)
            await record(worker, 1, ActivityType.LEAD_REPLIED, ActivityType.MESSAGE_SENT)
            seen = await next_events(ws, 3)
        # Dropped: four more happen meanwhile.
        await record(worker, 1, ActivityType.LEAD_QUALIFIED, ActivityType.HANDOFF_CREATED)
        await record(worker, 1, ActivityType.MESSAGE_SENT)
        await record(worker, 1, ActivityType.LEAD_OPTED_OUT)
        # Back, on process B, from the last id seen: the four missed, then live ones.
        async with subscriber(url_b, token, seen[-1]["id"]) as ws:
            caught_up = await next_events(ws, 4)
            await record(worker, 1, ActivityType.LEAD_REPLIED)
            live = await next_events(ws, 1)
        # The history agrees, newest first.
        async with httpx.AsyncClient(base_url=url_b) as client:
            api = Api(client)
            api.token = token
            history = await api.ok("{ activity(first: 20) { edges { node { id type } } } }")

    received = seen + caught_up + live
    all_ids = [e["node"]["id"] for e in history["activity"]["edges"]][::-1]
    assert [e["id"] for e in received] == all_ids[1:]  # every event after `start`, once, in order
    assert [e["type"] for e in received] == [
        "MESSAGE_SENT",
        "LEAD_REPLIED",
        "MESSAGE_SENT",
        "LEAD_QUALIFIED",
        "HANDOFF_CREATED",
        "MESSAGE_SENT",
        "LEAD_OPTED_OUT",
        "LEAD_REPLIED",
    ]


async def test_subscribers_on_one_process_are_sent_the_one_serialisation_of_each_event(
    pg_settings: Settings,
) -> None:
    """Fan-out: three sockets following the same feed on one API process; each event is
    resolved and serialised once, and every socket is sent the very same message text."""
    async with (
        open_runtime(pg_settings) as api,
        open_runtime(pg_settings) as worker,
        serve(create_app(runtime=api)) as url,
    ):
        async with httpx.AsyncClient(base_url=url) as client:
            token = await Api(client).sign_up()
        await record(worker, 1, ActivityType.CONVERSATION_STARTED)
        (start,) = await stored_ids(worker)
        async with (
            subscriber(url, token, start) as a,
            subscriber(url, token, start) as b,
            subscriber(url, token, start) as c,
        ):
            hub = api.services.get(HUB)
            for _ in range(200):  # the three joined one shared execution
                if hub is not None and hub.subscribers() == 3:
                    break
                await asyncio.sleep(0.05)
                hub = api.services.get(HUB)
            assert hub is not None and len(hub.groups) == 1
            await record(worker, 1, ActivityType.MESSAGE_SENT)
            await record(worker, 1, ActivityType.LEAD_REPLIED)
            sent = [[await next_text(ws) for _ in range(2)] for ws in (a, b, c)]
            assert hub.serialised == 2  # once per event, not once per subscriber
        stored = await stored_ids(worker)

    assert sent[0] == sent[1] == sent[2]
    events = [json.loads(text)["payload"]["data"]["agentActivity"] for text in sent[0]]
    assert [e["id"] for e in events] == stored[1:]
    assert [e["type"] for e in events] == ["MESSAGE_SENT", "LEAD_REPLIED"]


async def next_text(ws: Any) -> str:
    """The next `next` message, as the text the server sent."""
    while True:
        text = await asyncio.wait_for(ws.recv(), 15)
        if json.loads(text)["type"] == "next":
            return str(text)


async def _queued(runtime: Runtime, at_least: int) -> None:
    """Wait until this process has handed a subscriber `at_least` results it has not read."""
    for _ in range(200):
        hub = runtime.services.get(HUB)
        members = [m for g in (hub.groups.values() if hub else []) for m in g.members]
        if members and all(len(m.items) >= at_least for m in members):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the events never reached the subscriber's queue")


async def test_a_subscriber_too_slow_is_told_and_catches_up_from_its_last_id(
    pg_settings: Settings,
) -> None:
    settings = pg_settings.model_copy(update={"subscriber_queue_size": 5})
    async with open_runtime(settings) as runtime, open_runtime(settings) as worker:
        transport = httpx.ASGITransport(app=create_app(runtime=runtime))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            await Api(client).sign_up()
        await record(worker, 1, ActivityType.CONVERSATION_STARTED)
        (start,) = await stored_ids(worker)
        context = Context(
            runtime=runtime,
            request=None,  # type: ignore[arg-type]
            principal=Principal(1, 1, None, frozenset(SCOPES)),
        )
        stream: Any = await schema.subscribe(
            FEED, variable_values={"after": start}, context_value=context
        )
        first = asyncio.create_task(anext(stream))
        await record(worker, 1, ActivityType.MESSAGE_SENT)
        read = [(await first).data["agentActivity"]]
        # It stops reading while twenty events arrive: its queue holds five.
        for _ in range(20):
            await record(worker, 1, ActivityType.MESSAGE_SENT)
        await _queued(runtime, 1)
        await asyncio.sleep(0.5)
        told = await anext(stream)
        assert told.data is None
        (error,) = told.errors
        assert error.extensions == {"code": "SUBSCRIBER_TOO_SLOW", "lastEventId": read[0]["id"]}
        assert [r async for r in stream] == []  # the operation completes

        # It subscribes again from the id it was given and gets every event it missed.
        again: Any = await schema.subscribe(
            FEED, variable_values={"after": error.extensions["lastEventId"]}, context_value=context
        )
        for _ in range(20):
            read.append((await asyncio.wait_for(anext(again), 10)).data["agentActivity"])
        await again.aclose()
        assert hub_of(context).subscribers() == 0
        assert [e["id"] for e in read] == (await stored_ids(runtime))[1:]


async def cut_pubsub(runtime: Runtime) -> int:
    """Close this Redis database's pub/sub connections from the server side (a network cut)."""
    redis = runtime.redis
    assert redis is not None
    db = int(redis.connection_pool.connection_kwargs.get("db", 0))
    clients = [c for c in await redis.client_list(_type="pubsub") if int(c["db"]) == db]
    for client in clients:
        await redis.client_kill_filter(_id=client["id"])
    return len(clients)


async def test_a_process_that_lost_redis_tells_its_subscribers_who_then_miss_nothing(
    pg_settings: Settings,
) -> None:
    """Pub/sub keeps nothing for a connection that is away: an event published while the API
    process reconnects is not skipped in silence; its subscribers are told and catch up."""
    async with open_runtime(pg_settings) as runtime, open_runtime(pg_settings) as worker:
        transport = httpx.ASGITransport(app=create_app(runtime=runtime))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            await Api(client).sign_up()
        await record(worker, 1, ActivityType.CONVERSATION_STARTED)
        (start,) = await stored_ids(worker)
        context = Context(
            runtime=runtime,
            request=None,  # type: ignore[arg-type]
            principal=Principal(1, 1, None, frozenset(SCOPES)),
        )
        stream: Any = await schema.subscribe(
            FEED, variable_values={"after": start}, context_value=context
        )
        first = asyncio.create_task(anext(stream))
        await record(worker, 1, ActivityType.MESSAGE_SENT)
        read = [(await asyncio.wait_for(first, 10)).data["agentActivity"]]

        assert await cut_pubsub(runtime) == 1
        await record(worker, 1, ActivityType.LEAD_REPLIED)  # while the process is away
        told = await asyncio.wait_for(anext(stream), 15)
        assert told.data is None
        (error,) = told.errors
        assert error.extensions == {"code": "SUBSCRIBER_TOO_SLOW", "lastEventId": read[0]["id"]}

        again: Any = await schema.subscribe(
            FEED, variable_values={"after": error.extensions["lastEventId"]}, context_value=context
        )
        read.append((await asyncio.wait_for(anext(again), 10)).data["agentActivity"])
        await record(worker, 1, ActivityType.LEAD_QUALIFIED)  # and live again
        read.append((await asyncio.wait_for(anext(again), 10)).data["agentActivity"])
        await again.aclose()
        assert [e["id"] for e in read] == (await stored_ids(worker))[1:]
        assert [e["type"] for e in read] == ["MESSAGE_SENT", "LEAD_REPLIED", "LEAD_QUALIFIED"]


async def test_without_after_a_subscriber_hears_from_now_on_and_can_still_catch_up(
    pg_settings: Settings,
) -> None:
    """No replay of the history for a subscriber that gives no `after`; and one too slow
    before its first event is still given an id to catch up from (the latest it started at)."""
    settings = pg_settings.model_copy(update={"subscriber_queue_size": 5})
    async with open_runtime(settings) as runtime, open_runtime(settings) as worker:
        transport = httpx.ASGITransport(app=create_app(runtime=runtime))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            await Api(client).sign_up()
        await record(worker, 1, ActivityType.CONVERSATION_STARTED, ActivityType.MESSAGE_SENT)
        context = Context(
            runtime=runtime,
            request=None,  # type: ignore[arg-type]
            principal=Principal(1, 1, None, frozenset(SCOPES)),
        )
        stream: Any = await schema.subscribe(FEED, variable_values={}, context_value=context)
        first = asyncio.create_task(anext(stream))
        await asyncio.sleep(0.5)
        await record(worker, 1, ActivityType.LEAD_REPLIED)
        heard = (await asyncio.wait_for(first, 10)).data["agentActivity"]
        assert heard["type"] == "LEAD_REPLIED"  # not the two events stored before
        await stream.aclose()

        # Twenty events in one burst while it reads nothing: it is told with an id to resume
        # from (the event it started at, or the last one it was sent), never a null.
        quiet: Any = await schema.subscribe(FEED, variable_values={}, context_value=context)
        waiting = asyncio.create_task(anext(quiet))
        await asyncio.sleep(0.5)
        started_at = (await stored_ids(worker))[-1]
        await record(worker, 1, *[ActivityType.MESSAGE_SENT] * 20)
        sent = []
        result = await asyncio.wait_for(waiting, 10)
        while result.errors is None:
            sent.append(result.data["agentActivity"]["id"])
            result = await asyncio.wait_for(anext(quiet), 10)
        (error,) = result.errors
        assert error.extensions["code"] == "SUBSCRIBER_TOO_SLOW"
        assert error.extensions["lastEventId"] == (sent[-1] if sent else started_at)
        again: Any = await schema.subscribe(
            FEED, variable_values={"after": error.extensions["lastEventId"]}, context_value=context
        )
        while len(sent) < 20:
            sent.append((await asyncio.wait_for(anext(again), 10)).data["agentActivity"]["id"])
        await again.aclose()
        assert sent == (await stored_ids(worker))[-20:]


async def test_the_history_pages_newest_first_and_filters_by_listing(
    api: Api, runtime: Runtime
) -> None:
    await api.sign_up()
    listing = await api.ok(
        'mutation { createProperty(input: {title: "Depa", location: "Polanco", price: 100, '
        "operation: SALE}) { id } }"
    )
    property_id = decode_id(listing["createProperty"]["id"], "Property")
    async with runtime.session() as session:
        record_activity(session, 1, ActivityType.MESSAGE_SENT, property_id=property_id)
        record_activity(session, 1, ActivityType.LEAD_REPLIED)
        record_activity(session, 1, ActivityType.LEAD_QUALIFIED, property_id=property_id)
        await commit(session)
    query = """query($after: String, $p: ID) { activity(first: 2, after: $after, propertyId: $p) {
        edges { node { type property { title } } } pageInfo { hasNextPage endCursor } } }"""
    page = (await api.ok(query))["activity"]
    assert [e["node"]["type"] for e in page["edges"]] == ["LEAD_QUALIFIED", "LEAD_REPLIED"]
    assert page["pageInfo"]["hasNextPage"]
    rest = (await api.ok(query, {"after": page["pageInfo"]["endCursor"]}))["activity"]
    assert [e["node"]["type"] for e in rest["edges"]][:1] == ["MESSAGE_SENT"]
    only = (await api.ok(query, {"p": listing["createProperty"]["id"]}))["activity"]
    assert [e["node"] for e in only["edges"]] == [
        {"type": "LEAD_QUALIFIED", "property": {"title": "Depa"}},
        {"type": "MESSAGE_SENT", "property": {"title": "Depa"}},
    ]


async def test_events_past_the_retention_are_pruned(api: Api, runtime: Runtime) -> None:
    await api.sign_up()
    await record(runtime, 1, ActivityType.MESSAGE_SENT, ActivityType.LEAD_REPLIED)
    async with runtime.session() as session:
        oldest = await session.scalar(select(func.min(ActivityEventRow.id)))
        await session.execute(
            update(ActivityEventRow)
            .where(ActivityEventRow.id == oldest)
            .values(at=utcnow() - timedelta(days=31))
        )
        await session.commit()
    assert await prune_activity({"runtime": runtime}) == 1
    data = await api.ok("{ activity { edges { node { type } } } }")
    assert [e["node"]["type"] for e in data["activity"]["edges"]] == ["LEAD_REPLIED"]
