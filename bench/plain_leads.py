"""The floor bench_api.py measures the GraphQL API against: a plain Starlette + asyncpg endpoint
serving the same page of leads (same SQL, same index, same JSON shape), with nothing else.

    uvicorn --factory bench.plain_leads:app_factory   (PLAIN_DSN, PLAIN_BROKERAGE_ID in the env)
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

# The query the API sends for `leads(first: 50)` with these six fields, keyset order by id.
PAGE = (
    "SELECT id, name, email, phone, last_contact_at FROM leads "
    "WHERE brokerage_id = $1 ORDER BY id DESC LIMIT $2"
)


def _temperature(last_contact: datetime | None, now: datetime) -> str:
    if last_contact is None or now - last_contact >= timedelta(days=60):
        return "COLD"
    return "HOT" if now - last_contact < timedelta(days=30) else "WARM"


def app_factory() -> Starlette:
    dsn = os.environ["PLAIN_DSN"]
    brokerage_id = int(os.environ["PLAIN_BROKERAGE_ID"])
    pool: asyncpg.Pool | None = None

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        nonlocal pool
        pool = await asyncpg.create_pool(dsn, min_size=2, max_size=10)
        yield
        await pool.close()

    async def leads(request: Request) -> Response:
        body = await request.json()
        first = int(body.get("variables", {}).get("first", 50))
        assert pool is not None
        rows = await pool.fetch(PAGE, brokerage_id, first + 1)
        now = datetime.now(UTC)
        edges = [
            {
                "node": {
                    "id": base64.b64encode(f"Lead:{row['id']}".encode()).decode(),
                    "name": row["name"],
                    "email": row["email"],
                    "phone": row["phone"],
                    "temperature": _temperature(row["last_contact_at"], now),
                    "lastContactAt": row["last_contact_at"].isoformat()
                    if row["last_contact_at"]
                    else None,
                }
            }
            for row in rows[:first]
        ]
        payload = json.dumps({"data": {"leads": {"edges": edges}}}).encode()
        return Response(payload, media_type="application/json")

    return Starlette(routes=[Route("/leads", leads, methods=["POST"])], lifespan=lifespan)
