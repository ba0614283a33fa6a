"""The one place where outbound HTTP calls are retried: backoff with jitter, `Retry-After` honoured.

Every vendor client (Twilio, Follow Up Boss, HubSpot) sends through `send_with_retries` on the
process's shared `httpx.AsyncClient`, so retry policy is decided here and nowhere else.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0

    def backoff(self, attempt: int) -> float:
        """Full-jitter exponential backoff for the given 1-based attempt."""
        return random.uniform(0, min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))


DEFAULT_POLICY = RetryPolicy()

Sleep = Callable[[float], Awaitable[None]]


def retry_after_seconds(response: httpx.Response) -> float | None:
    """Seconds asked for by `Retry-After` (delta-seconds or an HTTP date), if any."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def new_http_client(timeout: float = 15.0) -> httpx.AsyncClient:
    """The process-wide client: explicit timeouts and pooled connections."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout, connect=5.0),
        limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
    )


async def send_with_retries(
    client: httpx.AsyncClient,
    request: httpx.Request,
    *,
    policy: RetryPolicy = DEFAULT_POLICY,
    retry_on_timeout: bool = True,
    sleep: Sleep = asyncio.sleep,
) -> httpx.Response:
    """Send `request`, retrying 429/5xx and transport errors; return the last response.

    A timeout after the request left (`ReadTimeout`) is only retried when `retry_on_timeout`
    is set: callers whose request is not idempotent (sending a message) pass False and treat the
    outcome as unknown instead of sending twice.
    """
    for attempt in range(1, policy.attempts + 1):
        last_attempt = attempt == policy.attempts
        try:
            response = await client.send(request)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout):
            if last_attempt:
                raise
            await sleep(policy.backoff(attempt))
            continue
        except (httpx.ReadTimeout, httpx.WriteTimeout, httpx.RemoteProtocolError, httpx.ReadError):
            if last_attempt or not retry_on_timeout:
                raise
            await sleep(policy.backoff(attempt))
            continue
        if response.status_code not in RETRYABLE_STATUS or last_attempt:
            return response
        await response.aclose()
        wait = retry_after_seconds(response)
        await sleep(min(policy.max_delay, wait) if wait is not None else policy.backoff(attempt))
    raise AssertionError("unreachable")  # pragma: no cover
