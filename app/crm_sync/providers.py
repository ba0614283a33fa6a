"""What the CRM clients share: OAuth endpoints, one rate limiter per provider, named locks, and
the readers of the CRMs' webhook posts. A connection's own client is `flows.open_provider`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta

from app.core.runtime import Runtime
from app.core.services import ServiceKey
from app.crm_sync.models import CrmProviderName
from integrations.crm import CrmWebhookReader, WebhookRejected
from integrations.followupboss import FollowUpBossOAuth, FubWebhookReader
from integrations.followupboss import client as fub_client
from integrations.hubspot import HubSpotOAuth, HubSpotWebhookReader
from integrations.hubspot import client as hubspot_client
from integrations.ratelimit import InMemoryTokenBucket, RateLimiter, RedisTokenBucket

REFRESH_LEEWAY = timedelta(seconds=60)
LOCK_SECONDS = 30

DISCONNECTED_MESSAGE = "This CRM connection was disconnected. Please connect it again."


def callback_path(provider: CrmProviderName) -> str:
    return f"/oauth/{provider.value.lower()}/callback"


def redirect_uri(runtime: Runtime, provider: CrmProviderName) -> str:
    return runtime.settings.public_url.rstrip("/") + callback_path(provider)


def fub_oauth(runtime: Runtime) -> FollowUpBossOAuth:
    s = runtime.settings
    app_url = s.followupboss_app_url.rstrip("/")
    return FollowUpBossOAuth(
        runtime.http,
        s.followupboss_client_id or "",
        s.followupboss_client_secret or "",
        redirect_uri(runtime, CrmProviderName.FOLLOWUPBOSS),
        authorize_url=f"{app_url}/oauth/authorize",
        token_url=f"{app_url}/oauth/token",
    )


def hubspot_oauth(runtime: Runtime) -> HubSpotOAuth:
    s = runtime.settings
    return HubSpotOAuth(
        s.hubspot_client_id or "",
        s.hubspot_client_secret or "",
        redirect_uri(runtime, CrmProviderName.HUBSPOT),
        authorize_url=f"{s.hubspot_app_url.rstrip('/')}/oauth/authorize",
        token_url=f"{s.hubspot_api_url.rstrip('/')}/oauth/v1/token",
    )


def webhook_reader(runtime: Runtime, provider: CrmProviderName) -> CrmWebhookReader:
    """What checks and reads the CRM's webhook posts; `WebhookRejected` while the app's secret
    for them is not configured (every post is refused then)."""
    s = runtime.settings
    if provider is CrmProviderName.FOLLOWUPBOSS:
        if not s.followupboss_system_key:
            raise WebhookRejected("FOLLOWUPBOSS_SYSTEM_KEY is not set")
        return FubWebhookReader(s.followupboss_system_key)
    if not s.hubspot_client_secret:
        raise WebhookRejected("HUBSPOT_CLIENT_SECRET is not set")
    return HubSpotWebhookReader(s.hubspot_client_secret)


# One limiter per provider and process, and the in-process locks of embedded mode.
RATE_LIMITERS: ServiceKey[dict[CrmProviderName, RateLimiter]] = ServiceKey("crm_sync.limiters")
LOCKS: ServiceKey[dict[str, asyncio.Lock]] = ServiceKey("crm_sync.locks")


def rate_limiter(runtime: Runtime, provider: CrmProviderName) -> RateLimiter:
    """One limiter per provider and process; buckets are keyed per account inside it."""
    limiters = runtime.services.setdefault(RATE_LIMITERS, dict)
    limiter = limiters.get(provider)
    if limiter is None:
        if provider is CrmProviderName.FOLLOWUPBOSS:
            limit, window = fub_client.DEFAULT_LIMIT, fub_client.DEFAULT_WINDOW
        else:
            limit, window = hubspot_client.DEFAULT_LIMIT, hubspot_client.DEFAULT_WINDOW
        limiter = (
            RedisTokenBucket(runtime.redis, limit, window, prefix="brscale:crm-rate:")
            if runtime.redis is not None
            else InMemoryTokenBucket(limit, window)
        )
        limiters[provider] = limiter
    return limiter


@contextlib.asynccontextmanager
async def held_lock(runtime: Runtime, name: str) -> AsyncIterator[None]:
    """A named lock across processes when Redis is there, else within this process."""
    if runtime.redis is not None:
        lock = runtime.redis.lock(
            f"brscale:lock:{name}", timeout=LOCK_SECONDS, blocking_timeout=LOCK_SECONDS
        )
        async with lock:
            yield
        return
    locks = runtime.services.setdefault(LOCKS, dict)
    async with locks.setdefault(name, asyncio.Lock()):
        yield


def connection_lock(
    runtime: Runtime, connection_id: int
) -> contextlib.AbstractAsyncContextManager[None]:
    """Held while a connection's token is refreshed."""
    return held_lock(runtime, f"crm-refresh:{connection_id}")


def brokerage_lock(
    runtime: Runtime, brokerage_id: int
) -> contextlib.AbstractAsyncContextManager[None]:
    """Held while CRM contacts are merged into a brokerage's leads: two CRMs syncing at once
    would otherwise both insert the person they share."""
    return held_lock(runtime, f"crm-upsert:{brokerage_id}")
