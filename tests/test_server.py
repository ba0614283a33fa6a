"""The server as an operator runs it: `brscale serve` answers, logs JSON, stops cleanly on
SIGTERM; callers over their budget get RATE_LIMITED."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from pathlib import Path

import httpx
import pytest
import websockets

from app.core.config import Settings
from app.core.runtime import open_runtime
from graphql_schema.asgi import create_app
from tests.conftest import Api, error_codes, make_settings
from tests.support.servers import free_port, serve
from tests.support.tcp_proxy import tcp_proxy

ROOT = Path(__file__).resolve().parents[1]


async def test_serve_answers_graphql_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "BRSCALE_DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "app.cli",
        "serve",
        "--port",
        str(port),
        env=env,
        cwd=ROOT,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            # Generous: a busy 2-core CI box can take many seconds to import and start.
            deadline = asyncio.get_running_loop().time() + 90
            while asyncio.get_running_loop().time() < deadline:
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
            api = Api(client, outbox_path=tmp_path / "data" / "outbox.jsonl")
            await api.sign_up()
            assert (await api.ok("{ me { email } }"))["me"]["email"] == "ana@example.com"
    finally:
        server.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(server.wait(), 30)
    assert code == 0
    assert server.stderr is not None
    lines = (await server.stderr.read()).decode().splitlines()
    assert lines[0].startswith("BR SCALE on SQLite")
    records = [json.loads(line) for line in lines if line.startswith("{")]
    assert [r["event"] for r in records if r["event"].startswith("BR SCALE")] == [
        "BR SCALE ready",
        "BR SCALE stopping: in-flight work finished, connections closed next",
    ]
    assert all({"level", "timestamp", "logger"} <= set(r) for r in records)


@pytest.mark.usefixtures("backend")
async def test_a_caller_over_its_budget_is_rate_limited(settings: Settings) -> None:
    async with open_runtime(settings.model_copy(update={"rate_limit_per_minute": 3})) as runtime:
        transport = httpx.ASGITransport(app=create_app(runtime=runtime))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            api = Api(client)
            await api.sign_up()  # anonymous: the budget of its IP
            answers = [await api("{ me { email } }") for _ in range(4)]
    assert [error_codes(a) for a in answers[:3]] == [[], [], []]
    assert error_codes(answers[3]) == ["RATE_LIMITED"]


async def test_operations_over_a_websocket_count_against_the_same_budget(
    pg_settings: Settings,
) -> None:
    settings = pg_settings.model_copy(update={"rate_limit_per_minute": 4})
    async with open_runtime(settings) as runtime, serve(create_app(runtime=runtime)) as url:
        async with httpx.AsyncClient(base_url=url) as client:
            token = await Api(client).sign_up()  # 1 of the IP's budget; the user's is fresh
        async with websockets.connect(
            url.replace("http", "ws") + "/graphql",
            subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
        ) as ws:
            init = {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
            await ws.send(json.dumps(init))
            assert json.loads(await ws.recv())["type"] == "connection_ack"
            codes = []
            for i in range(6):
                query = {"query": "{ me { email } }"}
                await ws.send(json.dumps({"id": str(i), "type": "subscribe", "payload": query}))
                answer = json.loads(await asyncio.wait_for(ws.recv(), 10))
                while answer["type"] != "next":
                    answer = json.loads(await asyncio.wait_for(ws.recv(), 10))
                codes.append(error_codes(answer["payload"]))
    assert codes == [[], [], [], [], ["RATE_LIMITED"], ["RATE_LIMITED"]]


def test_the_embedded_database_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    from app.core.db import create_engine

    database = tmp_path / "data" / "brscale.sqlite3"
    create_engine(f"sqlite+aiosqlite:///{database}")
    assert database.stat().st_mode & 0o777 == 0o600


async def test_a_document_over_the_token_limit_is_refused_with_a_code(api: Api) -> None:
    fields = " ".join(f"a{i}: __typename" for i in range(3000))
    body = await api("{ " + fields + " }")
    assert error_codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "more than 4000 tokens" in body["errors"][0]["message"]


async def test_a_redis_blip_neither_refuses_requests_nor_lifts_the_limits(
    pg_settings: Settings, tmp_path: Path
) -> None:
    """Redis unreachable (a restart, a failover): the per-minute limits, log-in throttling and
    persisted queries go on in each API process's memory, instead of every request failing."""
    assert pg_settings.redis_url is not None
    host_port, db = pg_settings.redis_url.removeprefix("redis://").rsplit("/", 1)
    host, port = host_port.split(":")
    async with tcp_proxy(host, int(port)) as proxy:
        settings = make_settings(
            tmp_path,
            DATABASE_URL=pg_settings.database_url,
            REDIS_URL=f"redis://127.0.0.1:{proxy.port}/{db}",
            BRSCALE_RATE_LIMIT_PER_MINUTE="5",
        )
        async with open_runtime(settings) as runtime:
            transport = httpx.ASGITransport(app=create_app(runtime=runtime))
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                api = Api(client)
                await api.sign_up()
                if time.time() % 60 > 50:  # the six requests below in one minute's window
                    await asyncio.sleep(61 - time.time() % 60)
                await proxy.stop()
                answers = [await api("{ me { email } }") for _ in range(6)]
                assert [error_codes(a) for a in answers[:5]] == [[]] * 5
                assert error_codes(answers[5]) == ["RATE_LIMITED"]  # still limited
                wrong = {"email": "ana@example.com", "password": "not the password"}
                failed = await api(
                    "mutation($i: LogInInput!) { logIn(input: $i) { token } }",
                    {"i": wrong},
                    token="",
                )
                assert error_codes(failed) == ["UNAUTHENTICATED"]  # checked, not a fault


async def test_answers_are_utf8_json_and_any_integer_is_written(api: Api) -> None:
    await api.sign_up(brokerage="Inmobiliaria Peñón")
    response = await api.client.post(
        "/graphql",
        json={"query": "{ brokerage { name } }"},
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert response.headers["content-type"] == "application/json"
    assert "Inmobiliaria Peñón".encode() in response.content  # as it is, no \\u escapes
    assert response.json() == {"data": {"brokerage": {"name": "Inmobiliaria Peñón"}}}

    app = api.client._transport.app  # type: ignore[attr-defined]
    graphql = next(route.endpoint for route in app.routes if route.path == "/graphql")
    big = {"data": {"n": 2**70, "ok": "sí"}}
    assert json.loads(graphql.encode_json(big)) == big  # past orjson's 64 bits: json.dumps
    # A str: the same encoder writes WebSocket messages, which must go out as text frames.
    assert isinstance(graphql.encode_json({"data": {"ok": "sí"}}), str)
