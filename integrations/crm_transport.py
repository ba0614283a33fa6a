"""The request path every CRM adapter shares: account rate limit, retries, provider error mapping.

Retries (429/5xx/timeouts, backoff with jitter, `Retry-After`) come from `integrations.http`; any
wait it takes is also written to the shared limiter, so other workers hold back for that account.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx

from integrations.crm import (
    CrmAuthError,
    CrmError,
    CrmForbidden,
    CrmNotFound,
    CrmRateLimited,
    CrmUnavailable,
)
from integrations.http import DEFAULT_POLICY, RetryPolicy, retry_after_seconds, send_with_retries
from integrations.oauth import TokenSource
from integrations.ratelimit import Quota, RateLimiter

QuotaReader = Callable[[httpx.Headers], Quota | None]


class CrmTransport:
    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        provider_name: str,
        limiter: RateLimiter,
        limit_key: str,
        read_quota: QuotaReader,
        policy: RetryPolicy = DEFAULT_POLICY,
    ) -> None:
        self._http = http
        self._name = provider_name
        self._limiter = limiter
        self._key = limit_key
        self._read_quota = read_quota
        self._policy = policy

    async def _wait_shared(self, seconds: float) -> None:
        await self._limiter.pause(self._key, seconds)
        await asyncio.sleep(seconds)

    async def send(self, request: httpx.Request, *, idempotent: bool) -> httpx.Response:
        """Send under the account's limit; return a 2xx response or raise a `CrmError`."""
        await self._limiter.acquire(self._key)
        try:
            response = await send_with_retries(
                self._http,
                request,
                policy=self._policy,
                retry_on_timeout=idempotent,
                sleep=self._wait_shared,
            )
        except httpx.TransportError as exc:
            raise CrmUnavailable(f"{self._name} did not answer; we will try again.") from exc
        quota = self._read_quota(response.headers)
        if quota is not None:
            await self._limiter.observe(self._key, quota)
        if response.status_code == 429:
            await self._limiter.pause(self._key, retry_after_seconds(response) or 10.0)
        self._raise_for_status(response)
        return response

    async def send_with_token(
        self,
        tokens: TokenSource,
        build: Callable[[str], httpx.Request],
        *,
        idempotent: bool,
    ) -> httpx.Response:
        """Send the request `build` makes for the source's access token. A 401 for a token we
        still thought valid is refreshed once and sent again (a refused request did nothing);
        a second 401, or no way to refresh, is the connection's end (`CrmAuthError`)."""
        token = await tokens.access_token()
        try:
            return await self.send(build(token), idempotent=idempotent)
        except CrmAuthError:
            if not await tokens.renew_rejected(token):
                raise
        return await self.send(build(await tokens.access_token()), idempotent=idempotent)

    def _raise_for_status(self, response: httpx.Response) -> None:
        status = response.status_code
        if status < 400:
            return
        if status == 401:
            raise CrmAuthError(
                f"{self._name} no longer accepts BR SCALE's access (the key or login was revoked "
                f"or has expired). Please reconnect {self._name}."
            )
        if status == 403:
            raise CrmForbidden(
                f"{self._name} refused access: the account may have expired or this user lacks "
                f"permission. Please check the {self._name} account and reconnect."
            )
        if status == 404:
            raise CrmNotFound(f"{self._name} has no such record.")
        if status == 429:
            wait = retry_after_seconds(response)
            raise CrmRateLimited(f"{self._name} is limiting requests; the sync will resume.", wait)
        if status >= 500:
            raise CrmUnavailable(f"{self._name} is having trouble ({status}); we will try again.")
        raise CrmError(f"{self._name} rejected a request ({status}): {response.text[:200]}")
