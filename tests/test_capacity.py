"""One caller cannot stall the others: an operation holds one pooled connection however many
fields it has, a caller runs only its share of operations at once (HTTP and WebSocket alike),
and a pool with nothing free answers at once with a code, never a hang or a bare 500."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import websockets
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.config import Settings
from app.core.ratelimit import CallerSlots
from app.core.runtime import open_runtime
from graphql_schema.asgi import create_app
from tests.conftest import Api, error_codes, make_settings
from tests.support.servers import serve

ALIASES = "{ " + " ".join(f"a{i}: properties {{ totalCount }}" for i in range(30)) + " }"


@contextlib.contextmanager
def connections_in_use(engine: AsyncEngine) -> Iterator[list[int]]:
    """[now, peak] pooled connections checked out while the block runs."""
    counts = [0, 0]

    def out(*_: Any) -> None:
        counts[0] += 1
        counts[1] = max(counts[1], counts[0])

    def back(*_: Any) -> None:
        counts[0] -= 1

    pool = engine.sync_engine.pool
    event.listen(pool, "checkout", out)
    event.listen(pool, "checkin", back)
    try:
        yield counts
    finally:
        event.remove(pool, "checkout", out)
        event.remove(pool, "checkin", back)


def small_pool(pg_settings: Settings, tmp_path: Path, **env: Any) -> Settings:
    return make_settings(
        tmp_path,
        DATABASE_URL=pg_settings.database_url,
        REDIS_URL=pg_settings.redis_url,
        DATABASE_POOL_SIZE=3,
        DATABASE_MAX_OVERFLOW=0,
        DATABASE_POOL_TIMEOUT=1,
        **env,
    )


@contextlib.asynccontextmanager
async def api_on(settings: Settings) -> AsyncIterator[tuple[Api, AsyncEngine, str]]:
    async with (
        open_runtime(settings) as runtime,
        serve(create_app(runtime=runtime)) as url,
        httpx.AsyncClient(base_url=url, timeout=30) as client,
    ):
        yield Api(client), runtime.engine, url


async def test_a_query_with_thirty_aliases_holds_one_connection(
    pg_settings: Settings, tmp_path: Path
) -> None:
    async with api_on(small_pool(pg_settings, tmp_path)) as (api, engine, _):
        await api.sign_up()
        with connections_in_use(engine) as counts:
            data = await api.ok(ALIASES)
        assert [data[f"a{i}"]["totalCount"] for i in range(30)] == [0] * 30
        assert counts == [0, 1]


async def test_an_exhausted_pool_answers_at_once_with_a_code(
    pg_settings: Settings, tmp_path: Path
) -> None:
    async with api_on(small_pool(pg_settings, tmp_path)) as (api, engine, _):
        token = await api.sign_up()
        async with contextlib.AsyncExitStack() as held:
            for _ in range(3):  # every connection of the pool taken by someone else
                await held.enter_async_context(engine.connect())
            started = time.monotonic()
            # signed in: the token is checked before GraphQL runs (plain HTTP answer)
            busy = await api.client.post(
                "/graphql",
                json={"query": "{ me { email } }"},
                headers={"Authorization": f"Bearer {token}"},
            )
            # anonymous: the resolver finds no connection (GraphQL answer)
            anonymous = await api(
                'mutation { logIn(input: {email: "x@example.com", password: "whatever1"}) '
                "{ token } }",
                token="",
            )
            elapsed = time.monotonic() - started
        assert busy.status_code == 503
        assert busy.headers["retry-after"] == "2"
        assert error_codes(busy.json()) == ["SERVICE_UNAVAILABLE"]
        assert error_codes(anonymous) == ["SERVICE_UNAVAILABLE"]
        assert anonymous["errors"][0]["message"] == "The service is busy: retry in a few seconds."
        assert elapsed < 4  # two waits of the 1 s pool timeout, not 30 s each
        assert (await api.ok("{ me { email } }"))["me"]["email"] == "ana@example.com"


async def test_a_websocket_connecting_to_an_exhausted_pool_is_refused_with_a_code(
    pg_settings: Settings, tmp_path: Path
) -> None:
    """A crowd of dashboards reconnecting at once: the socket is closed with 1013 "try again
    later" and says why (it failed on an HTTP reply sent on a WebSocket), and the next connect
    works."""
    async with api_on(small_pool(pg_settings, tmp_path)) as (api, engine, url):
        token = await api.sign_up()
        ws_url = url.replace("http", "ws") + "/graphql"
        init = json.dumps(
            {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
        )
        async with contextlib.AsyncExitStack() as held:
            for _ in range(3):  # every connection of the pool taken by someone else
                await held.enter_async_context(engine.connect())
            async with websockets.connect(ws_url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
                await ws.send(init)
                with contextlib.suppress(websockets.ConnectionClosed):
                    while True:  # the refusal, then the close
                        await asyncio.wait_for(ws.recv(), timeout=10)
                refused = ws.close_code, ws.close_reason
        assert refused == (1013, "The service is busy: retry in a few seconds.")
        async with websockets.connect(ws_url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
            await ws.send(init)
            assert json.loads(await ws.recv())["type"] == "connection_ack"


async def test_plain_http_errors_are_json(api: Api) -> None:
    missing = await api.client.get("/no-such-endpoint")
    assert missing.status_code == 404
    assert error_codes(missing.json()) == ["NOT_FOUND"]
    wrong_method = await api.client.delete("/graphql")
    assert wrong_method.status_code == 405
    assert error_codes(wrong_method.json()) == ["BAD_REQUEST"]


async def _flood(url: str, token: str, operations: int) -> list[dict[str, Any]]:
    """`operations` queries pipelined on one WebSocket; every answer (next or error) back."""
    answers: dict[str, dict[str, Any]] = {}
    async with websockets.connect(
        url.replace("http", "ws") + "/graphql",
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
        max_size=None,
    ) as ws:
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
        )
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        for i in range(operations):
            await ws.send(
                json.dumps({"id": str(i), "type": "subscribe", "payload": {"query": ALIASES}})
            )
        while len(answers) < operations:
            message = json.loads(await asyncio.wait_for(ws.recv(), timeout=60))
            if message["type"] in ("next", "error"):
                answers[message["id"]] = message
    return list(answers.values())


async def test_operations_pipelined_on_a_websocket_take_only_their_callers_share(
    pg_settings: Settings, tmp_path: Path
) -> None:
    settings = make_settings(
        tmp_path,
        DATABASE_URL=pg_settings.database_url,
        REDIS_URL=pg_settings.redis_url,
        DATABASE_POOL_TIMEOUT=2,
    )
    async with api_on(settings) as (api, engine, url):
        flooder = await api.sign_up("flood@example.com", "Flood")
        other = Api(api.client)
        await other.sign_up("calm@example.com", "Calm")
        with connections_in_use(engine) as counts:
            flood = asyncio.create_task(_flood(url, flooder, 100))
            await asyncio.sleep(0.3)  # the flood is under way
            started = time.monotonic()
            calm = await other.ok("{ properties { totalCount } }")
            calm_latency = time.monotonic() - started
            answers = await flood
        assert calm == {"properties": {"totalCount": 0}}
        assert calm_latency < 5  # on a loaded 2-core box; a stalled pool answered after 20 s+
        assert len(answers) == 100
        outcomes = set()
        for answer in answers:
            if answer["type"] == "next" and not answer["payload"].get("errors"):
                outcomes.add("ok")
            else:
                errors = (
                    answer["payload"]["errors"] if answer["type"] == "next" else answer["payload"]
                )
                outcomes.update(e.get("extensions", {}).get("code") for e in errors)
        assert outcomes <= {"ok", "RATE_LIMITED"}  # never a masked internal error
        assert "ok" in outcomes
        # the flooder's 4 operations at a time, plus the calm caller's and its token check
        assert counts[1] <= settings.operations_per_caller + 2


async def test_one_brokerages_callers_together_take_only_the_brokerages_share() -> None:
    """Many users or API keys of one brokerage queue behind each other, not in front of
    another brokerage's operations."""
    slots = CallerSlots(per_caller=2, wait=0.3, per_tenant=3)
    async with contextlib.AsyncExitStack() as held:
        for caller in ("user:1", "user:1", "key:7"):  # three callers' worth of brokerage 1
            assert await held.enter_async_context(slots.hold(caller, "1"))
        started = time.monotonic()
        async with slots.hold("key:8", "1") as fourth:  # its own caller share is free
            assert not fourth
        assert time.monotonic() - started >= 0.25  # it waited for the brokerage's share
        started = time.monotonic()
        async with slots.hold("user:2", "2") as other_brokerage:
            assert other_brokerage
        assert time.monotonic() - started < 0.1
    async with slots.hold("key:8", "1") as freed:
        assert freed


