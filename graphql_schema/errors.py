"""Domain errors become `extensions.code`; anything unexpected is masked and logged."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import strawberry
from graphql import ExecutionResult, GraphQLError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.websockets import WebSocket
from strawberry.extensions import MaskErrors, SchemaExtension
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.relay.types import GlobalIDValueError
from strawberry.types.graphql import OperationType

import app.teams.visibility  # noqa: F401  (installs the agent's filter)
from app.core.errors import DomainError, RateLimited, Unavailable
from app.core.faults import lost_connection
from app.core.visibility import visible_to_agent
from graphql_schema.context import Context, Operation, current_operation
from graphql_schema.hooks import CachedHooksRunner

log = logging.getLogger("brscale.graphql")


def is_request_error(error: GraphQLError) -> bool:
    """An error the client caused: a domain rule, a malformed id, or a request that failed
    validation or variable coercion (those have no path: nothing was resolved yet)."""
    original = error.original_error
    return (
        original is None
        or isinstance(original, (DomainError, GlobalIDValueError, PoolTimeout))
        or not error.path
    )


BUSY = Unavailable("The service is busy: retry in a few seconds.")


def _code(error: GraphQLError) -> str | None:
    """Codes for errors that are not domain errors (those carry their own `extensions`)."""
    original = error.original_error
    if isinstance(original, DomainError):
        return None
    if isinstance(original, GlobalIDValueError):
        return "NOT_FOUND"
    if error.path:
        return None  # unexpected: masked, no code
    if "exceeds maximum operation depth" in error.message:
        return "QUERY_TOO_DEEP"
    if "Variable" in error.message or original is not None:
        return "BAD_USER_INPUT"
    return "GRAPHQL_VALIDATION_FAILED"


def give_code(error: GraphQLError) -> None:
    """Give a client-actionable error its stable code (domain errors carry their own)."""
    if isinstance(error.original_error, PoolTimeout):
        # No connection freed in time: say so at once rather than hang or mask it.
        error.message = BUSY.message
        error.extensions = {**(error.extensions or {}), **BUSY.extensions}
        return
    code = _code(error)
    if code is not None:
        error.extensions = {**(error.extensions or {}), "code": code}


class RateLimit(SchemaExtension):
    """Refuse an operation when its caller is over its per-minute budget (checked per request
    over HTTP, per operation over WebSocket), and run at most the caller's share of operations
    at once: the rest wait for a slot a few seconds, then are refused."""

    async def on_execute(self) -> AsyncIterator[None]:  # type: ignore[override]
        context = self.execution_context.context
        if not isinstance(context, Context):
            yield
            return
        runtime = context.runtime
        if isinstance(context.request, WebSocket):
            context.rate_limited = not await runtime.limiter.allow(context.caller_key)
        if context.rate_limited:
            self._refuse(RateLimited("Too many requests: slow down and retry in a minute."))
            yield
            return
        if self.execution_context.operation_type is OperationType.SUBSCRIPTION:
            yield  # a subscription waits on events and reads in short sessions of its own
            return
        async with runtime.operation_slots.hold(context.caller_key, context.tenant_key) as held:
            if not held:
                self._refuse(
                    RateLimited("Too many requests at once: wait for your others to finish.")
                )
            yield

    def _refuse(self, error: DomainError) -> None:
        self.execution_context.result = ExecutionResult(
            data=None, errors=[GraphQLError(error.message, original_error=error)]
        )


class SessionLifecycle(SchemaExtension):
    """Give the operation its own database session, closed however the operation ended (and,
    for a subscription, after each event it sends)."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context.context
        if (
            isinstance(context, Context)
            and self.execution_context.operation_type is OperationType.QUERY
        ):
            context.reads_only()
        yield

    async def on_operation(self) -> AsyncIterator[None]:  # type: ignore[override]
        token = current_operation.set(Operation())
        context = self.execution_context.context
        principal = context.principal if isinstance(context, Context) else None
        # An AGENT's operation reads only what is assigned to them (app.teams.visibility).
        agent = visible_to_agent.set(principal.agent_id if principal is not None else None)
        try:
            yield
        finally:
            if isinstance(context, Context):
                await context.close_operation(finished=True)
            with contextlib.suppress(ValueError):  # finalized in another context
                visible_to_agent.reset(agent)
            with contextlib.suppress(ValueError):
                current_operation.reset(token)

    async def on_stream_result(self, result: Any) -> AsyncIterator[None]:  # type: ignore[override]
        yield
        context = self.execution_context.context
        if (
            isinstance(context, Context)
            and self.execution_context.operation_type is OperationType.SUBSCRIPTION
        ):
            await context.close_operation()


