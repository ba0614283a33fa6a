"""The per-request (or per-WebSocket) context every resolver receives."""

from __future__ import annotations

from contextvars import ContextVar
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


class OperationFinished(RuntimeError):
    """A resolver asked for a session after its operation had answered."""


class Operation:
    """One running GraphQL operation, the key of its session. `finished` once its answer is
    out: a resolver task that outlives it (GraphQL answers as soon as an error nulls the whole
    result, while sibling fields may still be running) gets no new session, so no connection is
    checked out after the operation closed its own."""

    __slots__ = ("finished", "read_only")

    def __init__(self) -> None:
        self.finished = False
        self.read_only = False  # a query: its session runs outside a transaction


# The running GraphQL operation: set by `SessionLifecycle` around each one and inherited by the
# resolver tasks GraphQL spawns. A WebSocket's context serves many operations at once.
current_operation: ContextVar[Operation | None] = ContextVar("brscale_operation", default=None)


@dataclass
class Context:
    runtime: Runtime
    request: Request | WebSocket
    response: Any = None
    principal: Principal | None = None
    rate_limited: bool = False
    # A query whose database connection was lost runs once more (`BrScaleSchema.execute`).
    query_lost_connection: bool = False
    query_retried: bool = False
    connection_params: dict[str, Any] | None = None
    loaders: dict[str, Any] = field(default_factory=dict)
    _sessions: dict[Operation | None, AsyncSession] = field(default_factory=dict)

    @property
    def session(self) -> AsyncSession:
        """The running operation's session, opened on first use, closed with the operation.

        One per operation, however many fields it has: GraphQL resolves sibling fields
        concurrently and their statements take turns on its one pooled connection (a mutation
        runs in one task, so its work is one transaction).
        """
        operation = current_operation.get()
        session = self._sessions.get(operation)
        if session is None:
            if operation is not None and operation.finished:
                raise OperationFinished()
            read_only = operation is not None and operation.read_only
            session = self._sessions[operation] = self.runtime.shared_session(read_only=read_only)
        return session

    def reads_only(self) -> None:
        """The running operation is a query: it never writes."""
        operation = current_operation.get()
        if operation is not None:
            operation.read_only = True

    @property
    def client_address(self) -> str:
        client = self.request.client
        return client.host if client else "unknown"

    @property
    def caller_key(self) -> str:
        """Whom rate limits and the per-caller share of connections count against."""
        if self.principal is not None:
            return self.principal.rate_key
        return f"ip:{self.client_address}"

    @property
    def tenant_key(self) -> str | None:
        """The brokerage whose share of operations the caller's count against (none anonymous)."""
        return str(self.principal.brokerage_id) if self.principal is not None else None

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

    async def close_operation(self, *, finished: bool = False) -> None:
        """Close the running operation's session (other operations of a WebSocket keep theirs);
        `finished`: the operation has answered, so nothing of it may open another."""
        operation = current_operation.get()
        if operation is not None and finished:
            operation.finished = True
        session = self._sessions.pop(operation, None)
        if session is not None and not _holds_nothing(session):
            await session.close()

    async def close(self) -> None:
        sessions, self._sessions = list(self._sessions.values()), {}
        for session in sessions:
            await session.close()
        self.loaders.clear()


def _holds_nothing(session: AsyncSession) -> bool:
    """No connection and no object in it: closing it would release nothing. A query whose
    reads all went straight to asyncpg (`read_rows`, a connection lent per statement) leaves
    its session so; skipping the close (a greenlet switch, the turn, an identity map swept)
    was 3% of a `leads(first: 50)` request."""
    return (
        not session.in_transaction()
        and not session.identity_map
        and not session.new
        and not session.deleted
    )


Info = StrawberryInfo[Context, None]
