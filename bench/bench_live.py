"""Live feed benchmark (issue 15, Speed): N WebSocket subscribers on one API process (`brscale
serve`, as deployed), events published from another process, as a 50-lead campaign's worker would.

    .venv/bin/python -m bench.bench_live [--subscribers 1000] [--events 150] [--rate 20]

Starts the API on a fresh PostgreSQL database `brscale_bench_live` and Redis database
BENCH_REDIS_DB (default 15; pub/sub channels name the database, so pick one no one else uses),
connects the subscribers from `--clients` processes (`agentActivity { id type at lead { id name }
property { id title } }`; a minimal WebSocket client that offers compression as browsers do and,
told SUBSCRIBER_TOO_SLOW, subscribes again with `after: lastEventId`), then a publisher process
records `--events` events (one transaction each, `--rate` per second; 0 for one burst). The API is
pinned to CPU 0, clients and publisher to CPU 1 (`--no-pin` to share both). Prints p50/p99
delivery latency (event time to receipt), how many subscribers got every event, how many were
told too slow and how many came up short without being told, the API process's memory per
subscriber (RSS growth / subscribers) and the CPU seconds of the API and of the clients, beside a
baseline measured in the same run: 1 subscriber. The machine is shared and noisy: the load
average is printed with each line. `--profile PATH` writes a CPU-time cProfile of the API.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import zlib
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
#
# A minimal WebSocket client (asyncio protocol, frames parsed by hand): 250 subscribers in each
# of 4 processes share the 2 cores with the API, and a full client library costs several times
# the server's own work per message. It offers permessage-deflate as browsers do (and inflates
# when the server accepts it), answers pings, and does what the API guide tells a subscriber to
# do: on SUBSCRIBER_TOO_SLOW, subscribe again with `after: lastEventId`.


class Subscriber(asyncio.Protocol):
    def __init__(self, token: str, after: str) -> None:
        self.token, self.after = token, after
        self.buffer = bytearray()
        self.handshaken = False
        self.inflate: Any = None
        self.transport: Any = None
        self.ids: set[str] = set()
        self.latencies: list[float] = []
        self.duplicates = 0
        self.told = 0  # SUBSCRIBER_TOO_SLOW errors received
        self.operation = 0
        self.other: list[str] = []  # anything unexpected: errors, completes, closes
        self.ready = asyncio.Event()

    def connection_made(self, transport: Any) -> None:
        self.transport = transport
        key = base64.b64encode(os.urandom(16)).decode()
        transport.write(
            (
                "GET /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n"
                "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n"
            ).encode()
        )

    def send(self, message: dict[str, Any]) -> None:
        payload = json.dumps(message).encode()
        self.frame(0x1, payload)

    def frame(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        length = len(payload)
        if length < 126:
            head = bytes([0x80 | opcode, 0x80 | length])
        elif length < 65536:
            head = bytes([0x80 | opcode, 0x80 | 126]) + length.to_bytes(2, "big")
        else:
            head = bytes([0x80 | opcode, 0x80 | 127]) + length.to_bytes(8, "big")
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.transport.write(head + mask + masked)

    def subscribe(self, after: str | None) -> None:
        self.operation += 1
        payload = {"query": FEED, "variables": {"after": after}}
        self.send({"id": str(self.operation), "type": "subscribe", "payload": payload})

    def data_received(self, data: bytes) -> None:
        global last_receipt
        now = last_receipt = time.time()
        self.buffer += data
        if not self.handshaken:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self.buffer[:end]).decode("latin-1").lower()
            del self.buffer[: end + 4]
            if " 101 " not in head.split("\r\n", 1)[0]:
                self.other.append("handshake: " + head.split("\r\n", 1)[0])
                self.transport.close()
                return
            if "permessage-deflate" in head:
                self.inflate = zlib.decompressobj(-15)
            self.handshaken = True
            self.send(
                {"type": "connection_init", "payload": {"authorization": f"Bearer {self.token}"}}
            )
        buffer = self.buffer
        while len(buffer) >= 2:
            first, second = buffer[0], buffer[1]
            length, start = second & 0x7F, 2
            if length == 126:
                if len(buffer) < 4:
                    return
                length, start = int.from_bytes(buffer[2:4], "big"), 4
            elif length == 127:
                if len(buffer) < 10:
                    return
                length, start = int.from_bytes(buffer[2:10], "big"), 10
            if len(buffer) < start + length:
                return
            payload = bytes(buffer[start : start + length])
            del buffer[: start + length]
            opcode = first & 0x0F
            if opcode == 0x9:
                self.frame(0xA, payload)  # pong
            elif opcode == 0x8:
                code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 1005
                self.other.append(f"closed {code} {payload[2:].decode(errors='replace')}")
            elif opcode == 0x1:
                if first & 0x40:  # compressed (RSV1)
                    payload = self.inflate.decompress(payload + b"\x00\x00\xff\xff")
                self.message(json.loads(payload), now)

    def message(self, message: dict[str, Any], now: float) -> None:
        kind = message["type"]
        if kind == "connection_ack":
            self.subscribe(self.after)
            self.ready.set()
        elif kind == "next":
            payload = message["payload"]
            errors = payload.get("errors")
            if errors:
                code = errors[0].get("extensions", {}).get("code")
                if code == "SUBSCRIBER_TOO_SLOW":
                    self.told += 1
                    self.subscribe(errors[0]["extensions"]["lastEventId"] or self.after)
                    return
                self.other.append(f"error {code}")
                return
            event = payload["data"]["agentActivity"]
            if event["id"] in self.ids:
                self.duplicates += 1
                return
            self.ids.add(event["id"])
            self.latencies.append(now - datetime.fromisoformat(event["at"]).timestamp())
        elif kind == "complete":
            if message["id"] == str(self.operation):
                self.other.append("complete")
        elif kind == "error":
            self.other.append("error " + json.dumps(message["payload"])[:200])

    def connection_lost(self, exc: Exception | None) -> None:
        self.other.append(f"connection lost {exc!r}")


last_receipt = 0.0


async def client_main(
    url: str, token: str, after: str, count: int, expect: int, grace: float
) -> None:
    host, port = url.split("//", 1)[1].split("/", 1)[0].split(":")
    loop = asyncio.get_running_loop()
    subscribers: list[Subscriber] = []
    for _ in range(count):
        subscriber = Subscriber(token, after)
        await loop.create_connection(lambda s=subscriber: s, host, int(port))
        subscribers.append(subscriber)
    await asyncio.wait_for(asyncio.gather(*(s.ready.wait() for s in subscribers)), 120)
    print(json.dumps({"ready": count}), flush=True)
    # The parent says when the publisher is done (stdin closes); then whoever has not got
    # everything once nothing arrived for `grace` seconds missed events.
    await loop.run_in_executor(None, sys.stdin.read)
    while any(len(s.ids) < expect for s in subscribers):
        if time.time() - last_receipt > grace:
            break
        await asyncio.sleep(0.1)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "latencies": [s.latencies for s in subscribers],
                "counts": [len(s.ids) for s in subscribers],
                "told": [s.told for s in subscribers],
                "duplicates": sum(s.duplicates for s in subscribers),
                "other": [o for s in subscribers for o in s.other][:20],
                "cpu_s": usage.ru_utime + usage.ru_stime,
            }
        ),
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

    from app.activity.events import ActivityType, record_activity
    from app.core.config import Settings
    from app.core.db import recreate_database
    from app.core.runtime import open_runtime
    from app.core.uow import commit
    from app.leads.models import Lead
    from app.properties.models import ListingOperation
    from app.properties.service import PropertyFields, create_property
    from graphql_schema.relay import encode_id
    from tests.support import factories

    await recreate_database(PG_URL)
    redis = Redis.from_url(REDIS_URL)
    await redis.flushdb()
    await redis.aclose()
    settings = Settings(  # type: ignore[call-arg]
        DATABASE_URL=PG_URL, REDIS_URL=REDIS_URL, BRSCALE_SECRET_KEY=SECRET
    )
    async with open_runtime(settings, create_schema=True) as runtime:
        async with runtime.session() as session:
            signed = await factories.brokerage(
                session, runtime.tokens, password="correct horse battery", brokerage_name="Bench"
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


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def scenario(
    args: argparse.Namespace, subscribers: int, token: str, after: str, lead: int, listing: int
) -> dict[str, Any]:
    port = 8990
    # The API as deployed (`brscale serve`: its uvicorn settings included), optionally profiled.
    serve = ["-m", "app.cli", "serve", "--port", str(port)]
    if args.profile:
        serve = [__file__, "--serve-profiled", f"{args.profile}.{subscribers}", str(port)]
    # As bench_api does: the API on CPU 0, its clients and the publisher on CPU 1, so that the
    # clients' wake-ups (one per message) do not preempt the API they are measuring.
    api_cpu, client_cpus = (
        (["taskset", "-c", "0"], ["taskset", "-c", "1"]) if args.pin else ([], [])
    )
    server = subprocess.Popen([*api_cpu, sys.executable, *serve], cwd=ROOT, env=ENV)
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
                        *client_cpus,
                        sys.executable,
                        __file__,
                        "--client",
                        f"ws://127.0.0.1:{port}/graphql",
                        token,
                        after,
                        str(count),
                        str(args.events),
                        str(args.grace),
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
        load_before = load()
        api_cpu_s = cpu_s(server.pid)
        started = time.perf_counter()
        publisher = subprocess.run(
            [
                *client_cpus,
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
        latencies: list[float] = []
        counts: list[int] = []
        told: list[int] = []
        other: list[str] = []
        duplicates = 0
        client_cpu = 0.0
        for client in clients:
            out, _ = client.communicate("")
            report = json.loads(out.strip().splitlines()[-1])
            latencies.extend(x for per in report["latencies"] for x in per)
            counts.extend(report["counts"])
            told.extend(report["told"])
            other.extend(report["other"])
            duplicates += report["duplicates"]
            client_cpu += report["cpu_s"]
        api_cpu_s = cpu_s(server.pid) - api_cpu_s
        latencies.sort()
        return {
            "subscribers": subscribers,
            "p50_ms": 1000 * statistics.median(latencies) if latencies else None,
            "p99_ms": 1000 * latencies[int(len(latencies) * 0.99) - 1] if latencies else None,
            "max_ms": 1000 * latencies[-1] if latencies else None,
            "complete": sum(1 for c in counts if c == args.events),
            "min_count": min(counts) if counts else 0,
            # Told SUBSCRIBER_TOO_SLOW at least once (each then caught up with `after:`).
            "told": sum(1 for t in told if t),
            # Short of events at the end without ever being told: lost in silence.
            "silent": sum(
                1 for c, t in zip(counts, told, strict=True) if c < args.events and not t
            ),
            "duplicates": duplicates,
            "other": other[:5],
            "published_in_s": published_in,
            "rss_kb_per_subscriber": (rss_subscribed - rss_before) / subscribers,
            "rss_mb": rss_subscribed / 1024,
            "api_cpu_s": api_cpu_s,
            "client_cpu_s": client_cpu,
            "load": f"{load_before} -> {load()}",
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
            "process, one API process (brscale serve), Redis pub/sub; shared 2-core machine, "
            "noisy (load average: 1, 5, 15 min)."
        )
        for r in results:
            print(
                f"  {r['subscribers']:>5} subscribers: p50 {r['p50_ms']:.1f} ms, "
                f"p99 {r['p99_ms']:.1f} ms, max {r['max_ms']:.1f} ms; "
                f"{r['complete']}/{r['subscribers']} got all {args.events} events "
                f"(fewest {r['min_count']}), {r['told']} told too slow, {r['silent']} short "
                f"untold, {r['duplicates']} duplicates; published in {r['published_in_s']:.1f} s; "
                f"API RSS {r['rss_mb']:.0f} MB, {r['rss_kb_per_subscriber']:.1f} KB per "
                f"subscriber; CPU API {r['api_cpu_s']:.1f} s, clients {r['client_cpu_s']:.1f} s; "
                f"load {r['load']}"
            )
            if r["other"]:
                print(f"        unexpected: {r['other']}")
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


def serve_profiled(path: str, port: str) -> None:
    """`brscale serve` under cProfile counting CPU time (not time spent preempted or waiting)."""
    import cProfile
    import runpy

    profile = cProfile.Profile(time.process_time)
    sys.argv = ["brscale", "serve", "--port", port]
    profile.enable()
    try:
        runpy.run_module("app.cli", run_name="__main__")
    except SystemExit:
        pass
    finally:
        profile.disable()
        profile.dump_stats(path)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--serve-profiled":
        serve_profiled(*sys.argv[2:4])
    elif len(sys.argv) > 1 and sys.argv[1] == "--client":
        url, token, after, count, expect, grace = sys.argv[2:8]
        import uvloop  # installed with uvicorn[standard]

        uvloop.run(client_main(url, token, after, int(count), int(expect), float(grace)))
    elif len(sys.argv) > 1 and sys.argv[1] == "--publish":
        events, rate, lead, listing = sys.argv[2:6]
        asyncio.run(publish_main(int(events), float(rate), int(lead), int(listing)))
    else:
        parser = argparse.ArgumentParser(description=__doc__)
        parser.add_argument("--subscribers", type=int, default=1000)
        parser.add_argument("--events", type=int, default=150)
        parser.add_argument("--rate", type=float, default=20.0)
        parser.add_argument("--clients", type=int, default=4, help="client processes")
        parser.add_argument(
            "--grace",
            type=float,
            default=5.0,
            help="after the publisher, seconds without a message that end the wait",
        )
        parser.add_argument(
            "--pin",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="API on CPU 0, clients and publisher on CPU 1",
        )
        parser.add_argument("--profile", help="cProfile the API process into PROFILE.<n>")
        main(parser.parse_args())
