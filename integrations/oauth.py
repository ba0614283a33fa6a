"""OAuth pieces shared by the CRM adapters: tokens with an absolute expiry, a refresher that keeps
them fresh and reports new ones, and the single-use store of pending `state` values.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from integrations.crm import CrmAuthError

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class OAuthToken:
    """An access token and the moment it lapses; `as_dict`/`from_dict` feed encrypted storage."""

    access_token: str
    refresh_token: str | None
    expires_at: datetime | None
    token_type: str = "Bearer"
    scope: str | None = None

    @classmethod
    def from_token_response(
        cls, payload: Mapping[str, Any], *, now: datetime, previous_refresh_token: str | None = None
    ) -> OAuthToken:
        expires_in = payload.get("expires_in")
        return cls(
            access_token=str(payload["access_token"]),
            # A refresh answer without a new refresh token means "keep using the old one".
            refresh_token=payload.get("refresh_token") or previous_refresh_token,
            expires_at=now + timedelta(seconds=int(expires_in)) if expires_in else None,
            token_type=str(payload.get("token_type") or "Bearer"),
            scope=payload.get("scope"),
        )

    def expires_within(self, leeway: timedelta, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at - leeway <= now

    def as_dict(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
            "token_type": self.token_type,
            "scope": self.scope,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OAuthToken:
        expires_at = data.get("expires_at")
        return cls(
            access_token=data["access_token"],
            refresh_token=data.get("refresh_token"),
            expires_at=datetime.fromisoformat(expires_at) if expires_at else None,
            token_type=data.get("token_type") or "Bearer",
            scope=data.get("scope"),
        )


Refresh = Callable[[str], Awaitable[OAuthToken]]
TokenRefreshed = Callable[[OAuthToken], Awaitable[None]]


class TokenSource:
    """Hands out a valid access token, refreshing it `leeway` before it lapses.

    The refresh happens wherever the next call is, also in the middle of a paging loop; the new
    token goes to `on_token_refreshed` so the caller persists it (encrypted) before using it.
    One lock per source means concurrent calls on one client refresh once. Across processes the
    caller should hold a per-account lock and reload the stored token before building a source.
    """

    def __init__(
        self,
        token: OAuthToken,
        *,
        refresh: Refresh | None = None,
        on_token_refreshed: TokenRefreshed | None = None,
        leeway: timedelta = timedelta(seconds=60),
        clock: Clock = utc_now,
    ) -> None:
        self._token = token
        self._refresh = refresh
        self._on_token_refreshed = on_token_refreshed
        self._leeway = leeway
        self._clock = clock
        self._lock = asyncio.Lock()

    @classmethod
    def static(cls, access_token: str) -> TokenSource:
        """A token that never expires (HubSpot private app, FUB OAuth token managed elsewhere)."""
        return cls(OAuthToken(access_token, None, None))

    @property
    def token(self) -> OAuthToken:
        return self._token

    async def access_token(self) -> str:
        if self._needs_refresh():
            async with self._lock:
                if self._needs_refresh():
                    await self._refresh_now()
        return self._token.access_token

    async def renew_rejected(self, rejected: str) -> bool:
        """The provider refused `rejected` before we thought it lapsed (it expired while we
        waited out a `Retry-After`, or our clock is behind the provider's): refresh it, once
        for all concurrent callers. True when there is another token to try."""
        if self._refresh is None or not self._token.refresh_token:
            return False
        async with self._lock:
            if self._token.access_token == rejected:
                await self._refresh_now()
        return self._token.access_token != rejected

    def _needs_refresh(self) -> bool:
        return self._refresh is not None and self._token.expires_within(self._leeway, self._clock())

    async def _refresh_now(self) -> None:
        assert self._refresh is not None
        if not self._token.refresh_token:
            raise CrmAuthError("The CRM connection has expired. Please reconnect it.")
        new = await self._refresh(self._token.refresh_token)
        if self._on_token_refreshed is not None:
            await self._on_token_refreshed(new)
        self._token = new


@dataclass(frozen=True)
class PendingOAuth:
    """What `/connect` remembered for its `state`: who started it and the PKCE verifier."""

    provider: str
    owner: str  # opaque to the adapters: the brokerage/user id the callback should attach to
    code_verifier: str | None


class PendingOAuthStore(Protocol):
    async def save(self, state: str, pending: PendingOAuth, ttl_seconds: int) -> None: ...

    async def pop(self, state: str) -> PendingOAuth | None:
        """Remove and return the entry; None when unknown, expired or already used."""
        ...


class OAuthStateError(Exception):
    """The callback's `state` is unknown, expired, reused or for another provider."""


class InMemoryPendingOAuthStore:
    """Single-process store (embedded mode, tests); production keeps these in Redis or the DB."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._entries: dict[str, tuple[PendingOAuth, float]] = {}

    async def save(self, state: str, pending: PendingOAuth, ttl_seconds: int) -> None:
        self._entries[state] = (pending, self._clock() + ttl_seconds)

    async def pop(self, state: str) -> PendingOAuth | None:
        entry = self._entries.pop(state, None)
        if entry is None or entry[1] < self._clock():
            return None
        return entry[0]


async def take_pending(store: PendingOAuthStore, state: str | None, provider: str) -> PendingOAuth:
    """The pending entry for a callback's `state`, or OAuthStateError (CSRF, replay, expiry)."""
    pending = await store.pop(state) if state else None
    if pending is None or pending.provider != provider:
        raise OAuthStateError("unknown or expired OAuth state")
    return pending