def masked_errors() -> MaskErrors:
    return MaskErrors(
        should_mask_error=lambda error: not is_request_error(error),
        error_message="Internal server error.",
    )


class BrScaleSchema(strawberry.Schema):
    """Gives errors their codes, and logs only what went wrong on our side: a client's mistake
    is its answer, not a log line (and a failed log-in's query text, password included, never
    reaches the logs)."""

    async def execute(  # type: ignore[override]
        self, query: str | None, *args: Any, **kwargs: Any
    ) -> Any:
        """A query that lost its database connection (a failover, `pg_terminate_backend`, a
        restart) runs once more on a fresh one: it only reads, so running it again is safe,
        and the caller gets its answer instead of an internal error."""
        result = await super().execute(query, *args, **kwargs)
        context = kwargs.get("context_value")
        if isinstance(context, Context) and context.query_lost_connection:
            context.query_lost_connection = False
            log.warning("a query lost its database connection; it runs again")
            result = await super().execute(query, *args, **kwargs)
        return result

    def create_extensions_runner(
        self, execution_context: Any, extensions: list[SchemaExtension]
    ) -> SchemaExtensionsRunner:
        """Hooks looked up once per extension class (graphql_schema/hooks.py)."""
        return CachedHooksRunner(execution_context=execution_context, extensions=extensions)

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        # Every error passes here, before masking: also those of a document refused while
        # parsing (the token limit), which skip the extensions' operation hooks.
        context = getattr(execution_context, "context", None)
        if (
            isinstance(context, Context)
            and not isinstance(context.request, WebSocket)
            and not context.query_retried
            and any(lost_connection(e.original_error) for e in errors if e.original_error)
            # (asked last: on a document that failed to parse, this raises its syntax error)
            and execution_context.operation_type is OperationType.QUERY
        ):
            context.query_lost_connection = context.query_retried = True
            return  # answered by its second run, not logged as ours
        for error in errors:
            give_code(error)
            if not is_request_error(error):
                log.error(
                    "unexpected error in %s",
                    ".".join(str(p) for p in error.path or ()),
                    exc_info=error.original_error,
                )


class LiveSchema(BrScaleSchema):
    """Runs the live subscriptions (agentActivity, campaignProgress, importProgress) shared per
    process and audience (graphql_schema/live.py); everything else as usual."""

    async def stream(  # type: ignore[override]
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        operation_extensions: dict[str, Any] | None = None,
        allowed_operation_types: Any = None,
    ) -> Any:
        from graphql_schema.live import LiveHub, hub_of, shared_root

        if not (
            query
            and isinstance(context_value, Context)
            and context_value.principal is not None
            and shared_root(query)
        ):
            return await super().stream(
                query,
                variable_values,
                context_value,
                root_value,
                operation_name,
                operation_extensions,
                allowed_operation_types,
            )

        async def source(context: Context) -> Any:
            return await BrScaleSchema.stream(
                self,
                query,
                variable_values,
                context,
                root_value,
                operation_name,
                operation_extensions,
                allowed_operation_types,
            )

        return hub_of(context_value).stream(
            key=LiveHub.key(query, variable_values, operation_name, context_value),
            context=context_value,
            queue_size=context_value.runtime.settings.subscriber_queue_size,
            source=source,
        )
