"""The checkpointer's connection pool: a connection the server dropped is never handed to a
graph run, and a healthy one is handed out without a round trip to prove it."""

from __future__ import annotations

import asyncio
from typing import Any

import psycopg
import pytest
from psycopg import AsyncConnection

from app.conversations.engine import get_engine
from app.core.runtime import Runtime


async def test_a_live_connection_is_handed_out_without_a_check_query_and_a_dropped_one_is_replaced(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = await get_engine(runtime)
    pool: Any = engine.saver.conn  # type: ignore[attr-defined]
    sent: list[str] = []
    execute = AsyncConnection.execute

    async def recording(self: AsyncConnection[Any], query: Any, *args: Any, **kw: Any) -> Any:
        sent.append(str(query))
        return await execute(self, query, *args, **kw)

    monkeypatch.setattr(AsyncConnection, "execute", recording)

    pids = set()
    for _ in range(5):
        async with pool.connection() as conn:
            pids.add(
                (await (await conn.execute("SELECT pg_backend_pid() AS pid")).fetchone())["pid"]
            )
    # Five checkouts, five queries of ours, and no empty "is it alive?" query before each.
    assert sent.count("") == 0 and len(sent) == 5

    # The server drops every connection of the pool.
    url = runtime.settings.checkpoint_dsn
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid", (list(pids),)
        )
    await asyncio.sleep(0.3)  # the backends are gone and their sockets closed

    async with pool.connection() as conn:
        row = await (await conn.execute("SELECT pg_backend_pid() AS pid")).fetchone()
    assert row["pid"] not in pids  # a new connection, not a dead one
