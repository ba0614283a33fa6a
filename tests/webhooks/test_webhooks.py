"""Outgoing webhooks: signed with the documented recipe, retried with backoff, logged, and
disabled after repeated failures; Zapier's REST hooks on the same subscriptions."""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.activity.events import ActivityType, record_activity
from app.core.config import Settings
from app.core.runtime import Runtime, open_runtime
from app.core.uow import commit
from app.leads.models import Lead
from app.webhooks import destinations, service
from graphql_schema.asgi import create_app
from tests.conftest import Api, error_codes
from tests.support.servers import serve

ROOT = Path(__file__).resolve().parents[2]
CREATE = """mutation($i: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $i) {
    secret webhookSubscription { id url events active } } }"""
LOG = """{ webhookSubscriptions { id active disabledReason deliveries {
    edges { node { type status attempts lastStatusCode } } } } }"""


def documented_verify() -> Any:
    """`verify_signature` exactly as docs/API.md gives it to partners."""
    guide = (ROOT / "docs" / "API.md").read_text()
    block = next(
        b for b in re.findall(r"```python\n(.*?)```", guide, re.S) if "def verify_signature" in b
    )
    namespace: dict[str, Any] = {}
    exec(block, namespace)
    return namespace["verify_signature"]


class Receiver:
    """A partner's endpoint: answers `statuses` in turn (then 200), keeps what it got."""

    def __init__(self, statuses: list[int] | None = None, always: int | None = None) -> None:
        self.statuses = list(statuses or [])
        self.always = always
        self.received: list[tuple[dict[str, str], bytes]] = []

    async def endpoint(self, request: Request) -> Response:
        self.received.append((dict(request.headers), await request.body()))
        if self.always is not None:
            return Response(status_code=self.always)
        return Response(status_code=self.statuses.pop(0) if self.statuses else 200)


@contextlib.asynccontextmanager
async def receiving(receiver: Receiver) -> AsyncIterator[str]:
    app = Starlette(routes=[Route("/hook", receiver.endpoint, methods=["POST"])])
    async with serve(app) as url:
        yield url + "/hook"


@contextlib.asynccontextmanager
async def broker(settings: Settings) -> AsyncIterator[tuple[Runtime, Api]]:
    async with open_runtime(settings) as runtime:
        transport = httpx.ASGITransport(app=create_app(runtime=runtime))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            api = Api(client)
            await api.sign_up()
            yield runtime, api


async def qualified_lead(runtime: Runtime) -> None:
    async with runtime.session() as session:
        taken = await session.scalar(select(func.count()).select_from(Lead))
        lead = Lead(brokerage_id=1, name="Ana López", email=f"ana{taken}@example.com")
        session.add(lead)
        await session.flush()
        record_activity(session, 1, ActivityType.LEAD_QUALIFIED, lead_id=lead.id)
        record_activity(session, 1, ActivityType.MATCHES_UPDATED, lead_id=lead.id)
        await commit(session)


