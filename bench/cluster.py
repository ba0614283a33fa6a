"""The production shape of docker-compose.yml on one machine, without containers: two API
processes and two workers (`brscale serve` / `brscale worker`) on the local PostgreSQL (a
database of its own) and a Redis server of their own (`redis-server` on a free port, with
redis:7's default snapshots, so it can be restarted as compose restarts it; the shared server's
db `DRILLS_REDIS_DB` when no `redis-server` is installed), reached through a proxy the drills
can cut; texting through the Twilio stand-in, syncing with the Follow Up Boss stand-in.

    async with open_cluster() as cluster:
        cluster.api_urls, cluster.standin.messages, await cluster.kill("worker-1") ...
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
from redis.asyncio import Redis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.core.db import drop_database, recreate_database  # noqa: E402
from tests.support.fub_standin import FubStandIn, serve_app  # noqa: E402
from tests.support.servers import free_port  # noqa: E402
from tests.support.tcp_proxy import TcpProxy  # noqa: E402
from tests.support.twilio_standin import TwilioStandIn, running_twilio_standin  # noqa: E402

PG_SERVER = os.environ.get("DRILLS_PG_SERVER", "postgresql://postgres@127.0.0.1:5432")
# Two engineers' drills on one server each need a database (and Redis db) of their own.
DB_NAME = os.environ.get("DRILLS_DB_NAME", "brscale_drills")
PG_URL = f"{PG_SERVER}/{DB_NAME}"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_DB = int(os.environ.get("DRILLS_REDIS_DB", "7"))
OUR_NUMBER = "+15550001111"
SECRET = "drills-secret-key-that-is-long-enough-for-hs256-0123456789"


class RedisServer:
    """A `redis-server` of the cluster's own, configured as the redis:7 image runs it (no
    config file: RDB snapshots at the default save points, no append-only file), so a restart
    is what `docker compose restart redis` does: SIGTERM (it saves), then start again."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="brscale-drills-redis-")
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            self.binary,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            self.dir,
            "--save",
            "3600 1 300 100 60 10000",
            "--appendonly",
            "no",
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(200):
            with contextlib.suppress(OSError):
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.close()
                return
            await asyncio.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    async def stop(self, signum: int = signal.SIGTERM) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signum)
            await self.process.wait()

    async def restart(self) -> float:
        """Shut down (saving), start again; the seconds it was down."""
        started = asyncio.get_running_loop().time()
        await self.stop()
        await self.start()
        return asyncio.get_running_loop().time() - started


@dataclass
class Cluster:
    env: dict[str, str]
    api_urls: list[str]
    standin: TwilioStandIn
    redis_proxy: TcpProxy
    fub: FubStandIn
    redis_server: RedisServer | None = None
    processes: dict[str, asyncio.subprocess.Process] = field(default_factory=dict)

    @property
    def public_url(self) -> str:
        return self.api_urls[0]

    @property
    def outbox(self) -> Path:
        """The APIs' local outbox: the sign-up e-mail's link is read from it."""
        return Path(self.env["BRSCALE_DATA_DIR"]) / "outbox.jsonl"

    async def start(self, name: str) -> None:
        """Start (or restart, as a supervisor would) `api-N` or `worker-N`."""
        if name.startswith("api"):
            port = self.api_urls[int(name[-1]) - 1].rsplit(":", 1)[1]
            command = ["serve", "--port", port]
        else:
            command = ["worker"]
        # Each process's output in the data dir (`name.log`), kept when it fails to start.
        with (Path(self.env["BRSCALE_DATA_DIR"]) / f"{name}.log").open("ab") as log:
            self.processes[name] = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "app.cli",
                *command,
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    async def kill(self, name: str, signum: int = signal.SIGKILL) -> None:
        process = self.processes[name]
        if process.returncode is None:
            process.send_signal(signum)
            try:
                await asyncio.wait_for(process.wait(), 30)
            except TimeoutError:
                process.kill()
                await process.wait()

    async def terminate_database_connections(self) -> int:
        """`pg_terminate_backend` on every connection to the cluster's database."""
        admin = await asyncpg.connect(f"{PG_SERVER}/postgres")
        try:
            return int(
                await admin.fetchval(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = $1",
                    DB_NAME,
                )
            )
        finally:
            await admin.close()

    async def ready(self, within: float = 300.0) -> None:
        # Four processes importing the app at once on a loaded 2-core machine took ~60 s.
        async with httpx.AsyncClient(timeout=5) as client:
            for url in self.api_urls:
                deadline = asyncio.get_running_loop().time() + within
                while True:
                    with contextlib.suppress(httpx.TransportError):
                        if (await client.get(f"{url}/readyz")).status_code == 200:
                            break
                    if asyncio.get_running_loop().time() > deadline:
                        logs = Path(self.env["BRSCALE_DATA_DIR"])
                        raise TimeoutError(f"{url} never became ready (see {logs}/*.log)")
                    await asyncio.sleep(0.2)


