"""Shared fixtures: real PostgreSQL and Redis (and the embedded SQLite default), per-test clean state.

PostgreSQL: one test database migrated once per session, its tables truncated before each test.
Redis: one database per process (TEST_REDIS_URL's, or derived), flushed before each test.
SQLite: a migrated template copied for each test's runtime. Under pytest-xdist (`-n 2`), each
worker has its own PostgreSQL database and Redis database.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import pytest_asyncio
from redis.asyncio import Redis

from app.core.config import Settings
from app.core.db import Base, create_engine, drop_database, migrate, recreate_database
from app.core.runtime import Runtime, open_runtime
from graphql_schema.asgi import create_app
from tests.support.outbox import sign_up_link
from tests.support.servers import SERVED

PG_ADMIN = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
# pytest-xdist's worker ("gw0", "gw1"...): each worker is a process with its own databases.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
WORKER_INDEX = int(WORKER.removeprefix("gw")) if WORKER else 0


def _pg_database() -> str:
    """Per process, so that runs side by side (several checkouts, CI, xdist workers) never
    share state; a TEST_PG_DATABASE given is one per worker too."""
    named = os.environ.get("TEST_PG_DATABASE")
    if named:
        return f"{named}_{WORKER}" if WORKER else named
    return f"brscale_test_{os.getpid()}"


def _redis_url() -> str:
    """TEST_REDIS_URL's database for the first worker (or a run without xdist), the next ones
    for the others (gw1 takes N+1...); without it, one derived from the run's process id."""
    given = os.environ.get("TEST_REDIS_URL")
    if given:
        server, _, db = given.partition("://")[2].partition("/")
        index = int(db or 0) + WORKER_INDEX
        if index > 15:
            raise RuntimeError(f"TEST_REDIS_URL={given}: worker {WORKER} needs Redis db {index}")
        return f"{given.partition('://')[0]}://{server}/{index}"
    # The workers share their parent's id, so that their databases differ from each other's.
    run = os.getppid() if WORKER else os.getpid()
    return f"redis://127.0.0.1:6379/{1 + (run + WORKER_INDEX) % 15}"


PG_DB = _pg_database()
PG_URL = PG_ADMIN.rsplit("/", 1)[0] + "/" + PG_DB
REDIS_URL = _redis_url()
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


@pytest_asyncio.fixture(scope="session")
async def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The embedded database, migrated once for the session by the runtime's own `migrate`."""
    path = tmp_path_factory.mktemp("sqlite-template") / "brscale.sqlite3"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        await migrate(engine)
    finally:
        await engine.dispose()  # the last connection out checkpoints the WAL into the file
    return path


@pytest_asyncio.fixture
async def runtime(settings: Settings, sqlite_template: Path) -> AsyncIterator[Runtime]:
    """The runtime on `settings`. On SQLite the database starts as a copy of the migrated
    template: the runtime's own `migrate` then finds it at head, instead of running every
    migration again for each test (most of a second each on a loaded 2-core machine)."""
    database = settings.data_dir / "brscale.sqlite3"
    if not settings.database_url and not database.exists():
        database.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sqlite_template, database)
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
