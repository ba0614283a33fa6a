"""Read-path benchmarks (issue 15, Speed): `leads(first: 50)` through the whole stack beside a
plain Starlette + asyncpg endpoint serving the same rows, and the whole dashboard query.

    .venv/bin/python -m bench.bench_api [--runs 3] [--seconds 5] [--connections 16]

Uses a fresh PostgreSQL database `brscale_bench_api` on 127.0.0.1 (dropped afterwards) and Redis
database BENCH_REDIS_DB (default 14). Seeds a brokerage of 100,000 leads, 20 listings and 10,000
conversations (with messages, matches and open tasks) beside a second brokerage of 20,000 leads.
Both servers run under uvicorn (1 worker, uvloop, httptools) pinned to CPU 0; the load client
(keep-alive connections, no HTTP library) is pinned to CPU 1. Each run measures both targets,
alternating which goes first; the figures are medians with their range over the runs. The
machine is shared: read the ratio as the figure, absolute numbers as +-20% or worse.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select, text

from app.conversations.models import BrokerTask, Conversation, ConversationStatus, TaskKind
from app.core.config import Settings
from app.core.db import drop_database, recreate_database, utcnow
from app.core.runtime import Runtime, open_runtime
from app.core.uow import commit
from app.core.vocabulary import Tier
from app.leads.models import Lead
from app.matching.models import Match
from app.messaging.models import Channel, Direction, Message, MessageStatus
from app.properties.models import ListingOperation, Property
from tests.support import factories

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
# BENCH_DB_NAME / BENCH_PORT: others when someone else runs this bench on the same server.
PG_URL = PG_ADMIN.rsplit("/", 1)[0] + "/" + os.environ.get("BENCH_DB_NAME", "brscale_bench_api")
REDIS_URL = f"redis://127.0.0.1:6379/{os.environ.get('BENCH_REDIS_DB', '14')}"
SECRET = "bench-secret-key-that-is-long-enough-for-hs256-0123456789"
API_PORT = int(os.environ.get("BENCH_PORT", "18715"))
PLAIN_PORT = API_PORT + 1

LEADS, OTHER_LEADS, LISTINGS, CONVERSATIONS = 100_000, 20_000, 20, 10_000
LEADS_TARGET_RATIO = 3.0
DASHBOARD_TARGET_MS = 150.0

LEADS_QUERY = (
    "query Leads($first: Int!) { leads(first: $first) { edges { node { "
    "id name email phone temperature lastContactAt } } } }"
)
DASHBOARD_QUERY = """query Dashboard {
  crmSyncStats { connected provider totalLeadsImported lastSyncAt breakdown { hot warm cold }
    aiActivity { messagesSent conversationsActive leadsQualified meetingsScheduled }
    performance { responseRate qualificationRate conversionRate } }
  properties(first: 20) { totalCount edges { node { id title price currency
    stats { totalConversations responding waiting cold qualified } } } }
  brokerTasks(first: 20) { totalCount edges { node { id kind title dueAt
    lead { name phone } property { title } } } }
}"""


# --- data ---------------------------------------------------------------------------------


async def seed(runtime: Runtime) -> tuple[str, int]:
    """The brokerage under test (its owner's token and id) and a neighbour of its own."""
    now = utcnow()
    async with runtime.session() as session:
        # Ids far from the ones test runs use: the servers share a Redis database with them,
        # where per-caller rate-limit counters are keyed by user id.
        await session.execute(text("ALTER SEQUENCE users_id_seq RESTART WITH 900000"))
        created = await factories.brokerage(session, runtime.tokens)
        other = await factories.brokerage(
            session,
            runtime.tokens,
            email="other@example.com",
            name="Other",
            brokerage_name="Casa Vecina",
        )
        await commit(session)
        brokerage_id = created.user.brokerage_id
        for owner, count, tag in (
            (other.user.brokerage_id, OTHER_LEADS, "o"),
            (brokerage_id, LEADS, "b"),
        ):
            rows = [
                {
                    "brokerage_id": owner,
                    "name": f"Lead {tag}{i} Pérez",
                    "name_key": f"lead {tag}{i} perez",
                    "email": f"lead{tag}{i}@example.com",
                    "phone": f"+52{1 if tag == 'o' else 2}5{10000000 + i}",
                    "locations": ["Polanco"],
                    "location_keys": ["polanco"],
                    "notes": "Called in 2023 about a 3-bedroom flat; prefers texts. " * 3,
                    "tags": ["imported", "2023"],
                    "last_contact_at": now - timedelta(days=i % 120),
                    "qualification_score": i % 90,
                    "source": "CSV",
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(count)
            ]
            for start in range(0, count, 5000):
                await session.execute(insert(Lead), rows[start : start + 5000])
        await commit(session)
        homes = [
            Property(
                brokerage_id=brokerage_id,
                title=f"Departamento {i} en Polanco",
                location="Polanco",
                location_key="polanco",
                city="CDMX",
                price=4_500_000 + 10_000 * i,
                operation=ListingOperation.SALE,
                description="Luminoso, con balcón. " * 20,
            )
            for i in range(LISTINGS)
        ]
        session.add_all(homes)
        await session.flush()
        lead_ids = list(
            (
                await session.execute(
                    select(Lead.id)
                    .where(Lead.brokerage_id == brokerage_id)
                    .order_by(Lead.id.desc())
                    .limit(CONVERSATIONS // LISTINGS)
                )
            ).scalars()
        )
        statuses = list(ConversationStatus)
        pairs = [(home, lead_id) for home in homes for lead_id in lead_ids]
        await session.execute(
            insert(Match),
            [
                {
                    "brokerage_id": brokerage_id,
                    "lead_id": lead_id,
                    "property_id": home.id,
                    "score": 31 + (lead_id * 7 + home.id) % 69,
                    "tier": Tier.MEDIUM,
                    "breakdown": {"location": 30},
                    "created_at": now,
                    "updated_at": now,
                }
                for home, lead_id in pairs
            ],
        )
        await session.execute(
            insert(Conversation),
            [
                {
                    "brokerage_id": brokerage_id,
                    "lead_id": lead_id,
                    "property_id": home.id,
                    "thread_id": f"lead_{lead_id}_property_{home.id}",
                    "status": statuses[(lead_id + home.id) % len(statuses)],
                    "channels": ["EMAIL", "SMS"],
                    "language": "es",
                    "qualification_score": lead_id % 100,
                    "turn": 1,
                    "variant": "A" if lead_id % 2 else "B",
                    "qualification": {},
                    "created_at": now,
                    "updated_at": now,
                }
                for home, lead_id in pairs
            ],
        )
        talks = (
            await session.execute(
                select(Conversation.id, Conversation.lead_id).where(
                    Conversation.brokerage_id == brokerage_id
                )
            )
        ).all()
        messages = []
        for talk_id, lead_id in talks:
            for n in range(1 + talk_id % 3):
                messages.append(
                    {
                        "brokerage_id": brokerage_id,
                        "conversation_id": talk_id,
                        "lead_id": lead_id,
                        "direction": Direction.INBOUND if n % 2 else Direction.OUTBOUND,
                        "channel": Channel.EMAIL,
                        "status": MessageStatus.SENT,
                        "idempotency_key": f"{talk_id}:{n}",
                        "body": "Hola, ¿sigue disponible el departamento? " * 3,
                        "sent_at": now - timedelta(hours=n),
                        "created_at": now,
                        "updated_at": now,
                    }
                )
        for start in range(0, len(messages), 5000):
            await session.execute(insert(Message), messages[start : start + 5000])
        kinds = list(TaskKind)
        one_per_lead = list({lead_id: talk_id for talk_id, lead_id in talks}.items())[:300]
        await session.execute(
            insert(BrokerTask),
            [
                {
                    "brokerage_id": brokerage_id,
                    "conversation_id": talk_id,
                    "lead_id": lead_id,
                    "property_id": homes[0].id,
                    "kind": kinds[talk_id % len(kinds)],
                    "title": f"Llamar a lead {lead_id}",
                    "summary": "Pidió una visita el sábado.",
                    "due_at": now + timedelta(hours=talk_id % 48),
                    "created_at": now,
                    "updated_at": now,
                }
                for lead_id, talk_id in one_per_lead
            ],
        )
        await commit(session)
    async with runtime.engine.begin() as conn:
        await conn.execute(text("ANALYZE"))
    return created.token, brokerage_id


# --- servers and load ----------------------------------------------------------------------


@contextlib.contextmanager
def server(module: str, port: int, env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    command = [
        "taskset",
        "-c",
        "0",
        str(ROOT / ".venv" / "bin" / "uvicorn"),
        "--factory",
        module,
        "--port",
        str(port),
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})
    try:
        yield process
    finally:
        process.terminate()
        process.wait(10)


def request_bytes(path: str, body: dict[str, Any], token: str | None) -> bytes:
    payload = json.dumps(body).encode()
    headers = [
        f"POST {path} HTTP/1.1",
        "Host: 127.0.0.1",
        "Content-Type: application/json",
        f"Content-Length: {len(payload)}",
    ]
    if token:
        headers.append(f"Authorization: Bearer {token}")
    return ("\r\n".join(headers) + "\r\n\r\n").encode() + payload


async def one_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    return status, await reader.readexactly(length)


async def fetch(port: int, request: bytes) -> dict[str, Any]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    status, body = await one_response(reader)
    writer.close()
    assert status == 200, body[:300]
    parsed: dict[str, Any] = json.loads(body)
    return parsed


async def wait_ready(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        await asyncio.sleep(0.2)
    raise RuntimeError(f"nothing listens on {port}")


async def throughput(port: int, request: bytes, connections: int, seconds: float) -> float:
    """Requests per second over `seconds`, with `connections` keep-alive clients in a loop."""
    done = 0
    failed = 0
    stop = time.monotonic() + seconds

    async def client() -> None:
        nonlocal done, failed
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.monotonic() < stop:
                writer.write(request)
                status, _ = await one_response(reader)
                if status == 200:
                    done += 1
                else:
                    failed += 1
        finally:
            writer.close()

    started = time.monotonic()
    await asyncio.gather(*(client() for _ in range(connections)))
    if failed:
        raise RuntimeError(f"{failed} non-200 answers")
    return done / (time.monotonic() - started)


async def latencies(port: int, request: bytes, count: int) -> list[float]:
    """Milliseconds of `count` requests one after another on one connection."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    times = []
    try:
        for _ in range(count):
            started = time.perf_counter()
            writer.write(request)
            status, body = await one_response(reader)
            times.append((time.perf_counter() - started) * 1000)
            assert status == 200 and b'"errors"' not in body, body[:300]
    finally:
        writer.close()
    return times


def spread(values: list[float], digits: int = 1) -> str:
    return (
        f"median {statistics.median(values):.{digits}f} "
        f"(range {min(values):.{digits}f}-{max(values):.{digits}f})"
    )


# --- the run -------------------------------------------------------------------------------


async def main(args: argparse.Namespace) -> int:
    os.sched_setaffinity(0, {1})
    await recreate_database(PG_URL)
    data_dir = Path(tempfile.mkdtemp(prefix="bench_api_"))
    env = {
        "DATABASE_URL": PG_URL,
        "REDIS_URL": REDIS_URL,
        "BRSCALE_SECRET_KEY": SECRET,
        "BRSCALE_DATA_DIR": str(data_dir),
        "BRSCALE_ENV": "production",
        # one caller drives all the load: lift its per-minute budget and concurrent share
        "BRSCALE_RATE_LIMIT_PER_MINUTE": "100000000",
        "BRSCALE_OPERATIONS_PER_CALLER": str(max(args.connections, 4)),
    }
    try:
        settings = Settings(  # type: ignore[call-arg]
            DATABASE_URL=PG_URL,
            REDIS_URL=REDIS_URL,
            BRSCALE_SECRET_KEY=SECRET,
            BRSCALE_DATA_DIR=data_dir,
        )
        started = time.monotonic()
        async with open_runtime(settings) as runtime:
            token, brokerage_id = await seed(runtime)
        print(
            f"seeded {LEADS:,} leads (+{OTHER_LEADS:,} of another brokerage), {LISTINGS} "
            f"listings, {CONVERSATIONS:,} conversations in {time.monotonic() - started:.0f} s"
        )
        plain_env = {"PLAIN_DSN": PG_URL, "PLAIN_BROKERAGE_ID": str(brokerage_id)}
        with (
            server("graphql_schema.asgi:app_factory", API_PORT, env),
            server("bench.plain_leads:app_factory", PLAIN_PORT, {**env, **plain_env}),
        ):
            await wait_ready(API_PORT)
            await wait_ready(PLAIN_PORT)
            return await measure(args, token)
    finally:
        if not args.keep:
            await drop_database(PG_URL)


async def measure(args: argparse.Namespace, token: str) -> int:
    body = {"query": LEADS_QUERY, "variables": {"first": 50}}
    api = request_bytes("/graphql", body, token)
    plain = request_bytes("/leads", body, None)
    one_api = request_bytes("/graphql", {**body, "variables": {"first": 1}}, token)
    one_plain = request_bytes("/leads", {**body, "variables": {"first": 1}}, None)
    dashboard = request_bytes("/graphql", {"query": DASHBOARD_QUERY}, token)

    # Same rows, same shape: the comparison is fair only if both answer the same page.
    from_api = (await fetch(API_PORT, api))["data"]["leads"]["edges"]
    from_plain = (await fetch(PLAIN_PORT, plain))["data"]["leads"]["edges"]
    assert len(from_api) == 50 and from_api == from_plain, "the two endpoints disagree"

    for request, port in ((api, API_PORT), (plain, PLAIN_PORT)):  # warm-up
        await throughput(port, request, args.connections, 2)
    api_rates, plain_rates, ratios = [], [], []
    for run in range(args.runs):
        order = [(api, API_PORT), (plain, PLAIN_PORT)]
        rates = {}
        for request, port in order if run % 2 == 0 else order[::-1]:
            rates[port] = await throughput(port, request, args.connections, args.seconds)
        api_rates.append(rates[API_PORT])
        plain_rates.append(rates[PLAIN_PORT])
        ratios.append(rates[PLAIN_PORT] / rates[API_PORT])
        print(
            f"  run {run + 1}: API {rates[API_PORT]:.0f} req/s, plain {rates[PLAIN_PORT]:.0f} "
            f"req/s, ratio {ratios[-1]:.2f}x"
        )
    api_one = await latencies(API_PORT, one_api, args.samples)
    plain_one = await latencies(PLAIN_PORT, one_plain, args.samples)
    api_fifty = await latencies(API_PORT, api, args.samples)
    plain_fifty = await latencies(PLAIN_PORT, plain, args.samples)

    answer = await fetch(API_PORT, dashboard)
    assert not answer.get("errors"), answer["errors"]
    await latencies(API_PORT, dashboard, 3)  # warm-up
    board: list[float] = []
    for _ in range(args.runs):
        board.extend(await latencies(API_PORT, dashboard, args.samples))

    ratio = statistics.median(ratios)
    board_ms = statistics.median(board)
    print(f"\nleads(first: 50), 6 scalar fields, {args.connections} connections, {args.runs} runs")
    print(f"  GraphQL API (whole stack): {spread(api_rates, 0)} req/s")
    print(f"  plain Starlette + asyncpg: {spread(plain_rates, 0)} req/s")
    print(
        f"  ratio plain/API: {spread(ratios, 2)}  target <= {LEADS_TARGET_RATIO:.0f}x: "
        f"{'PASS' if ratio <= LEADS_TARGET_RATIO else 'MISS'}"
    )
    print("latency, one request at a time (ms)")
    print(f"  leads(first: 50): API {spread(api_fifty)}, plain {spread(plain_fifty)}")
    print(f"  leads(first: 1):  API {spread(api_one)}, plain {spread(plain_one)}")
    print(
        f"dashboard (crmSyncStats + properties with stats + brokerTasks), {LEADS:,} leads, "
        f"{CONVERSATIONS:,} conversations: {spread(board)} ms, p90 "
        f"{statistics.quantiles(board, n=10)[-1]:.1f} ms  target < {DASHBOARD_TARGET_MS:.0f} ms: "
        f"{'PASS' if board_ms < DASHBOARD_TARGET_MS else 'MISS'}"
    )
    return 0 if ratio <= LEADS_TARGET_RATIO and board_ms < DASHBOARD_TARGET_MS else 1


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args()


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(parse())))
