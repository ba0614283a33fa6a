"""Reliability drills on the production shape (bench/cluster.py): a campaign texts every lead
while a fault hits, then leads reply; every drill counts what went out at the Twilio stand-in.

    ./dev drills [--leads 40] [--replies 5] [--only NAME]

Drills: a worker SIGKILLed mid-campaign (restarted, as a supervisor would), Redis unreachable
for two seconds mid-campaign (every connection dropped), `pg_terminate_backend` on every
database connection three times mid-campaign, and each reply's webhook delivered five times
(to both API processes). Each must end with zero first messages lost or doubled and every
reply answered exactly once; the table is printed and the exit status says whether all held.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from bench.cluster import Cluster, open_cluster
from tests.support.outbox import sign_up_link

Fault = Callable[[Cluster], Awaitable[str]]
PASSWORD = "drills password 123"


def lead_phone(i: int) -> str:
    return f"+1808234{i:04d}"  # Hawaii: the drills run in its daytime sending hours


@dataclass
class Outcome:
    drill: str
    fault: str
    expected: int
    sent: int
    duplicated: int
    lost: int
    replies: int
    answered: int
    answered_twice: int
    unanswered: int
    seconds: float

    @property
    def held(self) -> bool:
        return not (self.duplicated or self.lost or self.answered_twice or self.unanswered)


async def _gql(
    client: httpx.AsyncClient, url: str, query: str, variables: dict[str, Any], token: str = ""
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.post(
        f"{url}/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    body: dict[str, Any] = response.json()
    if body.get("errors"):
        raise RuntimeError(body["errors"])
    return body["data"]  # type: ignore[no-any-return]


def _texts_to(cluster: Cluster) -> Counter[str]:
    return Counter(m.form["To"] for m in list(cluster.standin.messages))


async def _until(condition: Callable[[], bool], within: float) -> bool:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.2)
    return True


async def run_drill(
    name: str, fault: Fault | None, *, leads: int, replies: int, webhook_copies: int = 1
) -> Outcome:
    started = time.monotonic()
    async with open_cluster() as cluster, httpx.AsyncClient(timeout=60) as client:
        api = cluster.api_urls[0]
        await _gql(
            client,
            api,
            "mutation($i: SignUpInput!) { signUp(input: $i) { email } }",
            {
                "i": {
                    "email": "drills@example.com",
                    "password": PASSWORD,
                    "name": "Drills",
                    "brokerageName": "Casa Drills",
                }
            },
        )
        link = sign_up_link(cluster.outbox, "drills@example.com")
        signed_up = await _gql(
            client,
            api,
            "mutation($t: String!) { confirmSignUp(input: {token: $t}) { token } }",
            {"t": link},
        )
        token = signed_up["confirmSignUp"]["token"]
        phones = [lead_phone(i) for i in range(leads)]
        for i, phone in enumerate(phones):
            await _gql(
                client,
                cluster.api_urls[i % 2],
                "mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }",
                {
                    "i": {
                        "name": f"Lead {i}",
                        "phone": phone,
                        "locations": ["Kaimuki"],
                        "maxBudget": 1_000_000,
                        "bedrooms": 3,
                    }
                },
                token,
            )
        await _gql(
            client,
            api,
            "mutation($i: PropertyInput!) { createProperty(input: $i) { id } }",
            {
                "i": {
                    "title": "Casa en Kaimuki",
                    "location": "Kaimuki",
                    "price": 900_000,
                    "operation": "SALE",
                    "bedrooms": 3,
                    "description": "Tres recámaras, jardín.",
                }
            },
            token,
        )
        fault_done = "none"
        if fault is not None:  # strike once a quarter of the campaign went out
            await _until(lambda: len(cluster.standin.messages) >= leads // 4, 300)
            fault_done = await fault(cluster)
        await _until(lambda: len(_texts_to(cluster)) >= leads, 300)
        await asyncio.sleep(3)  # a doubled text would show up by now
        first = _texts_to(cluster)

        # Replies: each lead's webhook, `webhook_copies` times, to both API processes in turn.
        repliers = phones[:replies]
        for n, phone in enumerate(repliers):
            form, signature = cluster.standin.inbound(
                f"{cluster.public_url}/webhooks/twilio/sms",
                phone,
                "+15550001111",
                "¿Sigue disponible? ¿Cuánto piden?",
            )
            for copy in range(webhook_copies):
                url = cluster.api_urls[(n + copy) % len(cluster.api_urls)]
                await client.post(
                    f"{url}/webhooks/twilio/sms",
                    data=form,
                    headers={"X-Twilio-Signature": signature},
                )
        await _until(lambda: all(_texts_to(cluster)[p] >= 2 for p in repliers), 180)
        await asyncio.sleep(3)
        final = _texts_to(cluster)

    return Outcome(
        drill=name,
        fault=fault_done,
        expected=leads,
        sent=sum(1 for p in phones if first[p] >= 1),
        duplicated=sum(max(0, first[p] - 1) for p in phones),
        lost=sum(1 for p in phones if first[p] == 0),
        replies=len(repliers),
        answered=sum(1 for p in repliers if final[p] - first[p] >= 1),
        answered_twice=sum(1 for p in repliers if final[p] - first[p] > 1),
        unanswered=sum(1 for p in repliers if final[p] - first[p] < 1),
        seconds=round(time.monotonic() - started, 1),
    )


async def kill_a_worker(cluster: Cluster) -> str:
    await cluster.kill("worker-1", signal.SIGKILL)
    await asyncio.sleep(1)
    await cluster.start("worker-1")
    return "worker-1 SIGKILLed, restarted 1 s later"


async def cut_redis(cluster: Cluster) -> str:
    await cluster.redis_proxy.cut(for_seconds=2.0)
    return "Redis unreachable 2 s, every connection dropped"


async def terminate_postgres_connections(cluster: Cluster) -> str:
    killed = 0
    for _ in range(3):
        killed += await cluster.terminate_database_connections()
        await asyncio.sleep(0.5)
    return f"pg_terminate_backend x3 ({killed} connections)"


DRILLS: dict[str, tuple[Fault | None, int]] = {
    "worker-sigkill": (kill_a_worker, 1),
    "redis-cut": (cut_redis, 1),
    "pg-terminate": (terminate_postgres_connections, 1),
    "webhook-5x": (None, 5),
}


def table(outcomes: list[Outcome]) -> str:
    head = (
        "| drill | fault | expected | sent | duplicated | lost | replies | answered "
        "| answered twice | unanswered | seconds |"
    )
    lines = [head, "|" + "---|" * 11]
    for o in outcomes:
        lines.append(
            f"| {o.drill} | {o.fault} | {o.expected} | {o.sent} | {o.duplicated} | {o.lost} "
            f"| {o.replies} | {o.answered} | {o.answered_twice} | {o.unanswered} | {o.seconds} |"
        )
    return "\n".join(lines)


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leads", type=int, default=40)
    parser.add_argument("--replies", type=int, default=5)
    parser.add_argument("--only", choices=sorted(DRILLS), action="append")
    args = parser.parse_args()
    outcomes = []
    for name in args.only or list(DRILLS):
        fault, copies = DRILLS[name]
        outcome = await run_drill(
            name, fault, leads=args.leads, replies=args.replies, webhook_copies=copies
        )
        print(table([outcome]).splitlines()[-1], flush=True)
        outcomes.append(outcome)
    print()
    print(table(outcomes))
    held = all(o.held for o in outcomes)
    print(
        "\nALL HELD" if held else "\nFAILED: see the rows with a non-zero lost/doubled/unanswered"
    )
    return 0 if held else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
