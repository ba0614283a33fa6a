"""Partners' transport: automatic persisted queries (Apollo's APQ protocol) shared by every API
process, and query cost and depth limits answering with codes."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from graphql import parse

from app.activity.events import ActivityType, record_activity
from app.core.config import Settings
from app.core.runtime import open_runtime
from app.core.uow import commit
from graphql_schema import cost as cost_module
from graphql_schema.asgi import create_app
from graphql_schema.cost import MAX_COST, operation_cost, remembered_cost
from graphql_schema.schema import schema
from tests.conftest import Api, error_codes
from tests.support.servers import serve

ROOT = Path(__file__).resolve().parents[2]
ME = "query Me { me { email } }"
DIGEST = hashlib.sha256(ME.encode()).hexdigest()
PERSISTED = {"persistedQuery": {"version": 1, "sha256Hash": DIGEST}}


async def test_a_persisted_query_round_trip_across_api_processes(pg_settings: Settings) -> None:
    async with open_runtime(pg_settings) as runtime_a, open_runtime(pg_settings) as runtime_b:
        a = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(runtime=runtime_a)), base_url="http://a"
        )
        b = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(runtime=runtime_b)), base_url="http://b"
        )
        async with a, b:
            token = await Api(a).sign_up()
            auth = {"Authorization": f"Bearer {token}"}
            # The hash alone, unknown: the client is asked for the query.
            miss = (await a.post("/graphql", json={"extensions": PERSISTED}, headers=auth)).json()
            assert miss["errors"][0]["message"] == "PersistedQueryNotFound"
            assert error_codes(miss) == ["PERSISTED_QUERY_NOT_FOUND"]
            # The query with its hash: it runs, and is registered.
            body = {"query": ME, "extensions": PERSISTED}
            registered = (await a.post("/graphql", json=body, headers=auth)).json()
            assert registered == {"data": {"me": {"email": "ana@example.com"}}}
            # From then on the hash is enough, on any API process.
            for client in (a, b):
                hit = await client.post("/graphql", json={"extensions": PERSISTED}, headers=auth)
                assert hit.json() == {"data": {"me": {"email": "ana@example.com"}}}
            # A query that does not match its hash is refused, and not registered.
            wrong = {"query": "{ brokerage { name } }", "extensions": PERSISTED}
            refused = (await b.post("/graphql", json=wrong, headers=auth)).json()
            assert error_codes(refused) == ["BAD_USER_INPUT"]
            again = await a.post("/graphql", json={"extensions": PERSISTED}, headers=auth)
            assert again.json()["data"] == {"me": {"email": "ana@example.com"}}


async def test_a_persisted_subscription_over_a_websocket(pg_settings: Settings) -> None:
    """APQ on graphql-transport-ws as over HTTP: `subscribe` with the hash alone is refused until
    the query was sent once with it (over HTTP or the socket), then the hash is enough."""
    feed = "subscription { agentActivity { type } }"
    digest = hashlib.sha256(feed.encode()).hexdigest()
    persisted = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    async with (
        open_runtime(pg_settings) as api,
        open_runtime(pg_settings) as worker,
        serve(create_app(runtime=api)) as url,
    ):
        async with httpx.AsyncClient(base_url=url) as client:
            token = await Api(client).sign_up()
        async with websockets.connect(
            url.replace("http", "ws") + "/graphql",
            subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
        ) as ws:

            async def send(message: dict[str, object]) -> None:
                await ws.send(json.dumps(message))

            async def receive() -> dict[str, Any]:
                return dict(json.loads(await asyncio.wait_for(ws.recv(), 10)))

            await send({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
            assert (await receive())["type"] == "connection_ack"
            # The hash alone, unknown: an error for that operation, the socket stays open.
            await send({"id": "1", "type": "subscribe", "payload": {"extensions": persisted}})
            miss = await receive()
            assert miss["id"] == "1" and miss["type"] == "error"
            assert [e["extensions"]["code"] for e in miss["payload"]] == [
                "PERSISTED_QUERY_NOT_FOUND"
            ]
            # A query that does not match its hash is refused, and not registered.
            wrong = {"query": 'subscription { importProgress(importId: "1") { id } }'}
            await send(
                {"id": "2", "type": "subscribe", "payload": {**wrong, "extensions": persisted}}
            )
            refused = await receive()
            assert refused["type"] == "error"
            assert refused["payload"][0]["extensions"]["code"] == "BAD_USER_INPUT"
            # The query with its hash: it runs, and is registered.
            payload = {"query": feed, "extensions": persisted}
            await send({"id": "3", "type": "subscribe", "payload": payload})
            await send({"id": "3", "type": "complete"})
            # From then on the hash is enough.
            await send({"id": "4", "type": "subscribe", "payload": {"extensions": persisted}})
            heard: dict[str, Any] = {}
            for _ in range(40):  # pub/sub keeps nothing for late subscribers: publish until heard
                async with worker.session() as session:
                    record_activity(session, 1, ActivityType.LEAD_REPLIED)
                    await commit(session)
                with contextlib.suppress(TimeoutError):
                    heard = dict(json.loads(await asyncio.wait_for(ws.recv(), 0.25)))
                    break
            assert heard == {
                "id": "4",
                "type": "next",
                "payload": {"data": {"agentActivity": {"type": "LEAD_REPLIED"}}},
            }


async def test_persisted_queries_work_embedded_too(sqlite_settings: Settings) -> None:
    async with open_runtime(sqlite_settings) as runtime:
        transport = httpx.ASGITransport(app=create_app(runtime=runtime))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            token = await Api(client).sign_up()
            auth = {"Authorization": f"Bearer {token}"}
            miss = await client.post("/graphql", json={"extensions": PERSISTED}, headers=auth)
            assert error_codes(miss.json()) == ["PERSISTED_QUERY_NOT_FOUND"]
            body = {"query": ME, "extensions": PERSISTED}
            await client.post("/graphql", json=body, headers=auth)
            hit = await client.post("/graphql", json={"extensions": PERSISTED}, headers=auth)
            assert hit.json() == {"data": {"me": {"email": "ana@example.com"}}}


def frontend_documents() -> list[str]:
    """Every operation the dashboard sends (from its generated document map)."""
    source = (ROOT / "frontend" / "src" / "gql" / "gql.ts").read_text()
    return [json.loads(f'"{m}"') for m in re.findall(r'^    "(.*)": typeof', source, re.M)]


def test_a_documents_cost_is_worked_out_once_per_page_sizes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    document = parse(
        "query($a: Int, $b: Int, $s: String) { leads(first: $a, search: $s) { edges { node { "
        "name matches(first: $b) { edges { node { score } } } } } } }"
    )
    walks: list[dict[str, object]] = []

    def walked(*args: Any) -> int:
        walks.append(args[3])
        return operation_cost(*args)

    monkeypatch.setattr(cost_module, "operation_cost", walked)

    def cost(variables: dict[str, object]) -> int:
        return remembered_cost(schema._schema, document, None, variables)

    first = cost({"a": 10, "b": 2})
    assert first == operation_cost(schema._schema, document, None, {"a": 10, "b": 2})
    assert cost({"b": 2, "a": 10, "s": "ana"}) == first  # the search does not change it
    assert cost({"a": 10, "b": 3}) > first
    assert cost({"a": 1, "b": 2}) < cost({"a": 1.0, "b": 2})  # 1.0 is not an Int page size
    assert cost({"a": 1, "b": 2}) == cost({"a": 1, "b": 2})
    assert len(walks) == 4  # once per page sizes: (10, 2), (10, 3), (1, 2), (1.0, 2)


def test_every_dashboard_operation_is_within_the_cost_budget() -> None:
    documents = frontend_documents()
    assert len(documents) > 20
    for document in documents:
        assert operation_cost(schema._schema, parse(document)) <= MAX_COST, document


async def test_an_operation_too_costly_or_too_deep_is_refused_with_a_code(api: Api) -> None:
    await api.sign_up()
    costly = """{ properties(first: 100) { edges { node { matches(first: 100) { edges { node {
        lead { name email phone temperature source externalId language } } } } } } } }"""
    body = await api(costly)
    assert body["data"] is None
    assert error_codes(body) == ["QUERY_TOO_COMPLEX"]
    assert "at most 50,000" in body["errors"][0]["message"]
    # The same with small pages runs.
    small = costly.replace("first: 100", "first: 5")
    assert (await api.ok(small))["properties"] == {"edges": []}

    # One document, its page sizes in variables: each request is costed with its own (the
    # cost is remembered per document and page sizes, not per document).
    by_variables = costly.replace("first: 100", "first: $n").replace(
        "{ properties", "query($n: Int) { properties", 1
    )
    assert (await api.ok(by_variables, {"n": 5}))["properties"] == {"edges": []}
    assert error_codes(await api(by_variables, {"n": 100})) == ["QUERY_TOO_COMPLEX"]
    assert (await api.ok(by_variables, {"n": 5}))["properties"] == {"edges": []}
    assert error_codes(await api(by_variables, {"n": 100})) == ["QUERY_TOO_COMPLEX"]
    assert error_codes(await api(by_variables, {})) == []  # no page size: the default page

    # properties > edges > node > (conversations > edges > node > property) x 3 > title
    opened = ["properties", "edges", "node"] + ["conversations", "edges", "node", "property"] * 3
    deep = await api("{ " + " { ".join(opened) + " { title" + " }" * (len(opened) + 1))
    assert error_codes(deep) == ["QUERY_TOO_DEEP"]
