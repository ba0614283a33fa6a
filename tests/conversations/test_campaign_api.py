"""Campaigns seen through the API: progress streams over a WebSocket, a listing's campaign can
be paused and resumed, and `reactivateLeads` reaches cold leads."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any

import httpx
import websockets
from sqlalchemy import update

from app.core.config import Settings
from app.core.db import utcnow
from app.core.runtime import Runtime, open_runtime
from app.core.uow import commit
from app.leads.models import Lead
from graphql_schema.asgi import create_app
from tests.conftest import Api
from tests.support.jobs import drain_jobs
from tests.support.servers import serve

LEAD = {"name": "Ana", "email": "ana@example.com", "locations": ["Polanco"], "maxBudget": 6_000_000}
LISTING = {"title": "Depa", "location": "Polanco", "price": 5_000_000, "operation": "SALE"}
PROGRESS = "subscription($id: ID!) { campaignProgress(propertyId: $id) { matches conversations started pending waiting } }"
CONVERSATIONS = "{ conversations { totalCount edges { node { status } } } }"


async def _next(ws: Any) -> dict[str, Any]:
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout=20))
        if message["type"] == "next":
            return message["payload"]["data"]["campaignProgress"]  # type: ignore[no-any-return]


async def test_campaign_progress_streams_to_a_subscriber(pg_settings: Settings) -> None:
    async with open_runtime(pg_settings) as runtime, serve(create_app(runtime=runtime)) as url:
        async with httpx.AsyncClient(base_url=url) as client:
            api = Api(client)
            token = await api.sign_up()
            for i in range(3):
                await api.ok(
                    "mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }",
                    {"i": {**LEAD, "email": f"a{i}@example.com"}},
                )
            listing = await api.ok(
                "mutation($i: PropertyInput!) { createProperty(input: $i) { id } }", {"i": LISTING}
            )
        property_id = listing["createProperty"]["id"]
        async with websockets.connect(
            url.replace("http", "ws") + "/graphql", subprotocols=["graphql-transport-ws"]
        ) as ws:  # type: ignore[list-item]
            await ws.send(
                json.dumps(
                    {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
                )
            )
            assert json.loads(await ws.recv())["type"] == "connection_ack"
            await ws.send(
                json.dumps(
                    {
                        "id": "1",
                        "type": "subscribe",
                        "payload": {"query": PROGRESS, "variables": {"id": property_id}},
                    }
                )
            )
            first = await _next(ws)
            assert first["conversations"] == 0  # nothing ran yet: the current figures come first
            await drain_jobs(runtime)
            # Batches report as they finish: a figure taken while another batch's threads were
            # still on their way to their first wait is a true snapshot, not the last one.
            seen = [await _next(ws)]
            while seen[-1]["waiting"] < 3:
                seen.append(await _next(ws))
        assert seen[-1] == {
            "matches": 3,
            "conversations": 3,
            "started": 3,
            "pending": 0,
            "waiting": 3,
        }


async def test_a_paused_listing_starts_no_conversation_until_resumed(
    api: Api, runtime: Runtime
) -> None:
    await api.sign_up()
    await api.ok("mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }", {"i": LEAD})
    listing = await api.ok(
        "mutation($i: PropertyInput!) { createProperty(input: $i) { id } }", {"i": LISTING}
    )
    property_id = listing["createProperty"]["id"]
    paused = await api.ok(
        "mutation($id: ID!) { pausePropertyCampaign(id: $id, paused: true) { campaignPaused } }",
        {"id": property_id},
    )
    assert paused["pausePropertyCampaign"]["campaignPaused"] is True
    await drain_jobs(runtime)
    assert (await api.ok(CONVERSATIONS))["conversations"]["totalCount"] == 0

    await api.ok(
        "mutation($id: ID!) { pausePropertyCampaign(id: $id, paused: false) { campaignPaused } }",
        {"id": property_id},
    )
    await drain_jobs(runtime)
    data = await api.ok(CONVERSATIONS)
    assert [e["node"]["status"] for e in data["conversations"]["edges"]] == ["WAITING"]


async def test_reactivate_cold_leads_reaches_them_for_every_active_listing(
    api: Api, runtime: Runtime
) -> None:
    await api.sign_up()
    await api.ok(
        "mutation($i: PropertyInput!) { createProperty(input: $i) { id } }", {"i": LISTING}
    )
    await drain_jobs(runtime)
    for i in range(2):
        await api.ok(
            "mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }",
            {"i": {**LEAD, "email": f"c{i}@example.com"}},
        )
    await drain_jobs(runtime)
    async with (
        runtime.session() as session
    ):  # their last contact was long ago, and one has no conversation yet
        await session.execute(update(Lead).values(last_contact_at=utcnow() - timedelta(days=200)))
        await commit(session)
    cold = await api.ok("{ leads(temperature: COLD) { totalCount } }")
    assert cold["leads"]["totalCount"] == 2

    queued = await api.ok("mutation { reactivateLeads(temperature: COLD) { leadsQueued } }")
    assert queued["reactivateLeads"]["leadsQueued"] == 2
    await drain_jobs(runtime)
    data = await api.ok(CONVERSATIONS)
    assert data["conversations"]["totalCount"] == 2  # one each, never a second
