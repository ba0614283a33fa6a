"""The per-request (or per-WebSocket) context every resolver receives."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from app.accounts.principal import Principal
from app.core.errors import Unauthenticated
from app.core.runtime import Runtime
from app.core.uow import commit


@dataclass
class Context:
    runtime: Runtime
    request: Request | WebSocket
    response: Any = None
    principal: Principal | None = None
    rate_limited: bool = False
    connection_params: dict[str, Any] | None = None
    loaders: dict[str, Any] = field(default_factory=dict)
    _sessions: dict[asyncio.Task[Any] | None, AsyncSession] = field(default_factory=dict)

    @property
    def session(self) -> AsyncSession:
        """The session of the running resolver, opened on first use, closed with the operation.

        GraphQL resolves sibling fields concurrently and a session allows one operation at a
        time, so each resolver task gets its own; a mutation runs in one task, so all of its
        work shares one session and one transaction.
        """
        task = asyncio.current_task()
        session = self._sessions.get(task)
        if session is None:
            session = self._sessions[task] = self.runtime.session()
        return session

    def require(self, scope: str) -> Principal:
        """The caller, checked for `scope`: UNAUTHENTICATED without one, FORBIDDEN without scope."""
        if self.principal is None:
            raise Unauthenticated()
        self.principal.require(scope)
        return self.principal

    def caller(self) -> Principal:
        if self.principal is None:
            raise Unauthenticated()
        return self.principal

    async def commit(self) -> None:
        await commit(self.session)

    async def close(self) -> None:
        sessions, self._sessions = list(self._sessions.values()), {}
        for session in sessions:
            await session.close()
        self.loaders.clear()


Info = StrawberryInfo[Context, None]
