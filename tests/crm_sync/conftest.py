"""CRM sync fixtures: FUB and HubSpot stand-ins on loopback, settings pointing at them, a worker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

import app.crm_sync.tasks
import app.matching.tasks
from app.core.config import Settings
from app.core.jobs import MAIN_QUEUE
from app.core.runtime import Runtime
from tests.conftest import Api, make_settings
from tests.support.fub_standin import FubStandIn, serve_app
from tests.support.hubspot_standin import HubSpotStandIn
from workers.settings import worker_for

FUB_KEY = "fub-key-broker"
assert app.crm_sync.tasks


@pytest.fixture
def fub() -> Iterator[tuple[FubStandIn, str]]:
    stand_in = FubStandIn()
    with serve_app(stand_in.app()) as url:
        yield stand_in, url


@pytest.fixture
def hubspot() -> Iterator[tuple[HubSpotStandIn, str]]:
    stand_in = HubSpotStandIn()
    with serve_app(stand_in.app()) as url:
        yield stand_in, url


@pytest_asyncio.fixture
async def settings(
    tmp_path: Path,
    pg_settings: Settings,
    fub: tuple[FubStandIn, str],
    hubspot: tuple[HubSpotStandIn, str],
) -> Settings:
    """PostgreSQL + Redis (from `pg_settings`), every CRM URL on the stand-ins."""
    fub_in, fub_url = fub
    hs_in, hs_url = hubspot
    return make_settings(
        tmp_path,
        DATABASE_URL=pg_settings.database_url,
        REDIS_URL=pg_settings.redis_url,
        BRSCALE_PUBLIC_URL="http://testserver",
        FOLLOWUPBOSS_API_URL=fub_url,
        FOLLOWUPBOSS_APP_URL=fub_url,
        FOLLOWUPBOSS_SYSTEM=fub_in.system,
        FOLLOWUPBOSS_SYSTEM_KEY=fub_in.system_key,
        FOLLOWUPBOSS_CLIENT_ID=fub_in.client_id,
        FOLLOWUPBOSS_CLIENT_SECRET=fub_in.client_secret,
        HUBSPOT_API_URL=hs_url,
        HUBSPOT_APP_URL=hs_url,
        HUBSPOT_CLIENT_ID=hs_in.client_id,
        HUBSPOT_CLIENT_SECRET=hs_in.client_secret,
    )


async def run_jobs(runtime: Runtime) -> None:
    """Run every queued CRM job (and those they queue) to the end, as an arq worker would."""
    assert runtime.redis is not None
    worker = worker_for(MAIN_QUEUE, runtime, burst=True, poll_delay=0.01, cron_jobs=[])
    await worker.main()  # not close(): that would close the runtime's own Redis pool


async def connect_fub(api: Api, key: str = FUB_KEY) -> dict[str, Any]:
    data = await api.ok(
        "mutation($i: ConnectFollowUpBossInput!) { connectFollowUpBoss(input: $i) "
        "{ id provider status lastError leadsImported } }",
        {"i": {"apiKey": key}},
    )
    result: dict[str, Any] = data["connectFollowUpBoss"]
    return result


async def start_oauth(api: Api, provider: str) -> str:
    data = await api.ok(
        "mutation($p: CrmProvider!) { startCrmOAuth(provider: $p) { authorizeUrl } }",
        {"p": provider},
    )
    url: str = data["startCrmOAuth"]["authorizeUrl"]
    return url


async def connect_hubspot(api: Api, hs: HubSpotStandIn) -> None:
    params = hs.approve(await start_oauth(api, "HUBSPOT"))
    response = await api.client.get("/oauth/hubspot/callback", params=params)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/app/?crm=connected"


CONNECTIONS = "{ crmConnections { id provider status lastSyncAt lastError leadsImported } }"
