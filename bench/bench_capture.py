"""Capture bench (issue 17, Speed): from `POST /capture/{captureKey}` to the captured lead's
first message in the outbox, while a 10,000-lead campaign runs in the same worker.

    .venv/bin/python bench/bench_capture.py [--leads 10000] [--captures 40] [--every 1.5]

The floor is the same captures with the worker idle (same run, same process). Uses a fresh
PostgreSQL database `brscale_bench_capture` and Redis database BENCH_REDIS_DB (default 13),
dropped / flushed before and after. The API is served in the bench's process (ASGI, each
capture from an address of its own, as forms on many visitors' browsers), the worker is one
`brscale worker` of the main queue in the same process: the target is p95 < 60 s.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
from sqlalchemy import select

from app.capture import repository as capture_repository
from app.conversations.engine import get_engine
from app.core.runtime import Runtime
from app.core.uow import commit
from app.leads.models import Lead
from app.messaging.models import Message
from app.properties.service import create_property
from bench import bench_campaign
from bench.bench_campaign import (
    LISTING,
    bench_runtime,
    brokerage,
    drop_state,
    expected_first_messages,
    first_messages,
    insert_leads,
    product_worker,
    stop_worker,
    threads_waiting,
    verdict,
)
from graphql_schema.asgi import create_app
from tests.support import factories

# Its own database: the campaign bench may run at the same time on this machine.
bench_campaign.PG_URL = bench_campaign.PG_URL.rsplit("/", 1)[0] + "/brscale_bench_capture"

# The listing the captured leads ask about (nobody among the campaign's leads matches it).
ASKED = factories.listing_fields(
    title="Departamento en Roma Norte",
    location="Roma Norte",
    price=3_200_000,
    bedrooms=2,
    bathrooms=1.0,
    description="Departamento con balcón a dos calles del parque.",
)


async def first_message_at(runtime: Runtime, email: str) -> bool:
    """Whether the captured lead (by its email) has its first message in the outbox."""
    async with runtime.session() as session:
        stmt = (
            select(Message.id)
            .join(Lead, Lead.id == Message.lead_id)
            .where(Lead.email == email, Message.idempotency_key.like("%:first:%"))
            .limit(1)
        )
        return (await session.scalar(stmt)) is not None


async def capture(runtime: Runtime, key: str, listing_id: int, i: int, tag: str) -> str:
    """One JSON post as a portal sends it; returns the lead's email."""
    email = f"capturado-{tag}-{i}@example.com"
    transport = httpx.ASGITransport(
        app=create_app(runtime=runtime), client=(f"10.1.{i // 250}.{i % 250 + 1}", 5000)
    )
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        response = await client.post(
            f"/capture/{key}",
            json={
                "name": f"Capturado {tag} {i}",
                "email": email,
                # A number of its own: the idle and busy rounds must not name the same person
                # (a busy capture merged into an idle one never gets a first message).
                "phone": f"+5256{(30000000 if tag == 'busy' else 20000000) + i}",
                "listing": str(listing_id),
                "message": "Hola, me interesa el departamento. ¿Sigue disponible?",
            },
        )
    assert response.status_code < 300, response.text
    return email


async def timed_captures(
    runtime: Runtime,
    key: str,
    listing_id: int,
    count: int,
    every: float,
    tag: str,
    keep_going: asyncio.Event | None = None,
) -> list[float]:
    """Post `count` captures `every` seconds apart; the seconds each took to its first message."""
    latencies: list[float] = []
    pending: dict[str, float] = {}

    async def watch() -> None:
        while pending or len(latencies) < count:
            for email, started in list(pending.items()):
                if await first_message_at(runtime, email):
                    latencies.append(time.perf_counter() - started)
                    del pending[email]
            await asyncio.sleep(0.1)

    watcher = asyncio.create_task(watch())
    for i in range(count):
        started = time.perf_counter()
        pending[await capture(runtime, key, listing_id, i, tag)] = started
        await asyncio.sleep(every)
    await asyncio.wait_for(watcher, timeout=600)
    return latencies


def summary(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return (
        f"{len(ordered)} captures: p50 {statistics.median(ordered):.2f} s, p95 {p95:.2f} s, "
        f"max {ordered[-1]:.2f} s"
    )


def p95_of(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        try:
            async with bench_runtime(data_dir) as runtime:
                brokerage_id = await brokerage(runtime)
                await insert_leads(runtime, brokerage_id, args.leads)
                async with runtime.session() as session:
                    asked = await create_property(session, brokerage_id, ASKED)
                    key = (await capture_repository.key_of(session, brokerage_id)).key
                    await commit(session)
                await get_engine(runtime)
                worker = product_worker(runtime, None)
                running = asyncio.create_task(worker.main())
                await asyncio.sleep(0.5)

                print("Capture -> first message in the outbox")
                idle = await timed_captures(
                    runtime, key, asked.id, args.floor_captures, args.every, "idle"
                )
                print(f"  floor, worker idle: {summary(idle)}")

                async with runtime.session() as session:
                    await create_property(session, brokerage_id, LISTING)  # the campaign
                    await commit(session)
                campaign_start = time.perf_counter()
                loaded = await timed_captures(
                    runtime, key, asked.id, args.captures, args.every, "busy"
                )
                campaign_conversations, _ = await expected_first_messages(runtime)
                done_first = await first_messages(runtime)
                waiting = await threads_waiting(runtime)
                print(
                    f"  during the campaign: {summary(loaded)}; the campaign had "
                    f"{campaign_conversations:,} conversations, {done_first:,} first messages "
                    f"and {waiting:,} threads waiting "
                    f"{time.perf_counter() - campaign_start:.1f} s after it started"
                )
                p95 = p95_of(loaded)
                print(
                    f"  ratio p95 busy/idle: {p95:.2f} / {p95_of(idle):.2f} = "
                    f"{p95 / max(p95_of(idle), 1e-6):.1f}x;  target p95 < 60 s: "
                    f"{verdict(p95 < 60)}"
                )
                await stop_worker(worker, running)
        finally:
            await drop_state()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument("--captures", type=int, default=40, help="during the campaign")
    parser.add_argument("--floor-captures", type=int, default=10, help="with the worker idle")
    parser.add_argument("--every", type=float, default=1.5, help="seconds between captures")
    asyncio.run(main(parser.parse_args()))
