"""The per-request (or per-WebSocket) context every resolver receives."""

from __future__ import annotations

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
    _session: AsyncSession | None = None

    @property
    def session(self) -> AsyncSession:
        """One session per operation, opened on first use and closed by `SessionLifecycle`."""
        if self._session is None:
            self._session = self.runtime.session()
        return self._session

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
        if self._session is not None:
            await self._session.close()
            self._session = None
        self.loaders.clear()


Info = StrawberryInfo[Context, None]