@contextlib.asynccontextmanager
async def open_cluster(workers: int = 2, apis: int = 2) -> AsyncIterator[Cluster]:
    """Production's job timeout (600 s) and job lease (60 s): a killed worker's jobs come back
    within the lease. (Until 2026-12-07 the drills shortened the timeout to 20 s to bring them
    back, which cut off healthy reply jobs taking 26-28 s on the loaded machine.)"""
    await recreate_database(PG_URL)
    # DRILLS_SHARED_REDIS=1: the shared server's db DRILLS_REDIS_DB instead (what the drills
    # used until 2026-12-07: any test run on that db flushed the cluster's queues).
    binary = None if os.environ.get("DRILLS_SHARED_REDIS") else shutil.which("redis-server")
    server = RedisServer(binary) if binary else None
    if server is not None:
        await server.start()
        redis_port, redis_db = server.port, 0
    else:
        redis_port, redis_db = REDIS_PORT, REDIS_DB
    redis = Redis(host=REDIS_HOST, port=redis_port, db=redis_db)
    await redis.flushdb()
    proxy = TcpProxy(REDIS_HOST, redis_port)
    await proxy.start()
    data_dir = tempfile.mkdtemp(prefix="brscale-drills-")
    fub = FubStandIn()
    try:
        with running_twilio_standin() as standin, serve_app(fub.app()) as fub_url:
            api_urls = [f"http://127.0.0.1:{free_port()}" for _ in range(apis)]
            env = {
                **os.environ,
                "DATABASE_URL": PG_URL,
                "REDIS_URL": f"redis://127.0.0.1:{proxy.port}/{redis_db}",
                "FOLLOWUPBOSS_API_URL": fub_url,
                "FOLLOWUPBOSS_SYSTEM": fub.system,
                "FOLLOWUPBOSS_SYSTEM_KEY": fub.system_key,
                "BRSCALE_SECRET_KEY": SECRET,
                "BRSCALE_DATA_DIR": data_dir,
                "BRSCALE_PUBLIC_URL": api_urls[0],
                "BRSCALE_ENV": "production",
                "BRSCALE_RATE_LIMIT_PER_MINUTE": "100000",
                "BRSCALE_OPERATIONS_PER_CALLER": "16",
                "TWILIO_API_URL": standin.base_url,
                "TWILIO_ACCOUNT_SID": standin.account_sid,
                "TWILIO_AUTH_TOKEN": standin.auth_token,
                "TWILIO_FROM_NUMBER": OUR_NUMBER,
                # 4 processes x 12 connections: the shared PostgreSQL allows 100 in all, and
                # at 4 x 30 a 10,000-lead drill took 77 of them (others' tests were refused).
                "DATABASE_POOL_SIZE": "8",
                "DATABASE_MAX_OVERFLOW": "4",
                "REPLY_DEBOUNCE_SECONDS": "0",
            }
            for key in ("OPENAI_API_KEY", "SMTP_URL"):
                env.pop(key, None)
            cluster = Cluster(env, api_urls, standin, proxy, fub, server)
            try:
                for i in range(apis):
                    await cluster.start(f"api-{i + 1}")
                for i in range(workers):
                    await cluster.start(f"worker-{i + 1}")
                await cluster.ready()
                yield cluster
            finally:
                for name in list(cluster.processes):
                    await cluster.kill(name, signal.SIGTERM)
    finally:
        await proxy.stop()
        with contextlib.suppress(Exception):
            await redis.flushdb()
        await redis.aclose()
        if server is not None:
            await server.stop(signal.SIGKILL)
            shutil.rmtree(server.dir, ignore_errors=True)
        await drop_database(PG_URL)