@pytest.mark.parametrize("killed", ["authentication", "query"])
async def test_a_query_whose_connection_is_terminated_mid_read_is_answered(
    pg_settings: Settings, pg_url: str, killed: str
) -> None:
    """`pg_terminate_backend` (a failover, an operator) kills the connection a request is
    using, while it authenticates the caller or while its query reads: it runs again on a fresh
    connection and the caller gets its answer, not an internal error."""
    admin = pg_url.replace("postgresql+asyncpg://", "postgresql://")
    async with open_runtime(pg_settings) as runtime:
        transport = httpx.ASGITransport(app=create_app(runtime=runtime))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            api = Api(client)
            await api.sign_up()
            terminated: list[int] = []
            checkouts = [0]
            victim = {"authentication": 0, "query": 1}[killed]  # the caller is not cached yet

            def terminate_once(dbapi_connection: Any, *_: Any) -> None:
                checkouts[0] += 1
                if terminated or checkouts[0] - 1 != victim:
                    return
                pid = dbapi_connection.driver_connection.get_server_pid()
                with psycopg.connect(admin, autocommit=True) as other:
                    other.execute("SELECT pg_terminate_backend(%s)", (pid,))
                terminated.append(pid)

            pool = runtime.engine.sync_engine.pool
            event.listen(pool, "checkout", terminate_once)  # after the pool's pre-ping
            try:
                body = await api("{ me { email } leads(first: 5) { totalCount } }")
            finally:
                event.remove(pool, "checkout", terminate_once)
    assert terminated, "no connection was terminated"
    assert not body.get("errors"), body["errors"]
    assert body["data"]["me"]["email"] == "ana@example.com"