async def settle(runtime: Runtime, done: Any, within: float = 20.0) -> None:
    """Run jobs (retries come back after their backoff) until `done()`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await done():
        assert loop.time() < deadline, "the deliveries never settled"
        await runtime.drain_jobs()
        await asyncio.sleep(0.05)


async def test_a_delivery_is_signed_as_the_guide_says(sqlite_settings: Settings) -> None:
    receiver = Receiver()
    async with broker(sqlite_settings) as (runtime, api), receiving(receiver) as url:
        created = await api.ok(CREATE, {"i": {"url": url, "events": ["LEAD_QUALIFIED"]}})
        secret = created["createWebhookSubscription"]["secret"]
        await qualified_lead(runtime)

        async def delivered() -> bool:
            return len(receiver.received) == 1

        await settle(runtime, delivered)
        log = await api.ok(LOG)
    headers, body = receiver.received[0]
    verify = documented_verify()
    assert verify(secret, headers["brscale-signature"], body)
    assert not verify(secret, headers["brscale-signature"], body.replace(b"Ana", b"Eva"))
    assert not verify("whsec_other", headers["brscale-signature"], body)
    assert headers["webhook-id"].startswith("evt_") and headers["webhook-timestamp"]
    import json

    sent = json.loads(body)
    assert sent["type"] == "LEAD_QUALIFIED"  # MATCHES_UPDATED was not asked for
    assert sent["data"]["lead"]["name"] == "Ana López"
    (subscription,) = log["webhookSubscriptions"]
    assert [e["node"] for e in subscription["deliveries"]["edges"]] == [
        {"type": "LEAD_QUALIFIED", "status": "DELIVERED", "attempts": 1, "lastStatusCode": 200}
    ]


async def test_a_failed_delivery_is_retried_with_backoff_then_delivered(
    sqlite_settings: Settings,
) -> None:
    settings = sqlite_settings.model_copy(update={"webhook_retry_base_seconds": 0.1})
    receiver = Receiver(statuses=[503, 500])
    async with broker(settings) as (runtime, api), receiving(receiver) as url:
        await api.ok(CREATE, {"i": {"url": url, "events": ["LEAD_QUALIFIED"]}})
        await qualified_lead(runtime)

        async def delivered() -> bool:
            return len(receiver.received) == 3

        await settle(runtime, delivered)
        await asyncio.sleep(0.2)
        log = await api.ok(LOG)
    ids = {headers["webhook-id"] for headers, _ in receiver.received}
    assert len(ids) == 1  # the same event each time: receivers deduplicate on it
    (subscription,) = log["webhookSubscriptions"]
    assert subscription["active"] is True
    assert [e["node"] for e in subscription["deliveries"]["edges"]] == [
        {"type": "LEAD_QUALIFIED", "status": "DELIVERED", "attempts": 3, "lastStatusCode": 200}
    ]


async def test_a_subscription_that_keeps_failing_is_disabled(sqlite_settings: Settings) -> None:
    settings = sqlite_settings.model_copy(
        update={"webhook_retry_base_seconds": 0.05, "webhook_disable_after": 3}
    )
    receiver = Receiver(always=500)
    async with broker(settings) as (runtime, api), receiving(receiver) as url:
        await api.ok(CREATE, {"i": {"url": url, "events": ["LEAD_QUALIFIED"]}})
        await qualified_lead(runtime)

        async def disabled() -> bool:
            return (await api.ok(LOG))["webhookSubscriptions"][0]["active"] is False

        await settle(runtime, disabled)
        await qualified_lead(runtime)  # a later event goes nowhere
        await runtime.drain_jobs()
        log = await api.ok(LOG)
    assert len(receiver.received) == 3
    (subscription,) = log["webhookSubscriptions"]
    assert subscription["disabledReason"].startswith("3 failed attempts in a row")
    assert [e["node"] for e in subscription["deliveries"]["edges"]] == [
        {"type": "LEAD_QUALIFIED", "status": "FAILED", "attempts": 3, "lastStatusCode": 500}
    ]


async def test_subscriptions_need_crm_manage_and_a_known_event(sqlite_settings: Settings) -> None:
    async with broker(sqlite_settings) as (_, api):
        key = await api.ok(
            'mutation { createApiKey(input: {name: "ro", scopes: ["leads:read"]}) { secret } }'
        )
        answer = await api(
            CREATE,
            {"i": {"url": "https://example.com/h", "events": ["LEAD_QUALIFIED"]}},
            token=key["createApiKey"]["secret"],
        )
        assert error_codes(answer) == ["FORBIDDEN"]
        bad = await api(CREATE, {"i": {"url": "ftp://example.com/h", "events": ["LEAD_QUALIFIED"]}})
        assert error_codes(bad) == ["BAD_USER_INPUT"]
        created = await api.ok(
            CREATE, {"i": {"url": "https://example.com/h", "events": ["LEAD_REPLIED"]}}
        )
        sub_id = created["createWebhookSubscription"]["webhookSubscription"]["id"]
        await api.ok("mutation($id: ID!) { deleteWebhookSubscription(id: $id) }", {"id": sub_id})
        assert (await api.ok(LOG))["webhookSubscriptions"] == []


async def test_zapier_rest_hooks_subscribe_sample_and_unsubscribe(
    sqlite_settings: Settings,
) -> None:
    receiver = Receiver()
    async with broker(sqlite_settings) as (runtime, api), receiving(receiver) as url:
        key = await api.ok(
            'mutation { createApiKey(input: {name: "zap", scopes: ["crm:manage"]}) { secret } }'
        )
        headers = {"X-API-Key": key["createApiKey"]["secret"]}
        client = api.client
        assert (await client.get("/zapier/me", headers=headers)).json() == {"brokerage": "Casa Ana"}
        assert (await client.get("/zapier/me")).status_code == 401
        sample = (await client.get("/zapier/samples/LEAD_QUALIFIED", headers=headers)).json()
        assert sample[0]["type"] == "LEAD_QUALIFIED" and sample[0]["data"]["lead"]["name"]
        hook = await client.post(
            "/zapier/hooks", json={"hookUrl": url, "event": "LEAD_QUALIFIED"}, headers=headers
        )
        assert hook.status_code == 201
        await qualified_lead(runtime)

        async def delivered() -> bool:
            return len(receiver.received) == 1

        await settle(runtime, delivered)
        real = (await client.get("/zapier/samples/LEAD_QUALIFIED", headers=headers)).json()
        assert real[0]["data"]["lead"]["name"] == "Ana López"  # the latest real delivery
        gone = await client.delete(f"/zapier/hooks/{hook.json()['id']}", headers=headers)
        assert gone.status_code == 200
        assert (await api.ok(LOG))["webhookSubscriptions"] == []
        bad = await client.post(
            "/zapier/hooks", json={"hookUrl": url, "event": "NOPE"}, headers=headers
        )
        assert bad.status_code == 400


INTERNAL_URLS = [
    "http://127.0.0.1:6379/",
    "http://localhost:8000/hook",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.5/hook",
    "http://192.168.1.1/hook",
    "http://172.16.0.1/hook",
    "http://100.64.0.1/hook",
    "http://0.0.0.0:5432/",
]


async def test_a_webhook_may_not_point_inside_our_network(sqlite_settings: Settings) -> None:
    settings = sqlite_settings.model_copy(update={"webhook_allow_loopback": False})
    async with broker(settings) as (_, api):
        key = await api.ok(
            'mutation { createApiKey(input: {name: "zap", scopes: ["crm:manage"]}) { secret } }'
        )
        for url in INTERNAL_URLS:
            answer = await api(CREATE, {"i": {"url": url, "events": ["LEAD_QUALIFIED"]}})
            assert error_codes(answer) == ["BAD_USER_INPUT"], url
            hook = await api.client.post(
                "/zapier/hooks",
                json={"hookUrl": url, "event": "LEAD_QUALIFIED"},
                headers={"X-API-Key": key["createApiKey"]["secret"]},
            )
            assert hook.status_code == 400, url
        assert (await api.ok(LOG))["webhookSubscriptions"] == []


async def test_loopback_is_allowed_only_by_the_explicit_setting(sqlite_settings: Settings) -> None:
    assert Settings().webhook_allow_loopback is False  # nothing set: production's answer
    async with broker(sqlite_settings) as (_, api):  # the tests' settings allow it
        ok = await api(CREATE, {"i": {"url": INTERNAL_URLS[0], "events": ["LEAD_QUALIFIED"]}})
        assert "errors" not in ok
        private = await api(CREATE, {"i": {"url": INTERNAL_URLS[5], "events": ["LEAD_QUALIFIED"]}})
        assert error_codes(private) == ["BAD_USER_INPUT"]  # private ranges never


async def test_a_url_that_now_leads_inside_is_not_posted_to(sqlite_settings: Settings) -> None:
    """A subscription saved while its name pointed outside (here: stored directly) is checked
    again at each delivery; nothing reaches the internal address and the log says why."""
    settings = sqlite_settings.model_copy(
        update={"webhook_allow_loopback": False, "webhook_disable_after": 1}
    )
    receiver = Receiver()
    async with broker(settings) as (runtime, api), receiving(receiver) as url:
        async with runtime.session() as session:
            await service.create_subscription(
                session, runtime.secrets, 1, url, ["LEAD_QUALIFIED"], allow_loopback=True
            )
            await commit(session)
        await qualified_lead(runtime)
        await runtime.drain_jobs()
        log = await api.ok(LOG)
    assert receiver.received == []
    (subscription,) = log["webhookSubscriptions"]
    assert subscription["active"] is False
    assert "non-public address (127.0.0.1)" in subscription["disabledReason"]


async def test_a_delivery_goes_to_the_address_that_was_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """DNS rebinding: the name is resolved once, checked, and the request aimed at that
    address with the name kept for Host and TLS."""
    answers = {"hooks.partner.example": "93.184.216.34", "rebind.partner.example": "10.0.0.7"}

    async def getaddrinfo(host: str, port: int, **_: Any) -> list[Any]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], port))]

    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", getaddrinfo)
    pinned = await destinations.pinned_request(
        "https://hooks.partner.example:8443/in?x=1", allow_loopback=False
    )
    assert pinned.url == "https://93.184.216.34:8443/in?x=1"
    assert pinned.headers == {"host": "hooks.partner.example:8443"}
    assert pinned.extensions == {"sni_hostname": "hooks.partner.example"}
    with pytest.raises(destinations.RefusedDestination, match=r"10\.0\.0\.7"):
        await destinations.pinned_request("https://rebind.partner.example/in", allow_loopback=True)
