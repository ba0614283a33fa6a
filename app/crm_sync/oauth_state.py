"""Where a started OAuth flow waits for its callback: Redis with a TTL, or this process's memory.

Entries are single use: `pop` removes them, so a replayed callback finds nothing.
"""

from __future__ import annotations

import json

from redis.asyncio import Redis

from app.core.runtime import Runtime
from app.core.services import ServiceKey
from integrations.oauth import InMemoryPendingOAuthStore, PendingOAuth, PendingOAuthStore

KEY_PREFIX = "brscale:oauth-state:"
STATE_TTL_SECONDS = 600  # the brief's ten minutes, whatever the provider allows


class RedisPendingOAuthStore:
    """Shared by every API process, so the callback may land on another one than `/connect`."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def save(self, state: str, pending: PendingOAuth, ttl_seconds: int) -> None:
        value = json.dumps(
            {
                "provider": pending.provider,
                "owner": pending.owner,
                "code_verifier": pending.code_verifier,
            }
        )
        ttl = min(ttl_seconds, STATE_TTL_SECONDS)
        await self._redis.set(KEY_PREFIX + state, value, ex=ttl)

    async def pop(self, state: str) -> PendingOAuth | None:
        raw = await self._redis.getdel(KEY_PREFIX + state)
        if raw is None:
            return None
        data = json.loads(raw)
        return PendingOAuth(data["provider"], data["owner"], data.get("code_verifier"))


class _CappedMemoryStore(InMemoryPendingOAuthStore):
    async def save(self, state: str, pending: PendingOAuth, ttl_seconds: int) -> None:
        await super().save(state, pending, min(ttl_seconds, STATE_TTL_SECONDS))


OAUTH_STATES: ServiceKey[PendingOAuthStore] = ServiceKey("crm_sync.oauth_states")


def pending_oauth_store(runtime: Runtime) -> PendingOAuthStore:
    """Redis when the runtime has it; else one in-memory store per process (embedded mode)."""
    if runtime.redis is not None:
        return RedisPendingOAuthStore(runtime.redis)
    return runtime.services.setdefault(OAUTH_STATES, _CappedMemoryStore)