DASHBOARD_READS = (
    "{ leads(first: 20) { totalCount edges { node { id name } } } }",
    "{ conversations(first: 20) { totalCount edges { node { status } } } }",
    "{ properties(first: 10) { totalCount } }",
)


async def test_reads_right_after_every_connection_is_terminated_are_answered(
    pg_settings: Settings, pg_url: str
) -> None:
    """`pg_terminate_backend` on every connection of the database at once (a failover, the
    drill `pg-terminate`) leaves the pool full of dead connections, each lent a moment ago (so
    not pinged before it is lent again). The dashboard's reads that follow must be answered:
    a read that meets a dead connection runs again, and its second run must not be lent
    another dead one."""
    admin = pg_url.replace("postgresql+asyncpg://", "postgresql://")
    async with open_runtime(pg_settings) as runtime:
        transport = httpx.ASGITransport(app=create_app(runtime=runtime))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            api = Api(client)
            await api.sign_up()
            await api.ok(
                "mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }",
                {"i": {"name": "Luis", "email": "luis@example.com"}},
            )
            # Several reads at once: the pool holds several connections, all just returned.
            await asyncio.gather(*(api.ok(q) for q in DASHBOARD_READS * 3))
            with psycopg.connect(admin, autocommit=True) as other:
                killed = other.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                ).fetchall()
            await asyncio.sleep(0.2)  # the clients see their sockets close
            bodies = [await api(q) for q in DASHBOARD_READS * 2]
    assert len(killed) >= 3, killed
    assert [b.get("errors") for b in bodies] == [None] * len(bodies)
    assert bodies[0]["data"]["leads"]["edges"][0]["node"]["name"] == "Luis"
