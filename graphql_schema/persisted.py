"""Automatic persisted queries (Apollo's APQ protocol, which Apollo Client and urql speak).

A client sends `extensions.persistedQuery = {version: 1, sha256Hash}` without the query; an
unknown hash answers `PersistedQueryNotFound` (code `PERSISTED_QUERY_NOT_FOUND`) and the client
sends the query once with its hash, which registers it. Queries are kept in Redis (shared by
every API process) or, embedded, in memory.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import replace
from typing import Any

from strawberry.http import GraphQLRequestData

from app.core.errors import DomainError
from app.core.faults import is_transient
from app.core.ratelimit import RedisOutage
from app.core.runtime import Runtime
from app.core.services import ServiceKey

KEY = "brscale:apq:"
TTL_SECONDS = 30 * 24 * 3600
MAX_QUERY_CHARS = 50_000
_LOCAL_KEEP = 2_000


class PersistedQueryNotFound(DomainError):
    code = "PERSISTED_QUERY_NOT_FOUND"

    def __init__(self) -> None:
        super().__init__("PersistedQueryNotFound")


class PersistedQueryInvalid(DomainError):
    code = "BAD_USER_INPUT"


def requested_hash(extensions: dict[str, Any] | None) -> str | None:
    """The sha256 hash a request names, if it uses persisted queries."""
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise PersistedQueryInvalid("Unsupported persisted query version: only 1 is.")
    digest = persisted.get("sha256Hash")
    if not isinstance(digest, str) or len(digest) != 64:
        raise PersistedQueryInvalid("`persistedQuery.sha256Hash` must be a sha256 hex digest.")
    return digest.lower()


class PersistedQueries:
    """Kept in Redis, and in this process's memory too: a query registered here is found even
    while Redis is unreachable, and one registered elsewhere meanwhile is asked for again
    (`PERSISTED_QUERY_NOT_FOUND`, which clients answer by sending it), never a failed request."""

    def __init__(self, runtime: Runtime) -> None:
        self._redis = runtime.redis
        self._local: OrderedDict[str, str] = OrderedDict()
        self._outage = RedisOutage("persisted queries")

    async def get(self, digest: str) -> str | None:
        if digest in self._local:
            self._local.move_to_end(digest)
            return self._local[digest]
        if self._redis is None or self._outage.skip():
            return None
        try:
            value = await self._redis.get(KEY + digest)
        except Exception as exc:
            if not is_transient(exc):
                raise
            self._outage.started(exc)
            return None
        query = value.decode() if isinstance(value, bytes) else value
        if query is not None:
            self._keep(digest, query)
        return query

    async def put(self, digest: str, query: str) -> None:
        self._keep(digest, query)
        if self._redis is None or self._outage.skip():
            return
        try:
            await self._redis.set(KEY + digest, query, ex=TTL_SECONDS)
        except Exception as exc:
            if not is_transient(exc):
                raise
            self._outage.started(exc)

    def _keep(self, digest: str, query: str) -> None:
        self._local[digest] = query
        self._local.move_to_end(digest)
        while len(self._local) > _LOCAL_KEEP:
            self._local.popitem(last=False)

    async def resolve(self, data: GraphQLRequestData) -> GraphQLRequestData:
        """The request with its query: looked up by hash, or registered under it."""
        digest = requested_hash(data.extensions)
        if digest is None:
            return data
        if data.query is None:
            query = await self.get(digest)
            if query is None:
                raise PersistedQueryNotFound()
            return replace(data, query=query)
        if hashlib.sha256(data.query.encode()).hexdigest() != digest:
            raise PersistedQueryInvalid("provided sha does not match query")
        if len(data.query) <= MAX_QUERY_CHARS:
            await self.put(digest, data.query)
        return data


STORE: ServiceKey[PersistedQueries] = ServiceKey("graphql.persisted_queries")


def persisted_queries(runtime: Runtime) -> PersistedQueries:
    return runtime.services.setdefault(STORE, lambda: PersistedQueries(runtime))
