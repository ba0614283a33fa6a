"""Shared fixtures: real PostgreSQL and Redis (and the embedded SQLite default), per-test clean state.

PostgreSQL: one test database migrated once per session, its tables truncated before each test.
Redis: database index 9, flushed before each test.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import pytest_asyncio
from redis.asyncio import Redis

from app.core.config import Settings
from app.core.db import Base, drop_database, recreate_database
from app.core.runtime import Runtime, open_runtime
from graphql_schema.asgi import create_app
from tests.support.outbox import sign_up_link
from tests.support.servers import SERVED

PG_ADMIN = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
# Per test run, so that runs side by side (several checkouts, CI) never share state.
PG_DB = os.environ.get("TEST_PG_DATABASE", f"brscale_test_{os.getpid()}")
PG_URL = PG_ADMIN.rsplit("/", 1)[0] + "/" + PG_DB
REDIS_URL = os.environ.get("TEST_REDIS_URL", f"redis://127.0.0.1:6379/{1 + os.getpid() % 15}")
SECRET = "test-secret-key-that-is-long-enough-for-hs256-0123456789"


@pytest_asyncio.fixture(scope="session")
async def pg_url() -> AsyncIterator[str]:
    """A freshly migrated PostgreSQL database for this test session."""
    await recreate_database(PG_URL)
    yield PG_URL
    await drop_database(PG_URL)


async def truncate_all(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        await conn.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        # LangGraph's own tables, when a test created them.
        for table in ("checkpoints", "checkpoint_blobs", "checkpoint_writes"):
            await conn.execute(
                f"DO $$ BEGIN IF to_regclass('{table}') IS NOT NULL THEN TRUNCATE {table}; END IF; END $$"
            )
    finally:
        await conn.close()


@pytest_asyncio.fixture
async def redis_url() -> AsyncIterator[str]:
    redis = Redis.from_url(REDIS_URL)
    await redis.flushdb()
    await redis.aclose()
    yield REDIS_URL


def make_settings(tmp_path: Path, **env: Any) -> Settings:
    values: dict[str, Any] = {
        "BRSCALE_DATA_DIR": tmp_path / "data",
        "BRSCALE_SECRET_KEY": SECRET,
        "REPLY_DEBOUNCE_SECONDS": 0,  # tests of bursts set their own window
        "TEXT_AFTER_EMAIL_MINUTES": 0,  # tests of the texts that follow e-mails set their own
        "BRSCALE_WEBHOOK_ALLOW_LOOPBACK": True,  # partner receivers are stand-ins on 127.0.0.1
    }
    values.update(env)
    return Settings(**values)


@pytest_asyncio.fixture
async def pg_settings(tmp_path: Path, pg_url: str, redis_url: str) -> Settings:
    await truncate_all(pg_url)
    return make_settings(tmp_path, DATABASE_URL=pg_url, REDIS_URL=redis_url)


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture(params=["postgres", "sqlite"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """PostgreSQL + Redis by default; the embedded SQLite default for tests using `backend`."""
    kind = request.getfixturevalue("backend") if "backend" in request.fixturenames else "postgres"
    if kind == "sqlite":
        return make_settings(tmp_path)
    result: Settings = request.getfixturevalue("pg_settings")
    return result


@pytest_asyncio.fixture
async def runtime(settings: Settings) -> AsyncIterator[Runtime]:
    async with open_runtime(settings) as opened:
        yield opened


class Api:
    """A GraphQL client over the app, as the frontend or a partner would call it."""

    def __init__(self, client: httpx.AsyncClient, outbox_path: Path | None = None) -> None:
        self.client = client
        self.token: str | None = None
        self.outbox_path = outbox_path

    async def __call__(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> dict[str, Any]:
        bearer = token if token is not None else self.token
        headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def ok(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> dict[str, Any]:
        body = await self(query, variables, token=token)
        assert not body.get("errors"), body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    async def sign_up(self, email: str = "ana@example.com", brokerage: str = "Casa Ana") -> str:
        """Sign up as a broker does: ask, open the e-mailed link (from the server's local
        outbox), and keep the session's token."""
        await self.ok(
            "mutation($i: SignUpInput!) { signUp(input: $i) { email } }",
            {
                "i": {
                    "email": email,
                    "password": "correct horse battery",
                    "name": "Ana",
                    "brokerageName": brokerage,
                }
            },
        )
        data = await self.ok(
            "mutation($i: ConfirmSignUpInput!) { confirmSignUp(input: $i) {"
            " token user { id email } } }",
            {"i": {"token": sign_up_link(self.outbox(), email)}},
        )
        token: str = data["confirmSignUp"]["token"]
        self.token = token
        return token

    def outbox(self) -> Path:
        """The server's local outbox: given, or the in-process app's (ASGI transport)."""
        if self.outbox_path is not None:
            return self.outbox_path
        app = getattr(self.client._transport, "app", None) or SERVED.get(
            str(self.client.base_url).rstrip("/")
        )
        assert app is not None, "a server this test does not run: give Api its outbox_path"
        runtime: Runtime = app.state.runtime
        return runtime.settings.data_dir / "outbox.jsonl"


def error_codes(body: dict[str, Any]) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in body.get("errors") or []]


@pytest_asyncio.fixture
async def api(runtime: Runtime) -> AsyncIterator[Api]:
    app = create_app(runtime=runtime)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield Api(client)
