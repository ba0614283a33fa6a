"""Live feed benchmark (issue 15, Speed): N WebSocket subscribers on one API process (uvicorn),
events published from another process, as a 50-lead campaign's worker would.

    .venv/bin/python bench/bench_live.py [--subscribers 1000] [--events 150] [--rate 20]

Starts `uvicorn --factory graphql_schema.asgi:app_factory` on a fresh PostgreSQL database
`brscale_bench_live` and Redis database BENCH_REDIS_DB (default 15), connects the subscribers
from `--clients` processes (`agentActivity { id type at lead { id name } property { id title } }`),
then a publisher process records `--events` events (one transaction each, `--rate` per second; 0
for one burst). Prints p50/p99 delivery latency (event time to receipt), how many subscribers
got every event, and the API process's memory per subscriber (RSS growth / subscribers), beside
a baseline measured in the same run: 1 subscriber. The machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
DB_NAME = "brscale_bench_live"
PG_URL = PG_ADMIN.rsplit("/", 1)[0] + "/" + DB_NAME
REDIS_URL = f"redis://127.0.0.1:6379/{os.environ.get('BENCH_REDIS_DB', '15')}"
SECRET = "bench-secret-key-that-is-long-enough-for-hs256-0123456789"
FEED = (
    "subscription($after: ID) { agentActivity(after: $after) "
    "{ id type at lead { id name } property { id title } } }"
)
ENV = {
    **os.environ,
    "DATABASE_URL": PG_URL,
    "REDIS_URL": REDIS_URL,
    "BRSCALE_SECRET_KEY": SECRET,
    "BRSCALE_RATE_LIMIT_PER_MINUTE": "100000",
    "BRSCALE_ENV": "production",
}


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


# -- client process: N subscribers, report receipts -------------------------------------------


async def client_main(url: str, token: str, after: str, count: int, expect: int) -> None:
    import websockets

    received: list[list[float]] = [[] for _ in range(count)]
    ids: list[list[str]] = [[] for _ in range(count)]
    ready = 0

    async def one(index: int) -> None:
        nonlocal ready
        async with websockets.connect(
            url, subprotocols=["graphql-transport-ws"], max_queue=None, open_timeout=60
        ) as ws:  # type: ignore[list-item]
            init = {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
            await ws.send(json.dumps(init))
            await ws.recv()
            payload = {"query": FEED, "variables": {"after": after}}
            await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
            ready += 1
            while len(ids[index]) < expect:
                message = json.loads(await ws.recv())
                if message["type"] != "next":
                    continue
                event = message["payload"]["data"]["agentActivity"]
                now = time.time()
                ids[index].append(event["id"])
                received[index].append(now - datetime.fromisoformat(event["at"]).timestamp())

    tasks = [asyncio.create_task(one(i)) for i in range(count)]
    while ready < count:
        await asyncio.sleep(0.1)
        if any(t.done() and t.exception() for t in tasks):
            break
    print(json.dumps({"ready": ready}), flush=True)
    # The parent says when the run is over (stdin closes); whoever has not got everything by
    # then missed events.
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    print(
        json.dumps({"latencies": received, "counts": [len(set(i)) for i in ids]}),
        flush=True,
    )


# -- publisher process: events as a campaign's worker records them ----------------------------


async def publish_main(events: int, rate: float, lead_id: int, property_id: int) -> None:
    from app.activity.events import ActivityType, record_activity
    from app.core.config import Settings
    from app.core.runtime import open_runtime
    from app.core.uow import commit

    types = [
        ActivityType.CONVERSATION_STARTED,
        ActivityType.MESSAGE_SENT,
        ActivityType.LEAD_REPLIED,
    ]
    settings = Settings(  # type: ignore[call-arg]
        DATABASE_URL=PG_URL, REDIS_URL=REDIS_URL, BRSCALE_SECRET_KEY=SECRET
    )
    async with open_runtime(settings) as runtime:
        started = time.perf_counter()
        for n in range(events):
            async with runtime.session() as session:
                record_activity(session, 1, types[n % 3], lead_id=lead_id, property_id=property_id)
                await commit(session)
            if rate:
                delay = started + (n + 1) / rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)


# -- the run ----------------------------------------------------------------------------------


async def prepare() -> tuple[str, str, int, int]:
    """A fresh database with a brokerage, a lead and a listing; its token and the first event."""
    from redis.asyncio import Redis

    from app.accounts.service import sign_up
    from app.activity.events import ActivityType, record_activity
    from app.core.config import Settings
    from app.core.db import recreate_database
    from app.core.runtime import open_runtime
    from app.core.uow import commit
    from app.leads.models import Lead
    from app.properties.models import ListingOperation
    from app.properties.service import PropertyFields, create_property
    from graphql_schema.relay import encode_id

    await recreate_database(PG_URL)
    redis = Redis.from_url(REDIS_URL)
    await redis.flushdb()
    await redis.aclose()
    settings = Settings(  # type: ignore[call-arg]
        DATABASE_URL=PG_URL, REDIS_URL=REDIS_URL, BRSCALE_SECRET_KEY=SECRET
    )
    async with open_runtime(settings, create_schema=True) as runtime:
        async with runtime.session() as session:
            signed = await sign_up(
                session,
                runtime.tokens,
                email="bench@example.com",
                password="correct horse battery",
                name="Bench",
                brokerage_name="Bench",
            )
            lead = Lead(brokerage_id=1, name="Ana Bench", email="ana@example.com")
            session.add(lead)
            listing = await create_property(
                session,
                1,
                PropertyFields(
                    title="Depa Polanco",
                    location="Polanco",
                    price=5_000_000,
                    operation=ListingOperation.SALE,
                ),
            )
            await commit(session)
            record_activity(session, 1, ActivityType.CONVERSATION_STARTED)
            await commit(session)
        from sqlalchemy import text

        async with runtime.engine.connect() as conn:
            first = (await conn.execute(text("SELECT max(id) FROM activity_events"))).scalar_one()
    return signed.token, encode_id("ActivityEvent", first), lead.id, listing.id


def scenario(
    args: argparse.Namespace, subscribers: int, token: str, after: str, lead: int, listing: int
) -> dict[str, Any]:
    port = 8990
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/uvicorn"),
            "--factory",
            "graphql_schema.asgi:app_factory",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
    )
    clients: list[subprocess.Popen[str]] = []
    try:
        import httpx

        for _ in range(300):
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        time.sleep(1)
        rss_before = rss_kb(server.pid)
        per_client = -(-subscribers // args.clients)
        remaining = subscribers
        while remaining > 0:
            count = min(per_client, remaining)
            remaining -= count
            clients.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        __file__,
                        "--client",
                        f"ws://127.0.0.1:{port}/graphql",
                        token,
                        after,
                        str(count),
                        str(args.events),
                    ],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                    cwd=ROOT,
                )
            )
        for client in clients:
            assert client.stdout is not None
            ready = json.loads(client.stdout.readline())
            assert ready["ready"] > 0, ready
        time.sleep(2)  # every subscription ran its (empty) catch-up
        rss_subscribed = rss_kb(server.pid)
        started = time.perf_counter()
        publisher = subprocess.run(
            [
                sys.executable,
                __file__,
                "--publish",
                str(args.events),
                str(args.rate),
                str(lead),
                str(listing),
            ],
            cwd=ROOT,
            check=True,
        )
        assert publisher.returncode == 0
        published_in = time.perf_counter() - started
        time.sleep(args.grace)
        latencies: list[float] = []
        counts: list[int] = []
        for client in clients:
            out, _ = client.communicate("")
            report = json.loads(out.strip().splitlines()[-1])
            latencies.extend(x for per in report["latencies"] for x in per)
            counts.extend(report["counts"])
        latencies.sort()
        return {
            "subscribers": subscribers,
            "p50_ms": 1000 * statistics.median(latencies) if latencies else None,
            "p99_ms": 1000 * latencies[int(len(latencies) * 0.99) - 1] if latencies else None,
            "max_ms": 1000 * latencies[-1] if latencies else None,
            "complete": sum(1 for c in counts if c == args.events),
            "min_count": min(counts) if counts else 0,
            "published_in_s": published_in,
            "rss_kb_per_subscriber": (rss_subscribed - rss_before) / subscribers,
            "rss_mb": rss_subscribed / 1024,
        }
    finally:
        for client in clients:
            if client.poll() is None:
                client.kill()
        server.terminate()
        server.wait(timeout=30)


def main(args: argparse.Namespace) -> None:
    from app.core.db import drop_database

    token, after, lead, listing = asyncio.run(prepare())
    try:
        results = []
        for subscribers in (1, args.subscribers):
            result = scenario(args, subscribers, token, after, lead, listing)
            results.append(result)
            # Each scenario's events are stored: the next one starts after them.
            after = asyncio.run(latest_event())
        print(
            f"\nLive feed: {args.events} events at {args.rate or 'max'}/s from a publisher "
            "process, one API process (uvicorn), Redis pub/sub; shared 2-core machine, noisy."
        )
        for r in results:
            print(
                f"  {r['subscribers']:>5} subscribers: p50 {r['p50_ms']:.1f} ms, "
                f"p99 {r['p99_ms']:.1f} ms, max {r['max_ms']:.1f} ms; "
                f"{r['complete']}/{r['subscribers']} got all {args.events} events "
                f"(fewest {r['min_count']}); published in {r['published_in_s']:.1f} s; "
                f"API RSS {r['rss_mb']:.0f} MB, {r['rss_kb_per_subscriber']:.1f} KB per subscriber"
            )
        big = results[-1]
        print(
            f"  target p99 < 250 ms: {'PASS' if big['p99_ms'] < 250 else 'MISS'}; "
            f"every subscriber every event: "
            f"{'PASS' if big['complete'] == big['subscribers'] else 'MISS'}; "
            f"memory < 50 KB per subscriber: "
            f"{'PASS' if big['rss_kb_per_subscriber'] < 50 else 'MISS'}"
        )
    finally:
        asyncio.run(drop_database(PG_URL))


async def latest_event() -> str:
    import asyncpg

    from graphql_schema.relay import encode_id

    conn = await asyncpg.connect(PG_URL)
    try:
        return encode_id(
            "ActivityEvent", await conn.fetchval("SELECT max(id) FROM activity_events")
        )
    finally:
        await conn.close()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--client":
        url, token, after, count, expect = sys.argv[2:7]
        asyncio.run(client_main(url, token, after, int(count), int(expect)))
    elif len(sys.argv) > 1 and sys.argv[1] == "--publish":
        events, rate, lead, listing = sys.argv[2:6]
        asyncio.run(publish_main(int(events), float(rate), int(lead), int(listing)))
    else:
        parser = argparse.ArgumentParser(description=__doc__)
        parser.add_argument("--subscribers", type=int, default=1000)
        parser.add_argument("--events", type=int, default=150)
        parser.add_argument("--rate", type=float, default=20.0)
        parser.add_argument("--clients", type=int, default=4, help="client processes")
        parser.add_argument("--grace", type=float, default=5.0, help="seconds to wait after")
        main(parser.parse_args())
