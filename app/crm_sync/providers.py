"""The CRM client for one connection: its credential, a shared rate limiter, safe token refresh.

OAuth tokens are refreshed under a per-connection lock (Redis when there is one) after reloading
the stored token, so two workers never spend the same refresh token; the new token is stored
encrypted before it is used.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta

from app.core.runtime import Runtime
from app.core.services import ServiceKey
from app.crm_sync.credentials import ApiKeyCredential, OAuthCredential, seal, unseal
from app.crm_sync.models import CrmConnection, CrmProviderName
from integrations.crm import CrmAuthError, CrmProvider, CrmWebhookReader, WebhookRejected
from integrations.followupboss import (
    FollowUpBossClient,
    FollowUpBossOAuth,
    FubApiKey,
    FubWebhookReader,
)
from integrations.followupboss import client as fub_client
from integrations.hubspot import HubSpotClient, HubSpotOAuth, HubSpotWebhookReader
from integrations.hubspot import client as hubspot_client
from integrations.oauth import OAuthToken, TokenSource, utc_now
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


Refresh = Callable[[str], Awaitable[OAuthToken]]


def _refresher(runtime: Runtime, connection_id: int, refresh: Refresh) -> Refresh:
    async def refresh_and_store(_: str) -> OAuthToken:
        async with connection_lock(runtime, connection_id), runtime.session() as session:
            row = await session.get(CrmConnection, connection_id, populate_existing=True)
            if row is None or row.credentials is None:
                raise CrmAuthError(DISCONNECTED_MESSAGE)
            stored = unseal(runtime.secrets, row.credentials)
            if not isinstance(stored, OAuthCredential) or not stored.token.refresh_token:
                raise CrmAuthError("The CRM login has expired. Please connect it again.")
            if not stored.token.expires_within(REFRESH_LEEWAY, utc_now()):
                return stored.token  # another worker refreshed it a moment ago
            token = await refresh(stored.token.refresh_token)
            row.credentials = seal(runtime.secrets, OAuthCredential(token))
            await session.commit()
            return token

    return refresh_and_store


def open_provider(runtime: Runtime, connection: CrmConnection) -> CrmProvider:
    """A client speaking for `connection`; raises CrmAuthError when it holds no credential."""
    if connection.credentials is None:
        raise CrmAuthError(DISCONNECTED_MESSAGE)
    credential = unseal(runtime.secrets, connection.credentials)
    limiter = rate_limiter(runtime, connection.provider)
    account_key = connection.account_id or f"connection-{connection.id}"
    s = runtime.settings
    if connection.provider is CrmProviderName.FOLLOWUPBOSS:
        fub_credentials: FubApiKey | TokenSource
        if isinstance(credential, ApiKeyCredential):
            fub_credentials = FubApiKey(credential.api_key)
        else:
            fub_credentials = TokenSource(
                credential.token,
                refresh=_refresher(runtime, connection.id, fub_oauth(runtime).refresh),
                leeway=REFRESH_LEEWAY,
            )
        return FollowUpBossClient(
            runtime.http,
            s.followupboss_api_url,
            fub_credentials,
            s.followupboss_system,
            s.followupboss_system_key or "",
            account_key=account_key,
            limiter=limiter,
        )
    if not isinstance(credential, OAuthCredential):
        raise CrmAuthError("HubSpot needs an OAuth login. Please connect it again.")
    tokens = TokenSource(
        credential.token,
        refresh=_refresher(runtime, connection.id, hubspot_oauth(runtime).refresh),
        leeway=REFRESH_LEEWAY,
    )
    return HubSpotClient(
        runtime.http,
        tokens,
        account_key=account_key,
        api_url=s.hubspot_api_url,
        limiter=limiter,
    )
